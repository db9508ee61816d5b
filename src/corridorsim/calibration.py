"""Calibrating border posts to observed crossing times, by simulation.

For each target in ``data/calibration_targets.yaml`` — a crossing, mode and direction
with its observed mean time to cross (CAREC CPMM TFI1) — the crossing's traffic (the
network's ``background_per_day``) is simulated through its exit and entry posts, and
the processing time is solved for so that the simulated mean time to cross matches the
observed one. The number of lanes (vehicles cleared at once) is not observed anywhere;
it is set by a stated assumption: the posts run at ``utilisation`` of their capacity in
the observed year. With the lanes fixed, the mean time to cross rises with the
processing time, so a root finder (Brent's method) on common random numbers — the same
arrivals and the same unit draws of work, scaled — finds it.

``corridorsim calibrate`` runs every target and writes ``calibrated_posts.yaml`` (see
:mod:`corridorsim.network.calibrated`); the same settings give the same file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated

import numpy as np
from pydantic import Field, model_validator

from corridorsim._base import Frozen, Ident, Sources
from corridorsim.engine.calendar import DAYS, OpeningCalendar
from corridorsim.engine.lanes import LanePost
from corridorsim.engine.sampling import arrival_times
from corridorsim.errors import CorridorSimError
from corridorsim.located_yaml.diagnostics import validate
from corridorsim.located_yaml.reader import read_yaml
from corridorsim.network.calibrated import (
    CalibratedCrossing,
    CalibratedPost,
    Calibration,
    Provenance,
)
from corridorsim.network.graph import CorridorNetwork
from corridorsim.network.spec import Mode
from corridorsim.pools import process_context, worker_pool
from corridorsim.quantities import MAX_LANES, Count, Hours, Number
from corridorsim.units import HOURS_PER_DAY

__all__ = [
    "HEADER",
    "Evidence",
    "Settings",
    "Target",
    "Targets",
    "calibrate",
    "calibrate_all",
    "crossing_time",
    "read_targets",
    "to_yaml",
]

HEADER = (
    "# Calibrated border posts, written by `corridorsim calibrate` from\n"
    "# calibration_targets.yaml and the network's traffic (background_per_day). Do not edit:\n"
    "# change the targets or the network and run it again.\n"
)


class Evidence(Frozen):
    """A figure as its source states it: the number, its unit, the source id, and the
    words of the fact sheet's row it comes from (the row that cites ``source``)."""

    figure: Annotated[Number, Field(gt=0)]
    unit: str = "h"
    source: Annotated[str, Field(pattern=r"^S[0-9]+$")]
    quote: str = Field(min_length=3)

    @property
    def hours(self) -> float:
        """The figure in hours (``h`` or ``min``)."""
        return self.figure / 60 if self.unit == "min" else self.figure


EVIDENCE_TOLERANCE_HOURS = 0.05
"""How far a target's hours may be from the sum of its evidence (rounding)."""


class Target(Frozen):
    """An observed mean time to cross (hours) for a crossing, mode and direction, with
    the figures it is made of (``evidence``: one, or the parts it adds up)."""

    crossing: Ident
    mode: Mode
    direction: Annotated[str, Field(pattern=r"^[A-Z]{2}-[A-Z]{2}$")]
    observed_hours: Annotated[Hours, Field(gt=0)]
    year: Annotated[Count, Field(ge=1990, le=2100)]
    source: Sources
    note: str = ""
    open: str = "00:00"
    close: str = "24:00"
    hours_source: Sources = ()
    traffic_per_day: Annotated[Number, Field(gt=0)] | None = None
    """Vehicles a day to calibrate at where the network gives no traffic (a planned
    crossing: its design traffic, EST); the simulation then adds no background."""
    traffic_note: str = ""
    evidence: tuple[Evidence, ...] = Field(default=(), max_length=4)
    traffic_evidence: Evidence | None = None

    @model_validator(mode="after")
    def _adds_up(self) -> Target:
        if self.evidence:
            parts = sum(e.hours for e in self.evidence)
            if abs(parts - self.observed_hours) > EVIDENCE_TOLERANCE_HOURS:
                shown = " + ".join(f"{e.figure:g} {e.unit} ({e.source})" for e in self.evidence)
                raise ValueError(
                    f"observed_hours {self.observed_hours:g} is not what its evidence adds up "
                    f"to: {shown} = {parts:g} h"
                )
        return self


