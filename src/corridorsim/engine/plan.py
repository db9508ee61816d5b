"""From a loaded scenario to what the engine runs: routes cut into segments, and the
parameters of every post, terminal and line section. No simulation here.

A *segment* is the part of a route one vehicle covers: it starts where cargo is
consolidated (the origin, a break of gauge where containers are transshipped, or a
change between rail and road) and ends at the next such place. Segments with the same
start and steps are shared by every route that uses them, so flows share trains.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from corridorsim.distributions import Fixed, Uniform
from corridorsim.engine.costs import RouteCost, fee, route_cost
from corridorsim.engine.detours import flow_routes
from corridorsim.engine.modes import BATCHED, vehicle_for
from corridorsim.engine.ports import Landing, PortDwell, landing_dwell, origin_dwell
from corridorsim.engine.post_params import clearance_scale, post_params
from corridorsim.network.calibrated import builtin_calibration
from corridorsim.network.files import builtin_crossing_hours
from corridorsim.network.graph import Link
from corridorsim.network.routes import Leg, Route
from corridorsim.network.spec import TerminalSpec
from corridorsim.scenario.format import (
    BorderPost,
    CrossingModeParams,
    Dist,
    FacilityParams,
    Mode,
    Timetable,
    WhenFull,
)
from corridorsim.scenario.loader import LoadedScenario
from corridorsim.scenario.route_choice import route_notes
from corridorsim.scenario.speed_basis import missing_figures
from corridorsim.units import HOURS_PER_DAY

__all__ = [
    "TERMINAL_UTILISATION",
    "FacilityPlan",
    "LegStep",
    "OpStep",
    "Place",
    "Plan",
    "PostPlan",
    "RoutePlan",
    "SegmentPlan",
]


TERMINAL_UTILISATION = 0.8
"""EST: a terminal with background traffic is sized to handle it at 80% of capacity."""


@dataclass(frozen=True)
class Place:
    """Somewhere a container's time is spent: a link, a border post, a terminal, or the
    queue for a segment's vehicles at a node.

    ``countries`` splits the time spent here between countries (shares adding up to 1);
    ``km`` is the distance covered here (links only).
    """

    index: int
    kind: str
    key: str
    name: str
    countries: dict[str, float]
    km: float = 0.0
    crossing: str | None = None


@dataclass(frozen=True)
class PostPlan:
    """One border post for one mode and direction (exit or entry)."""

    key: str
    crossing: str
    mode: str
    country: str
    role: str
    params: BorderPost
    processing: Dist
    direction: str = ""
    """The traffic the post handles, ``"FROM-TO"`` (country codes)."""
    background_per_day: float = 0.0
    """Vehicles a day that are not the scenario's and arrive at this post from outside
    the crossing (exit posts only: an entry post's come from its exit post)."""
    pair: str | None = None
    """The exit post's key for an entry post (background vehicles come from it)."""
    clearance: Dist | None = None
    """Hours before the lane queue that hold no lane (documents, payments, escorts)."""


@dataclass(frozen=True)
class FacilityPlan:
    """A gauge-change or rail–road transfer facility at a node, and the trains a day it
    handles that are not the scenario's (``background_per_day``)."""

    key: str
    node: str
    kind: str
    params: FacilityParams
    hours_per_train: Dist
    background_per_day: float = 0.0


@dataclass(frozen=True)
class LegStep:
    link: Link
    start: str
    end: str
    place: int
    exit_post: str | None = None
    entry_post: str | None = None
    exit_place: int | None = None
    entry_place: int | None = None


@dataclass(frozen=True)
class OpStep:
    facility: str
    place: int


@dataclass(frozen=True)
class SegmentPlan:
    key: int
    start: str
    end: str
    mode: str
    gauge_mm: int | None
    capacity: int
    policy: WhenFull | Timetable
    steps: tuple[LegStep | OpStep, ...]
    queue_place: int
    fleet_sets: int | None = None
    """Train sets of this service (None: no limit)."""
    turnaround_hours: float = 0.0
    """Hours a set is away per trip: twice the expected one-way time plus the ends'."""
    landing: Landing | None = None
    """A sea segment ending at a port with a dwell figure: containers going on inland
    from there dwell in the port first."""


@dataclass(frozen=True)
class RoutePlan:
    index: int
    flow: int
    route: Route
    segments: tuple[int, ...]
    targets: frozenset[str]
    cost_usd_per_teu: float
    """The known cost per TEU (USD); ``cost`` says what it lacks."""
    cost: RouteCost


@dataclass
class Plan:
    """Everything the model needs, built once per scenario (shared by replications)."""

    loaded: LoadedScenario
    segments: list[SegmentPlan] = field(default_factory=list)
    routes: list[RoutePlan] = field(default_factory=list)
    flow_routes: list[list[int]] = field(default_factory=list)
    posts: dict[str, PostPlan] = field(default_factory=dict)
    facilities: dict[str, FacilityPlan] = field(default_factory=dict)
    places: list[Place] = field(default_factory=list)
    port_dwell: list[PortDwell | None] = field(default_factory=list)
    """Per flow: the dwell at its origin port (None: none)."""
    notes: list[str] = field(default_factory=list)
    """What the plan had to leave out (e.g. a port without a dwell figure)."""
    _place_index: dict[tuple[str, str], int] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, loaded: LoadedScenario) -> Plan:
        plan = cls(loaded)
        plan.port_dwell, plan.notes = origin_dwell(loaded)
        seg_index: dict[tuple[object, ...], int] = {}
        for f, routes in enumerate(flow_routes(loaded)):
            plan.flow_routes.append([])
            for route in routes:
                rp = plan._route(f, route, seg_index)
                plan.flow_routes[f].append(rp.index)
        legs = [leg for r in plan.routes for leg in r.route.legs]
        # a sea link has no en-route stops by country: its time is the sailing's
        used = {(leg.mode, c) for leg in legs if leg.mode != "sea" for c in leg.link.km_by_country}
        missing = missing_figures(loaded.scenario, loaded.network.spec.defaults, used)
        plan.notes += missing + route_notes(loaded)
        return plan

    # --- parts -----------------------------------------------------------------------------

    def _place(
        self,
        kind: str,
        key: str,
        name: str,
        countries: dict[str, float],
        km: float = 0.0,
        crossing: str | None = None,
    ) -> int:
        idx = self._place_index.get((kind, key))
        if idx is None:
            idx = len(self.places)
            self.places.append(Place(idx, kind, key, name, countries, km, crossing))
            self._place_index[(kind, key)] = idx
        return idx

    def _link_place(self, link: Link) -> int:
        hours = {c: km / link.speed_by_country[c] for c, km in link.km_by_country.items()}
        total = sum(hours.values()) or 1.0
        return self._place(
            "link",
            link.id,
            link.id,
            {c: h / total for c, h in hours.items()},
            km=link.km,
            crossing=link.crossing,
        )

    def _node_place(self, kind: str, key: str, node: str, name: str) -> int:
        country = self.loaded.network.nodes[node].country
        return self._place(kind, key, name, {country: 1.0})

    def _post(self, crossing: str, mode: Mode, direction: tuple[str, str], role: str) -> str:
        country = direction[0] if role == "exit" else direction[1]
        key = f"{crossing}/{mode}/{country}/{role}"
        if key not in self.posts:
            sc = self.loaded.scenario
            per_mode = sc.borders.crossings.get(crossing, {})
            params: CrossingModeParams = per_mode.get(mode) or sc.borders.defaults.get(
                mode, CrossingModeParams()
            )
            post: BorderPost = getattr(params, role)
            dir_key = "-".join(direction)
            post, processing = self._post_params(post, crossing, mode, dir_key, role)
            background = 0.0
            pair = None
            if role == "exit":
                background = self._background(crossing, mode, dir_key)
            else:
                pair = f"{crossing}/{mode}/{direction[0]}/exit"
            where = (crossing, mode, country, role)
            rest = (dir_key, background, pair, post.clearance_hours)
            self.posts[key] = PostPlan(key, *where, post, processing, *rest)
        return key

    def _post_params(
        self, post: BorderPost, crossing: str, mode: Mode, direction: str, role: str
    ) -> tuple[BorderPost, Dist]:
        """A post's parameters and processing time (see :func:`post_params`)."""
        hours = self.loaded.network.crossings[crossing].hours(mode)
        found = None
        if self.loaded.scenario.network.file == "builtin":
            found = builtin_calibration().find(crossing, mode, direction)
        if found is None:
            return post, post.processing_hours or Fixed(value=hours / 2)
        scale = clearance_scale(found, hours, builtin_crossing_hours()[(crossing, mode)])
        return post_params(post, found, role, scale)

    def _background(self, crossing: str, mode: Mode, direction: str) -> float:
        """Background vehicles a day at a crossing in one direction: the scenario's, or
        the network's, times the scenario's ``background_scale``."""
        borders = self.loaded.scenario.borders
        params = borders.crossings.get(crossing, {}).get(mode)
        given = None if params is None or params.background_per_day is None else params
        per_day = (
            given.background_per_day.get(direction, 0.0)  # type: ignore[union-attr]
            if given is not None
            else self.loaded.network.crossings[crossing].background_per_day(mode, direction)
        )
        return per_day * borders.background_scale

    def fee(self, crossing: str, mode: Mode) -> float | None:
        """Border fee per TEU (USD) at ``crossing`` by ``mode``: the scenario's, else the
        crossing's CPMM TFI2 cost, else None (see :func:`corridorsim.engine.costs.fee`)."""
        return fee(self.loaded, crossing, mode)

    def _facility(self, node: str, kind: str) -> str:
        key = f"{node}/{kind}"
        if key not in self.facilities:
            net = self.loaded.network
            ts = self.loaded.scenario.transshipment
            terminal = next((t for t in net.terminals.get(node, ()) if t.kind == kind), None)
            background = 0.0
            if terminal is not None:
                params = ts.facilities.get(node, FacilityParams())
                hours = params.hours_per_train or Uniform(
                    low=terminal.spec.hours_per_train.low, high=terminal.spec.hours_per_train.high
                )
                params, background = self._terminal_traffic(terminal.spec, params, hours)
            else:  # a rail–road transfer where the network lists no terminal
                params = ts.intermodal_default
                hours = params.hours_per_train or Fixed(value=0.0)
            self.facilities[key] = FacilityPlan(key, node, kind, params, hours, background)
        return key

    def _terminal_traffic(
        self, spec: TerminalSpec, params: FacilityParams, hours: Dist
    ) -> tuple[FacilityParams, float]:
        """A terminal's background trains a day (the network's, times the scenario's
        ``background_scale``) and, unless the scenario sets it, a capacity that handles
        them at 80% of its trains at once (EST, as for the calibrated border posts)."""
        if spec.background is None:
            return params, 0.0
        per_day = spec.background.vehicles_per_day * self.loaded.scenario.borders.background_scale
        if "capacity" not in params.model_fields_set:
            lanes = max(1, math.ceil(per_day / HOURS_PER_DAY * hours.mean / TERMINAL_UTILISATION))
            params = params.model_copy(update={"capacity": lanes})
        return params, per_day

    def _route(self, f: int, route: Route, seg_index: dict[tuple[object, ...], int]) -> RoutePlan:
        """Cut ``route`` into segments (shared with other routes where the same), adding
        its posts, facilities and places; its cost per TEU sums links, transfers and fees."""
        groups: list[list[LegStep | OpStep]] = [[]]
        starts = [route.origin]
        transfers: dict[int, FacilityPlan] = {}
        targets: set[str] = set()
        for i, leg in enumerate(route.legs):
            link = leg.link
            targets.add(link.id)
            if i > 0:
                fac = self._transfer(route.legs[i - 1], leg, groups, starts)
                if fac is not None:
                    transfers[i] = self.facilities[fac]
            posts: tuple[str | None, str | None, int | None, int | None] = (None,) * 4
            if link.crossing is not None:
                targets.add(link.crossing)
                posts = self._crossing_posts(leg)
            groups[-1].append(LegStep(link, leg.start, leg.end, self._link_place(link), *posts))
        seg_keys = [
            self._segment(start, steps, seg_index)
            for start, steps in zip(starts, groups, strict=True)
        ]
        cost = route_cost(self.loaded, route, transfers)
        rp = RoutePlan(
            len(self.routes), f, route, tuple(seg_keys), frozenset(targets), cost.usd, cost
        )
        self.routes.append(rp)
        return rp

    def _transfer(
        self, prev: Leg, leg: Leg, groups: list[list[LegStep | OpStep]], starts: list[str]
    ) -> str | None:
        """Between two legs: a rail–road transfer or a break of gauge, as terminal steps
        and (where cargo changes vehicle) a new segment. Returns the terminal's key, if
        cargo is handled (a dual-gauge line changes nothing)."""
        if prev.mode != leg.mode:
            fac = self._facility(leg.start, "intermodal")
            # the train or ship does the transfer: unloading at its end, loading at its
            # start (a truck is loaded and unloaded while the train or ship is worked)
            place = self._node_place("terminal", fac, leg.start, f"terminal {fac}")
            if prev.mode in BATCHED:
                groups[-1].append(OpStep(fac, place))
            groups.append([])
            starts.append(leg.start)
            if leg.mode in BATCHED:
                groups[-1].append(OpStep(fac, place))
            return fac
        if leg.mode == "rail" and prev.gauge_mm != leg.gauge_mm:
            fac = self._facility(leg.start, "gauge")
            fp = self.facilities[fac]
            place = self._node_place("terminal", fac, leg.start, f"terminal {fac}")
            if fp.params.method == "transship":
                groups[-1].append(OpStep(fac, place))
                groups.append([])
                starts.append(leg.start)
            elif fp.params.method != "dual_gauge":
                groups[-1].append(OpStep(fac, place))  # bogie exchange, variable gauge
            return None if fp.params.method == "dual_gauge" else fac
        return None

    def _crossing_posts(self, leg: Leg) -> tuple[str, str, int, int]:
        """The exit and entry posts of a border leg, and their places."""
        link = leg.link
        assert link.crossing is not None
        net = self.loaded.network
        ca, cb = net.nodes[leg.start].country, net.nodes[leg.end].country
        exit_post = self._post(link.crossing, link.mode, (ca, cb), "exit")
        entry_post = self._post(link.crossing, link.mode, (ca, cb), "entry")
        name = net.crossings[link.crossing].name
        exit_place = self._place(
            "post", exit_post, f"{name} ({ca} exit, {link.mode})", {ca: 1.0}, crossing=link.crossing
        )
        entry_place = self._place(
            "post",
            entry_post,
            f"{name} ({cb} entry, {link.mode})",
            {cb: 1.0},
            crossing=link.crossing,
        )
        return exit_post, entry_post, exit_place, entry_place

    def _one_way_hours(self, steps: list[LegStep | OpStep]) -> float:
        """Expected hours through ``steps``: running, stops, borders and terminals."""
        net = self.loaded.network
        return sum(
            self.facilities[s.facility].hours_per_train.mean
            if isinstance(s, OpStep)
            else s.link.running_hours + net.stop_hours(s.link) + net.crossing_hours(s.link)
            for s in steps
        )

    def _landing(self, port: str) -> Landing | None:
        """The dwell at ``port`` of containers a ship lands there, if it has a figure."""
        hours = landing_dwell(self.loaded, port)
        if hours is None:
            return None
        name = self.loaded.network.nodes[port].name
        place = self._node_place("port", port, port, f"{name} port ({port})")
        return Landing(port, hours, place)

    def _segment(
        self, start: str, steps: list[LegStep | OpStep], seg_index: dict[tuple[object, ...], int]
    ) -> int:
        """The key of the segment from ``start`` through ``steps`` (made if new)."""
        sig = (
            start,
            tuple((s.link.id, s.start) if isinstance(s, LegStep) else s.facility for s in steps),
        )
        if sig in seg_index:
            return seg_index[sig]
        ops = self.loaded.scenario.operations
        legs = [s for s in steps if isinstance(s, LegStep)]
        first = legs[0].link
        rail = first.mode == "rail"
        node = self.loaded.network.nodes[start]
        capacity, policy = vehicle_for(ops, first.mode, first.gauge_mm)
        seg = SegmentPlan(
            key=len(self.segments),
            start=start,
            end=legs[-1].end,
            mode=first.mode,
            gauge_mm=first.gauge_mm,
            capacity=capacity,
            policy=policy,
            steps=tuple(steps),
            queue_place=self._node_place("consolidation", start, start, f"{node.name} ({start})"),
            fleet_sets=ops.fleet.sets.get(first.gauge_mm) if rail and first.gauge_mm else None,
            turnaround_hours=2 * self._one_way_hours(steps) + ops.fleet.end_hours,
            landing=self._landing(legs[-1].end) if first.mode == "sea" else None,
        )
        seg_index[sig] = seg.key
        self.segments.append(seg)
        return seg.key
