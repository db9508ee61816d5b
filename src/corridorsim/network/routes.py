"""Route queries: the k fastest routes, and the gauge breaks, borders and countries on a route.

Expected time of a route = running time of its links + expected border times (CPMM TFI1
per crossing and mode) + expected transfer times where trains change gauge or cargo
changes between rail and road. Breaks of gauge are *derived*: a break is wherever two
consecutive rail legs have different gauges.

The search runs on a state graph whose states are (node, "road"), (node, "sea") and
(node, "rail:GAUGE"):
links join states of the same kind; at a node, transfer edges join the states a terminal
can connect, weighted by the terminal's time. Yen's algorithm
(:func:`networkx.shortest_simple_paths`) then yields routes fastest first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import islice, pairwise

import networkx as nx

from corridorsim.errors import NoRouteError
from corridorsim.network.graph import CorridorNetwork, Link
from corridorsim.network.spec import Mode

__all__ = [
    "GaugeBreak",
    "Leg",
    "ModeChange",
    "Route",
    "candidate_routes",
    "make_route",
    "route_through",
]

_SRC = ("__source__", "")
_DST = ("__target__", "")


@dataclass(frozen=True, slots=True)
class Leg:
    """One link travelled from ``start`` to ``end``."""

    link: Link
    start: str
    end: str

    @property
    def mode(self) -> str:
        return self.link.mode

    @property
    def gauge_mm(self) -> int | None:
        return self.link.gauge_mm


@dataclass(frozen=True, slots=True)
class GaugeBreak:
    """Trains change from ``from_gauge`` to ``to_gauge`` (mm) at ``node``."""

    node: str
    from_gauge: int
    to_gauge: int


@dataclass(frozen=True, slots=True)
class ModeChange:
    """Cargo moves between rail and road at ``node``."""

    node: str
    from_mode: str
    to_mode: str


@dataclass(frozen=True)
class Route:
    """A route and its expected times (hours).

    Attributes
    ----------
    legs : tuple of Leg
        The links in travel order.
    running_hours, border_hours, transfer_hours : float
        Expected running time, time at border crossings, and time at gauge-change and
        rail–road transfer terminals.
    stop_hours : float
        Expected time of stops between places (the scenario's speed basis).
    """

    legs: tuple[Leg, ...]
    running_hours: float
    border_hours: float
    transfer_hours: float
    crossings: tuple[tuple[str, Mode], ...]
    gauge_breaks: tuple[GaugeBreak, ...]
    mode_changes: tuple[ModeChange, ...]
    stop_hours: float = 0.0

    @property
    def origin(self) -> str:
        return self.legs[0].start

    @property
    def destination(self) -> str:
        return self.legs[-1].end

    @cached_property
    def nodes(self) -> tuple[str, ...]:
        return (self.legs[0].start, *(leg.end for leg in self.legs))

    @property
    def link_ids(self) -> tuple[str, ...]:
        return tuple(leg.link.id for leg in self.legs)

    @property
    def distance_km(self) -> float:
        return sum(leg.link.km for leg in self.legs)

    @property
    def expected_hours(self) -> float:
        return self.running_hours + self.stop_hours + self.border_hours + self.transfer_hours

    @property
    def modes(self) -> tuple[str, ...]:
        """The modes used, in order of first use."""
        return tuple(dict.fromkeys(leg.mode for leg in self.legs))

    @cached_property
    def km_by_country(self) -> dict[str, float]:
        """Distance travelled in each country (km)."""
        out: dict[str, float] = {}
        for leg in self.legs:
            for c, km in leg.link.km_by_country.items():
                out[c] = out.get(c, 0.0) + km
        return out

    @property
    def label(self) -> str:
        """The nodes where something happens: ends, borders, gauge and mode changes."""
        parts = [self.legs[0].start]
        for i, leg in enumerate(self.legs):
            nxt = self.legs[i + 1] if i + 1 < len(self.legs) else None
            if leg.link.crossing is not None and parts[-1] != leg.start:
                parts.append(leg.start)
            if (
                nxt is None
                or leg.link.crossing is not None
                or nxt.mode != leg.mode
                or nxt.gauge_mm != leg.gauge_mm
            ):
                parts.append(leg.end)
        return "–".join(parts)


def make_route(net: CorridorNetwork, legs: Sequence[Leg]) -> Route:
    """Build a :class:`Route` from ``legs``, deriving breaks, borders and expected times.

    Raises
    ------
    NoRouteError
        If a break of gauge on the route has no terminal to change trains.
    """
    if not legs:
        raise NoRouteError("a route needs at least one leg")
    running = border = transfer = stops = 0.0
    crossings = []
    breaks = []
    changes = []
    for i, leg in enumerate(legs):
        link = leg.link
        running += link.running_hours
        stops += net.stop_hours(link)
        if link.crossing is not None:
            crossings.append((link.crossing, link.mode))
            border += net.crossing_hours(link)
        if i == 0:
            continue
        prev = legs[i - 1]
        if prev.mode != leg.mode:
            changes.append(ModeChange(leg.start, prev.mode, leg.mode))
            transfer += net.transfer_hours(leg.start)
        elif leg.mode == "rail" and prev.gauge_mm != leg.gauge_mm:
            assert prev.gauge_mm is not None
            assert leg.gauge_mm is not None
            term = net.gauge_terminal(leg.start, prev.gauge_mm, leg.gauge_mm)
            if term is None:
                raise NoRouteError(
                    f"break of gauge at {leg.start} ({prev.gauge_mm} → {leg.gauge_mm} mm) "
                    "has no gauge terminal"
                )
            breaks.append(GaugeBreak(leg.start, prev.gauge_mm, leg.gauge_mm))
            transfer += term.hours
    return Route(
        tuple(legs),
        running,
        border,
        transfer,
        tuple(crossings),
        tuple(breaks),
        tuple(changes),
        stops,
    )


def _state(link: Link) -> str:
    return f"rail:{link.gauge_mm}" if link.mode == "rail" else link.mode


def _state_graph(
    net: CorridorNetwork,
    *,
    modes: Iterable[str] | None,
    gauges: Iterable[int] | None,
    statuses: Iterable[str],
    pairs: set[tuple[str, str]] | None = None,
    avoid: Iterable[str] = (),
) -> nx.DiGraph:
    avoid_ = set(avoid)
    modes_ = set(modes) if modes is not None else {"rail", "road"}
    gauges_ = set(gauges) if gauges is not None else None
    statuses_ = tuple(statuses)
    h = nx.DiGraph()
    states_at: dict[str, set[str]] = {}
    for link in net.links.values():
        if link.mode not in modes_ or not net.link_usable(link, statuses_):
            continue
        if link.mode == "rail" and gauges_ is not None and link.gauge_mm not in gauges_:
            continue
        if link.id in avoid_ or (link.crossing is not None and link.crossing in avoid_):
            continue
        s = _state(link)
        w = link.running_hours + net.stop_hours(link) + net.crossing_hours(link)
        for u, v in ((link.a, link.b), (link.b, link.a)):
            if pairs is not None and (u, v) not in pairs:
                continue
            h.add_edge((u, s), (v, s), weight=w, link=link)
            states_at.setdefault(u, set()).add(s)
            states_at.setdefault(v, set()).add(s)
    for node, states in states_at.items():
        for s1 in sorted(states):
            for s2 in sorted(states):
                if s1 == s2:
                    continue
                if not s1.startswith("rail:") or not s2.startswith("rail:"):
                    w = net.transfer_hours(node)
                else:
                    g1, g2 = int(s1.split(":")[1]), int(s2.split(":")[1])
                    term = net.gauge_terminal(node, g1, g2)
                    if term is None:
                        continue
                    w = term.hours
                h.add_edge((node, s1), (node, s2), weight=w, link=None)
    return h


def _legs_of(h: nx.DiGraph, path: Sequence[tuple[str, str]]) -> tuple[Leg, ...]:
    legs = []
    for u, v in pairwise(path):
        link = h.edges[u, v]["link"] if (u, v) in h.edges else None
        if link is not None:
            legs.append(Leg(link, u[0], v[0]))
    return tuple(legs)


def _attach(h: nx.DiGraph, origin: str, destination: str) -> None:
    for node in list(h.nodes):
        if node[0] == origin:
            h.add_edge(_SRC, node, weight=0.0, link=None)
        if node[0] == destination:
            h.add_edge(node, _DST, weight=0.0, link=None)


def candidate_routes(
    net: CorridorNetwork,
    origin: str,
    destination: str,
    *,
    k: int = 3,
    modes: Iterable[str] | None = None,
    gauges: Iterable[int] | None = None,
    statuses: Iterable[str] = ("operating",),
    avoid: Iterable[str] = (),
) -> list[Route]:
    """The ``k`` fastest routes from ``origin`` to ``destination`` by expected time.

    Parameters
    ----------
    net : CorridorNetwork
    origin, destination : str
        Node ids.
    k : int
        How many routes at most.
    modes : iterable of {"rail", "road"}, optional
        Use only links of these modes (default both).
    gauges : iterable of int, optional
        Use only rail links of these gauges (mm); road links are unaffected.
    statuses : iterable of str
        Link statuses that may be used (default operating only; add "planned" and
        "under_construction" to see routes as if everything were built).
    avoid : iterable of str
        Link ids and crossing ids the routes must not use.

    Returns
    -------
    list of Route
        Fastest first; no route visits a node twice.

    Raises
    ------
    NetworkError
        If a node is unknown.
    NoRouteError
        If no route joins the two places under the filters.
    """
    net.node(origin)
    net.node(destination)
    if origin == destination:
        raise NoRouteError(f"origin and destination are the same node ({origin})")
    avoid = tuple(avoid)
    h = _state_graph(net, modes=modes, gauges=gauges, statuses=statuses, avoid=avoid)
    _attach(h, origin, destination)
    if _SRC not in h or _DST not in h or not nx.has_path(h, _SRC, _DST):
        why = _no_route(origin, destination, modes, gauges, statuses, avoid)
        raise NoRouteError(why + _ends_without_links(net, (origin, destination), modes, statuses))
    routes: list[Route] = []
    seen: set[tuple[str, ...]] = set()
    for path in islice(nx.shortest_simple_paths(h, _SRC, _DST, weight="weight"), 50 * k):
        legs = _legs_of(h, path)
        ids = tuple(leg.link.id for leg in legs)
        nodes = [legs[0].start, *(leg.end for leg in legs)]
        if ids in seen or len(set(nodes)) != len(nodes):
            continue
        seen.add(ids)
        routes.append(make_route(net, legs))
        if len(routes) == k:
            break
    routes.sort(key=lambda r: r.expected_hours)
    return routes


def route_through(
    net: CorridorNetwork,
    nodes: Sequence[str],
    *,
    modes: Iterable[str] | None = None,
    statuses: Iterable[str] = ("operating",),
) -> Route:
    """The fastest route that visits ``nodes`` in order, consecutive nodes being linked.

    Where two consecutive nodes are joined by both rail and road, the faster combination
    (transfers included) is chosen.

    Parameters
    ----------
    net : CorridorNetwork
        From :func:`builtin_network` or :func:`load_network`.
    nodes : sequence of str
        Node ids in order (``["KHI", "CHM", "SBK"]``).
    modes : iterable of str, optional
        ``rail`` and/or ``road`` (default: both).
    statuses : iterable of str
        Link statuses usable (default: operating only).

    Returns
    -------
    Route
        Its legs, km by country, expected running, border and transfer hours, borders
        and breaks of gauge.

    Raises
    ------
    NetworkError
        If a node is unknown.
    NoRouteError
        If two consecutive nodes have no usable link between them.
    """
    for n in nodes:
        net.node(n)
    if len(nodes) < 2 or len(set(nodes)) != len(nodes):
        raise NoRouteError("a fixed route lists at least two different nodes, none twice")
    pairs = set(pairwise(nodes))
    h = _state_graph(net, modes=modes, gauges=None, statuses=statuses, pairs=pairs)
    for u, v in pairwise(nodes):
        if not any(a[0] == u and b[0] == v for a, b in h.edges):
            raise NoRouteError(f"no usable link from {u} to {v}")
    _attach(h, nodes[0], nodes[-1])
    try:
        path = nx.shortest_path(h, _SRC, _DST, weight="weight")
    except nx.NetworkXNoPath:
        raise NoRouteError(
            f"no usable way through {'–'.join(nodes)} (a break of gauge without a terminal?)"
        ) from None
    return make_route(net, _legs_of(h, path))


def _ends_without_links(
    net: CorridorNetwork,
    ends: tuple[str, str],
    modes: Iterable[str] | None,
    statuses: Iterable[str],
) -> str:
    """Why an end cannot be left or reached: ``" (GWD has no rail link: only road)"``,
    or its links of the modes are not in the statuses used; "" when both ends have some."""
    allowed = set(modes) if modes is not None else {"rail", "road"}
    usable = set(statuses)
    said = []
    for node in dict.fromkeys(ends):
        mine = [ln for ln in net.links.values() if node in (ln.a, ln.b)]
        of_mode = [ln for ln in mine if ln.mode in allowed]
        if not of_mode:
            others = sorted({ln.mode for ln in mine})
            only = f": only {', '.join(others)}" if others else ""
            said.append(f"{node} has no {' or '.join(sorted(allowed))} link{only}")
        elif not any(ln.status in usable and not ln.closed for ln in of_mode):
            states = sorted({"closed" if ln.closed else ln.status for ln in of_mode})
            said.append(f"{node}'s {' and '.join(sorted(allowed))} links are {', '.join(states)}")
    return f" ({'; '.join(said)})" if said else ""


def _no_route(origin, destination, modes, gauges, statuses, avoid=()) -> str:
    bits = [f"statuses {', '.join(statuses)}"]
    if avoid:
        bits.append(f"avoiding {', '.join(avoid)}")
    if modes is not None:
        bits.append(f"modes {', '.join(modes)}")
    if gauges is not None:
        bits.append(f"gauges {', '.join(str(g) for g in gauges)} mm")
    return f"no route from {origin} to {destination} using {'; '.join(bits)}"
