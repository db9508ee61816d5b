"""The discrete-event model: one object owns the clock, resources, streams and records.

Containers are TEU units. Their arrivals are drawn up front with numpy (a Poisson
process or a fixed schedule per flow); after that the simulation works at vehicle
level: a train or truck is a SimPy process that runs its segment's steps (border posts,
line sections, links, terminal operations) and appends one record per step. Per-container
times are derived from those records with numpy once the run ends.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import simpy

from corridorsim.engine.calendar import OpeningCalendar
from corridorsim.engine.consolidation import EPS, Consolidator
from corridorsim.engine.plan import FacilityPlan, LegStep, OpStep, Plan, PostPlan, SegmentPlan
from corridorsim.engine.resources import Closure, MonitoredResource
from corridorsim.engine.sampling import Sampler
from corridorsim.engine.streams import Streams
from corridorsim.errors import CorridorSimError

__all__ = ["CATEGORIES", "ConservationError", "CorridorModel", "RunRecords"]

HOURS_PER_YEAR = 8760.0

CATEGORIES = (
    "consolidation",
    "running",
    "line_wait",
    "border_queue",
    "border_processing",
    "transshipment",
    "disruption",
    "en_route_delay",
)
"""Where a container's time goes; the hours in these add up to its transit time."""
CONS, RUN, LINE, BQUEUE, BPROC, TRANS, DISR, STOP = range(8)


class ConservationError(CorridorSimError, RuntimeError):
    """Containers were lost or double-counted: created != delivered + in system."""


class _Post:
    """A border post in the running model."""

    __slots__ = (
        "calendar",
        "channel_rng",
        "channels",
        "closure",
        "plan",
        "processing",
        "res",
        "trivial",
    )

    def __init__(self, model: CorridorModel, p: PostPlan):
        oh = p.params.opening_hours
        self.plan = p
        self.res = MonitoredResource(model.env, f"post {p.key}", "border_post", p.params.capacity)
        cal = OpeningCalendar(oh.open, oh.close, oh.days)
        self.calendar = None if cal.always else cal
        self.processing = Sampler(p.processing, model.streams[f"border/{p.key}"])
        self.channels = [
            (ch.probability, Sampler(ch.extra_hours, model.streams[f"channel/{p.key}/{ch.name}"]))
            for ch in p.params.channels
        ]
        self.channel_rng = model.streams[f"channel/{p.key}"]
        self.closure = model.closures.get(p.crossing)
        # no time, no limit, always open, never closed: passing it changes nothing
        self.trivial = (
            self.processing.constant == 0
            and not self.channels
            and p.params.capacity is None
            and self.calendar is None
            and self.closure is None
        )

    def channel_hours(self) -> float:
        """Extra hours of the inspection channel drawn for one vehicle."""
        u = self.channel_rng.random()
        acc = 0.0
        for probability, extra in self.channels:
            acc += probability
            if u < acc:
                return extra()
        return 0.0


class _Facility:
    """A terminal in the running model."""

    __slots__ = ("per_teu", "per_train", "plan", "res")

    def __init__(self, model: CorridorModel, f: FacilityPlan):
        self.plan = f
        self.res = MonitoredResource(model.env, f"terminal {f.key}", "terminal", f.params.capacity)
        rng = model.streams[f"terminal/{f.key}"]
        self.per_train = Sampler(f.hours_per_train, rng)
        per_teu = f.params.hours_per_teu
        self.per_teu = (
            None
            if per_teu is None
            else Sampler(per_teu, model.streams[f"terminal/{f.key}/per-teu"])
        )


class _Leg:
    """A leg with everything the vehicle process needs resolved once, before the run."""

    __slots__ = (
        "closure",
        "headway",
        "headway_hours",
        "link_id",
        "noise",
        "place",
        "running",
        "section",
        "simple",
        "stops",
    )

    def __init__(self, model: CorridorModel, step: LegStep):
        link = step.link
        self.link_id = link.id
        self.place = step.place
        self.running = link.running_hours
        self.closure = model.closures.get(link.id)
        self.section = model.sections.get(link.id)
        self.headway = model.headways.get((link.id, step.start))
        self.headway_hours = link.spec.headway_hours or 0.0
        self.noise = model._noise[link.id] if model._noise is not None else None
        self.stops = model._stops[link.id]
        # nothing but running for a fixed time: the vehicle process does it inline
        self.simple = (
            self.closure is None
            and self.section is None
            and self.headway is None
            and self.noise is None
            and not self.stops
        )


