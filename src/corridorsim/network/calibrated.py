"""Calibrated border posts: each post's scarce resource (lanes, scanners, tracks: their
number and service time, from physical descriptions) and the clearance that holds none
(documents, payments, escorts), solved so that a crossing's simulated time matches its
observed time at its observed traffic.

``corridorsim calibrate`` (:mod:`corridorsim.calibration`) writes them to
``corridorsim/data/calibrated_posts.yaml`` from the targets in
``corridorsim/data/calibration_targets.yaml``; every entry keeps its provenance (the
observed figure and its source, the traffic, the settings and the tolerance reached).
The built-in network's posts use them wherever a scenario does not set its own.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import Field

from corridorsim._base import Frozen, Ident, Sources
from corridorsim.located_yaml.diagnostics import validate
from corridorsim.located_yaml.reader import read_yaml
from corridorsim.network.spec import Mode
from corridorsim.quantities import MAX_HOURS, MAX_LANES, Count, Hours, Number

__all__ = [
    "CALIBRATED_FILE",
    "CalibratedCrossing",
    "CalibratedPost",
    "Calibration",
    "builtin_calibration",
    "read_calibration",
]

CALIBRATED_FILE = "calibrated_posts.yaml"


class CalibratedPost(Frozen):
    """One post: its scarce resource (``lanes`` servers, each holding a vehicle for a
    lognormal service time; ``None`` where no capacity was found, so no queue), and the
    lognormal clearance before it that holds no lane."""

    lanes: Annotated[Count, Field(ge=1, le=MAX_LANES)] | None = None
    resource: str = ""
    service_mean_hours: Annotated[Number, Field(ge=0, le=MAX_HOURS)] = 0.0
    service_sigma: Annotated[Number, Field(gt=0, le=10)] = 0.4724
    clearance_mean_hours: Annotated[Number, Field(ge=0, le=MAX_HOURS)] = 0.0
    clearance_sigma: Annotated[Number, Field(gt=0, le=10)] = 0.8326

    @property
    def per_day(self) -> float | None:
        """Vehicles a day the resource handles, open all day (None: no limit)."""
        if self.lanes is None or self.service_mean_hours <= 0:
            return None
        return self.lanes * 24 / self.service_mean_hours


class Provenance(Frozen):
    """Where a calibration came from and how close it got."""

    observed_hours: Hours
    year: Annotated[Count, Field(ge=1990, le=2100)]
    source: Sources
    note: str = ""
    vehicles_per_day: Annotated[Number, Field(ge=0)]
    capacity_per_day: Annotated[Number, Field(gt=0)] | None = None
    """Vehicles a day the crossing's resource handles in this direction in the hours it
    is open (None: none)."""
    simulated_hours: Hours
    waiting_hours: Hours = 0.0
    """Of the simulated hours, those waiting for a server or for the post to open."""
    hours_without_clearance: Hours | None = None
    """Simulated hours to cross with no clearance: the queue, the opening and service."""
    tolerance_hours: Hours
    seed: Count
    days: Number
    replications: Count


class CalibratedCrossing(Frozen):
    """A crossing for one mode and direction: its two posts, opening hours, provenance."""

    crossing: Ident
    mode: Mode
    direction: Annotated[str, Field(pattern=r"^[A-Z]{2}-[A-Z]{2}$")]
    open: str = "00:00"
    close: str = "24:00"
    exit: CalibratedPost
    entry: CalibratedPost
    provenance: Provenance

    @property
    def hours_before_clearance(self) -> float:
        """Hours to cross at the calibrated traffic with no clearance: the queue, the
        wait for the opening and the service (from an older file without that run, the
        simulated hours less the clearance)."""
        p = self.provenance
        if p.hours_without_clearance is not None:
            return p.hours_without_clearance
        return p.simulated_hours - self.exit.clearance_mean_hours - self.entry.clearance_mean_hours

    def stated_hours(self, hours: float, builtin_hours: float) -> float:
        """This direction's hours when the crossing is stated to take ``hours`` where the
        network says ``builtin_hours``: in proportion, so each direction keeps its own
        calibrated time relative to the other."""
        return self.provenance.simulated_hours * hours / builtin_hours

    def too_short(self, hours: float, builtin_hours: float) -> str | None:
        """Why the crossing cannot take ``hours`` (against the network's
        ``builtin_hours``) by scaling its clearance, or None."""
        target = self.stated_hours(hours, builtin_hours)
        floor = self.hours_before_clearance
        if target > floor:
            return None
        return (
            f"{hours:g} h ({target:.1f} h {self.direction}, in proportion to the network's "
            f"{builtin_hours:g} h) is no more than the {floor:.1f} h vehicles already spend "
            f"at {self.crossing} ({self.direction}) at today's traffic with no clearance at "
            f"all: queueing, waiting for it to open and being served. Give more, or set "
            f"the posts' processing_hours under borders.crossings.{self.crossing}.{self.mode}"
        )


class Calibration(Frozen):
    """A calibrated-posts file."""

    version: int = 2
    crossings: tuple[CalibratedCrossing, ...] = ()

    def find(self, crossing: str, mode: str, direction: str) -> CalibratedCrossing | None:
        """The calibration of ``crossing`` by ``mode`` in ``direction``, if any."""
        for c in self.crossings:
            if (c.crossing, c.mode, c.direction) == (crossing, mode, direction):
                return c
        return None


def read_calibration(path: str | Path) -> Calibration:
    """Read and validate a calibrated-posts file.

    Raises
    ------
    ScenarioError
        If it is malformed (each problem at its line).
    """
    located = read_yaml(path)
    result: Calibration = validate(Calibration, located)
    return result


@cache
def builtin_calibration() -> Calibration:
    """The calibrated posts shipped with corridorsim (empty if the file is missing)."""
    path = Path(str(resources.files("corridorsim") / "data" / CALIBRATED_FILE))
    if not path.is_file():
        return Calibration()
    return read_calibration(path)
