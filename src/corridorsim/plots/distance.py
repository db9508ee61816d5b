"""Time–distance and cost–distance charts along a flow's route (UNESCAP / CAREC CPMM
style)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from corridorsim.engine.costs import RouteCost
from corridorsim.network.routes import Route
from corridorsim.plots.common import (
    TARGET_COLOR,
    axes,
    footnote,
    source,
    target,
    target_line,
)
from corridorsim.plots.map_labels import place_name
from corridorsim.results.tables import Results
from corridorsim.results.trajectories import cost_distance, route_cost_of, time_distance

__all__ = ["plot_cost_distance", "plot_time_distance", "route_marks"]


def _mark_steps(ax: Axes, td: pd.DataFrame, y_col: str) -> None:
    """Label the vertical steps (borders, terminals, waits) of a distance chart, each
    beside the middle of its step, where the line neither comes in nor goes on: to the
    right, or to the left in the last third of the route, so that it stays in the axes."""
    ys = td[y_col].to_numpy()
    span = (np.nanmax(ys) - np.nanmin(ys)) or 1.0
    far = 2 / 3 * float(np.nanmax(td["km"]))
    prev = 0.0
    for km, kind, label, y in zip(td["km"], td["kind"], td["label"], ys, strict=True):
        if kind != "link" and y - prev > 0.04 * span:
            ax.annotate(
                label,
                xy=(km, (prev + y) / 2),
                xytext=(-4 if km > far else 4, 0),
                textcoords="offset points",
                ha="right" if km > far else "left",
                va="center",
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
    ax.set_title(f"Time–distance: {name} ({route.label})", fontsize=10, pad=38)
    ax.set_xlim(left=-0.01 * float(np.nanmax(x)))  # the waits at the origin stay visible
    ax.set_ylim(bottom=0)
    _name_places(ax, results, route)
    ax.legend(fontsize=8, loc="lower right")  # the time rises to the right: empty below
    ax.grid(alpha=0.3)
    n = td.attrs.get("containers", 0)
    footnote(ax, f"{n} traced containers · " + source(results))
    return ax


def route_marks(route: Route, names: dict[str, str]) -> tuple[list, list]:
    """Along ``route``: ``(km, place)`` at its origin, every border and its end, and
    ``(km, change)`` wherever the mode or the gauge changes (``rail 1,676 → 1,520 mm``,
    ``rail → road``)."""
    places, changes = [(0.0, names[route.origin])], []
    km = 0.0
    prev = None
    for leg in route.legs:
        look = (leg.mode, leg.gauge_mm)
        if prev is not None and look != prev:
            changes.append((km, _change(prev, look)))
        if leg.link.crossing:
            places.append((km + leg.link.km / 2, names[leg.end]))
        km += leg.link.km
        prev = look
    places.append((km, names[route.destination]))
    return places, changes


def _change(a: tuple[str, int | None], b: tuple[str, int | None]) -> str:
    if a[0] == b[0] == "rail":
        return f"rail {a[1]:,} → {b[1]:,} mm"
    return f"{a[0]} → {b[0]}"


def _name_places(ax: Axes, results: Results, route: Route) -> None:
    """The places on a top axis at their km (origin, borders, end), and a dotted line
    with its words where the mode or the gauge changes."""
    net = results.loaded.network
    names = {n: place_name(node.name) for n, node in net.nodes.items()}
    places, changes = route_marks(route, names)
    top = ax.secondary_xaxis("top")
    top.set_xticks([k for k, _ in places], [p for _, p in places], fontsize=7, rotation=35)
    top.tick_params(axis="x", length=3, pad=1)
    for label in top.get_xticklabels():
        label.set_horizontalalignment("left")
    for km, words in changes:
        ax.axvline(km, color="0.45", linestyle=":", linewidth=1, zorder=0)
        ax.annotate(  # at the top, clear of the waits named low down
            words,
            (km, 1.0),
            xycoords=ax.get_xaxis_transform(),
            xytext=(3, -4),
            textcoords="offset points",
            rotation=90,
            fontsize=6.5,
            color="0.3",
            va="top",
        )


def plot_cost_distance(
    results: Results, flow: str | None = None, *, ax: Axes | None = None
) -> Axes:
    """Cumulative cost per TEU (USD) against distance (km) along a flow's route: port
    handling, running cost on links, fees at borders, handling charges at terminals.
    Where no source gives a figure, the chart shows it: a link without a running-cost
    rate is a dotted grey stretch, a fee or charge without a figure a hollow red
    circle, and the title says the total is a lower bound.

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
    km, usd = cd["km"].to_numpy(), cd["cost_usd"].to_numpy()
    missing = cd["missing"].to_numpy(dtype=object) != ""
    running = cd["kind"].to_numpy(dtype=object) == "running"
    unpriced = missing & running  # the row ends a stretch with no rate
    ax.fill_between(km, 0, usd, color="#a1d99b", alpha=0.3)
    ax.plot(*_stretches(km, usd, ~unpriced), color="#31a354", linewidth=1.8, label="known cost")
    if unpriced.any():
        ax.plot(
            *_stretches(km, usd, unpriced),
            color="0.45",
            linewidth=1.6,
            linestyle=":",
            label="no running-cost rate (counted as nothing)",
        )
    unknown = missing & ~running
    if unknown.any():
        ax.plot(
            km[unknown],
            usd[unknown],
            linestyle="none",
            marker="o",
            markersize=7,
            markerfacecolor="white",
            markeredgecolor=TARGET_COLOR,
            markeredgewidth=1.4,
            label="fee or charge with no figure (counted as nothing)",
        )
    cost = route_cost_of(results, name)
    bound = "" if cost.complete else " (known costs only: a lower bound)"
    ax.set_xlabel("distance from the origin (km)")
    ax.set_ylabel("cumulative cost (USD per TEU)")
    ax.set_title(f"Cost–distance: {name}{bound}", fontsize=10)
    ax.set_xlim(left=0)
    # a little room under zero, so a stretch with no rate is not hidden by the axis
    ax.set_ylim(bottom=-0.03 * max(float(usd.max()), 1.0))
    ax.grid(alpha=0.3)
    if missing.any():
        ax.legend(fontsize=8, loc="upper left")
    footnote(ax, _cost_note(cost) + source(results))
    return ax


def _stretches(km: np.ndarray, usd: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, ...]:
    """x and y of the segments ending at the rows in ``keep`` (each from the row
    before), broken with NaN between segments that do not join."""
    xs: list[float] = []
    ys: list[float] = []
    for i in np.flatnonzero(keep[1:]) + 1:
        if not xs or (xs[-1], ys[-1]) != (km[i - 1], usd[i - 1]):
            xs += [np.nan, km[i - 1]] if xs else [km[i - 1]]
            ys += [np.nan, usd[i - 1]] if ys else [usd[i - 1]]
        xs.append(km[i])
        ys.append(usd[i])
    return np.asarray(xs), np.asarray(ys)


def _cost_note(cost: RouteCost) -> str:
    """The footnote's account of the cost: where the rates come from, and what no
    source gives."""
    note = "running costs: the network's rates per TEU-km (built-in: CAREC CPMM)"
    lacks = cost.lacks(links=False)
    if lacks:
        note += "; the cost lacks " + ", ".join(lacks)
    return note + " · "
