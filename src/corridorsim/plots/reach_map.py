"""Where five days get you: a flow's route on the map, coloured by how far its
containers have got within the target (median and nine in ten), with the places on
the route marked by the days it takes to reach them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon

from corridorsim.plots.common import axes, footnote, source, target
from corridorsim.plots.corridor_map import country_outlines
from corridorsim.results.reach import BASIS_TEXT, basis_times, reach_places
from corridorsim.results.tables import Results
from corridorsim.results.trajectories import RoutePoint

__all__ = ["plot_reach", "target_position"]

Coords = dict[str, tuple[float, float]]
"""Longitude and latitude of each node."""

WITHIN_P90, WITHIN_P50, BEYOND = "#1a9850", "#a6d96a", "0.65"
LAND, SEA, BORDER = "#f4f1ea", "#dbe9f4", "0.6"


@dataclass(frozen=True)
class Position:
    """Where containers are when the target runs out: longitude, latitude and the
    route's km (the origin if none has left it, the end if all have arrived)."""

    lon: float
    lat: float
    km: float


def target_position(
    points: list[RoutePoint],
    hours: np.ndarray,
    target_hours: float,
    coords: Coords,
    origin: str,
) -> Position:
    """The point of the route reached after ``target_hours`` on a path that takes
    ``hours`` (one value per route point, never decreasing): along the straight line
    between two places where the time runs out while running, at a place where it runs
    out while waiting there."""
    links = [(p, h) for p, h in zip(points, hours, strict=True) if p.kind == "link"]
    start = coords[origin]
    prev_km, prev_h, prev_xy = 0.0, float(hours[0]), start
    if prev_h > target_hours or np.isnan(prev_h):
        return Position(start[0], start[1], 0.0)
    for j, p in enumerate(points):
        h = float(hours[j])
        if np.isnan(h):
            continue
        if p.kind != "link":
            if h > target_hours:  # runs out waiting at the last place reached
                return Position(prev_xy[0], prev_xy[1], prev_km)
            prev_h = h
            continue
        xy = coords[p.label]
        if h > target_hours:
            f = (target_hours - prev_h) / (h - prev_h) if h > prev_h else 0.0
            return Position(
                prev_xy[0] + f * (xy[0] - prev_xy[0]),
                prev_xy[1] + f * (xy[1] - prev_xy[1]),
                prev_km + f * (p.km - prev_km),
            )
        prev_km, prev_h, prev_xy = p.km, h, xy
    end = links[-1][0] if links else points[0]
    lon, lat = coords.get(end.label, start)
    return Position(lon, lat, end.km)


def plot_reach(
    results: Results,
    flow: str | None = None,
    *,
    basis: str = "arrival",
    ax: Axes | None = None,
) -> Axes:
    """The flow's main route on the map: green as far as nine containers in ten get
    within the target, light green as far as half of them do, grey beyond; a star where
    each runs out; each place the reach table names, with its p50 and p90 days.

    Parameters
    ----------
    results : Results
    flow : str, optional
        The flow (default: the first).
    basis : {"arrival", "gate", "origin_border"}
        Where the days are counted from (see :mod:`corridorsim.results.reach`).
    ax : Axes, optional
    """
    flow = flow or results.loaded.scenario.demand[0].name
    target_h, _ = target(results)
    points, since = basis_times(results, flow, basis)
    net = results.loaded.network
    coords = {n: (node.lon, node.lat) for n, node in net.nodes.items()}
    ax = axes(ax, (10, 7.5))
    origin = next(f.origin for f in results.loaded.scenario.demand if f.name == flow)
    route = [coords[origin], *(coords[p.label] for p in points if p.kind == "link")]
    box = _box(np.asarray(route))
    _background(ax, box)
    ax.plot(*zip(*route, strict=True), color=BEYOND, linewidth=5, solid_capstyle="round", zorder=2)
    if len(since):
        for q, color, width in ((50, WITHIN_P50, 7), (90, WITHIN_P90, 4)):
            path = np.nanpercentile(np.nan_to_num(since, nan=0.0), q, axis=0)
            stop = target_position(points, path, target_h, coords, origin)
            _draw_within(ax, points, path, target_h, route[0], coords, stop, color, width)
            ax.plot(
                stop.lon,
                stop.lat,
                marker="*",
                markersize=16,
                color=color,
                markeredgecolor="black",
                zorder=5,
            )
        _label_places(ax, results, flow, points, since, coords)
    days = target_h / 24
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_aspect(1 / np.cos(np.radians(np.mean(box[2:]))))
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    counted = BASIS_TEXT[basis]
    if basis == "arrival" and not any(p.kind == "port" for p in points):
        counted = "from the origin"  # not a port: nothing to arrive by
    ax.annotate(
        f"start: {net.nodes[origin].name}",
        route[0],
        xytext=(6, -12),
        textcoords="offset points",
        fontsize=7.5,
        fontweight="bold",
        zorder=7,
    )
    ax.set_title(f"Where {days:g} days get you: {flow}, counted {counted}")
    ax.legend(handles=_legend(days), fontsize=8, loc="lower left")
    footnote(ax, source(results) + " · the traced containers of the flow, on its main route")
    return ax


