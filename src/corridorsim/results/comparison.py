"""Comparing scenarios run with common random numbers: paired differences per flow
against the first scenario (the baseline)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from corridorsim.results.choice import ChoiceParams, PairChoice
from corridorsim.results.kpis import CATEGORY_LABELS
from corridorsim.results.shares import pair_choices
from corridorsim.results.stats import paired_difference
from corridorsim.results.summary import FlowSummary, Summary, _plain, num, summarize
from corridorsim.results.tables import Results

__all__ = ["Comparison", "Difference", "bottom_line", "compare_results", "per_replication"]


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
    cost_usd_per_teu_diff: float | None = None
    """The difference of the routes' costs per TEU, where both are complete (else None:
    a lower bound minus another says nothing)."""
    bottom_line: str = ""
    """The difference in one sentence: how much slower or faster, and which parts of
    the time make it (the largest breakdown differences), and the routes' lengths."""


@dataclass(frozen=True)
class Comparison:
    """Scenarios side by side (the first is the baseline) and their differences.

    ``results`` are kept for plots; :meth:`to_json` gives ``compare.json``.
    """

    results: tuple[Results, ...]
    summaries: tuple[Summary, ...]
    differences: tuple[Difference, ...]
    warnings: tuple[str, ...] = ()
    """Where the scenarios do not answer the same question: origin–destination pairs
    that are not in both a scenario and the baseline (left out of the differences)."""
    compared_pairs: tuple[str, ...] = ()
    """The origin–destination pairs compared (``KHI → ALA``), in the baseline's order."""
    choices: tuple[PairChoice, ...] = ()
    """Per compared pair, the share a shipper would give each scenario's route
    (:mod:`corridorsim.results.choice`), or why none can be given."""
    choice_params: ChoiceParams = field(default_factory=ChoiceParams)

    @property
    def name(self) -> str:
        """``compare:A,B,...``: identifies the comparison's output folder."""
        return "compare:" + ",".join(s.scenario for s in self.summaries)

    @property
    def baseline(self) -> Summary:
        return self.summaries[0]

    @property
    def pairs_note(self) -> str:
        """One sentence saying which origin–destination pairs are compared."""
        pairs = self.compared_pairs
        if not pairs:
            return "No origin–destination pair is in both scenarios: nothing is compared."
        listed = ", ".join(pairs)
        if not self.warnings:
            return (
                f"Same origin–destination pairs in every scenario ({listed}): each is "
                "compared with the baseline's flow between the same places."
            )
        return f"Compared only on the origin–destination pairs they share ({listed})."

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
            "compared_pairs": list(self.compared_pairs),
            "pairs_note": self.pairs_note,
            "differences": [_plain(d) for d in self.differences],
            "choice_params": _plain(self.choice_params),
            "choices": [_plain(c) for c in self.choices],
            "warnings": list(self.warnings),
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
    m_b, s_b = per_replication(base, b.flow, target)
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
        cost_usd_per_teu_diff=num(_sub(f.cost_usd_per_teu, b.cost_usd_per_teu))
        if f.cost_complete and b.cost_complete
        else None,
        bottom_line=bottom_line(b, f, names, num(d_mean)),
    )


def bottom_line(
    b: FlowSummary, f: FlowSummary, names: tuple[str, str], diff_hours: float | None
) -> str:
    """``f`` (of scenario ``names[1]``) against ``b`` (of the baseline) in one sentence:
    days slower or faster on average, the breakdown categories that make most of it
    (up to three, each with its sign), and the routes' lengths."""
    if diff_hours is None:
        return ""
    days = diff_hours / 24
    way = "slower" if days > 0 else "faster"
    parts = {
        k: (f.breakdown_hours.get(k) or 0.0) - (v or 0.0) for k, v in b.breakdown_hours.items()
    }
    same_way = sorted(
        (kv for kv in parts.items() if kv[1] * days > 0 and abs(kv[1]) >= 1.2),  # 0.05 d
        key=lambda kv: -abs(kv[1]),
    )[:3]
    made = ", ".join(f"{CATEGORY_LABELS[k]} {v / 24:+.1f} d" for k, v in same_way)
    text = (
        f"{names[1]}'s {f.flow} is {abs(days):.1f} days {way} on average than {names[0]}'s {b.flow}"
    )
    if made:
        text += f", mostly {made}"
    if f.distance_km is not None and b.distance_km is not None:
        text += f"; its route is {f.distance_km:,.0f} km against {b.distance_km:,.0f} km"
    return text


