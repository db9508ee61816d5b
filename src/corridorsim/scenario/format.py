"""The scenario file format, validated into frozen pydantic models.

A scenario names the network (the built-in one by default) and the changes it makes to
it, and states demand, operations, border and transshipment parameters, disruptions,
simulation settings and the target. Unknown keys are errors. Units are in the field
names: ``_hours``, ``_km``, ``_kmh``, ``_teu``, ``_usd``.

``corridorsim schema`` writes the JSON Schema of :class:`Scenario`
(:func:`corridorsim.scenario.jsonschema.scenario_json_schema`).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, Self

from pydantic import (
    BeforeValidator,
    Field,
    NonNegativeFloat,
    PositiveFloat,
    PositiveInt,
    field_validator,
    model_validator,
)

from corridorsim._base import Country, Frozen, Ident, Sources
from corridorsim.distributions import Distribution, Fixed, Uniform, coerce_distribution
from corridorsim.network.spec import (
    CrossingSpec,
    LinkSpec,
    Mode,
    NodeSpec,
    Status,
    TerminalSpec,
)

__all__ = [
    "BorderPost",
    "Borders",
    "Channel",
    "CrossingModeParams",
    "Departure",
    "Disruptions",
    "Dist",
    "FacilityParams",
    "Flow",
    "LinkChange",
    "NetworkChanges",
    "OpeningHours",
    "Operations",
    "RandomIncidents",
    "Rerouting",
    "Scenario",
    "ScheduledClosure",
    "Simulation",
    "Target",
    "Timetable",
    "Transshipment",
    "WhenFull",
]

Dist = Annotated[Distribution, BeforeValidator(coerce_distribution)]
"""A distribution, or a bare number for a fixed value."""

LinkRef = Annotated[
    str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.]*-[A-Za-z0-9][A-Za-z0-9_.]*:(rail|road)$")
]
"""A link id, ``FROM-TO:mode`` (either direction)."""

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_DAYS: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


# --- network changes -------------------------------------------------------------------


class LinkChange(Frozen):
    """Changes to one existing link; unset fields keep the network's values."""

    km: PositiveFloat | None = None
    speed_kmh: PositiveFloat | None = None
    gauge_mm: Annotated[int, Field(gt=0, le=3000)] | None = None
    status: Status | None = None
    cost_usd_per_teu_km: NonNegativeFloat | None = None
    max_trains: PositiveInt | None = None
    headway_hours: PositiveFloat | None = None
    source: Sources = ()
    note: str | None = None


