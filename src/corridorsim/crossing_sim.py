"""A border crossing's traffic simulated on its own, for calibration: the exit and entry
posts as the engine moves background vehicles through them
(:class:`~corridorsim.engine.lanes.LanePost`), on common random numbers so that a root
finder sees a smooth response."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from corridorsim.engine.availability import Availability
from corridorsim.engine.calendar import DAYS, OpeningCalendar
from corridorsim.engine.lanes import LanePost
from corridorsim.engine.sampling import arrival_times
from corridorsim.units import HOURS_PER_DAY

if TYPE_CHECKING:
    from corridorsim.calibration import Settings, Target

__all__ = [
    "Closure",
    "CrossingSim",
    "PostSpec",
    "Reopening",
    "after_closure",
    "crossing_time",
    "simulate_crossing",
]


@dataclass(frozen=True)
class PostSpec:
    """One post as the calibration simulates it: servers of its scarce resource
    (``None``: no limit), mean service hours on it, and mean clearance hours before it."""

    lanes: int | None
    service_hours: float
    clearance_hours: float


@dataclass(frozen=True)
class CrossingSim:
    """Mean hours to cross, and of them the hours waiting for a server or for the post
    to open, of the vehicles that arrive after the warm-up."""

    hours: float
    waiting_hours: float


_AT_ONCE = 1e-9
"""Hours of waiting that count as none (rounding)."""


@dataclass(frozen=True)
class Closure:
    """One closure of a crossing: closed for ``days``; while closed, at most
    ``backlog_days`` of its traffic queue and the rest stay away. After it reopens, the
    crossing is watched for ``window_days``."""

    days: float
    backlog_days: float
    window_days: float = 30.0


@dataclass(frozen=True)
class Reopening:
    """After a closure: the mean hours to cross of the vehicles that arrive in the
    window after the crossing reopens, and the days from reopening until the backlog is
    gone (a vehicle arriving while the post is open starts at once; infinite if that
    never happens in the run)."""

    hours: float
    clear_days: float


@dataclass(frozen=True)
class _Draws:
    """Common random numbers for one replication: arrivals, and unit draws (mean 1) of
    service and of clearance at each post."""

    arrivals: np.ndarray
    work: tuple[np.ndarray, np.ndarray]
    clearance: tuple[np.ndarray, np.ndarray]


@cache
def _draws(
    seed: int, replication: int, per_day: float, hours: float, sigmas: tuple[float, float]
) -> _Draws:
    rng = np.random.default_rng([seed, replication])
    arrivals = arrival_times(per_day / HOURS_PER_DAY, 0.0, hours, "poisson", rng)
    n = len(arrivals)

    def unit(sigma: float) -> np.ndarray:  # a lognormal of mean 1
        return rng.lognormal(-(sigma**2) / 2, sigma, n)

    service, clearance = sigmas
    return _Draws(arrivals, (unit(service), unit(service)), (unit(clearance), unit(clearance)))


def _posts(
    target: Target,
    per_day: float,
    posts: tuple[PostSpec, PostSpec],
    settings: Settings,
    replication: int,
    closed: tuple[tuple[float, float], ...] = (),
    backlog_days: float = math.inf,
) -> list[LanePost]:
    """One replication's exit and entry posts with every vehicle placed: at each post a
    lognormal clearance holding no lane, then the queue for a lane and its service. While
    the crossing is ``closed`` (spells in hours), vehicles wait in the queue, at most
    ``backlog_days`` of traffic a spell; the rest stay away, as in the engine."""
    cal = OpeningCalendar(target.open, target.close, DAYS)
    opening = None if cal.always else cal
    calendar = Availability(opening, closed) if closed else opening
    d = _draws(
        settings.seed,
        replication,
        per_day,
        settings.days * HOURS_PER_DAY,
        (settings.service_sigma, settings.sigma),
    )
    lanes = [
        LanePost(
            spec.lanes,
            calendar,
            background_work=d.work[i] * spec.service_hours,
            background_clearance=d.clearance[i] * spec.clearance_hours,
        )
        for i, spec in enumerate(posts)
    ]
    exit_post, entry = lanes
    exit_post.background_arrivals = d.arrivals
    exit_post.backlog_cap = backlog_days * per_day
    exit_post.downstream, entry.upstream = entry, exit_post
    entry.advance(math.inf)
    return lanes


def simulate_crossing(
    target: Target, per_day: float, posts: tuple[PostSpec, PostSpec], settings: Settings
) -> CrossingSim:
    """The crossing's traffic through its exit and entry posts, as the engine moves
    background vehicles (:class:`~corridorsim.engine.lanes.LanePost`): at each post a
    lognormal clearance holding no lane, then the queue for a lane and its service;
    averaged over the replications."""
    warmup = settings.warmup_days * HOURS_PER_DAY
    total, waiting = [], []
    for r in range(settings.replications):
        lanes = _posts(target, per_day, posts, settings, r)
        c = np.array(lanes[1].crossings).reshape(-1, 2)
        keep = c[:, 0] >= warmup
        total.append(float((c[keep, 1] - c[keep, 0]).mean()))
        waited = 0.0
        for post in lanes:
            log = post.records()
            after = log[:, 0] >= warmup
            waited += float((log[after, 1] - log[after, 0]).mean())
        waiting.append(waited)
    return CrossingSim(float(np.mean(total)), float(np.mean(waiting)))


def after_closure(
    target: Target,
    per_day: float,
    posts: tuple[PostSpec, PostSpec],
    settings: Settings,
    closure: Closure,
) -> Reopening:
    """The crossing closed once, after the warm-up, for ``closure.days``, with at most
    ``closure.backlog_days`` of traffic queueing; averaged over the replications. The
    run lasts ``settings.days`` from the warm-up's end (at least the closure and its
    window)."""
    start = settings.warmup_days * HOURS_PER_DAY
    reopen = start + closure.days * HOURS_PER_DAY
    until = reopen + closure.window_days * HOURS_PER_DAY
    days = max(settings.days, settings.warmup_days + closure.days + 2 * closure.window_days)
    long_enough = settings.model_copy(update={"days": days})
    hours, clear = [], []
    for r in range(settings.replications):
        lanes = _posts(
            target,
            per_day,
            posts,
            long_enough,
            r,
            ((start, reopen),),
            closure.backlog_days,
        )
        c = np.array(lanes[1].crossings).reshape(-1, 2)
        keep = (c[:, 0] >= reopen) & (c[:, 0] < until)
        hours.append(float((c[keep, 1] - c[keep, 0]).mean()))
        last = max(_backlog_end(post, reopen) for post in lanes)
        clear.append((last - reopen) / HOURS_PER_DAY)
    return Reopening(float(np.mean(hours)), float(np.mean(clear)))


def _backlog_end(post: LanePost, reopen: float) -> float:
    """When the backlog at ``post`` is gone: the arrival, after ``reopen``, of the first
    vehicle that finds the post open and no one ahead of it (it starts on arrival);
    ``reopen`` where the post has no lane limit, so no queue."""
    if post.lanes is None:
        return reopen
    log = post.records()
    log = log[np.argsort(log[:, 0], kind="stable")]
    at_once = (log[:, 0] >= reopen) & (log[:, 1] - log[:, 0] <= _AT_ONCE)
    rows = np.flatnonzero(at_once)
    return float(log[rows[0], 0]) if len(rows) else math.inf


def crossing_time(
    target: Target, per_day: float, posts: tuple[PostSpec, PostSpec], settings: Settings
) -> float:
    """Mean hours to cross (exit arrival to entry departure), as
    :func:`simulate_crossing`."""
    return simulate_crossing(target, per_day, posts, settings).hours