def _sub(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def compare_results(
    results: Sequence[Results],
    summaries: Sequence[Summary] | None = None,
    params: ChoiceParams | None = None,
) -> Comparison:
    """Side-by-side KPIs and paired differences against the first scenario.

    Each flow is compared with the baseline's flow between the same origin and
    destination; where the baseline has several between the same places, with the one
    of the same name.

    Parameters
    ----------
    results : sequence of Results
        Run with the same seed and replications (common random numbers).
    summaries : sequence of Summary, optional
        Their summaries, if already made.
    params : ChoiceParams, optional
        The shipper's valuation for the route shares (the sourced defaults if
        omitted).

    Returns
    -------
    Comparison
        The scenarios' summaries, differences and route shares.
    """
    sums = tuple(summaries) if summaries is not None else tuple(summarize(r) for r in results)
    base, base_sum = results[0], sums[0]
    base_by_pair = _by_pair(base_sum.flows)
    diffs, warnings = [], []
    compared: set[Pair] = set()
    for res, summ in zip(results[1:], sums[1:], strict=True):
        by_pair = _by_pair(summ.flows)
        warnings += _unshared(base_sum.scenario, set(base_by_pair), summ.scenario, set(by_pair))
        for pair, flows in by_pair.items():
            for f in flows:
                b = _match(base_by_pair.get(pair, []), f)
                if b is None:
                    if pair in base_by_pair:
                        warnings.append(_ambiguous(summ.scenario, f, base_sum.scenario, pair))
                    continue
                if not f.delivered or not b.delivered:
                    none = summ.scenario if not f.delivered else base_sum.scenario
                    warnings.append(
                        f"{pair[0]} → {pair[1]} is not compared: {none} delivered no "
                        "container on it within the horizon (a longer horizon_days helps)"
                    )
                    continue
                if b.flow != f.flow:
                    warnings.append(
                        f"{summ.scenario}: flow {f.flow} is compared with {base_sum.scenario}'s "
                        f"{b.flow} (both {pair[0]} → {pair[1]}); their arrivals are drawn "
                        "from different streams, so the difference is not paired as closely"
                    )
                diffs.append(_difference(base, res, b, f, (base_sum.scenario, summ.scenario)))
                compared.add(pair)
    shared = [pair for pair in base_by_pair if pair in compared]
    pairs = tuple(f"{o} → {d}" for o, d in shared)
    params = params or ChoiceParams()
    choices = pair_choices(results, sums, shared, params)
    return Comparison(tuple(results), sums, tuple(diffs), tuple(warnings), pairs, choices, params)


def _by_pair(flows: Sequence[FlowSummary]) -> dict[Pair, list[FlowSummary]]:
    """Flows by origin–destination pair, in their order."""
    out: dict[Pair, list[FlowSummary]] = {}
    for f in flows:
        out.setdefault((f.origin, f.destination), []).append(f)
    return out


def _match(candidates: Sequence[FlowSummary], f: FlowSummary) -> FlowSummary | None:
    """The baseline flow ``f`` is compared with: the only one between the same places,
    else the one of the same name."""
    if len(candidates) == 1:
        return candidates[0]
    return next((b for b in candidates if b.flow == f.flow), None)


def _ambiguous(scenario: str, f: FlowSummary, base: str, pair: Pair) -> str:
    return (
        f"{scenario}: flow {f.flow} ({pair[0]} → {pair[1]}) is not compared: {base} has "
        "several flows between those places and none of that name"
    )


def _unshared(base: str, base_pairs: set[Pair], other: str, pairs: set[Pair]) -> list[str]:
    """Warnings for the origin–destination pairs of one scenario and not the other."""

    def show(ps: set[Pair]) -> str:
        return ", ".join(f"{o} → {d}" for o, d in sorted(ps))

    out = []
    if pairs - base_pairs:
        out.append(
            f"{other} has origin–destination pairs that {base} lacks ({show(pairs - base_pairs)}): "
            "not compared"
        )
    if base_pairs - pairs:
        out.append(
            f"{base} has origin–destination pairs that {other} lacks "
            f"({show(base_pairs - pairs)}): not compared"
        )
    return out


Pair = tuple[str, str]
