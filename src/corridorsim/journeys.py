"""Calibrating on journeys: the share of the average consignment's delays that a
dedicated TIR truck incurs, fitted to the TIR runs on record.

The border clearance and en-route stops are calibrated on CPMM's averages over sampled
consignments (:mod:`corridorsim.calibration`, the network's stop figures). The TIR runs
on record (one truck, sealed under TIR, S7) took about half as long as the calibrated
model gives a truck under those averages. One free parameter,
``operations.truck_delay_share`` (0 to 1: the share of the calibrated clearance and
stops a truck incurs), is fitted to the *training* trips in
``data/journey_targets.yaml``: each trip's own share is solved by root finding on common
random numbers (the same seed at every share), the fitted share is their median, and its
uncertainty is their range and the leave-one-out predictions (each trip predicted with
the share fitted to the others). *Held-out* trips are never used here; the validation
record (``docs/validation.md``) predicts them with the fitted share.

``corridorsim calibrate-journeys`` writes ``data/calibrated_journeys.yaml``.
"""

from __future__ import annotations

import statistics
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from corridorsim._base import Frozen, Ident, Sources
from corridorsim.calibration import Evidence
from corridorsim.errors import CorridorSimError
from corridorsim.located_yaml.diagnostics import validate
from corridorsim.located_yaml.reader import read_yaml
from corridorsim.quantities import Count, Number

__all__ = [
    "JOURNEYS_FILE",
    "FittedShare",
    "JourneyCalibration",
    "JourneyTargets",
    "Trip",
    "TripFit",
    "builtin_journey_calibration",
    "calibrate_journeys",
    "read_journey_targets",
    "to_yaml",
    "trip_days",
    "trip_scenario",
]

JOURNEYS_FILE = "calibrated_journeys.yaml"
HEADER = (
    "# The share of the calibrated border clearance and en-route stops a dedicated TIR truck\n"
    "# incurs, written by `corridorsim calibrate-journeys` from journey_targets.yaml. Do not\n"
    "# edit: change the targets and run it again.\n"
)


class Trip(Frozen):
    """A trip on record: where it went, how long it took (days, counted as its source
    counts them), its stated conditions, and whether it trains the fit or is held out."""

    id: Ident
    role: Literal["training", "held_out"]
    observed_days: Annotated[Number, Field(gt=0, le=365)]
    year: Annotated[Count, Field(ge=1990, le=2100)]
    source: Sources
    evidence: Evidence
    conditions: str = Field(min_length=3)
    origin: Ident
    destination: Ident
    route: tuple[Ident, ...] = Field(min_length=2)


class JourneySettings(Frozen):
    """How each trip is simulated and the share solved."""

    seed: Count = 20260204
    replications: Annotated[Count, Field(ge=1, le=100)] = 4
    horizon_days: Annotated[Number, Field(gt=0, le=3650)] = 150.0
    tolerance_days: Annotated[Number, Field(gt=0)] = 0.05
    base: str = "today-road-tir"
    """The built-in scenario the trips extend (its network, borders and stops)."""


class JourneyTargets(Frozen):
    """A journey-targets file."""

    version: int = 1
    settings: JourneySettings = JourneySettings()
    trips: tuple[Trip, ...] = ()

    def training(self) -> tuple[Trip, ...]:
        """The trips the share is fitted to."""
        return tuple(t for t in self.trips if t.role == "training")


class TripFit(Frozen):
    """One training trip: the share that reproduces it alone, and its prediction with
    the share fitted to the other trips (leave-one-out)."""

    id: Ident
    observed_days: Number
    average_days: Number
    """Simulated at share 1: CPMM's average consignment."""
    own_share: Annotated[Number, Field(ge=0, le=1)]
    loo_share: Annotated[Number, Field(ge=0, le=1)]
    loo_days: Number


class FittedShare(Frozen):
    """The fitted share with its range over the trips' own shares."""

    value: Annotated[Number, Field(ge=0, le=1)]
    low: Annotated[Number, Field(ge=0, le=1)]
    high: Annotated[Number, Field(ge=0, le=1)]
    fitted_on: tuple[Ident, ...]
    method: str


class JourneyCalibration(Frozen):
    """A calibrated-journeys file."""

    version: int = 1
    truck_delay_share: FittedShare
    trips: tuple[TripFit, ...]
    seed: Count
    replications: Count
    horizon_days: Number