POST, LEG, FACILITY = range(3)
"""Kinds of the operations a vehicle goes through (see ``CorridorModel._operations``)."""


@dataclass
class RunRecords:
    """The tables of one replication (times in hours from the start)."""

    containers: pd.DataFrame
    vehicles: pd.DataFrame
    resources: pd.DataFrame
    resource_log: pd.DataFrame
    closures: pd.DataFrame
    flow_places: pd.DataFrame
    passages: pd.DataFrame
    stages: pd.DataFrame
    boardings: pd.DataFrame
    events: int


def _labels(labels: list[str], index: np.ndarray) -> pd.Categorical:
    """``labels[index]`` as a categorical column: each distinct label is stored once
    (a million containers on a route with a 100-character label would otherwise hold
    100 MB of text, and take most of the time to build the table)."""
    cats, code = np.unique(np.array(labels, dtype=object), return_inverse=True)
    return pd.Categorical.from_codes(code[index], categories=cats)


TRACE_PER_FLOW = 1000
"""Containers per flow (the first created after the warm-up) whose vehicles are listed in
``boardings``, for time–distance charts; listing every container would cost memory."""


class CorridorModel:
    """One replication of a scenario.

    Parameters
    ----------
    plan : Plan
        Routes, segments, posts and facilities (see :meth:`Plan.build`).
    replication : int
        Replication number; with ``seed`` it fixes every random stream.
    seed : int, optional
        Defaults to the scenario's ``simulation.seed``.
    """

    def __init__(self, plan: Plan, *, replication: int = 0, seed: int | None = None):
        self.plan = plan
        sc = plan.loaded.scenario
        self.scenario = sc
        self.seed = sc.simulation.seed if seed is None else int(seed)
        self.replication = int(replication)
        self.horizon = sc.simulation.horizon_days * 24.0
        self.warmup = sc.simulation.warmup_days * 24.0
        self.env = simpy.Environment()
        self.streams = Streams(self.seed, self.replication)
        env = self.env

        # records: flat lists (appending to a list is the cheapest way to keep them),
        # turned into numpy arrays at the end
        self.stages: list[float] = []  # flat (vehicle, category, place, hours, end) records
        self.vehicles: list[float] = []  # flat (segment, teu, depart, arrive) records
        # each vehicle's containers and the times they began to wait for it: listed per
        # vehicle, or, for queues with a precomputed schedule, the vehicles in order (the
        # k-th takes the queue's k-th run of known arrivals)
        self.manifest_vids: list[int] = []
        self.manifest_ids: list[np.ndarray] = []
        self.manifest_queued: list[np.ndarray] = []
        self.ranged_vids: list[list[int]] = [[] for _ in plan.segments]
        self.on_board = 0

        self._make_containers()
        self.closures: dict[str, Closure] = {}
        self._make_disruptions()
        self.posts = {k: _Post(self, p) for k, p in plan.posts.items()}
        self.facilities = {k: _Facility(self, f) for k, f in plan.facilities.items()}
        self.sections: dict[str, MonitoredResource] = {}
        self.headways: dict[tuple[str, str], MonitoredResource] = {}
        for seg in plan.segments:
            for step in seg.steps:
                if isinstance(step, LegStep):
                    self._make_line(step)
        noise = sc.operations.running_noise
        self._noise = (
            {
                lid: Sampler(noise, self.streams[f"running/{lid}"])
                for lid in {
                    st.link.id
                    for seg in plan.segments
                    for st in seg.steps
                    if isinstance(st, LegStep)
                }
            }
            if noise is not None
            else None
        )
        delays = sc.operations.en_route_delay_hours_per_100km
        self._stops: dict[str, list[tuple[float, Sampler]]] = {}
        for seg in plan.segments:
            for st in seg.steps:
                if not isinstance(st, LegStep) or st.link.id in self._stops:
                    continue
                per = delays.get(st.link.mode, {})
                self._stops[st.link.id] = [
                    (km / 100.0, Sampler(per[c], self.streams[f"stops/{st.link.id}/{c}"]))
                    for c, km in st.link.km_by_country.items()
                    if c in per
                ]
        self._ops = [self._operations(seg) for seg in plan.segments]
        # segments that end every route they are on: their vehicles deliver, and the
        # delivery times are read from the vehicle records once the run ends
        ends = {r.segments[-1] for r in plan.routes}
        inner = {k for r in plan.routes for k in r.segments[:-1]}
        self._final = [seg.key in ends and seg.key not in inner for seg in plan.segments]
        self._manifest_cache: tuple[tuple[int, float], tuple[np.ndarray, ...]] | None = None
        batch_fed = self._batch_fed()
        self.consolidators = [
            Consolidator(
                env,
                seg.capacity,
                seg.policy,
                self._dispatcher(seg),
                dispatch_range=self._range_dispatcher(seg),
                batch_fed=seg.key in batch_fed,
            )
            for seg in plan.segments
        ]
        self._feed_origins()
        self._rerouting = sc.disruptions.rerouting
        if self.warmup > 0:
            env.process(self._end_warmup())

    # --- set-up ----------------------------------------------------------------------------

    def _make_containers(self) -> None:
        sc = self.scenario
        times, flows = [], []
        for f, flow in enumerate(sc.demand):
            rng = self.streams[f"arrivals/{flow.name}"]
            rate = flow.teu / HOURS_PER_YEAR  # TEU per hour
            span = self.horizon - flow.start_hours
            if span <= 0:
                t = np.empty(0)
            elif flow.arrivals == "schedule":
                n = int(np.ceil(span * rate - 1e-9))
                t = flow.start_hours + np.arange(n) / rate
            else:
                parts = []
                last = flow.start_hours
                chunk = int(span * rate * 1.1) + 16
                while last < self.horizon:
                    gaps = rng.exponential(1.0 / rate, chunk)
                    c = last + np.cumsum(gaps)
                    parts.append(c)
                    last = float(c[-1])
                t = np.concatenate(parts)
            t = t[t < self.horizon]
            times.append(t)
            flows.append(np.full(len(t), f, dtype=np.int32))
        self.created = np.concatenate(times) if times else np.empty(0)
        self.flow = np.concatenate(flows) if flows else np.empty(0, dtype=np.int32)
        n = len(self.created)
        self.route = np.array([self.plan.flow_routes[f][0] for f in self.flow], dtype=np.int32)
        if n == 0:
            self.route = np.empty(0, dtype=np.int32)
        self.pos = np.zeros(n, dtype=np.int32)
        self.delivered = np.full(n, np.nan)

    def _feed_origins(self) -> None:
        first = np.array([r.segments[0] for r in self.plan.routes], dtype=np.int64)
        seg_of = first[self.route] if len(self.route) else np.empty(0, dtype=np.int64)
        for key in np.unique(seg_of):
            ids = np.flatnonzero(seg_of == key)
            self.consolidators[int(key)].set_future(self.created[ids], ids)

    def _batch_fed(self) -> set[int]:
        """Segments that can receive containers from arriving vehicles (or reroutes)."""
        fed = {seg for r in self.plan.routes for seg in r.segments[1:]}
        if self.scenario.disruptions.rerouting.enabled:
            fed |= {r.segments[0] for r in self.plan.routes}
        return fed

    def _operations(self, seg: SegmentPlan) -> list[tuple[int, Any, int]]:
        """A segment's steps as the flat list of operations its vehicles go through:
        ``(POST, post, place)``, ``(LEG, leg, place)``, ``(FACILITY, step, place)``.
        Posts that change nothing are left out."""
        ops: list[tuple[int, Any, int]] = []
        for st in seg.steps:
            if isinstance(st, OpStep):
                ops.append((FACILITY, st, st.place))
                continue
            if st.exit_post is not None and not self.posts[st.exit_post].trivial:
                ops.append((POST, self.posts[st.exit_post], st.exit_place))
            ops.append((LEG, _Leg(self, st), st.place))
            if st.entry_post is not None and not self.posts[st.entry_post].trivial:
                ops.append((POST, self.posts[st.entry_post], st.entry_place))
        return ops

    def _make_line(self, step: LegStep) -> None:
        spec = step.link.spec
        lid = step.link.id
        if spec.max_trains is not None and lid not in self.sections:
            self.sections[lid] = MonitoredResource(
                self.env, f"section {lid}", "line_section", spec.max_trains
            )
        if spec.headway_hours is not None and (lid, step.start) not in self.headways:
            self.headways[(lid, step.start)] = MonitoredResource(
                self.env, f"headway {lid} from {step.start}", "headway", 1
            )

    def _closure(self, target: str) -> Closure:
        c = self.closures.get(target)
        if c is None:
            c = self.closures[target] = Closure(self.env, target)
        return c

    def _canonical(self, target: str) -> str:
        net = self.plan.loaded.network
        return target if target in net.crossings else net.link(target).id

    def _make_disruptions(self) -> None:
        d = self.scenario.disruptions
        for k, inc in enumerate(d.random):
            target = self._canonical(inc.target)
            rng = self.streams[f"disruption/{k}/{target}"]
            self.env.process(
                self._incidents(self._closure(target), inc.rate_per_year, inc.duration_hours, rng)
            )
        for sc in d.scheduled:
            target = self._canonical(sc.target)
            self.env.process(
                self._scheduled(self._closure(target), sc.start_day * 24.0, sc.days * 24.0)
            )

    def _incidents(
        self, closure: Closure, rate_per_year: float, duration: Any, rng: np.random.Generator
    ) -> Generator[Any, Any, None]:
        env = self.env
        mean_gap = HOURS_PER_YEAR / rate_per_year
        while True:
            yield env.timeout(rng.exponential(mean_gap))
            hours = float(duration.sample(rng))
            closure.close(env.now + hours)
            yield env.timeout(hours)
            closure.open()

    def _scheduled(self, closure: Closure, start: float, hours: float) -> Generator[Any, Any, None]:
        yield self.env.timeout(start)
        closure.close(start + hours)
        yield self.env.timeout(hours)
        closure.open()

    def _end_warmup(self) -> Generator[Any, Any, None]:
        yield self.env.timeout(self.warmup)
        for group in (self.posts, self.facilities):
            for item in group.values():
                item.res.reset_stats()
        for res in (*self.sections.values(), *self.headways.values()):
            res.reset_stats()

    # --- vehicles ----------------------------------------------------------------------------

    def _dispatcher(self, seg: SegmentPlan):
        """The function a consolidation queue calls to start a vehicle of ``seg``."""
        key = seg.key
        env = self.env
        vehicles, manifest_vids, manifest_ids, manifest_queued = (
            self.vehicles,
            self.manifest_vids,
            self.manifest_ids,
            self.manifest_queued,
        )
        vehicle = self._vehicle
        rerouting = self.scenario.disruptions.rerouting.enabled
        final = self._final[key]
        nan = float("nan")

        def dispatch(ids: np.ndarray, qtimes: np.ndarray) -> None:
            if rerouting:
                ids, qtimes = self._reroute(seg, ids, qtimes)
                if len(ids) == 0:
                    return
            n = len(ids)
            vid = len(vehicles) // 4
            vehicles.extend((key, n, env.now, nan))
            manifest_vids.append(vid)
            manifest_ids.append(ids)
            manifest_queued.append(qtimes)
            self.on_board += n
            env.process(vehicle(vid, key, None if final else ids, n))

        return dispatch

    def _range_dispatcher(self, seg: SegmentPlan):
        """The same for a queue with a precomputed schedule (its known arrivals
        ``start:end``); a vehicle that delivers needs no list of its containers."""
        key = seg.key
        env = self.env
        vehicles, ranged = self.vehicles, self.ranged_vids[key]
        vehicle = self._vehicle
        final = self._final[key]
        nan = float("nan")

        def dispatch_range(start: int, end: int) -> None:
            n = end - start
            vid = len(vehicles) // 4
            vehicles.extend((key, n, env.now, nan))
            ranged.append(vid)
            self.on_board += n
            ids = None if final else self.consolidators[key].future_id[start:end]
            env.process(vehicle(vid, key, ids, n))

        return dispatch_range

    def _reroute(
        self, seg: SegmentPlan, ids: np.ndarray, qtimes: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Containers still at their origin switch route when a closure ahead is long."""
        now = self.env.now
        threshold = self._rerouting.threshold_hours
        keep = np.ones(len(ids), dtype=bool)
        at_origin = self.pos[ids] == 0
        for rid in np.unique(self.route[ids[at_origin]]):
            rp = self.plan.routes[int(rid)]
            if not self._blocked(rp.targets, now, threshold):
                continue
            for alt in self.plan.flow_routes[rp.flow]:
                ap = self.plan.routes[alt]
                if alt != rid and not self._blocked(ap.targets, now, threshold):
                    move = at_origin & (self.route[ids] == rid)
                    self.route[ids[move]] = alt
                    self.consolidators[ap.segments[0]].add(ids[move], qtimes[move])
                    keep &= ~move
                    break
        return ids[keep], qtimes[keep]

    def _blocked(self, targets: frozenset[str], now: float, threshold: float) -> bool:
        for t in targets:
            c = self.closures.get(t)
            if c is not None and c.closed and c.expected_end - now > threshold:
                return True
        return False

    def _vehicle(
        self, vid: int, key: int, ids: np.ndarray | None, n: int
    ) -> Generator[Any, Any, None]:
        """A train or truck of segment ``key`` carrying ``n`` TEU: ``ids``, needed only
        to hand them over at the end (``None`` if the segment ends their routes).

        Border posts and plain running are done here rather than in sub-generators: a
        vehicle passes several of them, and each level of ``yield from`` costs time on
        every resumption. Less common steps have their own generators."""
        env = self.env
        stages = self.stages
        for kind, obj, place in self._ops[key]:
            if kind == POST:
                closure = obj.closure
                if closure is not None and closure.closed:
                    yield from self._wait_closure(vid, closure, place)
                t0 = env.now
                res = obj.res
                req, granted = res.try_acquire()
                if not granted:
                    yield req
                    res.granted(t0)
                if obj.calendar is not None:
                    t_open = obj.calendar.next_open(env.now)
                    if t_open > env.now:
                        yield env.timeout(t_open - env.now)
                now = env.now
                if now > t0:
                    stages.extend((vid, BQUEUE, place, now - t0, now))
                hours = obj.processing()
                if obj.channels:
                    hours += obj.channel_hours()
                if hours > 0:
                    yield env.timeout(hours)
                    stages.extend((vid, BPROC, place, hours, env.now))
                res.release(req)
            elif kind == LEG:
                if obj.simple:
                    hours = obj.running
                    if hours > 0:
                        yield env.timeout(hours)
                        stages.extend((vid, RUN, place, hours, env.now))
                else:
                    yield from self._leg(vid, obj)
            else:
                yield from self._operation(vid, obj, n)
        now = env.now
        self.vehicles[4 * vid + 3] = now
        self.on_board -= n
        if ids is not None:
            self._handover(ids, now)

    def _handover(self, ids: np.ndarray, now: float) -> None:
        if len(ids) == 1:  # a truck with one TEU: no array work
            i = ids[0]
            segs = self.plan.routes[self.route[i]].segments
            p = self.pos[i] + 1
            if p >= len(segs):
                self.delivered[i] = now
            else:
                self.pos[i] = p
                self.consolidators[segs[p]].add(ids, np.full(1, now))
            return
        routes = self.route[ids]
        nxt = self.pos[ids] + 1
        if (routes == routes[0]).all() and (nxt == nxt[0]).all():
            groups = [(int(routes[0]), int(nxt[0]), ids)]
        else:
            key = routes.astype(np.int64) * 1_000_000 + nxt
            groups = []
            for k in np.unique(key):
                sel = ids[key == k]
                groups.append((int(k // 1_000_000), int(k % 1_000_000), sel))
        for rid, p, sel in groups:
            segs = self.plan.routes[rid].segments
            if p >= len(segs):
                self.delivered[sel] = now
            else:
                self.pos[sel] = p
                self.consolidators[segs[p]].add(sel, np.full(len(sel), now))

    def _wait_closure(self, vid: int, closure: Closure, place: int) -> Generator[Any, Any, None]:
        t0 = self.env.now
        while closure.closed:
            yield closure.reopened
        self.stages.extend((vid, DISR, place, self.env.now - t0, self.env.now))

    def _leg(self, vid: int, leg: _Leg) -> Generator[Any, Any, None]:
        env = self.env
        closure = leg.closure
        if closure is not None and closure.closed:
            yield from self._wait_closure(vid, closure, leg.place)
        t0 = env.now
        section = leg.section
        req = None
        if section is not None:
            req = yield from section.acquire()
        headway = leg.headway
        if headway is not None:
            hreq = yield from headway.acquire()
            env.process(self._release_after(headway, hreq, leg.headway_hours))
        if env.now > t0:
            self.stages.extend((vid, LINE, leg.place, env.now - t0, env.now))
        hours = leg.running
        if leg.noise is not None:
            hours *= leg.noise()
        if hours > 0:
            yield env.timeout(hours)
            self.stages.extend((vid, RUN, leg.place, hours, env.now))
        if leg.stops:
            delay = sum(per_100km * draw() for per_100km, draw in leg.stops)
            if delay > 0:
                yield env.timeout(delay)
                self.stages.extend((vid, STOP, leg.place, delay, env.now))
        if section is not None:
            section.release(req)

    def _release_after(
        self, res: MonitoredResource, req: Any, hours: float
    ) -> Generator[Any, Any, None]:
        yield self.env.timeout(hours)
        res.release(req)

    def _operation(self, vid: int, step: OpStep, n: int) -> Generator[Any, Any, None]:
        env = self.env
        fac = self.facilities[step.facility]
        t0 = env.now
        res = fac.res
        req = yield from res.acquire()
        hours = fac.per_train()
        if fac.per_teu is not None:
            hours += fac.per_teu() * n
        if hours > 0:
            yield env.timeout(hours)
        res.release(req)
        if env.now > t0:
            self.stages.extend((vid, TRANS, step.place, env.now - t0, env.now))

    # --- running and records -------------------------------------------------------------

    def run(self) -> RunRecords:
        """Simulate to the horizon, check conservation, and return the records."""
        self.env.run(until=self.horizon)
        self._check_conservation()
        return self._records()

    def _waiting(self) -> int:
        return sum(c.waiting() for c in self.consolidators)

    def _manifests(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The vehicle records as arrays, ``(vehicles, ids, vehicle of each, queued)``:
        one row per vehicle ``(segment, teu, depart, arrive)``, then one entry per
        container carried. Delivery times on final segments are filled in here."""
        nv = len(self.vehicles) // 4
        state = (nv, self.env.now)  # nothing changes unless the clock moves on
        if self._manifest_cache is not None and self._manifest_cache[0] == state:
            return self._manifest_cache[1]  # type: ignore[return-value]
        veh = np.array(self.vehicles, dtype=float).reshape(nv, 4)
        teu = veh[:, 1].astype(np.int64)
        vids = np.array(self.manifest_vids, dtype=np.int64)
        parts = [
            (
                np.repeat(vids, teu[vids]),
                np.concatenate([np.empty(0, dtype=np.int64), *self.manifest_ids]),
                np.concatenate([np.empty(0), *self.manifest_queued]),
            )
        ]
        for cons, ranged in zip(self.consolidators, self.ranged_vids, strict=True):
            if ranged:
                end = cons.schedule_ends[len(ranged) - 1]
                rv = np.array(ranged, dtype=np.int64)
                parts.append((np.repeat(rv, teu[rv]), cons.future_id[:end], cons.future_t[:end]))
        m_vid = np.concatenate([p[0] for p in parts])
        order = np.argsort(m_vid, kind="stable")  # by vehicle, each in boarding order
        m_vid = m_vid[order]
        m_ids = np.concatenate([p[1] for p in parts]).astype(np.int64, copy=False)[order]
        m_q = np.concatenate([p[2] for p in parts]).astype(float, copy=False)[order]
        final = np.array(self._final, dtype=bool)
        arrive = veh[m_vid, 3]
        done = final[veh[m_vid, 0].astype(np.int64)] & ~np.isnan(arrive)
        self.delivered[m_ids[done]] = arrive[done]
        out = (veh, m_ids, m_vid, m_q)
        self._manifest_cache = (state, out)
        return out

    def _check_conservation(self) -> None:
        """Containers created so far = delivered + waiting + on board (at any time)."""
        self._manifests()
        created = int(np.count_nonzero(self.created <= self.env.now + EPS))
        delivered = int(np.count_nonzero(~np.isnan(self.delivered)))
        in_system = self._waiting() + self.on_board
        if created != delivered + in_system:
            raise ConservationError(
                f"replication {self.replication}: {created} containers created but "
                f"{delivered} delivered + {in_system} in the system "
                f"({self._waiting()} waiting, {self.on_board} on board)"
            )

    def _records(self) -> RunRecords:
        n = len(self.created)
        veh, m_ids, m_vid, m_q = self._manifests()
        nv = len(veh)
        st = np.array(self.stages, dtype=float).reshape(-1, 5)
        ncat = len(CATEGORIES)
        cell = st[:, 0].astype(np.int64) * ncat + st[:, 1].astype(np.int64)
        per_vehicle = np.bincount(cell, weights=st[:, 3], minlength=nv * ncat).reshape(nv, ncat)
        breakdown = np.zeros((n, ncat))
        departed = np.full(n, np.inf)
        dep = veh[m_vid, 2]
        m_cons = dep - m_q
        # a vehicle still running at the horizon has only part of its stages
        for c in range(ncat):
            w = m_cons if c == CONS else per_vehicle[m_vid, c]
            breakdown[:, c] = np.bincount(m_ids, weights=w, minlength=n)
        np.minimum.at(departed, m_ids, dep)
        departed[np.isinf(departed)] = np.nan
        transit = self.delivered - self.created
        plan = self.plan
        flows = self.scenario.demand
        route_cost = np.array([r.cost_usd_per_teu for r in plan.routes])
        containers = pd.DataFrame(
            {
                "replication": np.full(n, self.replication, dtype=np.int32),
                "container": np.arange(n, dtype=np.int64),
                "flow": _labels([f.name for f in flows], self.flow),
                "route": _labels([r.route.label for r in plan.routes], self.route),
                "route_index": self.route,
                "created_h": self.created,
                "departed_h": departed,
                "delivered_h": self.delivered,
                "transit_h": transit,
                **{f"{c}_h": breakdown[:, i] for i, c in enumerate(CATEGORIES)},
                "cost_usd": route_cost[self.route] if n else np.empty(0),
                "after_warmup": self.created >= self.warmup,
                "delivered": ~np.isnan(self.delivered),
            }
        )
        segs = plan.segments
        seg_idx = veh[:, 0].astype(np.int64)
        vehicles = pd.DataFrame(
            {
                "replication": np.full(nv, self.replication, dtype=np.int32),
                "vehicle": np.arange(nv, dtype=np.int64),
                "kind": _labels(["train" if s.mode == "rail" else "truck" for s in segs], seg_idx),
                "segment": seg_idx,
                "from": _labels([s.start for s in segs], seg_idx),
                "to": _labels([s.end for s in segs], seg_idx),
                "gauge_mm": np.array([s.gauge_mm or 0 for s in segs])[seg_idx] if nv else [],
                "teu": veh[:, 1].astype(np.int64),
                "depart_h": veh[:, 2],
                "arrive_h": veh[:, 3],
                **{f"{c}_h": per_vehicle[:, i] for i, c in enumerate(CATEGORIES) if i != CONS},
            }
        )
        rows, logs = [], []
        resources = [
            *(p.res for p in self.posts.values()),
            *(f.res for f in self.facilities.values()),
            *self.sections.values(),
            *self.headways.values(),
        ]
        for res in resources:
            rows.append(
                {
                    "replication": self.replication,
                    "resource": res.name,
                    "kind": res.kind,
                    "capacity": res.capacity or 0,
                    **res.stats(),
                }
            )
            arr = res.states()
            if len(arr):
                logs.append(
                    pd.DataFrame(
                        {
                            "replication": self.replication,
                            "resource": res.name,
                            "t_h": arr[:, 0],
                            "queue": arr[:, 1].astype(np.int64),
                            "busy": arr[:, 2].astype(np.int64),
                        }
                    )
                )
        res_df = pd.DataFrame(
            rows,
            columns=[
                "replication",
                "resource",
                "kind",
                "capacity",
                "served",
                "mean_busy",
                "utilisation",
                "mean_queue",
                "mean_wait_h",
            ],
        )
        log_df = (
            pd.concat(logs, ignore_index=True)
            if logs
            else pd.DataFrame(columns=["replication", "resource", "t_h", "queue", "busy"])
        )
        closures = pd.DataFrame(
            [
                {"replication": self.replication, "target": c.name, "start_h": a, "end_h": b}
                for c in self.closures.values()
                for a, b in c.log
            ],
            columns=["replication", "target", "start_h", "end_h"],
        )
        flow_places = self._flow_places(st, veh, m_ids, m_vid, m_cons)
        passages = self._passages(st, veh)
        stages = pd.DataFrame(
            {
                "replication": np.full(len(st), self.replication, dtype=np.int32),
                "vehicle": st[:, 0].astype(np.int64),
                "category": st[:, 1].astype(np.int8),
                "place": st[:, 2].astype(np.int32),
                "hours": st[:, 3],
                "end_h": st[:, 4],
            }
        )
        return RunRecords(
            containers,
            vehicles,
            res_df,
            log_df,
            closures,
            flow_places,
            passages,
            stages,
            self._boardings(m_ids, m_vid, m_q),
            events=len(self.stages) // 5,
        )

    def _boardings(self, m_ids: np.ndarray, m_vid: np.ndarray, m_q: np.ndarray) -> pd.DataFrame:
        """The vehicles that carried the traced containers (see ``TRACE_PER_FLOW``)."""
        traced = np.zeros(len(self.created), dtype=bool)
        after = self.created >= self.warmup
        for f in range(len(self.scenario.demand)):
            idx = np.flatnonzero(after & (self.flow == f))
            traced[idx[np.argsort(self.created[idx], kind="stable")[:TRACE_PER_FLOW]]] = True
        keep = traced[m_ids] if len(m_ids) else np.zeros(0, dtype=bool)
        return pd.DataFrame(
            {
                "replication": np.full(int(keep.sum()), self.replication, dtype=np.int32),
                "vehicle": m_vid[keep],
                "container": m_ids[keep],
                "queued_h": m_q[keep],
            }
        )

    def _flow_places(
        self,
        st: np.ndarray,
        veh: np.ndarray,
        m_ids: np.ndarray,
        m_vid: np.ndarray,
        m_cons: np.ndarray,
    ) -> pd.DataFrame:
        """Hours spent at each place, by category, summed over each flow's containers
        created after the warm-up and delivered (divide by ``containers`` for means)."""
        n_places = len(self.plan.places)
        ncat = len(CATEGORIES)
        nv = len(veh)
        sel = (self.created >= self.warmup) & ~np.isnan(self.delivered)
        queue_place = np.array([s.queue_place for s in self.plan.segments], dtype=np.int64)
        v_place = queue_place[veh[:, 0].astype(np.int64)]
        s_vid = st[:, 0].astype(np.int64)
        s_key = st[:, 2].astype(np.int64) * ncat + st[:, 1].astype(np.int64)
        rows = []
        for f, flow in enumerate(self.scenario.demand):
            mine = sel & (self.flow == f)
            count = int(mine.sum())
            keep = mine[m_ids]
            w = np.bincount(m_vid[keep], minlength=nv).astype(float)
            total = np.bincount(s_key, weights=st[:, 3] * w[s_vid], minlength=n_places * ncat)
            cons_key = v_place[m_vid[keep]] * ncat + CONS
            total += np.bincount(cons_key, weights=m_cons[keep], minlength=n_places * ncat)
            for key in np.flatnonzero(total > 0):
                rows.append(
                    (
                        self.replication,
                        flow.name,
                        int(key // ncat),
                        CATEGORIES[key % ncat],
                        float(total[key]),
                        count,
                    )
                )
        return pd.DataFrame(
            rows, columns=["replication", "flow", "place", "category", "hours", "containers"]
        )

    def _passages(self, st: np.ndarray, veh: np.ndarray) -> pd.DataFrame:
        """Hours each vehicle spent crossing each border (CPMM TFI1: both posts, the link
        between them and any closure), for vehicles that left after the warm-up and
        finished their segment."""
        columns = [
            "replication",
            "vehicle",
            "crossing",
            "mode",
            "from_country",
            "hours",
            "depart_h",
        ]
        places = self.plan.places
        names = sorted({p.crossing for p in places if p.crossing})
        if not names or not len(st):
            return pd.DataFrame(columns=columns)
        code = {name: k for k, name in enumerate(names)}
        cross_of = np.array([code.get(p.crossing or "", -1) for p in places], dtype=np.int64)
        exits = [
            next(iter(p.countries)) if p.kind == "post" and p.key.endswith("/exit") else ""
            for p in places
        ]
        countries = sorted(set(exits))  # "" first: a group's largest is its exit country
        country_of = np.array([countries.index(c) for c in exits], dtype=np.int64)
        place = st[:, 2].astype(np.int64)
        on = cross_of[place] >= 0
        vid = st[on, 0].astype(np.int64)
        # one group per (vehicle, crossing), in that order
        groups, inverse = np.unique(vid * len(names) + cross_of[place[on]], return_inverse=True)
        hours = np.bincount(inverse, weights=st[on, 3], minlength=len(groups))
        country = np.zeros(len(groups), dtype=np.int64)
        np.maximum.at(country, inverse, country_of[place[on]])
        g_vid = groups // len(names)
        depart = veh[g_vid, 2]
        keep = (depart >= self.warmup) & ~np.isnan(veh[g_vid, 3])  # finished: not mid-crossing
        seg_mode = np.array([s.mode for s in self.plan.segments], dtype=object)
        return pd.DataFrame(
            {
                "replication": np.full(int(keep.sum()), self.replication, dtype=np.int64),
                "vehicle": g_vid[keep],
                "crossing": np.array(names, dtype=object)[groups[keep] % len(names)],
                "mode": seg_mode[veh[g_vid[keep], 0].astype(np.int64)],
                "from_country": np.array(countries, dtype=object)[country[keep]],
                "hours": hours[keep],
                "depart_h": depart[keep],
            },
            columns=columns,
        )
