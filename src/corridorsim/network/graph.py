"""The corridor as a NetworkX multigraph, built from a validated :class:`NetworkSpec`."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

from corridorsim.errors import NetworkError
from corridorsim.network.spec import (
    CrossingMode,
    CrossingSpec,
    DestinationSpec,
    LinkSpec,
    Mode,
    NetworkSpec,
    NodeSpec,
    PortSpec,
    Post,
    Status,
    TerminalSpec,
)

__all__ = [
    "DEFAULT_INTERMODAL_HOURS",
    "CorridorNetwork",
    "Crossing",
    "Link",
    "Node",
    "Terminal",
    "great_circle_km",
    "link_id",
]

DEFAULT_INTERMODAL_HOURS = (4.25 + 9.0) / 2
"""Expected rail–road transfer time per train where no terminal is given (hours).

EST: the fact sheet's planning default for a break of gauge, Dostyk's 4 h 15 min to
9 h per train (S113), used for a rail–road transfer too; midpoint of the range.
"""

EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in km between two points in decimal degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def link_id(a: str, b: str, mode: str) -> str:
    """The id of the link joining ``a`` and ``b`` by ``mode``: ``"A-B:mode"``."""
    return f"{a}-{b}:{mode}"


@dataclass(frozen=True, slots=True)
class Node:
    """A place on the network."""

    id: str
    name: str
    country: str
    kind: str
    lat: float
    lon: float
    spec: NodeSpec = field(repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Link:
    """A link with its effective speeds and costs resolved.

    ``km_by_country`` splits the length between countries; ``speed_by_country`` (km/h)
    and ``cost_by_country`` (USD per TEU-km, None where no source gives one) are the
    figures in force for each part.
    """

    id: str
    a: str
    b: str
    mode: Mode
    km: float
    gauge_mm: int | None
    status: Status
    crossing: str | None
    km_by_country: Mapping[str, float]
    speed_by_country: Mapping[str, float]
    cost_by_country: Mapping[str, float | None]
    closed: bool
    spec: LinkSpec = field(repr=False, compare=False)

    @property
    def running_hours(self) -> float:
        """Hours to run the link at the speeds in force, without delays."""
        return sum(km / self.speed_by_country[c] for c, km in self.km_by_country.items())

    @property
    def cost_usd_per_teu(self) -> float | None:
        """Running cost of one TEU over the whole link (USD), or None if not known."""
        total = 0.0
        for c, km in self.km_by_country.items():
            rate = self.cost_by_country[c]
            if rate is None:
                return None
            total += km * rate
        return total

    @property
    def known_cost_usd_per_teu(self) -> float:
        """Running cost of one TEU over the parts of the link whose rate is known (USD)."""
        rates = self.cost_by_country
        return sum(km * r for c, km in self.km_by_country.items() if (r := rates[c]) is not None)

    @property
    def km_without_cost(self) -> float:
        """Kilometres of the link with no running-cost rate."""
        return sum(km for c, km in self.km_by_country.items() if self.cost_by_country[c] is None)

    def other(self, node: str) -> str:
        """The end of the link that is not ``node``."""
        if node == self.a:
            return self.b
        if node == self.b:
            return self.a
        raise NetworkError(f"link {self.id} does not touch node {node!r}")


@dataclass(frozen=True, slots=True)
class Crossing:
    """A border crossing with the expected time and cost for each mode it serves."""

    id: str
    name: str
    posts: tuple[Post, Post]
    modes: Mapping[Mode, CrossingMode]
    closed: bool
    spec: CrossingSpec = field(repr=False, compare=False)

    def hours(self, mode: Mode) -> float:
        """Expected hours to cross by ``mode`` (CPMM TFI1)."""
        return self.modes[mode].hours

    def cost_usd(self, mode: Mode) -> float | None:
        """Expected clearance cost by ``mode`` (CPMM TFI2, USD), if known."""
        return self.modes[mode].cost_usd

    def background_per_day(self, mode: Mode, direction: str) -> float:
        """Vehicles a day by ``mode`` in ``direction`` (``PK-AF``) that are not a
        scenario's (0 where the network gives none)."""
        found = self.modes[mode].background_per_day.get(direction)
        return 0.0 if found is None else found.vehicles_per_day


