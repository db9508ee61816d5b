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
    """Draw every random, scheduled, seasonal and observed closure of the scenario over
    the run (each process from its own stream), and start a process that closes and
    reopens its targets at those times; returns the closures by target (a crossing id
    or a link id), each holding every spell it will be closed (``Closure.spells``), so
    a border post can let all its traffic wait them out."""
    net = model.plan.loaded.network
    closures: dict[str, Closure] = {}

    def closure(target: str) -> Closure:
        canonical = target if target in net.crossings else net.link(target).id
        if canonical not in closures:
            closures[canonical] = Closure(model.env, canonical)
        return closures[canonical]

    horizon = model.horizon
    d = model.scenario.disruptions
    processes: list[tuple[list[Closure], list[tuple[float, float]]]] = []
    for k, inc in enumerate(d.random):
        c = closure(inc.target)
        rng = model.streams[f"disruption/{k}/{c.name}"]
        processes.append(([c], _incidents(horizon, inc.rate_per_year, inc.duration_hours, rng)))
    for sc in d.scheduled:
        start = sc.start_day * HOURS_PER_DAY
        processes.append(([closure(sc.target)], [(start, start + sc.days * HOURS_PER_DAY)]))
    for k, sea in enumerate(d.seasonal):
        c = closure(sea.target)
        rng = model.streams[f"seasonal/{k}/{c.name}"]
        spells = _seasonal(horizon, sea.start_hours, sea.days * HOURS_PER_DAY, sea.probability, rng)
        processes.append(([c], spells))
    if d.observed_closures:
        processes += _observed(model, [closure(cid) for cid in d.observed_closures])
    for targets, spells in processes:
        for c in targets:
            c.spells += spells
        model.env.process(_replay(model.env, targets, spells))
    return closures


def _observed(
    model: CorridorModel, targets: list[Closure]
) -> list[tuple[list[Closure], list[tuple[float, float]]]]:
    """Closures as fitted to the observed record (all of it, or the years before 2025:
    ``disruptions.closure_record``): each crossing alone at its rate, and all of them at
    once at the joint rate (each process with its own stream)."""
    fitted = builtin_closure_fit()
    assert fitted is not None  # the scenario check requires it
    whole = model.scenario.disruptions.closure_record == "2016-2026"
    fit = fitted.fit if whole else fitted.earlier_fit
    hours = LogNormal(mean=fit.duration.mean_days * HOURS_PER_DAY, sigma=fit.duration.sigma)
    out = []
    for c in targets:
        rate = fit.rate_per_year.get(c.name, 0.0)
        if rate > 0:
            rng = model.streams[f"observed_closures/{c.name}"]
            out.append(([c], _incidents(model.horizon, rate, hours, rng)))
    joint = [c for c in targets if c.name in fit.joint]
    if joint and fit.joint_rate_per_year > 0:
        rng = model.streams["observed_closures/joint"]
        out.append((joint, _incidents(model.horizon, fit.joint_rate_per_year, hours, rng)))
    return out


def _incidents(
    horizon: float, rate_per_year: float, duration: Distribution, rng: np.random.Generator
) -> list[tuple[float, float]]:
    """Poisson incidents up to ``horizon``, each closed for a drawn duration; the next
    gap starts when the last incident ends."""
    mean_gap = HOURS_PER_YEAR / rate_per_year
    spells: list[tuple[float, float]] = []
    t = 0.0
    while True:
        t += rng.exponential(mean_gap)
        if t >= horizon:
            return spells
        hours = float(duration.sample(rng))
        spells.append((t, t + hours))
        t += hours


def _seasonal(
    horizon: float, start: float, hours: float, probability: float, rng: np.random.Generator
) -> list[tuple[float, float]]:
    """Closed from ``start`` hours into each year for ``hours``, in a share
    ``probability`` of the years (one draw a year)."""
    spells: list[tuple[float, float]] = []
    year = 0
    while year * HOURS_PER_YEAR + start < horizon:
        begin = year * HOURS_PER_YEAR + start
        if rng.random() < probability:
            spells.append((begin, begin + hours))
        year += 1
    return spells


def _replay(
    env: simpy.Environment, targets: list[Closure], spells: list[tuple[float, float]]
) -> Generator[Any, Any, None]:
    """Close ``targets`` over each spell, in order (a spell that starts before the
    last ended, e.g. a seasonal one begun during the previous year's, starts at once)."""
    for start, end in spells:
        if start > env.now:
            yield env.timeout(start - env.now)
        for c in targets:
            c.close(end)
        if end > env.now:
            yield env.timeout(end - env.now)
        for c in targets:
            c.open()


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
