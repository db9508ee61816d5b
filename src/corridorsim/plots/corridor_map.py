"""The corridor map: the network on longitude/latitude over country outlines.

Outlines come from ``data/borders.json`` (Natural Earth 1:110m, public domain, clipped
to the region; see ``scripts/make_borders.py``), shipped with the package and drawn
with matplotlib alone: nothing is downloaded and no mapping toolkit is needed.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon
from matplotlib.text import Text

from corridorsim.network.graph import CorridorNetwork
from corridorsim.plots.common import axes, footnote
from corridorsim.plots.map_labels import label_places, place_name
from corridorsim.results.tables import Results
from corridorsim.scenario.loader import LoadedScenario

__all__ = ["country_outlines", "place_name", "plot_corridor_map"]

STATUS_STYLE: dict[str, Any] = {
    "operating": "-",
    "under_construction": (0, (5, 2)),
    "planned": (0, (1, 2)),
}
STATUS_COLOR = {"operating": "#252525", "under_construction": "#e6550d", "planned": "#de2d26"}
GAUGE_WIDTH = {1676: 2.6, 1520: 1.8, 1435: 1.1}
GAUGE_COLOR = {1676: "#252525", 1520: "#54278f", 1435: "#8c510a"}
"""Operating rail by gauge: width and colour both differ (a width alone is hard to read)."""
ROAD_COLOR = "#74a9cf"
SEA_LANE_COLOR = "#0570b0"
CROSSING_COLOR = "#08519c"
LAND, SEA, BORDER = "#f4f1ea", "#dbe9f4", "0.55"

Box = tuple[float, float, float, float]


@cache
def country_outlines() -> dict[str, Any]:
    """The shipped outlines: ``{"source", "box", "countries": [{"name", "iso_a3",
    "rings": [[[lon, lat], ...], ...]}]}``."""
    text = (resources.files("corridorsim") / "data" / "borders.json").read_text(encoding="utf-8")
    return json.loads(text)


def plot_corridor_map(
    scenario: Results | LoadedScenario,
    *,
    ax: Axes | None = None,
    borders: bool = True,
    highlight: bool = True,
) -> Axes:
    """The network on longitude/latitude: links by mode, status and gauge; border
    crossings marked; each flow's route highlighted; country outlines and names; places
    named (placed apart so that no labels overlap), a 500 km scale and a 5° graticule.

    Parameters
    ----------
    scenario : Results or LoadedScenario
    ax : Axes, optional
    borders : bool
        Draw country outlines (else a schematic with the countries named).
    highlight : bool
        Shade each flow's route.

    Returns
    -------
    Axes
        The axes drawn on (``ax``, or those of a new figure made without pyplot).
    """
    loaded = scenario.loaded if isinstance(scenario, Results) else scenario
    net = loaded.network
    ax = axes(ax, (10, 8))
    lons = [n.lon for n in net.nodes.values()]
    lats = [n.lat for n in net.nodes.values()]
    box = (min(lons) - 2, max(lons) + 2, min(lats) - 1.5, max(lats) + 1.5)
    countries = _draw_countries(ax, box) if borders else _name_node_countries(ax, net)
    if highlight:
        _draw_routes(ax, loaded)
    _draw_links(ax, net)
    _draw_nodes(ax, net)
    _draw_crossings(ax, net)
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_aspect(1 / np.cos(np.radians(np.mean(box[2:]))))
    _scale_and_graticule(ax, box)
    label_places(ax, loaded, countries, halo=LAND)
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    ax.set_title(f"Corridor network and routes: scenario {loaded.scenario.name}")
    handles, _ = ax.get_legend_handles_labels()
    flows = handles[: len(loaded.scenario.demand)] if highlight else []
    ax.legend(handles=_legend() + flows, fontsize=7, loc="lower left")
    note = (
        "country outlines: Natural Earth 1:110m (public domain)"
        if borders
        else "schematic: countries named, outlines not drawn"
    )
    footnote(ax, f"{note} · statuses as built by scenario {loaded.scenario.name}")
    return ax


def _draw_countries(ax: Axes, box: Box) -> list[Text]:
    """Land over sea, country outlines, and the name of each country with room for it
    in the view, at the centroid of its largest piece there (the names returned)."""
    ax.set_facecolor(SEA)
    lo, hi = np.array([box[0], box[2]]), np.array([box[1], box[3]])
    outlines: list[Polygon] = []
    names: list[Text] = []
    for c in country_outlines()["countries"]:
        pieces = []
        for ring in c["rings"]:
            pts = np.asarray(ring)
            outlines.append(Polygon(pts, closed=True))
            pieces.append(np.clip(pts, lo, hi))  # its part in the view (outline clamped)
        area, x, y = max(_centroid(p) for p in pieces)
        margin = 1.0  # degrees: a name on the frame would be cut
        if (
            area > 6.0
            and lo[0] + margin < x < hi[0] - margin
            and lo[1] + margin < y < hi[1] - margin
        ):
            name = ax.annotate(
                c["name"],
                (x, y),
                fontsize=11,
                color="0.6",
                ha="center",
                va="center",
                zorder=0.5,
                fontweight="bold",
                fontstyle="italic",
            )
            names.append(name)
    # one collection (the view is set from the network, not from the outlines)
    land = PatchCollection(outlines, facecolor=LAND, edgecolor=BORDER, linewidth=0.6, zorder=0)
    ax.add_collection(land, autolim=False)
    return names


def _centroid(pts: np.ndarray) -> tuple[float, float, float]:
    """Area (square degrees) and centroid of a polygon (shoelace formula)."""
    x, y = pts[:, 0], pts[:, 1]
    xn, yn = np.roll(x, -1), np.roll(y, -1)
    cross = x * yn - xn * y
    a = cross.sum() / 2
    if abs(a) < 1e-12:
        return 0.0, float(x.mean()), float(y.mean())
    return (
        abs(a),
        float(((x + xn) * cross).sum() / (6 * a)),
        float(((y + yn) * cross).sum() / (6 * a)),
    )


def _name_node_countries(ax: Axes, net: CorridorNetwork) -> list[Text]:
    """Without outlines: each country's code at the middle of its nodes (returned)."""
    by_country: dict[str, list[tuple[float, float]]] = {}
    for n in net.nodes.values():
        by_country.setdefault(n.country, []).append((n.lon, n.lat))
    names: list[Text] = []
    for country, pts in by_country.items():
        x, y = np.mean(pts, axis=0)
        name = ax.annotate(
            country,
            (x, y),
            fontsize=16,
            color="0.75",
            ha="center",
            va="center",
            zorder=0,
            fontweight="bold",
        )
        names.append(name)
    return names


