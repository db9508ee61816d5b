"""Calibrating border posts to observed crossing times, by simulation.

For each target in ``data/calibration_targets.yaml`` — a crossing, mode and direction
with its observed mean time to cross (CAREC CPMM TFI1) — a crossing's time is split in
two parts:

* work on a scarce resource (``resource``: a scanner, an inspection track), with its
  number of servers and its rate as physical descriptions state them (sourced). Vehicles
  queue for it, so this part grows with traffic and saturates at the resource's
  capacity. Where no capacity was found, there is no resource and no queue;
* clearance that holds no resource (documents, payments, escorts): a lognormal delay
  before the queue, the same whatever the traffic.

The crossing's traffic (the network's ``background_per_day``) is simulated through its
exit and entry posts, and the clearance is solved for so that the simulated mean time
to cross matches the observed one: a root finder (Brent's method) on common random
numbers — the same arrivals and the same unit draws, scaled. The queue is what the
resource and the traffic give; nothing sizes the resource to fit the observed time.

``corridorsim calibrate`` runs every target and writes ``calibrated_posts.yaml`` (see
:mod:`corridorsim.network.calibrated`); the same settings give the same file.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from corridorsim._base import Frozen, Ident, Sources
from corridorsim.crossing_sim import CrossingSim, PostSpec, crossing_time, simulate_crossing
from corridorsim.engine.calendar import DAYS, OpeningCalendar
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
from corridorsim.quantities import Count, Hours, Number

__all__ = [
    "HEADER",
    "Evidence",
    "PostSpec",
    "Resource",
    "Settings",
    "Target",
    "Targets",
    "calibrate",
    "calibrate_all",
    "crossing_time",
    "read_targets",
    "resource_posts",
    "simulate_crossing",
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


RATE_UNITS = {"trucks/h": 1.0, "trains/day": 1 / 24, "trucks/day": 1 / 24}
"""Rate units a resource's ``rate`` may use, and their factor to vehicles an hour of a
post open all day."""

PER_DAY = frozenset({"trains/day", "trucks/day"})
"""Rate units counted per day: a post open part of the day handles them in its open
hours."""


class Resource(Frozen):
    """The scarce resource at one post of a crossing: what it is, how many work at once
    (``servers``) and how many vehicles each handles (``rate``, a sourced figure in
    ``trucks/h``, ``trucks/day`` or ``trains/day``, each server). ``share`` is the part
    of a figure counted both ways that serves this direction (1: the figure is this
    direction's own; below 1 an estimate, said in ``share_note``)."""

    post: Literal["exit", "entry"]
    what: str = Field(min_length=3)
    servers: Annotated[Count, Field(ge=1, le=20)]
    servers_source: Sources = ()
    rate: Evidence
    share: Annotated[Number, Field(gt=0, le=1)] = 1.0
    share_note: str = ""

    @model_validator(mode="after")
    def _rate_unit(self) -> Resource:
        if self.rate.unit not in RATE_UNITS:
            raise ValueError(f"rate unit {self.rate.unit!r} is not one of {', '.join(RATE_UNITS)}")
        if self.share < 1 and not self.share_note:
            raise ValueError(f"share {self.share:g} needs a share_note saying where it comes from")
        return self

    def service_hours(self, open_hours: float = 24.0) -> float:
        """Mean hours one vehicle holds a server at a post open ``open_hours`` a day: a
        daily figure is handled in the open hours, an hourly one at its own pace."""
        per_hour = self.rate.figure * self.share * RATE_UNITS[self.rate.unit]
        if self.rate.unit in PER_DAY:
            per_hour *= 24 / open_hours
        return 1 / per_hour

    def per_day(self, open_hours: float = 24.0) -> float:
        """Vehicles a day all servers handle in ``open_hours`` of opening."""
        return self.servers * open_hours / self.service_hours(open_hours)


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
    resource: Resource | None = None
    """The post's scarce resource, if a physical description of it was found."""
    resource_note: str = ""

    @property
    def open_hours(self) -> float:
        """Hours a day the crossing is open (``open`` to ``close``)."""
        cal = OpeningCalendar(self.open, self.close, DAYS)
        return 24.0 if cal.always else cal.open_hours_per_week() / 7

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
    sigma: Annotated[Number, Field(gt=0, le=10)] = 0.8326
    service_sigma: Annotated[Number, Field(gt=0, le=10)] = 0.4724
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


def resource_posts(
    target: Target, clearance: float, settings: Settings
) -> tuple[PostSpec, PostSpec]:
    """The two posts: the target's resource at its post (none at the other), and
    ``clearance`` hours split ``settings.exit_share`` to the exit post."""
    r = target.resource
    share = settings.exit_share
    specs = []
    for role, part in (("exit", share), ("entry", 1 - share)):
        mine = r is not None and r.post == role
        specs.append(
            PostSpec(
                r.servers if mine and r is not None else None,
                r.service_hours(target.open_hours) if mine and r is not None else 0.0,
                round(clearance * part, 4),
            )
        )
    return specs[0], specs[1]


def traffic(target: Target, network: CorridorNetwork) -> float:
    """Vehicles a day at the crossing in the target's direction.

    Raises
    ------
    CorridorSimError
        If the network gives none and the target gives no ``traffic_per_day``.
    """
    per_day = target.traffic_per_day or network.crossings[target.crossing].background_per_day(
        target.mode, target.direction
    )
    if per_day <= 0:
        raise CorridorSimError(
            f"calibration target {_name(target)}: the network gives no traffic "
            "(background_per_day) in that direction; give traffic_per_day"
        )
    return per_day


def _name(target: Target) -> str:
    return f"{target.crossing}/{target.mode}/{target.direction}"


def calibrate(target: Target, network: CorridorNetwork, settings: Settings) -> CalibratedCrossing:
    """Solve one target: the clearance hours (split ``exit_share`` to the exit post)
    at which the simulated mean time to cross, queue for the resource included, equals
    the observed one.

    Raises
    ------
    CorridorSimError
        If the crossing has no traffic in that direction, if the resource's queue and
        service alone take longer than observed, or if the solver misses the tolerance.
    """
    per_day = traffic(target, network)
    from scipy.optimize import brentq  # imported here: only calibration needs it

    @cache  # the solver asks again for the ends already checked
    def sim(total: float) -> CrossingSim:
        return simulate_crossing(target, per_day, resource_posts(target, total, settings), settings)

    def gap(total: float) -> float:
        return sim(total).hours - target.observed_hours

    # the sample mean of the clearance draws is not exactly 1: look a little beyond
    high = 1.5 * target.observed_hours
    _check_bracket(target, per_day, gap(0.0), gap(high))
    total = float(brentq(gap, 0.0, high, xtol=1e-3))
    reached = gap(total)
    if abs(reached) > settings.tolerance_hours:
        raise CorridorSimError(
            f"calibration target {_name(target)}: missed the observed "
            f"{target.observed_hours:g} h by {reached:+.2f} h"
        )
    return _calibrated(target, per_day, total, (sim(0.0), sim(total)), settings)


def _calibrated(
    target: Target,
    per_day: float,
    total: float,
    runs: tuple[CrossingSim, CrossingSim],
    settings: Settings,
) -> CalibratedCrossing:
    """The calibrated crossing, from the runs with no clearance and with ``total``."""
    bare, run = runs
    posts = resource_posts(target, total, settings)
    what = target.resource.what if target.resource is not None else ""

    def post(spec: PostSpec) -> CalibratedPost:
        return CalibratedPost(
            lanes=spec.lanes,
            resource=what if spec.lanes is not None else "",
            service_mean_hours=round(spec.service_hours, 6),
            service_sigma=settings.service_sigma,
            clearance_mean_hours=spec.clearance_hours,
            clearance_sigma=settings.sigma,
        )

    r = target.resource
    capacity = r.per_day(target.open_hours) if r is not None else None
    return CalibratedCrossing(
        crossing=target.crossing,
        mode=target.mode,
        direction=target.direction,
        open=target.open,
        close=target.close,
        exit=post(posts[0]),
        entry=post(posts[1]),
        provenance=Provenance(
            observed_hours=target.observed_hours,
            year=target.year,
            source=target.source + target.hours_source + _resource_sources(target),
            note=target.note,
            vehicles_per_day=per_day,
            capacity_per_day=None if capacity is None else round(capacity, 3),
            simulated_hours=round(run.hours, 3),
            hours_without_clearance=round(bare.hours, 3),
            waiting_hours=round(run.waiting_hours, 3),
            tolerance_hours=settings.tolerance_hours,
            seed=settings.seed,
            days=settings.days,
            replications=settings.replications,
        ),
    )


def _resource_sources(target: Target) -> tuple[str, ...]:
    r = target.resource
    if r is None:
        return ()
    found = [*r.servers_source, r.rate.source]
    known = set(target.source + target.hours_source)
    return tuple(dict.fromkeys(s for s in found if s not in known))


def _check_bracket(target: Target, per_day: float, at_low: float, at_high: float) -> None:
    """Stop unless the observed time lies between the times simulated with no clearance
    (``at_low`` above it) and with clearance as long as it (``at_high``)."""
    if at_low <= 0 <= at_high:
        return
    if at_low > 0:
        what = target.resource.what if target.resource is not None else "its opening hours"
        side = (
            f"with no clearance at all, {what} at {per_day:g} vehicles a day already "
            f"takes {target.observed_hours + at_low:.1f} h (queue and service); check the "
            "resource's rate and servers, the traffic, or the opening hours"
        )
    else:
        side = (
            f"even with clearance half as long again as the observed time it takes only "
            f"{target.observed_hours + at_high:.1f} h"
        )
    raise CorridorSimError(
        f"calibration target {_name(target)}: no clearance time gives the observed "
        f"{target.observed_hours:g} h: {side}"
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
