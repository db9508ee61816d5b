"""The comparison report: scenarios side by side and their paired differences."""

from __future__ import annotations

from typing import Any

from corridorsim.report.context import cost_cell
from corridorsim.report.templates import templates
from corridorsim.results.comparison import Comparison, Difference
from corridorsim.results.summary import FlowSummary

__all__ = ["render_compare"]


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
    ctx = {"c": comparison.to_json(), "rows": rows, "diffs": diffs}
    return (
        env.get_template("compare.md.j2").render(**ctx, figures=md_figures or []),
        env.get_template("compare.html.j2").render(**ctx, figures=html_figures or []),
    )
