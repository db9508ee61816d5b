"""The processes of trains and trucks: border posts, legs and terminal operations, and
the hand-over of containers at the end of a segment.

Each vehicle is a SimPy process (:func:`vehicle`) running its segment's operations,
resolved before the run into :class:`Post`, :class:`Leg` and :class:`Facility`
objects. The model (:class:`~corridorsim.engine.model.CorridorModel`) owns every piece
of state; these functions take it as their first argument.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import numpy as np

from corridorsim.engine.availability import Availability
from corridorsim.engine.calendar import OpeningCalendar
from corridorsim.engine.lanes import LanePost, Placement
from corridorsim.engine.output import Stage
from corridorsim.engine.plan import FacilityPlan, LegStep, OpStep, PostPlan
from corridorsim.engine.ports import Landing
from corridorsim.engine.resources import Closure, MonitoredResource, ResourceId
from corridorsim.engine.sampling import Sampler, arrival_times
from corridorsim.units import HOURS_PER_DAY

if TYPE_CHECKING:  # for annotations only: the model imports this module
    from corridorsim.engine.model import CorridorModel

__all__ = ["FACILITY", "LEG", "POST", "Facility", "Leg", "Post", "vehicle"]

RUN, LINE, BQUEUE, BPROC, TRANS, DISR, STOP, BCLOSED = (
    int(Stage.RUNNING),
    int(Stage.LINE_WAIT),
    int(Stage.BORDER_QUEUE),
    int(Stage.BORDER_PROCESSING),
    int(Stage.TRANSSHIPMENT),
    int(Stage.DISRUPTION),
    int(Stage.EN_ROUTE_DELAY),
    int(Stage.BORDER_CLOSED),
)
POST, LEG, FACILITY = range(3)
"""Kinds of the operations a vehicle goes through (see ``CorridorModel.operations``)."""


class Post:
    """A border post in the running model: its lanes (shared with background traffic),
    its draws of processing and inspection time, and its closures."""

    __slots__ = (
        "calendar",
        "channel_rng",
        "channels",
        "clearance",
        "closure",
        "id",
        "lanes",
        "plan",
        "processing",
        "trivial",
    )

    def __init__(self, model: CorridorModel, p: PostPlan):
        oh = p.params.opening_hours
        self.plan = p
        self.id = ResourceId(
            "border_post",
            crossing=p.crossing,
            mode=p.mode,
            country=p.country,
            role=p.role,
            direction=p.direction,
        )
        cal = OpeningCalendar(oh.open, oh.close, oh.days)
        self.calendar = None if cal.always else cal
        self.processing = Sampler(p.processing, model.streams[f"border/{p.key}"])
        # the scenario's trucks may clear faster than CPMM's average consignment; the
        # background traffic does not (draw_clearance)
        share = model.scenario.operations.truck_delay_share if p.mode == "road" else 1.0
        self.clearance = (
            None
            if p.clearance is None
            else Sampler(p.clearance, model.streams[f"clearance/{p.key}"], share)
        )
        self.channels = [
            (ch.probability, Sampler(ch.extra_hours, model.streams[f"channel/{p.key}/{ch.name}"]))
            for ch in p.params.channels
        ]
        self.channel_rng = model.streams[f"channel/{p.key}"]
        self.closure = model.closures.get(p.crossing)
        hours: OpeningCalendar | Availability | None = self.calendar
        if self.closure is not None:  # closed for everyone: its lanes wait it out
            hours = Availability(self.calendar, self.closure.spells)
        self.lanes = LanePost(p.params.capacity, hours)
        days = model.scenario.borders.closure_backlog_days
        self.lanes.backlog_cap = days * p.background_per_day
        if p.background_per_day > 0:
            arrivals = background_arrivals(model, p.background_per_day, f"background/{p.key}")
            self.lanes.background_arrivals = arrivals
            self.lanes.background_work = self.draw_work(model, len(arrivals))
            self.lanes.background_clearance = self.draw_clearance(model, len(arrivals))
        # no time, no limit, always open, never closed: passing it changes nothing
        self.trivial = (
            self.processing.constant == 0
            and self.clearance is None
            and not self.channels
            and p.params.capacity is None
            and self.calendar is None
            and self.closure is None
        )

    def draw_work(self, model: CorridorModel, n: int) -> np.ndarray:
        """Processing and inspection hours of ``n`` background vehicles, from the
        post's distributions and a stream of their own."""
        p = self.plan
        rng = model.streams[f"background-work/{p.key}"]
        work = np.asarray(p.processing.sample(rng, n), dtype=float)
        if p.params.channels:
            u = rng.random(n)
            edges = np.cumsum([ch.probability for ch in p.params.channels])
            which = np.searchsorted(edges, u, side="right")
            for i, ch in enumerate(p.params.channels):
                sel = which == i
                if sel.any():
                    work[sel] += ch.extra_hours.sample(rng, int(sel.sum()))
        return work

    def draw_clearance(self, model: CorridorModel, n: int) -> np.ndarray:
        """Clearance hours of ``n`` background vehicles (none if the post has no
        clearance), from a stream of their own."""
        p = self.plan
        if p.clearance is None:
            return np.empty(0)
        rng = model.streams[f"background-clearance/{p.key}"]
        return np.asarray(p.clearance.sample(rng, n), dtype=float)

    def work(self) -> float:
        """Processing and inspection hours of one corridor vehicle."""
        hours = self.processing()
        if self.channels:
            hours += self.channel_hours()
        return hours

    def channel_hours(self) -> float:
        """Extra hours of the inspection channel drawn for one vehicle."""
        u = self.channel_rng.random()
        acc = 0.0
        for probability, extra in self.channels:
            acc += probability
            if u < acc:
                return extra()
        return 0.0


