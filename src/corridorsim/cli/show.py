"""What the command line prints: progress bars, KPI tables, comparisons and routes."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from corridorsim.wording import counted, share_interval

if TYPE_CHECKING:  # annotations only: `validate` and `network` need no results code
    from collections.abc import Callable

    from corridorsim.network.graph import CorridorNetwork
    from corridorsim.network.routes import Route
    from corridorsim.results.comparison import Comparison, Difference
    from corridorsim.results.summary import FlowSummary, Summary

__all__ = [
    "Progress",
    "Stages",
    "console",
    "print_compare",
    "print_summary",
    "route_line",
    "route_places",
]


class Progress:
    """A progress bar over replications or runs on a terminal, with the time elapsed
    and the time left; nothing otherwise."""

    def __init__(self, label: str, total: int, enabled: bool):
        self.enabled = enabled
        self.bar = None
        if enabled:
            from rich import progress as rp

            self.bar = rp.Progress(
                rp.TextColumn("{task.description}"),
                rp.BarColumn(),
                rp.MofNCompleteColumn(),
                rp.TimeElapsedColumn(),
                rp.TextColumn("ETA"),
                rp.TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.task = self.bar.add_task(label, total=total)

    def __enter__(self) -> Progress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, done: int, total: int, label: str | None = None) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done, total=total)
            if label is not None:
                self.bar.update(self.task, description=label)


class Stages:
    """A spinner naming the stage the job is in (summary, tables and plots, report) on a
    terminal, so the screen is never silent between the progress bar and the end;
    nothing otherwise. Call it with the stage's name."""

    def __init__(self, enabled: bool, output: Console | None = None):
        self.status = (output or Console(stderr=True)).status("") if enabled else None

    def __enter__(self) -> Stages:
        if self.status is not None:
            self.status.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.status is not None:
            self.status.stop()

    def __call__(self, stage: str) -> None:
        if self.status is not None:
            self.status.update(stage)


def console() -> Console:
    """A console for standard output; off a terminal (pipes, files, CI logs) rich would
    wrap at 80 columns, so it is given 120."""
    return Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 120)


def _days(hours: float | None, ci: float | None = None) -> str:
    if hours is None:
        return "–"
    return f"{hours / 24:.2f}" + (f" ± {ci / 24:.2f}" if ci is not None else "")


def _flow_cells(f: FlowSummary) -> list[str]:
    th, share = f.transit_hours, f.share_within_target
    if th is None or share is None:
        return [f.flow, "0", "–", "–", "–", "–", "–"]
    share_txt = "–" if share.mean is None else f"{share.mean:.0%}"
    if share.low is not None and share.high is not None:
        share_txt += f" ({share_interval(share.low, share.high)})"
    return [
        f.flow,
        f"{f.teu_delivered or 0:,.0f}",
        _days(th.mean, th.mean_ci95),
        _days(th.p50),
        _days(th.p90),
        _days(th.p95),
        share_txt,
    ]


def print_summary(summary: Summary) -> None:
    """The KPI table per flow, each flow's verdict and the warnings."""
    out = console()
    t = summary.target_hours
    table = Table(
        title=f"{summary.scenario}: transit days against {t / 24:g} days "
        f"(p{summary.target_percentile:g}), {counted(summary.replications, 'replication')}, seed "
        f"{summary.seed}"
    )
    for col in ("flow", "TEU delivered / replication", "mean ± 95% CI", "p50", "p90", "p95"):
        table.add_column(col, justify="left" if col == "flow" else "right")
    table.add_column(f"within {t / 24:g} days", justify="right")
    for f in summary.flows:
        table.add_row(*_flow_cells(f))
    out.print(table)
    for f in summary.flows:
        out.print(f"{f.flow}: {f.verdict}")
        from corridorsim.results.reliability import sentence  # results are loaded by now

        closures = sentence(f.reliability)
        if closures is not None:
            out.print(f"{f.flow}: {closures}")
    _print_reach(summary)
    for w in summary.warnings:
        out.print(f"warning: {w}")


def _print_reach(summary: Summary) -> None:
    """Each flow's reach table: p90 days (share within the target) to each place."""
    from corridorsim.report.reach_table import reach_grids  # results are loaded by now

    out = console()
    days = summary.target_hours / 24
    for g in reach_grids(summary):
        table = Table(title=f"{g.flow}: how far in {days:g} days (p90 days, share within)")
        table.add_column("place")
        table.add_column("km", justify="right")
        for c in g.columns:
            table.add_column(c, justify="right")
        for place, km, _why, cells in g.rows:
            table.add_row(place, km, *cells)
        out.print(table)


