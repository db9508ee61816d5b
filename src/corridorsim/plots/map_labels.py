"""Naming places on the corridor map: labels moved apart by adjustText, thin leaders to
where they started, and country names moved from under them."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import IdentityTransform

from corridorsim.network.graph import CorridorNetwork
from corridorsim.scenario.loader import LoadedScenario

__all__ = ["ITERATIONS", "Leader", "label_places", "place_name"]


ITERATIONS = 100
"""Steps of adjustText's label placement (enough to settle the built-in network)."""


def place_name(name: str) -> str:
    """A node's name as the map shows it: without the parenthesis (``Karachi Port``)."""
    return name.split(" (")[0]


def label_places(ax: Axes, loaded: LoadedScenario, countries: list[Text], halo: str) -> None:
    """Names (not codes) of the places on the routes (bold), the ports and the cities,
    moved apart by adjustText so that no two overlap, each with a thin leader to its
    point when moved (other places are unnamed dots; the report lists every code); then
    a country's name under a place's is moved clear of them."""
    from adjustText import adjust_text  # only the map pays for importing it

    net = loaded.network
    on_route = {n for r in loaded.routes.values() for n in r.nodes}
    shown = [n for n in net.nodes.values() if n.id in on_route or n.kind in ("port", "city")]
    ports = {n.id for n in shown if n.kind == "port"}
    groups = _uncrowded(
        _label_groups(shown, on_route), _label_groups([n for n in shown if n.id in ports], set())
    )
    texts = [
        ax.text(
            lon + 0.15,  # starting beside its point, not on it
            lat + 0.1,
            label,
            fontsize=6.5,
            fontweight="bold" if routed else "normal",
            color="0.1" if routed else "0.35",
            zorder=7,
            path_effects=[patheffects.withStroke(linewidth=2.2, foreground=halo)],
        )
        for lon, lat, label, routed in groups
    ]
    points = [(n.lon, n.lat) for n in net.nodes.values()]
    points += [_midpoint(net, cid) for cid in net.crossings]
    xy = np.array(points)
    starts = [t.get_position() for t in texts]
    adjust_text(
        texts,
        ax=ax,
        x=xy[:, 0],
        y=xy[:, 1],
        expand=(1.2, 1.5),
        force_static=(0.4, 0.6),
        iter_lim=ITERATIONS,  # a fixed number, not a time limit: the same map every time
        # its swapping of labels whose leaders cross is a Python loop over every pair at
        # every step (a quarter of the map's drawing time); no built-in scenario's map
        # has crossing leaders without it (tested)
        prevent_crossings=False,
    )
    for text, start in zip(texts, starts, strict=True):
        ax.add_line(Leader(text, start))
    _clear_names(ax, countries, texts)


STEPS = [(dx, dy) for dy in (0, -1, 1, -2, 2, -3, 3) for dx in (0, -1, 1, -2, 2)]
"""Where a country's name may go, in steps of half its width and its height from where it
was put, nearest first."""


def _clear_names(ax: Axes, names: list[Text], labels: list[Text]) -> None:
    """Move each country name that a place's label covers to the nearest of
    :data:`STEPS` that no label covers and that is inside the frame (or leave it)."""
    taken = [t.get_window_extent() for t in labels]
    frame = ax.get_window_extent()
    to_data = ax.transData.inverted()
    for name in names:
        box = name.get_window_extent()
        if not any(box.overlaps(b) for b in taken):
            continue
        for dx, dy in STEPS:
            moved = box.translated(dx * box.width / 2, dy * box.height)
            inside = frame.contains(moved.x0, moved.y0) and frame.contains(moved.x1, moved.y1)
            if inside and not any(moved.overlaps(b) for b in taken):
                centre = ((moved.x0 + moved.x1) / 2, (moved.y0 + moved.y1) / 2)
                name.set_position(tuple(to_data.transform(centre)))  # centred on it
                break