def background_arrivals(model: CorridorModel, per_day: float, stream: str) -> np.ndarray:
    """Arrival times (hours) of background traffic at ``per_day`` vehicles a day over the
    run: a Poisson process from its own random stream."""
    rate = per_day / HOURS_PER_DAY
    return arrival_times(rate, 0.0, model.horizon, "poisson", model.streams[stream])


class Facility:
    """A terminal in the running model: trains served first come, first served, on its
    capacity (trains at once), shared with its background trains."""

    __slots__ = ("id", "lanes", "per_teu", "per_train", "plan")

    def __init__(self, model: CorridorModel, f: FacilityPlan):
        self.plan = f
        country = model.plan.loaded.network.nodes[f.node].country
        self.id = ResourceId("terminal", country=country, role=f.kind, node=f.node)
        self.lanes = LanePost(f.params.capacity, None)
        if f.background_per_day > 0:
            stream = f"background/terminal/{f.key}"
            arrivals = background_arrivals(model, f.background_per_day, stream)
            self.lanes.background_arrivals = arrivals
            # EST: a background train takes a train's time, not per TEU (its load is unknown)
            self.lanes.background_work = np.asarray(
                f.hours_per_train.sample(model.streams[stream], len(arrivals)), dtype=float
            )
        rng = model.streams[f"terminal/{f.key}"]
        self.per_train = Sampler(f.hours_per_train, rng)
        per_teu = f.params.hours_per_teu
        self.per_teu = (
            None
            if per_teu is None
            else Sampler(per_teu, model.streams[f"terminal/{f.key}/per-teu"])
        )


class Leg:
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
        self.noise = model.noise[link.id] if model.noise is not None else None
        self.stops = model.stops[link.id]
        # nothing but running for a fixed time: the vehicle process does it inline
        self.simple = (
            self.closure is None
            and self.section is None
            and self.headway is None
            and self.noise is None
            and not self.stops
        )


def vehicle(
    model: CorridorModel, vid: int, key: int, ids: np.ndarray | None, n: int
) -> Generator[Any, Any, None]:
    """A train or truck of segment ``key`` carrying ``n`` TEU: ``ids``, needed only to
    hand them over at the end (``None`` if the segment ends their routes).

    Border posts and plain running are done here rather than in sub-generators: a
    vehicle passes several of them, and each level of ``yield from`` costs time on every
    resumption. Less common steps have their own generators."""
    env = model.env
    stages = model.stages
    for kind, obj, place in model.operations[key]:
        if kind == POST:  # its lanes know its hours and closures: one placement
            if obj.clearance is not None:  # holds no lane: a delay before the queue
                hours = obj.clearance()
                if hours > 0:
                    yield env.timeout(hours)
                    stages.extend((vid, BPROC, place, hours, env.now))
            now = env.now
            pl = obj.lanes.serve(now, obj.work())
            if pl.end > now:
                yield env.timeout(pl.end - now)
            _post_stages(stages, vid, place, pl)
        elif kind == LEG:
            if obj.simple:
                hours = obj.running
                if hours > 0:
                    yield env.timeout(hours)
                    stages.extend((vid, RUN, place, hours, env.now))
            else:
                yield from _leg(model, vid, obj)
        else:
            yield from _operation(model, vid, obj, n)
    now = env.now
    model.vehicles[4 * vid + 3] = now
    model.on_board -= n
    if ids is not None:
        handover(model, ids, now, key)


def _post_stages(stages: Any, vid: int, place: int, pl: Placement) -> None:
    """Record where a vehicle's time at a post's lanes went: queue, closed, disrupted,
    processing, and pauses in its processing."""
    start = pl.end - pl.work - pl.paused - pl.disrupted_paused
    if pl.queue > 1e-12:
        stages.extend((vid, BQUEUE, place, pl.queue, start))
    if pl.closed > 1e-12:
        stages.extend((vid, BCLOSED, place, pl.closed, start))
    if pl.disrupted > 1e-12:
        stages.extend((vid, DISR, place, pl.disrupted, start))
    if pl.work > 0:
        stages.extend((vid, BPROC, place, pl.work, pl.end))
    if pl.paused > 1e-12:
        stages.extend((vid, BCLOSED, place, pl.paused, pl.end))
    if pl.disrupted_paused > 1e-12:
        stages.extend((vid, DISR, place, pl.disrupted_paused, pl.end))