def read_journey_targets(path: str | Path | None = None) -> JourneyTargets:
    """The journey-targets file (the shipped one by default)."""
    if path is None:
        path = Path(str(resources.files("corridorsim") / "data" / "journey_targets.yaml"))
    result: JourneyTargets = validate(JourneyTargets, read_yaml(path))
    return result


@cache
def builtin_journey_calibration() -> JourneyCalibration | None:
    """The shipped fit (None if the file is missing)."""
    path = Path(str(resources.files("corridorsim") / "data" / JOURNEYS_FILE))
    if not path.is_file():
        return None
    result: JourneyCalibration = validate(JourneyCalibration, read_yaml(path))
    return result


def trip_scenario(trip: Trip, share: float, settings: JourneySettings) -> str:
    """The trip as a scenario: one truck at a time on its route, leaving as soon as it
    is loaded, counted from leaving its origin (no port dwell), with ``share`` of the
    calibrated clearance and stops."""
    route = ", ".join(trip.route)
    return (
        f"name: trip-{trip.id}\n"
        f"extends: builtin:{settings.base}\n"
        "demand:\n"
        f"  - {{id: {trip.id}, origin: {trip.origin}, destination: {trip.destination}, "
        f"teu_per_year: 100, modes: [road], route: [{route}]}}\n"
        "ports: {dwell: false}\n"
        f"operations: {{truck_capacity_teu: 1, truck_delay_share: {share!r}}}\n"
    )


def trip_days(trip: Trip, share: float, settings: JourneySettings) -> float:
    """Mean simulated days of the trip at ``share``."""
    from corridorsim.experiments import run

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"{trip.id}.yaml"
        path.write_text(trip_scenario(trip, share, settings), encoding="utf-8")
        res = run(
            path,
            replications=settings.replications,
            seed=settings.seed,
            horizon_days=settings.horizon_days,
            jobs=1,
        )
    delivered = res.delivered
    if delivered.empty:
        raise CorridorSimError(f"journey {trip.id}: no container arrived in the run")
    return float(delivered["transit_h"].mean()) / 24


def _own_share(trip: Trip, settings: JourneySettings) -> tuple[float, float]:
    """The share at which the trip's simulated days equal its observed days (0 or 1 at
    the ends if none does), and its days at share 1."""
    from scipy.optimize import brentq  # imported here: only calibration needs it

    @cache
    def gap(share: float) -> float:
        return trip_days(trip, share, settings) - trip.observed_days

    at_one = gap(1.0)
    if at_one <= 0:
        return 1.0, at_one + trip.observed_days
    if gap(0.0) >= 0:
        return 0.0, at_one + trip.observed_days
    share = float(brentq(gap, 0.0, 1.0, xtol=settings.tolerance_days / 100))
    return round(share, 4), at_one + trip.observed_days


def calibrate_journeys(targets: JourneyTargets) -> JourneyCalibration:
    """Fit the truck delay share to the training trips.

    Raises
    ------
    CorridorSimError
        If fewer than two trips train the fit (no leave-one-out is possible).
    """
    training = targets.training()
    if len(training) < 2:
        raise CorridorSimError(
            f"calibrate-journeys needs at least two training trips, got {len(training)}"
        )
    st = targets.settings
    own = {t.id: _own_share(t, st) for t in training}
    shares = [own[t.id][0] for t in training]
    fits = []
    for t in training:
        others = [own[o.id][0] for o in training if o.id != t.id]
        loo = round(statistics.median(others), 4)
        fits.append(
            TripFit(
                id=t.id,
                observed_days=t.observed_days,
                average_days=round(own[t.id][1], 3),
                own_share=own[t.id][0],
                loo_share=loo,
                loo_days=round(trip_days(t, loo, st), 3),
            )
        )
    return JourneyCalibration(
        truck_delay_share=FittedShare(
            value=round(statistics.median(shares), 4),
            low=min(shares),
            high=max(shares),
            fitted_on=tuple(t.id for t in training),
            method="median of the shares that reproduce each training trip alone",
        ),
        trips=tuple(fits),
        seed=st.seed,
        replications=st.replications,
        horizon_days=st.horizon_days,
    )


def to_yaml(calibration: JourneyCalibration) -> str:
    """The calibrated-journeys file's text."""
    import yaml

    body = calibration.model_dump(mode="json")
    return HEADER + yaml.safe_dump(body, sort_keys=False, allow_unicode=True)