class Settings(Frozen):
    """How the calibration simulates, and its assumptions (each an estimate, EST)."""

    seed: Count = 20260204
    days: Annotated[Number, Field(gt=0, le=3650)] = 200.0
    warmup_days: Annotated[Number, Field(ge=0, le=3650)] = 20.0
    replications: Annotated[Count, Field(ge=1, le=100)] = 2
    tolerance_hours: Annotated[Number, Field(gt=0)] = 0.25
    utilisation: Annotated[Number, Field(gt=0, lt=1)] = 0.8
    sigma: Annotated[Number, Field(gt=0, le=10)] = 0.8326
    exit_share: Annotated[Number, Field(gt=0, lt=1)] = 0.5


class Targets(Frozen):
    """A calibration-targets file."""

    version: int = 1
    settings: Settings = Settings()
    targets: tuple[Target, ...] = ()


def read_targets(path: str | Path | None = None) -> Targets:
    """The targets file (the shipped one by default)."""
    if path is None:
        path = Path(str(resources.files("corridorsim") / "data" / "calibration_targets.yaml"))
    result: Targets = validate(Targets, read_yaml(path))
    return result


@dataclass(frozen=True)
class _Draws:
    """Common random numbers for one replication: arrivals and unit work at each post."""

    arrivals: np.ndarray
    exit_work: np.ndarray
    entry_work: np.ndarray


@cache
def _draws(seed: int, replication: int, per_day: float, hours: float, sigma: float) -> _Draws:
    rng = np.random.default_rng([seed, replication])
    arrivals = arrival_times(per_day / HOURS_PER_DAY, 0.0, hours, "poisson", rng)
    mu = -(sigma**2) / 2  # a lognormal of mean 1
    n = len(arrivals)
    return _Draws(arrivals, rng.lognormal(mu, sigma, n), rng.lognormal(mu, sigma, n))


def crossing_time(
    target: Target,
    per_day: float,
    lanes: tuple[int, int],
    means: tuple[float, float],
    settings: Settings,
) -> float:
    """Mean hours to cross (exit arrival to entry departure) of the vehicles that
    arrive after the warm-up, averaged over the replications."""
    cal = OpeningCalendar(target.open, target.close, DAYS)
    calendar = None if cal.always else cal
    hours = settings.days * HOURS_PER_DAY
    warmup = settings.warmup_days * HOURS_PER_DAY
    out = []
    for r in range(settings.replications):
        d = _draws(settings.seed, r, per_day, hours, settings.sigma)
        exit_post = LanePost(lanes[0], calendar, d.arrivals, d.exit_work * means[0])
        entry = LanePost(lanes[1], calendar, background_work=d.entry_work * means[1])
        exit_post.downstream, entry.upstream = entry, exit_post
        entry.advance(math.inf)
        c = np.array(entry.crossings).reshape(-1, 2)
        keep = c[:, 0] >= warmup
        out.append(float((c[keep, 1] - c[keep, 0]).mean()))
    return float(np.mean(out))


def _lanes(target: Target, per_day: float, settings: Settings) -> tuple[int, int]:
    """Lanes at each post so that, if the observed time at a post were all spent holding
    a lane (working, or paused while the post is closed), its lanes would be busy
    ``settings.utilisation`` of the time (EST: no source gives a post's lanes)."""
    rate = per_day / HOURS_PER_DAY
    shares = (settings.exit_share, 1 - settings.exit_share)
    lanes = tuple(
        min(MAX_LANES, max(1, math.ceil(rate * target.observed_hours * s / settings.utilisation)))
        for s in shares
    )
    return lanes[0], lanes[1]