def handover(model: CorridorModel, ids: np.ndarray, now: float, seg: int | None = None) -> None:
    """Containers ``ids`` reach the end of segment ``seg`` at ``now``: delivered, or
    queued for the next segment of their route (after dwelling in the port, where a
    ship lands them)."""
    landing = None if seg is None else model.plan.segments[seg].landing
    if landing is not None:
        _land(model, ids, now, landing)
        return
    if len(ids) == 1:  # a truck with one TEU: no array work
        i = ids[0]
        segs = model.plan.routes[model.route[i]].segments
        p = model.pos[i] + 1
        if p >= len(segs):
            model.delivered_h[i] = now
        else:
            model.pos[i] = p
            model.consolidators[segs[p]].add(ids, np.full(1, now))
        return
    routes = model.route[ids]
    nxt = model.pos[ids] + 1
    if (routes == routes[0]).all() and (nxt == nxt[0]).all():
        groups = [(int(routes[0]), int(nxt[0]), ids)]
    else:
        key = routes.astype(np.int64) * 1_000_000 + nxt
        groups = []
        for k in np.unique(key):
            sel = ids[key == k]
            groups.append((int(k // 1_000_000), int(k % 1_000_000), sel))
    for rid, p, sel in groups:
        segs = model.plan.routes[rid].segments
        if p >= len(segs):
            model.delivered_h[sel] = now
        else:
            model.pos[sel] = p
            model.consolidators[segs[p]].add(sel, np.full(len(sel), now))


def _land(model: CorridorModel, ids: np.ndarray, now: float, landing: Landing) -> None:
    """Containers a ship lands at a port: delivered if it is their end, else each
    dwells its own drawn hours in the port and then queues for its next segment."""
    nxt = model.pos[ids] + 1
    ends = np.array([len(model.plan.routes[r].segments) for r in model.route[ids]])
    done = nxt >= ends
    if done.any():
        model.delivered_h[ids[done]] = now
    going = ids[~done]
    if len(going) == 0:
        return
    hours = landing.hours.sample(model.streams[f"landing_dwell/{landing.port}"], len(going))
    model.landed[going] += hours
    model.landed_place[going] = landing.place
    model.in_landing += len(going)
    order = np.argsort(hours, kind="stable")
    model.env.process(_released(model, going[order], now + hours[order]))


def _released(
    model: CorridorModel, ids: np.ndarray, times: np.ndarray
) -> Generator[Any, Any, None]:
    """Queue each container for its next segment when its port dwell ends (``times``
    ascending)."""
    env = model.env
    for i, t in zip(ids, times, strict=True):
        if t > env.now:
            yield env.timeout(t - env.now)
        model.in_landing -= 1
        p = model.pos[i] + 1
        model.pos[i] = p
        segs = model.plan.routes[model.route[i]].segments
        model.consolidators[segs[p]].add(np.array([i]), np.full(1, env.now))


def _wait_closure(
    model: CorridorModel, vid: int, closure: Closure, place: int
) -> Generator[Any, Any, None]:
    env = model.env
    t0 = env.now
    while closure.closed:
        yield closure.reopened
    model.stages.extend((vid, DISR, place, env.now - t0, env.now))


def _leg(model: CorridorModel, vid: int, leg: Leg) -> Generator[Any, Any, None]:
    env = model.env
    closure = leg.closure
    if closure is not None and closure.closed:
        yield from _wait_closure(model, vid, closure, leg.place)
    t0 = env.now
    section = leg.section
    req = None
    if section is not None:
        req = yield from section.acquire()
    headway = leg.headway
    if headway is not None:
        hreq = yield from headway.acquire()
        env.process(_release_after(model, headway, hreq, leg.headway_hours))
    if env.now > t0:
        model.stages.extend((vid, LINE, leg.place, env.now - t0, env.now))
    hours = leg.running
    if leg.noise is not None:
        hours *= leg.noise()
    if hours > 0:
        yield env.timeout(hours)
        model.stages.extend((vid, RUN, leg.place, hours, env.now))
    if leg.stops:
        delay = sum(per_100km * draw() for per_100km, draw in leg.stops)
        if delay > 0:
            yield env.timeout(delay)
            model.stages.extend((vid, STOP, leg.place, delay, env.now))
    if section is not None:
        section.release(req)


def _release_after(
    model: CorridorModel, res: MonitoredResource, req: Any, hours: float
) -> Generator[Any, Any, None]:
    yield model.env.timeout(hours)
    res.release(req)


def _operation(model: CorridorModel, vid: int, step: OpStep, n: int) -> Generator[Any, Any, None]:
    env = model.env
    fac = model.facilities[step.facility]
    t0 = env.now
    hours = fac.per_train()
    if fac.per_teu is not None:
        hours += fac.per_teu() * n
    end = fac.lanes.serve(t0, hours).end
    if end > t0:
        yield env.timeout(end - t0)
        model.stages.extend((vid, TRANS, step.place, env.now - t0, env.now))
