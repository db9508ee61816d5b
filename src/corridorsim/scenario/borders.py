"""The ``borders:`` and ``transshipment:`` parts of a scenario: border posts and the
terminals where gauge changes or cargo moves between rail and road."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, field_validator, model_validator

from corridorsim._base import Frozen, Ident
from corridorsim.distributions import Fixed, Uniform
from corridorsim.network.spec import Mode
from corridorsim.quantities import MAX_LANES, MAX_VEHICLES_PER_DAY, Count, Number, Usd
from corridorsim.scenario.fields import DAYS, Days, Dist, check_time_of_day

__all__ = [
    "BorderPost",
    "Borders",
    "Channel",
    "CrossingModeParams",
    "FacilityParams",
    "OpeningHours",
    "Transshipment",
]

Lanes = Annotated[Count, Field(ge=1, le=MAX_LANES)]
Direction = Annotated[str, Field(pattern=r"^[A-Z]{2}-[A-Z]{2}$")]
"""The direction of traffic at a crossing, ``FROM-TO`` country codes (``PK-AF``)."""
VehiclesPerDay = Annotated[Number, Field(ge=0, le=MAX_VEHICLES_PER_DAY)]


class OpeningHours(Frozen):
    """When a post works: ``open``–``close`` on ``days`` (default 24/7). A ``close``
    before ``open`` (``22:00``–``06:00``) is an overnight opening: from ``open`` on each
    listed day to ``close`` the next morning."""

    open: str = "00:00"
    close: str = "24:00"
    days: Days = DAYS

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, v: object) -> object:
        if v == "24/7":
            return {}
        return v

    @model_validator(mode="after")
    def _times(self) -> Self:
        check_time_of_day("open", self.open)
        check_time_of_day("close", self.close, allow_24=True)
        if self.close == self.open:
            raise ValueError(
                f"open and close are both {self.open}: for a post open all day write "
                "open: '00:00', close: '24:00'; for one open overnight, a close before "
                "the open (open: '22:00', close: '06:00')"
            )
        return self


class Channel(Frozen):
    """An inspection channel (WCO time-release style): its share and its extra time."""

    name: Literal["green", "yellow", "red"]
    probability: Number = Field(ge=0, le=1)
    extra_hours: Dist = Fixed(value=0)


class BorderPost(Frozen):
    """One post (exit or entry): clearance, processing time, parallel servers, opening
    hours."""

    clearance_hours: Dist | None = Field(
        default=None,
        description="time on documents, payments or escorts that holds no lane (a delay "
        "that does not grow with traffic), before the vehicle joins the queue for a lane; "
        "default: none",
    )
    processing_hours: Dist | None = Field(
        default=None,
        description="time on a lane (inspection, scanning): vehicles queue for it; "
        "default: a fixed half of the crossing's expected hours (CPMM TFI1)",
    )
    capacity: Lanes | None = Field(
        default=None,
        description="tracks or lanes served at once; default: no limit (a delay, no queue)",
    )
    opening_hours: OpeningHours = OpeningHours()
    channels: tuple[Channel, ...] = Field(default=(), max_length=3)

    @field_validator("channels")
    @classmethod
    def _probabilities(cls, v: tuple[Channel, ...]) -> tuple[Channel, ...]:
        if v:
            total = sum(c.probability for c in v)
            if abs(total - 1) > 1e-6:
                raise ValueError(f"channel probabilities must add up to 1 (got {total:g})")
            names = [c.name for c in v]
            if len(set(names)) != len(names):
                raise ValueError("each channel may appear once")
        return v


class CrossingModeParams(Frozen):
    """A crossing for one mode: the exit post, then the entry post, and the fee."""

    exit: BorderPost = BorderPost()
    entry: BorderPost = BorderPost()
    fee_usd_per_teu: Usd | None = Field(
        default=None,
        description="default: the crossing's CPMM TFI2 cost (EST: a CPMM sample is one "
        "consignment, taken as one TEU)",
    )
    background_per_day: dict[Direction, VehiclesPerDay] | None = Field(
        default=None,
        description="vehicles a day that are not the scenario's, by direction "
        "('PK-AF'); default: the network's",
    )


class Borders(Frozen):
    """Border parameters: defaults per mode, then per crossing and mode, and how much of
    the network's background traffic to simulate."""

    defaults: dict[Mode, CrossingModeParams] = {}
    crossings: dict[Ident, dict[Mode, CrossingModeParams]] = {}
    background_scale: Annotated[Number, Field(ge=0, le=100)] = Field(
        default=1.0,
        description="multiplies every crossing's background traffic; 0 switches it off",
    )
    closure_backlog_days: Annotated[Number, Field(ge=0, le=365)] = Field(
        default=3.0,
        description="while a crossing is closed, background vehicles queue until this many "
        "days of its traffic wait, and the rest stay away (EST: the largest backlog on "
        "record, about 4,000 trucks at Torkham in July 2020, S147, is about three days of "
        "the 1,200-1,400 trucks a day crossing the Afghan-Pakistan border, S148)",
    )


class FacilityParams(Frozen):
    """A gauge-change or rail–road transfer facility."""

    method: Literal["transship", "bogie_exchange", "dual_gauge", "variable_gauge"] = "transship"
    hours_per_train: Dist | None = Field(
        default=None, description="default: uniform over the terminal's range in the network"
    )
    hours_per_teu: Dist | None = None
    capacity: Lanes = Field(default=1, description="trains handled at once")
    charge_usd_per_teu: Usd | None = Field(
        default=None,
        description="handling charge per TEU; no source gives one, so unknown by default "
        "(a route's cost is then reported as incomplete)",
    )


class Transshipment(Frozen):
    """Parameters of the network's terminals (by node), and the default rail–road transfer."""

    facilities: dict[Ident, FacilityParams] = {}
    intermodal_default: FacilityParams = FacilityParams(hours_per_train=Uniform(low=4.25, high=9.0))
