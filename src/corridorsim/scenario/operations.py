"""The ``operations:`` part of a scenario: rolling stock and when vehicles depart."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from corridorsim._base import Country, Frozen
from corridorsim.network.spec import Mode
from corridorsim.quantities import MAX_LANES, MAX_TRAIN_TEU, Count, Hours, Number, PositiveHours
from corridorsim.scenario.fields import DAYS, Days, Dist, check_time_of_day

__all__ = ["Departure", "Fleet", "Operations", "Timetable", "WhenFull"]


class WhenFull(Frozen):
    """Depart when the train or truck is full, or after ``max_wait_hours`` at the latest."""

    policy: Literal["when_full"] = "when_full"
    max_wait_hours: PositiveHours = Field(
        default=72.0, description="EST: assumed three days; no source gives a figure"
    )


class Timetable(Frozen):
    """Depart at fixed times (``"06:00"``) on the given days of the week."""

    policy: Literal["timetable"] = "timetable"
    times: tuple[str, ...] = Field(default=("06:00",), min_length=1, max_length=96)
    days: Days = DAYS

    @field_validator("times")
    @classmethod
    def _times(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for t in v:
            check_time_of_day("time", t)
        return v


SpeedBasis = Literal["moving_plus_stops", "moving", "with_delay"]


class Fleet(Frozen):
    """Train sets (a locomotive and its wagons) per rail service, by gauge. A train can
    leave only when one of its service's sets is there; a set is away for the service's
    turnaround: twice its expected one-way time plus ``end_hours``. Each direction of a
    service has its own sets (EST: sets do not carry the return flow)."""

    sets: dict[
        Annotated[int, Field(gt=0, le=3000)], Annotated[Count, Field(ge=1, le=MAX_LANES)]
    ] = Field(
        default={},
        description="sets per rail service by gauge (mm); a gauge not listed has no limit",
    )
    end_hours: Hours = Field(
        default=24.0,
        description="hours a set spends at the two ends of a round trip (unloading, loading, "
        "inspection); EST: no source gives a figure",
    )


Departure = Annotated[WhenFull | Timetable, Field(discriminator="policy")]

TrainTeu = Annotated[Count, Field(ge=1, le=MAX_TRAIN_TEU)]


class Operations(Frozen):
    """Rolling stock and departure rules."""

    train_capacity_teu: dict[Annotated[int, Field(gt=0, le=3000)], TrainTeu] = Field(
        default={1676: 75, 1520: 97, 1435: 90},
        description="per gauge (mm). 1676: 75 containers on the PR container train (S139); "
        "1520: KTZ average 97 TEU/train (S115, derived); 1435: 45 × 40 ft (S120)",
    )
    truck_capacity_teu: Annotated[Count, Field(ge=1, le=2)] = Field(
        default=2, description="one 40 ft box per truck on the TIR trials (S3)"
    )
    departure: Departure = WhenFull()
    fleet: Fleet = Fleet()
    truck_departure: Departure = WhenFull(max_wait_hours=24.0)
    vessel_capacity_teu: Annotated[Count, Field(ge=1, le=30_000)] = Field(
        default=1100,
        description="TEU a ship carries on a sea leg: the 1,100 TEU feeders of a weekly "
        "Gulf–India service calling at Bandar Abbas (S185)",
    )
    sailings: Departure = Field(
        default=Timetable(times=("12:00",), days=("mon",)),
        description="when ships sail on a sea leg: weekly by default (EST: the weekly "
        "Gulf–India feeder service of S185; no Pakistan–Iran container service was found)",
    )
    running_noise: Dist | None = Field(
        default=None, description="multiplier on running time per link (mean near 1)"
    )
    speed_basis: SpeedBasis = Field(
        default="moving_plus_stops",
        description="how running time is reckoned, the same for rail and road: "
        "moving_plus_stops (CPMM's speed without delay plus the network's en-route stops "
        "per 100 km), moving (without delay, no stops: the optimistic bound) or "
        "with_delay (CPMM's speed with delay where the network gives it, no stops; it "
        "includes border time, which is also simulated: the pessimistic bound)",
    )
    truck_delay_share: Annotated[Number, Field(ge=0, le=1)] = Field(
        default=1.0,
        description="share of the border clearance (calibrated or set) and of the en-route "
        "stops that the scenario's trucks incur: 1 is CPMM's average consignment, which the "
        "border and stop figures describe; a dedicated TIR truck incurs less, as fitted "
        "to the TIR runs on record by corridorsim calibrate-journeys "
        "(src/corridorsim/data/calibrated_journeys.yaml). Queues, opening hours and "
        "closures are not scaled, nor is the background traffic",
    )
    en_route_delay_hours_per_100km: dict[Mode, dict[Country, Dist]] = Field(
        default={},
        description="stops between places (checkpoints, weighbridges, rest, escorts), hours "
        "per 100 km by mode and country; drawn per vehicle and link, and replacing the "
        "network's figure whatever the speed basis. CPMM's speed with delay (SWD) counts "
        "them, its speed without delay (SWOD) does not",
    )
