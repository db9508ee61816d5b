"""Offered load on every capacity-limited resource, from demand alone (no simulation).

Load = work arriving per hour / work the resource can do per hour. At a load of 1 or
more the queue grows for as long as the run lasts, whatever the horizon; the run still
goes ahead, but the user is told where the bottleneck is.
"""

from __future__ import annotations

from dataclasses import dataclass

from corridorsim.engine.calendar import Departures, OpeningCalendar
from corridorsim.engine.plan import LegStep, OpStep, Plan
from corridorsim.scenario.format import Timetable
from corridorsim.units import HOURS_PER_DAY, HOURS_PER_WEEK, HOURS_PER_YEAR

__all__ = ["Load", "offered_loads"]


@dataclass(frozen=True)
class Load:
    """``load`` = demand / capacity at the resource named ``name``."""

    name: str
    kind: str
    load: float

    @property
    def message(self) -> str:
        return (
            f"demand exceeds capacity at {self.name}: offered load {self.load:.2f} "
            "(queues there grow without bound over the horizon)"
        )


def _open_fraction(cal: OpeningCalendar) -> float:
    if cal.always:
        return 1.0
    return cal.open_hours_per_week() / HOURS_PER_WEEK


def offered_loads(plan: Plan) -> list[Load]:
    """Offered load at each post, terminal, line section, headway and departure timetable,
    highest first. Vehicles per hour assume full vehicles (the fewest possible), so a
    load at or above 1 means the resource cannot keep up whatever the consolidation."""
    sc = plan.loaded.scenario
    teu_rate: dict[int, float] = {}  # segment -> TEU per hour
    for f, flow in enumerate(sc.demand):
        route = plan.routes[plan.flow_routes[f][0]]
        for k in route.segments:
            teu_rate[k] = teu_rate.get(k, 0.0) + flow.teu / HOURS_PER_YEAR
    work: dict[tuple[str, str], float] = {}
    capacity: dict[tuple[str, str], float] = {}

    def add(kind: str, name: str, hours_per_hour: float, cap: float) -> None:
        work[(kind, name)] = work.get((kind, name), 0.0) + hours_per_hour
        capacity[(kind, name)] = cap

    for key, rate in teu_rate.items():
        seg = plan.segments[key]
        vehicles = rate / seg.capacity
        if isinstance(seg.policy, Timetable):
            per_hour = len(Departures(seg.policy.times, seg.policy.days).instants) / 168
            add("timetable", f"departures from {seg.start} ({seg.mode})", vehicles, per_hour)
        for step in seg.steps:
            for kind, name, hours, cap in _step_work(plan, step, seg.capacity):
                add(kind, name, vehicles * hours, cap)
    for kind, name, hours_per_hour, cap in _background_work(plan):
        add(kind, name, hours_per_hour, cap)
    loads = [
        Load(name, kind, work[(kind, name)] / capacity[(kind, name)])
        for (kind, name) in work
        if capacity[(kind, name)] > 0
    ]
    return sorted(loads, key=lambda x: -x.load)


def _background_work(plan: Plan) -> list[tuple[str, str, float, float]]:
    """What background traffic asks of each lane-limited post: ``(kind, name, hours of
    work per hour, open lanes)`` (an entry post's background comes from its exit)."""
    out = []
    for post in plan.posts.values():
        source = plan.posts.get(post.pair) if post.pair is not None else post
        if source is None or post.params.capacity is None:
            continue
        rate = source.background_per_day / HOURS_PER_DAY
        if rate <= 0:
            continue
        per = post.processing.mean + sum(
            ch.probability * ch.extra_hours.mean for ch in post.params.channels
        )
        oh = post.params.opening_hours
        frac = _open_fraction(OpeningCalendar(oh.open, oh.close, oh.days))
        out.append(
            ("border_post", f"border post {post.key}", rate * per, post.params.capacity * frac)
        )
    return out


def _step_work(plan: Plan, step: LegStep | OpStep, teu: int) -> list[tuple[str, str, float, float]]:
    """What one vehicle of ``teu`` asks of the resources of a step: ``(kind, name,
    hours of work, servers)`` for each capacity-limited one."""
    if isinstance(step, OpStep):
        fac = plan.facilities[step.facility]
        per = fac.hours_per_train.mean
        if fac.params.hours_per_teu is not None:
            per += fac.params.hours_per_teu.mean * teu
        return [("terminal", f"terminal {fac.key}", per, fac.params.capacity)]
    out: list[tuple[str, str, float, float]] = []
    link, spec = step.link, step.link.spec
    if spec.max_trains is not None:
        out.append(
            ("line_section", f"single-track section {link.id}", link.running_hours, spec.max_trains)
        )
    if spec.headway_hours is not None:
        out.append(("headway", f"headway on {link.id} from {step.start}", spec.headway_hours, 1.0))
    for post_key in (step.exit_post, step.entry_post):
        post = plan.posts[post_key] if post_key is not None else None
        if post is None or post.params.capacity is None:
            continue
        per = post.processing.mean + sum(
            ch.probability * ch.extra_hours.mean for ch in post.params.channels
        )
        oh = post.params.opening_hours
        frac = _open_fraction(OpeningCalendar(oh.open, oh.close, oh.days))
        out.append(("border_post", f"border post {post.key}", per, post.params.capacity * frac))
    return out