class NetworkChanges(Frozen):
    """Which network to use and what to change in it (applied in the order listed here)."""

    file: str = Field(
        default="builtin",
        description="'builtin' or a network file, relative to the scenario file",
    )
    add_nodes: tuple[NodeSpec, ...] = ()
    add_crossings: tuple[CrossingSpec, ...] = ()
    add_links: tuple[LinkSpec, ...] = ()
    add_terminals: tuple[TerminalSpec, ...] = ()
    build: tuple[str, ...] = Field(
        default=(), description="link ids or group names to set to operating"
    )
    links: dict[str, LinkChange] = Field(default={}, description="link id -> changes")
    alignment_km: dict[Ident, PositiveFloat] = Field(
        default={},
        description="group -> total km; the group's links are scaled to this total "
        "(sources conflict, e.g. western-afghan 687 vs ~949 km)",
    )
    speeds_kmh: dict[Mode, dict[Country, PositiveFloat]] = Field(
        default={}, description="default running speed by mode and country"
    )
    crossing_hours: dict[Ident, dict[Mode, NonNegativeFloat]] = Field(
        default={}, description="crossing -> mode -> expected hours (CPMM TFI1)"
    )
    close_links: tuple[str, ...] = ()
    close_crossings: tuple[Ident, ...] = ()

    @field_validator("links")
    @classmethod
    def _link_ids(cls, v: dict[str, LinkChange]) -> dict[str, LinkChange]:
        for key in v:
            _check_link_ref(key)
        return v

    @field_validator("close_links")
    @classmethod
    def _close_ids(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for key in v:
            _check_link_ref(key)
        return v


def _check_link_ref(key: str) -> None:
    ends, sep, mode = key.partition(":")
    if not sep or mode not in ("rail", "road") or ends.count("-") < 1:
        raise ValueError(f"'{key}' is not a link id; write FROM-TO:rail or FROM-TO:road")


# --- demand ----------------------------------------------------------------------------


class Flow(Frozen):
    """Cargo between two places: a yearly volume of one commodity.

    Give ``teu_per_year`` or ``tonnes_per_year`` (converted with ``tonnes_per_teu``).
    ``value_usd_per_teu`` converts volume to trade value (default: the global average
    value of containerised trade, $54,500 per TEU in 2020, S156).
    """

    id: Ident | None = None
    origin: Ident
    destination: Ident
    commodity: str = "general cargo"
    teu_per_year: PositiveFloat | None = None
    tonnes_per_year: PositiveFloat | None = None
    tonnes_per_teu: PositiveFloat = Field(
        default=20.0,
        description="EST: a loaded 20 ft box taken as 20 t (the CPMM cost unit); "
        "heavy bulk such as wheat is about 25 t",
    )
    value_usd_per_teu: PositiveFloat = Field(default=54_500.0, description="S156")
    arrivals: Literal["poisson", "schedule"] = Field(
        default="poisson",
        description="poisson: random arrivals at the yearly rate; schedule: evenly spaced",
    )
    start_hours: NonNegativeFloat = Field(
        default=0.0, description="first possible arrival, hours after the start (Monday 00:00)"
    )
    modes: tuple[Mode, ...] = Field(default=("rail", "road"), min_length=1)
    route: tuple[Ident, ...] | None = Field(
        default=None, description="fixed route as a list of nodes; default: the fastest"
    )

    @model_validator(mode="after")
    def _volume(self) -> Self:
        if (self.teu_per_year is None) == (self.tonnes_per_year is None):
            raise ValueError("give exactly one of teu_per_year or tonnes_per_year")
        if self.origin == self.destination:
            raise ValueError(f"origin and destination are the same ({self.origin})")
        if self.route is not None and (
            self.route[0] != self.origin or self.route[-1] != self.destination
        ):
            raise ValueError(
                f"route must run from origin {self.origin} to destination {self.destination} "
                f"(got {self.route[0]} … {self.route[-1]})"
            )
        return self

    @property
    def teu(self) -> float:
        """Yearly volume in TEU."""
        if self.teu_per_year is not None:
            return self.teu_per_year
        assert self.tonnes_per_year is not None
        return self.tonnes_per_year / self.tonnes_per_teu

    @property
    def name(self) -> str:
        return self.id or f"{self.origin}-{self.destination}"


# --- operations ------------------------------------------------------------------------


class WhenFull(Frozen):
    """Depart when the train or truck is full, or after ``max_wait_hours`` at the latest."""

    policy: Literal["when_full"] = "when_full"
    max_wait_hours: PositiveFloat = Field(
        default=72.0, description="EST: assumed three days; no source gives a figure"
    )


class Timetable(Frozen):
    """Depart at fixed times (``"06:00"``) on the given days of the week."""

    policy: Literal["timetable"] = "timetable"
    times: tuple[str, ...] = Field(default=("06:00",), min_length=1)
    days: tuple[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], ...] = _DAYS

    @field_validator("times")
    @classmethod
    def _times(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for t in v:
            if not _HHMM.match(t):
                raise ValueError(f"'{t}' is not a time of day; write HH:MM, e.g. '06:00'")
        return v


Departure = Annotated[WhenFull | Timetable, Field(discriminator="policy")]


class Operations(Frozen):
    """Rolling stock and departure rules."""

    train_capacity_teu: dict[int, PositiveInt] = Field(
        default={1676: 75, 1520: 97, 1435: 90},
        description="per gauge (mm). 1676: 75 containers on the PR container train (S139); "
        "1520: KTZ average 97 TEU/train (S115, derived); 1435: 45 × 40 ft (S120)",
    )
    truck_capacity_teu: Annotated[int, Field(ge=1, le=2)] = Field(
        default=2, description="one 40 ft box per truck on the TIR trials (S3)"
    )
    departure: Departure = WhenFull()
    truck_departure: Departure = WhenFull(max_wait_hours=24.0)
    running_noise: Dist | None = Field(
        default=None, description="multiplier on running time per link (mean near 1)"
    )
    en_route_delay_hours_per_100km: dict[Mode, dict[Country, Dist]] = Field(
        default={},
        description="stops between places (checkpoints, weighbridges, rest, escorts), hours "
        "per 100 km by mode and country; drawn per vehicle and link. CPMM's speed with delay "
        "(SWD) counts them, its speed without delay (SWOD) does not",
    )


# --- borders ---------------------------------------------------------------------------


class OpeningHours(Frozen):
    """When a post works: ``open``–``close`` on ``days`` (default 24/7)."""

    open: str = "00:00"
    close: str = "24:00"
    days: tuple[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], ...] = _DAYS

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, v: object) -> object:
        if v == "24/7":
            return {}
        return v

    @model_validator(mode="after")
    def _times(self) -> Self:
        for name in ("open", "close"):
            t = getattr(self, name)
            if not (_HHMM.match(t) or (name == "close" and t == "24:00")):
                raise ValueError(f"{name} '{t}' is not a time of day; write HH:MM")
        if self.close != "24:00" and self.close <= self.open:
            raise ValueError(f"close ({self.close}) must be after open ({self.open})")
        if not self.days:
            raise ValueError("days must list at least one day (or the post never opens)")
        return self


