"""Comparing scenarios run with common random numbers: paired differences per flow."""

from __future__ import annotations

from typing import Any

import numpy as np

from corridorsim.experiments import Results
from corridorsim.report.writer import _templates
from corridorsim.results.kpis import mean_ci95
from corridorsim.results.summary import _num

__all__ = ["compare_summaries", "render_compare"]


def _per_rep(results: Results, flow: str, target: float) -> tuple[np.ndarray, np.ndarray]:
    d = results.delivered
    d = d[d["flow"] == flow]
    reps = range(results.replications)
    g = d.groupby("replication")["transit_h"]
    means = g.mean().reindex(reps).to_numpy()
    shares = g.apply(lambda t: float((t <= target).mean())).reindex(reps).to_numpy()
    return means, shares


def compare_summaries(
    all_results: list[Results], summaries: list[dict[str, Any]]
) -> dict[str, Any]:
    """Side-by-side KPIs and differences against the first scenario (the baseline).

    Differences in mean transit and in share within target are paired by replication:
    with common random numbers each pair saw the same arrivals, so the confidence
    interval of the difference is much narrower than either scenario's alone.
    """
    base, base_sum = all_results[0], summaries[0]
    target = base.loaded.scenario.target.hours
    diffs = []
    for res, summ in zip(all_results[1:], summaries[1:], strict=True):
        base_flows = {f["flow"]: f for f in base_sum["flows"]}
        for f in summ["flows"]:
            b = base_flows.get(f["flow"])
            if b is None or "transit_hours" not in f or "transit_hours" not in b:
                continue
            m_b, s_b = _per_rep(base, f["flow"], target)
            m_o, s_o = _per_rep(res, f["flow"], target)
            n = min(len(m_b), len(m_o))
            d_mean, d_half = mean_ci95(m_o[:n] - m_b[:n])
            d_share, d_share_half = mean_ci95(s_o[:n] - s_b[:n])
            diffs.append(
                {
                    "flow": f["flow"],
                    "scenario": summ["scenario"],
                    "baseline": base_sum["scenario"],
                    "mean_transit_hours_diff": _num(d_mean),
                    "mean_transit_hours_diff_ci95": _num(d_half),
                    "p90_hours_diff": _num(f["transit_hours"]["p90"] - b["transit_hours"]["p90"]),
                    "share_within_target_diff": _num(d_share),
                    "share_within_target_diff_ci95": _num(d_share_half),
                    "breakdown_hours_diff": {
                        k: _num(f["breakdown_hours"][k] - b["breakdown_hours"][k])
                        for k in b["breakdown_hours"]
                    },
                }
            )
    return {
        "scenario": "compare:" + ",".join(s["scenario"] for s in summaries),
        "baseline": base_sum["scenario"],
        "seed": base_sum["seed"],
        "replications": base_sum["replications"],
        "target_hours": base_sum["target_hours"],
        "target_percentile": base_sum["target_percentile"],
        "scenarios": summaries,
        "differences": diffs,
    }


def render_compare(
    comparison: dict[str, Any],
    md_figures: list[dict[str, str]] | None = None,
    html_figures: list[dict[str, str]] | None = None,
) -> tuple[str, str]:
    """The comparison report as Markdown and as HTML (with the given figures)."""
    env = _templates()
    rows = []
    for s in comparison["scenarios"]:
        for f in s["flows"]:
            t = f.get("transit_hours")
            rows.append(
                {
                    "scenario": s["scenario"],
                    "flow": f["flow"],
                    "route": f["route"],
                    "mean": f"{t['mean'] / 24:.2f}" if t else "–",
                    "ci": f"{t['mean_ci95'] / 24:.2f}" if t and t["mean_ci95"] is not None else "–",
                    "p90": f"{t['p90'] / 24:.2f}" if t else "–",
                    "share": (f"{f['share_within_target']['mean']:.0%}" if t else "–"),
                    "verdict": f["verdict"],
                }
            )
    diffs = [
        {
            **d,
            "mean": f"{d['mean_transit_hours_diff']:+.1f}",
            "ci": (
                f"{d['mean_transit_hours_diff_ci95']:.1f}"
                if d["mean_transit_hours_diff_ci95"] is not None
                else "–"
            ),
            "p90": f"{d['p90_hours_diff']:+.1f}",
            "share": f"{d['share_within_target_diff']:+.0%}",
        }
        for d in comparison["differences"]
    ]
    ctx = {"c": comparison, "rows": rows, "diffs": diffs}
    return (
        env.get_template("compare.md.j2").render(**ctx, figures=md_figures or []),
        env.get_template("compare.html.j2").render(**ctx, figures=html_figures or []),
    )