@dataclass(frozen=True, slots=True)
class Terminal:
    """A gauge-change or intermodal terminal at a node; ``hours`` is the expected time per train."""

    node: str
    kind: str
    gauges_mm: tuple[int, ...]
    status: Status
    hours: float
    spec: TerminalSpec = field(repr=False, compare=False)


class CorridorNetwork:
    """The corridor network: nodes, links, crossings and terminals, and their graph.

    The graph is a :class:`networkx.MultiDiGraph` with one edge per link and direction,
    keyed by link id, so road and rail links between the same places coexist. Edge
    attributes: ``link`` (the :class:`Link`), ``mode``, ``km``, ``gauge_mm``,
    ``hours`` (running hours).

    Parameters
    ----------
    spec : NetworkSpec
        A validated, cross-checked network (see :func:`corridorsim.network.checks`).
    closed_links, closed_crossings : iterable of str
        Links and crossings that are closed: kept in the data, unusable for routes.
    intermodal_hours : float
        Expected rail–road transfer time (hours) where the node has no terminal.
    terminal_hours : mapping, optional
        Expected hours per train at a node's terminal, overriding the file's midpoint.
    border_hours : mapping, optional
        Expected hours to cross by ``(crossing, mode)`` where a scenario's border posts
        differ from the network's figure; routes are ranked on them.
    stop_hours : mapping, optional
        Expected hours of stops per 100 km by ``(mode, country)`` (the scenario's speed
        basis); routes are ranked on running time plus these.
    """

    def __init__(
        self,
        spec: NetworkSpec,
        *,
        closed_links: Iterable[str] = (),
        closed_crossings: Iterable[str] = (),
        intermodal_hours: float = DEFAULT_INTERMODAL_HOURS,
        terminal_hours: Mapping[str, float] | None = None,
        border_hours: Mapping[tuple[str, str], float] | None = None,
        stop_hours: Mapping[tuple[str, str], float] | None = None,
    ):
        self.spec = spec
        self.stop_means = dict(stop_hours or {})
        self.intermodal_hours = float(intermodal_hours)
        self.border_hours = dict(border_hours or {})
        closed_l = set(closed_links)
        closed_c = set(closed_crossings)
        terminal_hours = dict(terminal_hours or {})
        self.nodes: Mapping[str, Node] = {
            n.id: Node(n.id, n.name, n.country, n.kind, n.lat, n.lon, n) for n in spec.nodes
        }
        self.crossings: Mapping[str, Crossing] = {
            c.id: Crossing(c.id, c.name, c.posts, dict(c.modes), c.id in closed_c, c)
            for c in spec.crossings
        }
        links = {}
        for ls in spec.links:
            links[ls.id] = self._make_link(ls, ls.id in closed_l)
        self.links: Mapping[str, Link] = links
        terms: dict[str, list[Terminal]] = {}
        for t in spec.terminals:
            hours = terminal_hours.get(t.node, t.hours_per_train.mid)
            terms.setdefault(t.node, []).append(
                Terminal(t.node, t.kind, tuple(t.gauges_mm), t.status, hours, t)
            )
        self.terminals: Mapping[str, tuple[Terminal, ...]] = {k: tuple(v) for k, v in terms.items()}
        self.destinations: Mapping[str, DestinationSpec] = {d.node: d for d in spec.destinations}
        self.ports: Mapping[str, PortSpec] = {p.node: p for p in spec.ports}
        self.graph = self._make_graph()

    # --- construction -----------------------------------------------------------

    def _make_link(self, ls: LinkSpec, closed: bool) -> Link:
        ca, cb = self.nodes[ls.from_].country, self.nodes[ls.to].country
        if ls.km_by_country is not None:
            split = dict(ls.km_by_country)
        elif ca == cb:
            split = {ca: ls.km}
        else:  # a short border link: half on each side
            split = {ca: ls.km / 2, cb: ls.km / 2}
        d = self.spec.defaults
        speeds = {}
        costs: dict[str, float | None] = {}
        for c in split:
            if ls.speed_kmh is not None:
                speeds[c] = ls.speed_kmh
            else:
                speeds[c] = d.speed_kmh[ls.mode][c].value
            if ls.cost_usd_per_teu_km is not None:
                costs[c] = ls.cost_usd_per_teu_km
            else:
                sv = d.cost_usd_per_teu_km.get(ls.mode, {}).get(c)
                costs[c] = None if sv is None else sv.value
        return Link(
            id=ls.id,
            a=ls.from_,
            b=ls.to,
            mode=ls.mode,
            km=ls.km,
            gauge_mm=ls.gauge_mm,
            status=ls.status,
            crossing=ls.crossing,
            km_by_country=split,
            speed_by_country=speeds,
            cost_by_country=costs,
            closed=closed,
            spec=ls,
        )

    def _make_graph(self) -> nx.MultiDiGraph:
        g = nx.MultiDiGraph()
        for n in self.nodes.values():
            g.add_node(n.id, name=n.name, country=n.country, kind=n.kind, lat=n.lat, lon=n.lon)
        for link in self.links.values():
            attrs = {
                "link": link,
                "mode": link.mode,
                "km": link.km,
                "gauge_mm": link.gauge_mm,
                "hours": link.running_hours,
                "status": link.status,
                "closed": link.closed,
            }
            g.add_edge(link.a, link.b, key=link.id, **attrs)
            g.add_edge(link.b, link.a, key=link.id, **attrs)
        return g

    # --- queries -------------------------------------------------------------------

    def node(self, node_id: str) -> Node:
        """The node ``node_id``; raises :class:`NetworkError` naming close matches."""
        try:
            return self.nodes[node_id]
        except KeyError:
            raise NetworkError(_unknown("node", node_id, self.nodes)) from None

    def link(self, ident: str) -> Link:
        """The link ``"A-B:mode"`` (either direction)."""
        if ident in self.links:
            return self.links[ident]
        ends, _, mode = ident.partition(":")
        a, _, b = ends.partition("-")
        rev = link_id(b, a, mode)
        if rev in self.links:
            return self.links[rev]
        raise NetworkError(_unknown("link", ident, self.links))

    def crossing_hours(self, link: Link) -> float:
        """Expected border time on ``link`` (0 if it crosses no border)."""
        if link.crossing is None:
            return 0.0
        given = self.border_hours.get((link.crossing, link.mode))
        return self.crossings[link.crossing].hours(link.mode) if given is None else given

    def stop_hours(self, link: Link) -> float:
        """Expected hours of stops along ``link`` (0 where none are drawn)."""
        means = self.stop_means
        if not means:
            return 0.0
        return sum(
            km / 100.0 * means.get((link.mode, c), 0.0) for c, km in link.km_by_country.items()
        )

    def link_usable(self, link: Link, statuses: Iterable[str] = ("operating",)) -> bool:
        """Whether ``link`` can carry traffic: open, of an allowed status, crossing open."""
        if link.closed or link.status not in tuple(statuses):
            return False
        return not (link.crossing is not None and self.crossings[link.crossing].closed)

    def gauge_terminal(self, node: str, g1: int, g2: int) -> Terminal | None:
        """The terminal at ``node`` that changes trains between gauges ``g1`` and ``g2``."""
        for t in self.terminals.get(node, ()):
            if t.kind == "gauge" and g1 in t.gauges_mm and g2 in t.gauges_mm:
                return t
        return None

    def transfer_hours(self, node: str) -> float:
        """Expected rail–road transfer hours at ``node``."""
        for t in self.terminals.get(node, ()):
            if t.kind == "intermodal":
                return t.hours
        return self.intermodal_hours

    def summary(self) -> dict[str, object]:
        """Counts and lengths: nodes per country, km per mode and status, crossings."""
        by_country: dict[str, int] = {}
        for n in self.nodes.values():
            by_country[n.country] = by_country.get(n.country, 0) + 1
        km: dict[str, dict[str, float]] = {}
        for link in self.links.values():
            status = "closed" if link.closed else link.status
            per = km.setdefault(link.mode, {})
            per[status] = per.get(status, 0.0) + link.km
        return {
            "nodes": len(self.nodes),
            "nodes_by_country": dict(sorted(by_country.items())),
            "links": len(self.links),
            "km_by_mode_and_status": {m: dict(sorted(v.items())) for m, v in sorted(km.items())},
            "crossings": len(self.crossings),
            "terminals": sum(len(v) for v in self.terminals.values()),
        }


def _unknown(what: str, ident: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(ident, sorted(known), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return f"unknown {what} {ident!r}{hint}"