class Leader(Line2D):
    """A thin line from a label to where it started (beside its point), drawn from the
    edge of the label's box, when the label was moved away: found when drawn, so it
    holds whatever the final layout."""

    SHORTEST = 3.6
    """Points: a label whose box is closer than this to its start in x or in y needs no
    leader (adjustText's 5 pixels at 100 dpi)."""
    GAP = 2.0
    """Points left free at both ends."""

    def __init__(self, text: Text, start: tuple[float, float]) -> None:
        super().__init__([], [], color="0.45", linewidth=0.4, zorder=1)  # under the links
        self.set_transform(IdentityTransform())  # its ends are found in display units
        self._text_artist, self._start = text, start

    def draw(self, renderer: RendererBase) -> None:
        assert self.axes is not None
        box = self._text_artist.get_window_extent(renderer)
        tx, ty = self.axes.transData.transform(self._start)
        cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
        dx, dy = tx - cx, ty - cy
        near = max(min(abs(tx - box.x0), abs(tx - box.x1)), min(abs(ty - box.y0), abs(ty - box.y1)))
        if near < _pixels(renderer, self.SHORTEST):
            return
        # where the line from the box's centre to the start leaves the box
        leave = min(
            box.width / 2 / abs(dx) if dx else np.inf, box.height / 2 / abs(dy) if dy else np.inf
        )
        length = float(np.hypot(dx, dy))
        gap = _pixels(renderer, self.GAP) / length if length else 1.0
        if leave + 2 * gap >= 1:  # the start is at (or inside) the label
            return
        a, b = leave + gap, 1 - gap
        self.set_data([cx + a * dx, cx + b * dx], [cy + a * dy, cy + b * dy])
        super().draw(renderer)


def _pixels(renderer: RendererBase, points: float) -> float:
    return float(np.asarray(renderer.points_to_pixels(points), dtype=float))


def _label_groups(nodes: list[Any], on_route: set[str]) -> list[tuple[float, float, str, bool]]:
    """One label per place: nodes at the same point (a border station pair such as
    Serhetyaka and Bolashak) or of the same name close together (the two Torkham posts)
    share a label, ``A / B``, at their middle."""
    groups: list[list[Any]] = []
    for n in nodes:
        for g in groups:
            near = min(abs(n.lon - m.lon) + abs(n.lat - m.lat) for m in g)
            same = place_name(n.name) in {place_name(m.name) for m in g}
            if near < 0.05 or (same and near < 0.6):
                g.append(n)
                break
        else:
            groups.append([n])
    return [
        (
            float(np.mean([n.lon for n in g])),
            float(np.mean([n.lat for n in g])),
            " / ".join(dict.fromkeys(place_name(n.name) for n in g)),
            any(n.id in on_route for n in g),
        )
        for g in groups
    ]


SPACING_DEGREES = 0.8
"""A place off the scenario's routes is named only this far (about 80 km) from every
place named before it: around Kabul, Peshawar and Logar the small places crowd."""


def _uncrowded(
    groups: list[tuple[float, float, str, bool]],
    always: list[tuple[float, float, str, bool]],
) -> list[tuple[float, float, str, bool]]:
    """Every place on a route and every port (``always``, by name), then each other
    place in the network's order unless it lies within :data:`SPACING_DEGREES` of one
    already named (it stays a dot)."""
    first = {g[2] for g in always}
    kept = [g for g in groups if g[3] or g[2] in first]
    for g in groups:
        if g in kept:
            continue
        if all(abs(g[0] - k[0]) + abs(g[1] - k[1]) >= SPACING_DEGREES for k in kept):
            kept.append(g)
    return kept


def _midpoint(net: CorridorNetwork, crossing: str) -> tuple[float, float]:
    """Where a crossing's mark is drawn: the middle of its first link."""
    link = next(lk for lk in net.links.values() if lk.crossing == crossing)
    a, b = net.nodes[link.a], net.nodes[link.b]
    return (a.lon + b.lon) / 2, (a.lat + b.lat) / 2