def _draw_routes(ax: Axes, loaded: LoadedScenario) -> None:
    """Each flow's route as an opaque pale band, each narrower than the one before, so
    that where routes overlap every one shows its own colour (nested bands) rather than
    a blend that matches no legend entry."""
    from matplotlib.colors import to_rgb

    net = loaded.network
    for i, flow in enumerate(loaded.scenario.demand):
        route = loaded.routes[flow.name]
        pale = tuple(0.45 * c + 0.55 for c in to_rgb(f"C{i % 10}"))
        ax.plot(
            [net.nodes[n].lon for n in route.nodes],
            [net.nodes[n].lat for n in route.nodes],
            color=pale,
            linewidth=max(ROUTE_WIDTH - ROUTE_STEP * i, ROUTE_STEP),
            solid_capstyle="round",
            solid_joinstyle="round",
            zorder=1 + i / 100,
            label=f"route: {flow.name}",
        )


ROUTE_WIDTH, ROUTE_STEP = 13.0, 3.5
"""The first route's band width (points), and how much narrower each next one is."""


def _draw_links(ax: Axes, net: CorridorNetwork) -> None:
    """Links grouped by how they look, one collection a group (cheaper to draw than a
    line each)."""
    groups: dict[tuple[Any, ...], list[list[tuple[float, float]]]] = {}
    for link in net.links.values():
        a, b = net.nodes[link.a], net.nodes[link.b]
        if link.mode == "rail":
            operating = link.status == "operating"
            style: tuple[Any, ...] = (
                GAUGE_COLOR.get(link.gauge_mm or 0, STATUS_COLOR["operating"])
                if operating
                else STATUS_COLOR[link.status],
                STATUS_STYLE[link.status],
                GAUGE_WIDTH.get(link.gauge_mm or 0, 1.5),
                3,
                0.35 if link.closed else 1.0,
            )
        elif link.mode == "sea":
            style = (SEA_LANE_COLOR, (0, (1, 2)), 1.4, 2, 1.0)
        else:
            style = (ROAD_COLOR, (0, (3, 2)), 0.9, 2, 1.0)
        groups.setdefault(style, []).append([(a.lon, a.lat), (b.lon, b.lat)])
    for (color, linestyle, width, z, alpha), segments in groups.items():
        ax.add_collection(
            LineCollection(
                segments,
                colors=color,
                linestyles=linestyle,
                linewidths=width,
                zorder=z,
                alpha=alpha,
            ),
            autolim=True,
        )


