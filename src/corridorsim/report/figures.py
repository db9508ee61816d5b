"""Drawing the plots of a run or a comparison into a folder (PNG and SVG)."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from matplotlib.axes import Axes

from corridorsim import plots
from corridorsim.results.tables import Results

__all__ = ["Figure", "draw_compare_plots", "draw_run_plots"]


@dataclass(frozen=True)
class Figure:
    """A drawn plot: its title, and its files relative to the output folder."""

    title: str
    png: str
    svg: str

    def data_uri(self, folder: Path) -> str:
        """The PNG inlined, so report.html needs no other file."""
        raw = (folder / self.png).read_bytes()
        return "data:image/png;base64," + base64.b64encode(raw).decode("ascii")


def _draw(folder: Path, name: str, title: str, make: Callable[[], Axes]) -> Figure:
    (folder / "plots").mkdir(parents=True, exist_ok=True)
    ax = make()
    plots.save(ax, str(folder / "plots" / name))
    return Figure(title, f"plots/{name}.png", f"plots/{name}.svg")


def draw_run_plots(results: Results, folder: Path) -> list[Figure]:
    """Every plot of one scenario: transit CDF, breakdown, time– and cost–distance per
    flow, the corridor map, and queues over time."""
    figs = [
        _draw(
            folder,
            "transit_cdf",
            "Transit time against the target",
            lambda: plots.plot_transit_cdf(results),
        ),
        _draw(folder, "breakdown", "Where the time goes", lambda: plots.plot_breakdown(results)),
    ]
    delivered = set(results.delivered["flow"])
    for flow in results.loaded.scenario.demand:
        if flow.name not in delivered:
            continue
        figs.append(
            _draw(
                folder,
                f"time_distance_{flow.name}",
                f"Time–distance: {flow.name}",
                partial(plots.plot_time_distance, results, flow.name),
            )
        )
        figs.append(
            _draw(
                folder,
                f"cost_distance_{flow.name}",
                f"Cost–distance: {flow.name}",
                partial(plots.plot_cost_distance, results, flow.name),
            )
        )
    figs.append(
        _draw(folder, "corridor_map", "Corridor map", lambda: plots.plot_corridor_map(results))
    )
    figs.append(_draw(folder, "queues", "Queues over time", lambda: plots.plot_resources(results)))
    return figs


def draw_compare_plots(all_results: Sequence[Results], folder: Path) -> list[Figure]:
    """Box plots per flow across scenarios, and the breakdown side by side."""
    figs = []
    for flow in all_results[0].loaded.scenario.demand:
        if all(flow.name in set(r.delivered["flow"]) for r in all_results):
            figs.append(
                _draw(
                    folder,
                    f"comparison_{flow.name}",
                    f"Scenarios: {flow.name}",
                    partial(plots.plot_comparison, all_results, flow=flow.name),
                )
            )
    figs.append(
        _draw(
            folder,
            "breakdown",
            "Where the time goes, by scenario",
            lambda: plots.plot_breakdown(all_results),
        )
    )
    return figs
