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

from corridorsim.engine.calendar import DAYS, OpeningCalendar
from corridorsim.engine.lanes import LanePost
from corridorsim.engine.sampling import arrival_times
from corridorsim.units import HOURS_PER_DAY

if TYPE_CHECKING:
    from corridorsim.calibration import Settings, Target

__all__ = ["CrossingSim", "PostSpec", "crossing_time", "simulate_crossing"]


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


def simulate_crossing(
    target: Target, per_day: float, posts: tuple[PostSpec, PostSpec], settings: Settings
) -> CrossingSim:
    """The crossing's traffic through its exit and entry posts, as the engine moves
    background vehicles (:class:`~corridorsim.engine.lanes.LanePost`): at each post a
    lognormal clearance holding no lane, then the queue for a lane and its service;
    averaged over the replications."""
    cal = OpeningCalendar(target.open, target.close, DAYS)
    calendar = None if cal.always else cal
    hours = settings.days * HOURS_PER_DAY
    warmup = settings.warmup_days * HOURS_PER_DAY
    total, waiting = [], []
    for r in range(settings.replications):
        d = _draws(settings.seed, r, per_day, hours, (settings.service_sigma, settings.sigma))
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
        exit_post.downstream, entry.upstream = entry, exit_post
        entry.advance(math.inf)
        c = np.array(entry.crossings).reshape(-1, 2)
        keep = c[:, 0] >= warmup
        total.append(float((c[keep, 1] - c[keep, 0]).mean()))
        waited = 0.0
        for post in lanes:
            log = post.records()
            after = log[:, 0] >= warmup
            waited += float((log[after, 1] - log[after, 0]).mean())
        waiting.append(waited)
    return CrossingSim(float(np.mean(total)), float(np.mean(waiting)))


def crossing_time(
    target: Target, per_day: float, posts: tuple[PostSpec, PostSpec], settings: Settings
) -> float:
    """Mean hours to cross (exit arrival to entry departure), as
    :func:`simulate_crossing`."""
    return simulate_crossing(target, per_day, posts, settings).hours
