"""Time–distance and cost–distance charts along a flow's route (UNESCAP / CAREC CPMM
style)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from corridorsim.plots.common import axes, footnote, source, target, target_line
from corridorsim.results.tables import Results
from corridorsim.results.trajectories import cost_distance, time_distance

__all__ = ["plot_cost_distance", "plot_time_distance"]


def _mark_steps(ax: Axes, td: pd.DataFrame, y_col: str) -> None:
    """Label the vertical steps (borders, terminals, waits) of a distance chart."""
    ys = td[y_col].to_numpy()
    span = (np.nanmax(ys) - np.nanmin(ys)) or 1.0
    prev = 0.0
    for km, kind, label, y in zip(td["km"], td["kind"], td["label"], ys, strict=True):
        if kind != "link" and y - prev > 0.04 * span:
            ax.annotate(
                label,
                xy=(km, y),
                xytext=(4, -2),
                textcoords="offset points",
                fontsize=6.5,
                color="0.25",
            )
        prev = y


def plot_time_distance(
    results: Results, flow: str | None = None, *, ax: Axes | None = None
) -> Axes:
    """Cumulative distance (km) against cumulative time (days) along a flow's route, in
    the form of UNESCAP time/cost–distance and CAREC CPMM charts: steps at borders,
    breaks of gauge and waits; the median path with its 10th–90th percentile band.

    Parameters
    ----------
    results : Results
    flow : str, optional
        The flow (default: the first); its main route is drawn.
    ax : Axes, optional

    Returns
    -------
    Axes
        The axes drawn on (``ax``, or those of a new figure made without pyplot).
    """
    ax = axes(ax, (9, 5.5))
    name = flow or results.loaded.scenario.demand[0].name
    td = time_distance(results, name)
    x = td["km"].to_numpy()
    ax.fill_between(
        x, td["q10"] / 24, td["q90"] / 24, color="#9ecae1", alpha=0.5, label="10th–90th percentile"
    )
    ax.plot(x, td["q50"] / 24, color="#08519c", linewidth=1.8, label="median container")
    target_h, _ = target(results)
    target_line(ax, target_h, vertical=False)
    _mark_steps(ax, td.assign(q50d=td["q50"] / 24), "q50d")
    ax.set_xlabel("distance from the origin (km)")
    ax.set_ylabel("time since the container reached its origin (days)")
    route = results.loaded.routes[name]
    ax.set_title(f"Time–distance: {name} ({route.label})", fontsize=10)
    ax.set_xlim(left=-0.01 * float(np.nanmax(x)))  # the waits at the origin stay visible
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    n = td.attrs.get("containers", 0)
    footnote(ax, f"{n} traced containers · " + source(results))
    return ax


def plot_cost_distance(
    results: Results, flow: str | None = None, *, ax: Axes | None = None
) -> Axes:
    """Cumulative cost per TEU (USD) against distance (km) along a flow's route: running
    cost on links, fees at borders, handling charges at terminals.

    Parameters
    ----------
    results : Results
    flow : str, optional
        The flow (default: the first); its main route is drawn.
    ax : Axes, optional

    Returns
    -------
    Axes
        The axes drawn on (``ax``, or those of a new figure made without pyplot).
    """
    ax = axes(ax, (9, 5))
    name = flow or results.loaded.scenario.demand[0].name
    cd = cost_distance(results, name)
    ax.plot(cd["km"], cd["cost_usd"], color="#31a354", linewidth=1.8)
    ax.fill_between(cd["km"], 0, cd["cost_usd"], color="#a1d99b", alpha=0.3)
    ax.set_xlabel("distance from the origin (km)")
    ax.set_ylabel("cumulative cost (USD per TEU)")
    ax.set_title(f"Cost–distance: {name}", fontsize=10)
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    footnote(
        ax,
        "running costs from CPMM (USD per 500 km per 20 t); no figure for "
        "Pakistan and Afghanistan rail · " + source(results),
    )
    return ax
