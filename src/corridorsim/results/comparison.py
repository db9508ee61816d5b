"""Comparing scenarios run with common random numbers: paired differences per flow
against the first scenario (the baseline)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from corridorsim.results.stats import paired_difference
from corridorsim.results.summary import FlowSummary, Summary, _plain, num, summarize
from corridorsim.results.tables import Results

__all__ = ["Comparison", "Difference", "compare_results", "per_replication"]


@dataclass(frozen=True)
class Difference:
    """One flow of one scenario against the baseline: paired differences (hours; shares
    as fractions) with their 95% half-widths, and the difference of each breakdown
    category's mean hours."""

    flow: str
    scenario: str
    baseline: str
    mean_transit_hours_diff: float | None
    mean_transit_hours_diff_ci95: float | None
    p90_hours_diff: float | None
    share_within_target_diff: float | None
    share_within_target_diff_ci95: float | None
    breakdown_hours_diff: dict[str, float | None]


@dataclass(frozen=True)
class Comparison:
    """Scenarios side by side (the first is the baseline) and their differences.

    ``results`` are kept for plots; :meth:`to_json` gives ``compare.json``.
    """

    results: tuple[Results, ...]
    summaries: tuple[Summary, ...]
    differences: tuple[Difference, ...]

    @property
    def name(self) -> str:
        """``compare:A,B,...``: identifies the comparison's output folder."""
        return "compare:" + ",".join(s.scenario for s in self.summaries)

    @property
    def baseline(self) -> Summary:
        return self.summaries[0]

    def to_json(self) -> dict[str, Any]:
        base = self.baseline
        return {
            "scenario": self.name,
            "baseline": base.scenario,
            "seed": base.seed,
            "replications": base.replications,
            "target_hours": base.target_hours,
            "target_percentile": base.target_percentile,
            "scenarios": [s.to_json() for s in self.summaries],
            "differences": [_plain(d) for d in self.differences],
        }


def per_replication(results: Results, flow: str, target_hours: float) -> tuple[np.ndarray, ...]:
    """Per replication: mean transit hours of ``flow`` and its share within
    ``target_hours`` (NaN where a replication delivered none)."""
    d = results.delivered
    d = d[d["flow"] == flow]
    reps = range(results.replications)
    g = d.groupby("replication")["transit_h"]
    means = g.mean().reindex(reps).to_numpy()
    shares = g.apply(lambda t: float((t <= target_hours).mean())).reindex(reps).to_numpy()
    return means, shares


def _difference(
    base: Results, other: Results, b: FlowSummary, f: FlowSummary, names: tuple[str, str]
) -> Difference:
    target = base.loaded.scenario.target.hours
    m_b, s_b = per_replication(base, f.flow, target)
    m_o, s_o = per_replication(other, f.flow, target)
    d_mean, d_half = paired_difference(m_o, m_b)
    d_share, d_share_half = paired_difference(s_o, s_b)
    assert f.transit_hours is not None
    assert b.transit_hours is not None
    return Difference(
        flow=f.flow,
        scenario=names[1],
        baseline=names[0],
        mean_transit_hours_diff=num(d_mean),
        mean_transit_hours_diff_ci95=num(d_half),
        p90_hours_diff=num(_sub(f.transit_hours.p90, b.transit_hours.p90)),
        share_within_target_diff=num(d_share),
        share_within_target_diff_ci95=num(d_share_half),
        breakdown_hours_diff={
            k: num(_sub(f.breakdown_hours[k], v)) for k, v in b.breakdown_hours.items()
        },
    )


def _sub(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def compare_results(
    results: Sequence[Results], summaries: Sequence[Summary] | None = None
) -> Comparison:
    """Side-by-side KPIs and paired differences against the first scenario.

    Parameters
    ----------
    results : sequence of Results
        Run with the same seed and replications (common random numbers).
    summaries : sequence of Summary, optional
        Their summaries, if already made.
    """
    sums = tuple(summaries) if summaries is not None else tuple(summarize(r) for r in results)
    base, base_sum = results[0], sums[0]
    base_flows = {f.flow: f for f in base_sum.flows}
    diffs = []
    for res, summ in zip(results[1:], sums[1:], strict=True):
        for f in summ.flows:
            b = base_flows.get(f.flow)
            if b is None or not f.delivered or not b.delivered:
                continue
            diffs.append(_difference(base, res, b, f, (base_sum.scenario, summ.scenario)))
    return Comparison(tuple(results), sums, tuple(diffs))