def _box(route: np.ndarray) -> tuple[float, float, float, float]:
    lo, hi = route.min(axis=0), route.max(axis=0)
    return (lo[0] - 3, hi[0] + 3, lo[1] - 2, hi[1] + 2)


def _background(ax: Axes, box: tuple[float, float, float, float]) -> None:
    ax.set_facecolor(SEA)
    shapes = [
        Polygon(np.asarray(ring), closed=True)
        for c in country_outlines()["countries"]
        for ring in c["rings"]
    ]
    ax.add_collection(
        PatchCollection(shapes, facecolor=LAND, edgecolor=BORDER, linewidth=0.6, zorder=0)
    )
    ax.grid(True, color="white", linewidth=0.5, zorder=0.5)


def _draw_within(
    ax: Axes,
    points: list[RoutePoint],
    path: np.ndarray,
    target_h: float,
    start: tuple[float, float],
    coords: Coords,
    stop: Position,
    color: str,
    width: float,
) -> None:
    """The route from the origin to ``stop``: every place reached within the target."""
    line = [start]
    for p, h in zip(points, path, strict=True):
        if p.kind == "link" and h <= target_h:
            line.append(coords[p.label])
    line.append((stop.lon, stop.lat))
    ax.plot(
        *zip(*line, strict=True),
        color=color,
        linewidth=width,
        solid_capstyle="round",
        zorder=3 if width > 5 else 4,
    )


def _label_places(
    ax: Axes,
    results: Results,
    flow: str,
    points: list[RoutePoint],
    since: np.ndarray,
    coords: Coords,
) -> None:
    for place in reach_places(results, flow, points):
        column = since[:, place.point]
        column = column[~np.isnan(column)]
        x, y = coords[place.node]
        ax.plot(x, y, "o", color="black", markersize=4, zorder=6)
        if len(column) == 0:
            continue
        p50, p90 = np.percentile(column, [50, 90]) / 24
        ax.annotate(
            f"{place.name}\np50 {p50:.1f} d · p90 {p90:.1f} d",
            (x, y),
            xytext=(6, 4),
            textcoords="offset points",
            fontsize=7.5,
            zorder=7,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.8, "lw": 0},
        )


def _legend(days: float) -> list[Line2D]:
    return [
        Line2D([], [], color=WITHIN_P90, linewidth=4, label=f"nine in ten reach it in {days:g} d"),
        Line2D([], [], color=WITHIN_P50, linewidth=7, label=f"half reach it in {days:g} d"),
        Line2D([], [], color=BEYOND, linewidth=5, label=f"beyond {days:g} days"),
        Line2D(
            [],
            [],
            marker="*",
            color="white",
            markeredgecolor="black",
            markersize=12,
            label=f"where {days:g} days run out (p50, p90)",
        ),
    ]