def print_compare(c: Comparison) -> None:
    """Scenarios side by side, then each paired difference against the baseline."""
    from corridorsim.report.compare import points  # the comparison is made by now
    from corridorsim.report.context import cost_cell

    out = console()
    base = c.baseline
    table = Table(
        title=f"transit days, seed {base.seed}, {counted(base.replications, 'replication')} "
        "each (common random numbers)"
    )
    for col in ("scenario", "flow", "mean ± 95% CI", "p90", "within target", "cost USD/TEU"):
        table.add_column(col, justify="left" if col in ("scenario", "flow") else "right")
    for s in c.summaries:
        for f in s.flows:
            th, share = f.transit_hours, f.share_within_target
            if th is None or share is None:
                table.add_row(s.scenario, f.flow, "–", "–", "–", cost_cell(f))
                continue
            within = "–" if share.mean is None else f"{share.mean:.0%}"
            table.add_row(
                s.scenario,
                f.flow,
                _days(th.mean, th.mean_ci95),
                _days(th.p90),
                within,
                cost_cell(f),
            )
    out.print(table)
    out.print(c.pairs_note)
    for d in c.differences:
        out.print(_difference_line(d, points))
        if d.bottom_line:
            out.print(f"  {d.bottom_line}")
    _print_choices(c, out)
    for w in c.warnings:
        out.print(f"warning: {w}")


def _print_choices(c: Comparison, out: Console) -> None:
    """Per compared pair, each route's generalised cost and the share a shipper would
    give it; or why no share can be given."""
    from corridorsim.report.compare import choice_rows

    cols = {
        "route": "route",
        "freight": "freight USD/TEU",
        "cost": "gen. cost",
        "time": "of it time",
        "reliability": "reliability",
        "share": "share ± 95% CI",
        "range": "over the ranges",
        "teu": "TEU a year",
    }
    for ch in c.choices:
        title = f"route shares, {ch.origin} → {ch.destination}"
        if not ch.routes:
            out.print(f"{title}: {ch.reason}")
            continue
        table = Table(title=f"{title} ({c.choice_params.basis})")
        for key, label in cols.items():
            table.add_column(label, justify="left" if key == "route" else "right", overflow="fold")
        for row in choice_rows(ch):
            table.add_row(*(row[k] for k in cols))
        out.print(table)


def _difference_line(d: Difference, points: Callable[..., str]) -> str:
    """One paired difference against the baseline; a figure that cannot be had is a dash,
    never a zero."""

    def hours(x: float | None) -> str:
        return "–" if x is None else f"{x:+.1f} h"

    ci = d.mean_transit_hours_diff_ci95
    cost = (
        "not compared (a cost is incomplete)"
        if d.cost_usd_per_teu_diff is None
        else f"{d.cost_usd_per_teu_diff:+,.0f} USD/TEU"
    )
    return (
        f"{d.scenario} vs {d.baseline}, {d.flow}: mean transit "
        f"{hours(d.mean_transit_hours_diff)}"
        + (f" (± {ci:.1f})" if ci is not None else "")
        + f", p90 {hours(d.p90_hours_diff)}, within target "
        f"{points(d.share_within_target_diff, d.share_within_target_diff_ci95)}, cost {cost}"
    )


def route_places(r: Route, net: CorridorNetwork, built: dict[str, str]) -> str:
    """A route by place names, with the links the scenario builds marked (as they stand in
    the network file: planned or under construction)."""
    names = " – ".join(net.node(n).name.split(" (")[0] for n in r.nodes)
    here = [leg for leg in r.legs if leg.link.id in built]
    if not here:
        return f"via {names}"
    marked = "; ".join(
        f"{net.node(leg.start).name.split(' (')[0]}–{net.node(leg.end).name.split(' (')[0]} "
        f"({built[leg.link.id].replace('_', ' ')}, built in this scenario)"
        for leg in here
    )
    return f"via {names}\n{'':>6}links not yet operating: {marked}"


def route_line(r: Route) -> str:
    """A route in one line: nodes, km, borders, gauge breaks and transfers."""
    bits = [r.label, f"{r.distance_km:,.0f} km"]
    if r.crossings:
        bits.append("borders: " + ", ".join(f"{c} ({m})" for c, m in r.crossings))
    if r.gauge_breaks:
        bits.append(
            "gauge breaks: "
            + ", ".join(f"{b.node} {b.from_gauge}→{b.to_gauge}" for b in r.gauge_breaks)
        )
    if r.mode_changes:
        bits.append("changes of mode: " + ", ".join(m.node for m in r.mode_changes))
    return "; ".join(bits)