class Channel(Frozen):
    """An inspection channel (WCO time-release style): its share and its extra time."""

    name: Literal["green", "yellow", "red"]
    probability: float = Field(ge=0, le=1)
    extra_hours: Dist = Fixed(value=0)


class BorderPost(Frozen):
    """One post (exit or entry): processing time, parallel servers, opening hours."""

    processing_hours: Dist | None = Field(
        default=None,
        description="default: a fixed half of the crossing's expected hours (CPMM TFI1)",
    )
    capacity: PositiveInt | None = Field(
        default=None,
        description="tracks or lanes served at once; default: no limit (a delay, no queue)",
    )
    opening_hours: OpeningHours = OpeningHours()
    channels: tuple[Channel, ...] = ()

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
    fee_usd_per_teu: NonNegativeFloat | None = Field(
        default=None,
        description="default: the crossing's CPMM TFI2 cost (EST: a CPMM sample is one "
        "consignment, taken as one TEU)",
    )


class Borders(Frozen):
    """Border parameters: defaults per mode, then per crossing and mode."""

    defaults: dict[Mode, CrossingModeParams] = {}
    crossings: dict[Ident, dict[Mode, CrossingModeParams]] = {}


# --- transshipment ---------------------------------------------------------------------


class FacilityParams(Frozen):
    """A gauge-change or rail–road transfer facility."""

    method: Literal["transship", "bogie_exchange", "dual_gauge", "variable_gauge"] = "transship"
    hours_per_train: Dist | None = Field(
        default=None, description="default: uniform over the terminal's range in the network"
    )
    hours_per_teu: Dist | None = None
    capacity: PositiveInt = Field(default=1, description="trains handled at once")
    charge_usd_per_teu: NonNegativeFloat = Field(
        default=0.0, description="handling charge; no source gives one, so none by default"
    )


class Transshipment(Frozen):
    """Parameters of the network's terminals (by node), and the default rail–road transfer."""

    facilities: dict[Ident, FacilityParams] = {}
    intermodal_default: FacilityParams = FacilityParams(hours_per_train=Uniform(low=4.25, high=9.0))


# --- disruptions -----------------------------------------------------------------------


class RandomIncidents(Frozen):
    """Random closures of a link or crossing: a Poisson rate and a duration."""

    target: str = Field(description="a link id (FROM-TO:mode) or a crossing id")
    kind: str = "incident"
    rate_per_year: PositiveFloat
    duration_hours: Dist


class ScheduledClosure(Frozen):
    """A link or crossing closed from ``start_day`` for ``days`` days."""

    target: str
    kind: str = "closure"
    start_day: NonNegativeFloat
    days: PositiveFloat


class Rerouting(Frozen):
    """Whether traffic not yet committed switches route when the expected wait is long."""

    enabled: bool = False
    threshold_hours: PositiveFloat = 24.0


class Disruptions(Frozen):
    random: tuple[RandomIncidents, ...] = ()
    scheduled: tuple[ScheduledClosure, ...] = ()
    rerouting: Rerouting = Rerouting()


# --- simulation and target --------------------------------------------------------------


class Simulation(Frozen):
    """Horizon, warm-up (days), replications and seed."""

    horizon_days: PositiveFloat = 365.0
    warmup_days: NonNegativeFloat = 30.0
    replications: PositiveInt = 10
    seed: Annotated[int, Field(ge=0)] = 20260204

    @model_validator(mode="after")
    def _warmup(self) -> Self:
        if self.warmup_days >= self.horizon_days:
            raise ValueError(
                f"warmup_days ({self.warmup_days:g}) must be shorter than horizon_days "
                f"({self.horizon_days:g})"
            )
        return self


class Target(Frozen):
    """The transit-time goal: ``hours`` at the given percentile (five days at p90 by default)."""

    hours: PositiveFloat = 120.0
    percentile: float = Field(default=90.0, gt=0, lt=100)


# --- the scenario ------------------------------------------------------------------------


class Scenario(Frozen):
    """A whole scenario file (after ``extends`` is resolved)."""

    name: Ident
    extends: str | None = Field(
        default=None, description="a scenario file this one inherits from (relative path)"
    )
    description: str = ""
    sources: Sources = ()
    network: NetworkChanges = NetworkChanges()
    demand: tuple[Flow, ...] = Field(min_length=1)
    operations: Operations = Operations()
    borders: Borders = Borders()
    transshipment: Transshipment = Transshipment()
    disruptions: Disruptions = Disruptions()
    simulation: Simulation = Simulation()
    target: Target = Target()