def calibrate(target: Target, network: CorridorNetwork, settings: Settings) -> CalibratedCrossing:
    """Solve one target: the processing mean (split ``exit_share`` to the exit post)
    at which the simulated mean time to cross equals the observed one.

    Raises
    ------
    CorridorSimError
        If the crossing has no traffic in that direction, or no processing time
        reaches the observed time within the tolerance.
    """
    per_day = target.traffic_per_day or network.crossings[target.crossing].background_per_day(
        target.mode, target.direction
    )
    if per_day <= 0:
        raise CorridorSimError(
            f"calibration target {target.crossing}/{target.mode}/{target.direction}: the "
            "network gives no traffic (background_per_day) in that direction; give "
            "traffic_per_day"
        )
    from scipy.optimize import brentq  # imported here: only calibration needs it

    lanes = _lanes(target, per_day, settings)
    share = settings.exit_share

    def split(total: float) -> tuple[float, float]:
        return round(total * share, 4), round(total * (1 - share), 4)

    @cache  # the solver asks again for the ends already checked
    def gap(total: float) -> float:
        simulated = crossing_time(target, per_day, lanes, split(total), settings)
        return simulated - target.observed_hours

    # the time to cross rises with the processing time: one root between almost no
    # processing and processing alone as long as the observed time at each post
    low, high = 1e-3 * target.observed_hours, target.observed_hours
    _check_bracket(target, gap(low), gap(high))
    total = float(brentq(gap, low, high, xtol=1e-2))
    means = split(total)
    reached = gap(total)
    if abs(reached) > settings.tolerance_hours:
        raise CorridorSimError(
            f"calibration target {target.crossing}/{target.mode}/{target.direction}: "
            f"missed the observed {target.observed_hours:g} h by {reached:+.2f} h"
        )
    return CalibratedCrossing(
        crossing=target.crossing,
        mode=target.mode,
        direction=target.direction,
        open=target.open,
        close=target.close,
        exit=CalibratedPost(lanes=lanes[0], processing_mean_hours=means[0], sigma=settings.sigma),
        entry=CalibratedPost(lanes=lanes[1], processing_mean_hours=means[1], sigma=settings.sigma),
        provenance=Provenance(
            observed_hours=target.observed_hours,
            year=target.year,
            source=target.source + target.hours_source,
            note=target.note,
            vehicles_per_day=per_day,
            simulated_hours=round(target.observed_hours + reached, 3),
            tolerance_hours=settings.tolerance_hours,
            seed=settings.seed,
            days=settings.days,
            replications=settings.replications,
        ),
    )


def _check_bracket(target: Target, at_low: float, at_high: float) -> None:
    """Stop unless the observed time lies between the times simulated with almost no
    processing (``at_low`` above it) and with processing as long as it (``at_high``)."""
    if at_low <= 0 <= at_high:
        return
    side = (
        f"even with almost no processing it takes {target.observed_hours + at_low:.1f} h "
        "(its opening hours and traffic alone); give a longer observed time or longer "
        "opening hours"
        if at_low > 0
        else f"even with processing as long as the observed time it takes only "
        f"{target.observed_hours + at_high:.1f} h"
    )
    raise CorridorSimError(
        f"calibration target {target.crossing}/{target.mode}/{target.direction}: no "
        f"processing time gives the observed {target.observed_hours:g} h: {side}"
    )


def calibrate_all(targets: Targets, network: CorridorNetwork, jobs: int = 1) -> Calibration:
    """Every target, in the order listed; solved by ``jobs`` processes (each target
    depends only on its own figures and the seed, so the answer does not depend on
    ``jobs``)."""
    tasks = [(t, network, targets.settings) for t in targets.targets]
    if jobs <= 1 or len(tasks) <= 1:
        return Calibration(crossings=tuple(calibrate(*task) for task in tasks))
    with worker_pool(min(jobs, len(tasks)), process_context()) as pool:
        solved = pool.starmap(calibrate, tasks, chunksize=1)
    return Calibration(crossings=tuple(solved))


def to_yaml(calibration: Calibration) -> str:
    """The calibrated-posts file's text."""
    import yaml

    body = calibration.model_dump(mode="json")
    return HEADER + yaml.safe_dump(body, sort_keys=False, allow_unicode=True)
