"""The comparison report: scenarios side by side and their paired differences."""

from __future__ import annotations

from typing import Any

from corridorsim.report.context import cost_cell
from corridorsim.report.templates import templates
from corridorsim.results.choice import PairChoice
from corridorsim.results.comparison import Comparison, Difference
from corridorsim.results.summary import FlowSummary

__all__ = ["choice_rows", "render_compare"]


def _row(scenario: str, f: FlowSummary) -> dict[str, str]:
    t = f.transit_hours
    share = f.share_within_target
    return {
        "scenario": scenario,
        "flow": f.flow,
        "route": f.route,
        "mean": f"{t.mean / 24:.2f}" if t and t.mean is not None else "–",
        "ci": f"{t.mean_ci95 / 24:.2f}" if t and t.mean_ci95 is not None else "–",
        "p90": f"{t.p90 / 24:.2f}" if t and t.p90 is not None else "–",
        "share": f"{share.mean:.0%}" if share and share.mean is not None else "–",
        "cost": cost_cell(f),
        "verdict": f.verdict,
    }


def _diff(d: Difference) -> dict[str, Any]:
    def signed(x: float | None, fmt: str) -> str:
        return "–" if x is None else format(x, fmt)

    return {
        "scenario": d.scenario,
        "flow": d.flow,
        "mean": signed(d.mean_transit_hours_diff, "+.1f"),
        "ci": signed(d.mean_transit_hours_diff_ci95, ".1f"),
        "p90": signed(d.p90_hours_diff, "+.1f"),
        "share": points(d.share_within_target_diff, d.share_within_target_diff_ci95),
        "cost": signed(d.cost_usd_per_teu_diff, "+,.0f"),
        "bottom_line": d.bottom_line,
    }


def choice_rows(ch: PairChoice) -> list[dict[str, str]]:
    """A pair's routes as table cells: freight (quoted or built up), generalised cost
    and its time and reliability parts (USD per TEU), the share with its 95% interval,
    its range over the parameters' ranges, and the TEU a year it would win."""
    rows = []
    for r in ch.routes:
        ci = "" if r.share_ci95 is None else f" ± {r.share_ci95:.1%}"
        rows.append(
            {
                "route": f"{r.scenario}/{r.flow}",
                "freight": f"{r.freight_usd_per_teu:,.0f}" + (" (quoted)" if r.quoted else ""),
                "cost": f"{r.generalised_cost_usd_per_teu:,.0f}",
                "time": f"{r.time_cost_usd_per_teu:,.0f}",
                "reliability": f"{r.reliability_cost_usd_per_teu:,.0f}",
                "share": f"{r.share:.1%}{ci}",
                "range": f"{r.share_low:.0%}–{r.share_high:.0%}",
                "teu": "–" if r.teu_per_year is None else f"{r.teu_per_year:,.0f}",
            }
        )
    return rows


def points(diff: float | None, ci: float | None = None) -> str:
    """A difference of two shares in percentage points (``+12.5 pp ± 3.0``): not in
    percent, which would read as relative."""
    if diff is None:
        return "–"
    text = f"{diff * 100:+.1f} pp"
    return text if ci is None else f"{text} ± {ci * 100:.1f}"


def render_compare(
    comparison: Comparison,
    md_figures: list[dict[str, str]] | None = None,
    html_figures: list[dict[str, str]] | None = None,
) -> tuple[str, str]:
    """The comparison report as Markdown and as HTML (with the given figures)."""
    env = templates()
    rows = [_row(s.scenario, f) for s in comparison.summaries for f in s.flows]
    diffs = [_diff(d) for d in comparison.differences]
    choices = [
        {
            "title": f"{ch.origin} → {ch.destination}",
            "reason": ch.reason,
            "rows": choice_rows(ch),
        }
        for ch in comparison.choices
    ]
    ctx = {
        "c": comparison.to_json(),
        "rows": rows,
        "diffs": diffs,
        "choices": choices,
        "basis": comparison.choice_params.basis,
    }
    return (
        env.get_template("compare.md.j2").render(**ctx, figures=md_figures or []),
        env.get_template("compare.html.j2").render(**ctx, figures=html_figures or []),
    )
