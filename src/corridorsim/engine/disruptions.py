"""Closures of links and crossings (random incidents and scheduled spells) and the
rerouting of containers still at their origin when a closure ahead is long."""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from corridorsim.distributions import Distribution, LogNormal
from corridorsim.engine.plan import SegmentPlan
from corridorsim.engine.resources import Closure
from corridorsim.network.closures import builtin_closure_fit
from corridorsim.units import HOURS_PER_DAY, HOURS_PER_YEAR

if TYPE_CHECKING:  # for annotations only: the model imports this module
    from corridorsim.engine.model import CorridorModel

__all__ = ["make_disruptions", "reroute"]


def make_disruptions(model: CorridorModel) -> dict[str, Closure]:
    """Start a process for every random and scheduled closure of the scenario; returns
    the closures by target (a crossing id or a link id)."""
    env = model.env
    net = model.plan.loaded.network
    closures: dict[str, Closure] = {}

    def closure(target: str) -> Closure:
        canonical = target if target in net.crossings else net.link(target).id
        if canonical not in closures:
            closures[canonical] = Closure(env, canonical)
        return closures[canonical]

    d = model.scenario.disruptions
    for k, inc in enumerate(d.random):
        c = closure(inc.target)
        rng = model.streams[f"disruption/{k}/{c.name}"]
        env.process(_incidents(env, [c], inc.rate_per_year, inc.duration_hours, rng))
    for sc in d.scheduled:
        c = closure(sc.target)
        env.process(_scheduled(env, c, sc.start_day * HOURS_PER_DAY, sc.days * HOURS_PER_DAY))
    for k, sea in enumerate(d.seasonal):
        c = closure(sea.target)
        rng = model.streams[f"seasonal/{k}/{c.name}"]
        env.process(
            _seasonal(env, c, sea.start_hours, sea.days * HOURS_PER_DAY, sea.probability, rng)
        )
    if d.observed_closures:
        _observed(model, [closure(cid) for cid in d.observed_closures])
    return closures


def _observed(model: CorridorModel, targets: list[Closure]) -> None:
    """Closures as fitted to the observed record: each crossing alone at its rate, and
    all of them at once at the joint rate (each process with its own stream)."""
    fitted = builtin_closure_fit()
    assert fitted is not None  # the scenario check requires it
    fit = fitted.fit
    hours = LogNormal(mean=fit.duration.mean_days * HOURS_PER_DAY, sigma=fit.duration.sigma)
    env = model.env
    for c in targets:
        rate = fit.rate_per_year.get(c.name, 0.0)
        if rate > 0:
            rng = model.streams[f"observed_closures/{c.name}"]
            env.process(_incidents(env, [c], rate, hours, rng))
    joint = [c for c in targets if c.name in fit.joint]
    if joint and fit.joint_rate_per_year > 0:
        rng = model.streams["observed_closures/joint"]
        env.process(_incidents(env, joint, fit.joint_rate_per_year, hours, rng))


def _incidents(
    env: simpy.Environment,
    targets: list[Closure],
    rate_per_year: float,
    duration: Distribution,
    rng: np.random.Generator,
) -> Generator[Any, Any, None]:
    """Poisson incidents, each closing every one of ``targets`` for a drawn duration."""
    mean_gap = HOURS_PER_YEAR / rate_per_year
    while True:
        yield env.timeout(rng.exponential(mean_gap))
        hours = float(duration.sample(rng))
        for c in targets:
            c.close(env.now + hours)
        yield env.timeout(hours)
        for c in targets:
            c.open()


def _seasonal(
    env: simpy.Environment,
    closure: Closure,
    start: float,
    hours: float,
    probability: float,
    rng: np.random.Generator,
) -> Generator[Any, Any, None]:
    """Closed from ``start`` hours into each year for ``hours``, in a share
    ``probability`` of the years (one draw a year)."""
    year = 0
    while True:
        begin = year * HOURS_PER_YEAR + start
        happens = rng.random() < probability
        if begin > env.now:
            yield env.timeout(begin - env.now)
        if happens:
            closure.close(env.now + hours)
            yield env.timeout(hours)
            closure.open()
        year += 1


def _scheduled(
    env: simpy.Environment, closure: Closure, start: float, hours: float
) -> Generator[Any, Any, None]:
    yield env.timeout(start)
    closure.close(start + hours)
    yield env.timeout(hours)
    closure.open()


def reroute(
    model: CorridorModel, seg: SegmentPlan, ids: np.ndarray, qtimes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Of the containers about to leave on a vehicle of ``seg``, those still at their
    origin switch to the next route of their flow that no long closure blocks; returns
    the containers (and queue times) that stay."""
    now = model.env.now
    threshold = model.scenario.disruptions.rerouting.threshold_hours
    plan = model.plan
    keep = np.ones(len(ids), dtype=bool)
    at_origin = model.pos[ids] == 0
    for rid in np.unique(model.route[ids[at_origin]]):
        rp = plan.routes[int(rid)]
        if not _blocked(model.closures, rp.targets, now, threshold):
            continue
        for alt in plan.flow_routes[rp.flow]:
            ap = plan.routes[alt]
            if alt != rid and not _blocked(model.closures, ap.targets, now, threshold):
                move = at_origin & (model.route[ids] == rid)
                model.route[ids[move]] = alt
                model.consolidators[ap.segments[0]].add(ids[move], qtimes[move])
                keep &= ~move
                break
    return ids[keep], qtimes[keep]


def _blocked(
    closures: dict[str, Closure], targets: frozenset[str], now: float, threshold: float
) -> bool:
    for t in targets:
        c = closures.get(t)
        if c is not None and c.closed and c.expected_end - now > threshold:
            return True
    return False