def _draw_nodes(ax: Axes, net: CorridorNetwork) -> None:
    nodes = list(net.nodes.values())
    ax.scatter(
        [n.lon for n in nodes],
        [n.lat for n in nodes],
        s=12,
        c="white",
        edgecolors="0.2",
        linewidths=0.8,
        zorder=4,
    )


def _scale_and_graticule(ax: Axes, box: Box) -> None:
    """A 500 km scale bar at the bottom right and a 5° graticule."""
    ax.set_xticks(np.arange(np.ceil(box[0] / 5) * 5, box[1], 5))
    ax.set_yticks(np.arange(np.ceil(box[2] / 5) * 5, box[3], 5))
    ax.grid(color="0.5", alpha=0.25, linewidth=0.5)
    lat = box[2] + 0.8
    km_per_degree = 111.32 * np.cos(np.radians(lat))
    length = 500 / km_per_degree
    x1 = box[1] - 1.0
    ax.plot([x1 - length, x1], [lat, lat], color="0.15", linewidth=2.5, zorder=8)
    ax.annotate(
        "500 km",
        (x1 - length / 2, lat),
        xytext=(0, 4),
        textcoords="offset points",
        ha="center",
        fontsize=7,
        zorder=8,
    )


def _draw_crossings(ax: Axes, net: CorridorNetwork) -> None:
    """A mark at each crossing (its posts are named as places)."""
    seen: set[str] = set()
    for link in net.links.values():
        if not link.crossing or link.crossing in seen:
            continue
        seen.add(link.crossing)
        a, b = net.nodes[link.a], net.nodes[link.b]
        crossing = net.crossings[link.crossing]
        ax.plot(
            (a.lon + b.lon) / 2,
            (a.lat + b.lat) / 2,
            marker="X",
            markersize=8,
            color="#cb181d" if crossing.closed else CROSSING_COLOR,
            markeredgecolor="white",
            zorder=6,
        )


def _legend() -> list[Line2D]:
    return [
        *(
            Line2D([], [], color=GAUGE_COLOR[g], linewidth=GAUGE_WIDTH[g], label=f"rail {g:,} mm")
            for g in (1676, 1520, 1435)
        ),
        *(
            Line2D(
                [], [], color=STATUS_COLOR[s], linestyle=STATUS_STYLE[s], label=s.replace("_", " ")
            )
            for s in ("under_construction", "planned")
        ),
        Line2D([], [], color=ROAD_COLOR, linestyle=(0, (3, 2)), label="road"),
        Line2D([], [], color=SEA_LANE_COLOR, linestyle=(0, (1, 2)), label="sea"),
        Line2D([], [], marker="X", linestyle="", color=CROSSING_COLOR, label="border crossing"),
    ]
