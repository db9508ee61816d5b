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

from corridorsim.engine.calendar import OpeningCalendar
from corridorsim.engine.output import Stage
from corridorsim.engine.plan import FacilityPlan, LegStep, OpStep, PostPlan
from corridorsim.engine.resources import Closure, MonitoredResource, ResourceId
from corridorsim.engine.sampling import Sampler

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
        rid = ResourceId(
            "border_post",
            crossing=p.crossing,
            mode=p.mode,
            country=p.country,
            role=p.role,
            direction=p.direction,
        )
        self.res = MonitoredResource(model.env, rid, p.params.capacity)
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


class Facility:
    """A terminal in the running model."""

    __slots__ = ("per_teu", "per_train", "plan", "res")

    def __init__(self, model: CorridorModel, f: FacilityPlan):
        self.plan = f
        country = model.plan.loaded.network.nodes[f.node].country
        rid = ResourceId("terminal", country=country, role=f.kind, node=f.node)
        self.res = MonitoredResource(model.env, rid, f.params.capacity)
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
        if kind == POST:
            closure = obj.closure
            if closure is not None and closure.closed:
                yield from _wait_closure(model, vid, closure, place)
            if obj.calendar is not None:
                yield from _post_with_hours(model, vid, obj, place)
                continue
            t0 = env.now
            res = obj.res
            req, granted = res.try_acquire()
            if not granted:
                yield req
                res.granted(t0)
                stages.extend((vid, BQUEUE, place, env.now - t0, env.now))
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
                yield from _leg(model, vid, obj)
        else:
            yield from _operation(model, vid, obj, n)
    now = env.now
    model.vehicles[4 * vid + 3] = now
    model.on_board -= n
    if ids is not None:
        handover(model, ids, now)


def handover(model: CorridorModel, ids: np.ndarray, now: float) -> None:
    """Containers ``ids`` reach the end of a segment at ``now``: delivered, or queued
    for the next segment of their route."""
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


def _post_with_hours(
    model: CorridorModel, vid: int, post: Post, place: int
) -> Generator[Any, Any, None]:
    """A post with opening hours: a vehicle that finds it closed waits outside (booked
    ``border_closed``) before it queues for a lane; processing runs only while the post
    is open and pauses, lane held, from closing until it reopens (``border_closed``).
    Time queued while the post is closed is ``border_closed`` too."""
    env = model.env
    stages = model.stages
    cal = post.calendar
    assert cal is not None
    wait = cal.next_open(env.now) - env.now
    if wait > 0:
        yield env.timeout(wait)
        stages.extend((vid, BCLOSED, place, wait, env.now))
    t0 = env.now
    req, granted = post.res.try_acquire()
    if not granted:
        yield req
        post.res.granted(t0)
        closed = cal.closed_hours(t0, env.now)
        _book(stages, vid, place, env.now, env.now - t0 - closed, closed)
    work = post.processing()
    if post.channels:
        work += post.channel_hours()
    busy = closed = 0.0
    while work > 1e-12:
        now = env.now
        t_open = cal.next_open(now)
        if t_open > now:
            closed += t_open - now
            yield env.timeout(t_open - now)
            continue
        run = min(work, cal.next_close(now) - now)
        yield env.timeout(run)
        work -= run
        busy += run
    if busy > 0:
        stages.extend((vid, BPROC, place, busy, env.now))
    if closed > 0:
        stages.extend((vid, BCLOSED, place, closed, env.now))
    post.res.release(req)


def _book(stages: list[Any], vid: int, place: int, now: float, queue: float, closed: float) -> None:
    if queue > 1e-12:
        stages.extend((vid, BQUEUE, place, queue, now))
    if closed > 1e-12:
        stages.extend((vid, BCLOSED, place, closed, now))


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
    res = fac.res
    req = yield from res.acquire()
    hours = fac.per_train()
    if fac.per_teu is not None:
        hours += fac.per_teu() * n
    if hours > 0:
        yield env.timeout(hours)
    res.release(req)
    if env.now > t0:
        model.stages.extend((vid, TRANS, step.place, env.now - t0, env.now))
