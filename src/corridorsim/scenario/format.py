"""The scenario file format, validated into frozen pydantic models.

A scenario names the network (the built-in one by default) and the changes it makes to
it, and states demand, operations, border and transshipment parameters, disruptions,
simulation settings and the target. Unknown keys are errors. Units are in the field
names: ``_hours``, ``_km``, ``_kmh``, ``_teu``, ``_usd``.

``corridorsim schema`` writes the JSON Schema of :class:`Scenario`
(:func:`corridorsim.scenario.jsonschema.scenario_json_schema`).
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, field_validator, model_validator

from corridorsim._base import Country, Frozen, Ident, Sources
from corridorsim.network.spec import (
    CrossingSpec,
    LinkSpec,
    Mode,
    NodeSpec,
    Status,
    TerminalSpec,
)
from corridorsim.quantities import (
    MAX_HORIZON_DAYS,
    MAX_HOURS,
    MAX_LANES,
    MAX_LINK_KM,
    MAX_RATE_PER_YEAR,
    MAX_REPLICATIONS,
    MAX_SPEED_KMH,
    MAX_TEU_PER_YEAR,
    MAX_TONNES_PER_YEAR,
    MAX_USD,
    Count,
    Hours,
    Number,
    PositiveHours,
)
from corridorsim.scenario.borders import (
    BorderPost,
    Borders,
    Channel,
    CrossingModeParams,
    FacilityParams,
    OpeningHours,
    Transshipment,
)
from corridorsim.scenario.fields import Dist
from corridorsim.scenario.operations import Departure, Operations, Timetable, WhenFull
from corridorsim.scenario.ports import Ports

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
    "Ports",
    "RandomIncidents",
    "Rerouting",
    "Scenario",
    "ScheduledClosure",
    "SeasonalClosure",
    "Simulation",
    "Target",
    "Timetable",
    "Transshipment",
    "WhenFull",
]

Km = Annotated[Number, Field(gt=0, le=MAX_LINK_KM)]
Kmh = Annotated[Number, Field(gt=0, le=MAX_SPEED_KMH)]
Days = Annotated[Number, Field(ge=0, le=MAX_HORIZON_DAYS)]


# --- network changes -------------------------------------------------------------------


class LinkChange(Frozen):
    """Changes to one existing link; unset fields keep the network's values."""

    km: Km | None = None
    speed_kmh: Kmh | None = None
    gauge_mm: Annotated[Count, Field(gt=0, le=3000)] | None = None
    status: Status | None = None
    cost_usd_per_teu_km: Annotated[Number, Field(ge=0, le=MAX_USD)] | None = None
    max_trains: Annotated[Count, Field(ge=1, le=MAX_LANES)] | None = None
    headway_hours: PositiveHours | None = None
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
    alignment_km: dict[Ident, Annotated[Number, Field(gt=0, le=10 * MAX_LINK_KM)]] = Field(
        default={},
        description="group -> total km; the group's links are scaled to this total "
        "(sources conflict, e.g. western-afghan 687 vs ~949 km)",
    )
    speeds_kmh: dict[Mode, dict[Country, Kmh]] = Field(
        default={}, description="default running speed by mode and country"
    )
    crossing_hours: dict[Ident, dict[Mode, Hours]] = Field(
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
    if not sep or mode not in ("rail", "road", "sea") or ends.count("-") < 1:
        raise ValueError(
            f"'{key}' is not a link id; write FROM-TO:rail, FROM-TO:road or FROM-TO:sea"
        )


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
    teu_per_year: Annotated[Number, Field(gt=0, le=MAX_TEU_PER_YEAR)] | None = None
    tonnes_per_year: Annotated[Number, Field(gt=0, le=MAX_TONNES_PER_YEAR)] | None = None
    tonnes_per_teu: Annotated[Number, Field(gt=0, le=100)] = Field(
        default=20.0,
        description="EST: a loaded 20 ft box taken as 20 t (the CPMM cost unit); "
        "heavy bulk such as wheat is about 25 t",
    )
    value_usd_per_teu: Annotated[Number, Field(gt=0, le=MAX_USD)] = Field(
        default=54_500.0, description="S156"
    )
    arrivals: Literal["poisson", "schedule"] = Field(
        default="poisson",
        description="poisson: random arrivals at the yearly rate; schedule: evenly spaced",
    )
    start_hours: Annotated[Number, Field(ge=0, le=MAX_HORIZON_DAYS * 24)] = Field(
        default=0.0, description="first possible arrival, hours after the start (Monday 00:00)"
    )
    modes: tuple[Mode, ...] = Field(default=("rail", "road"), min_length=1)
    route: Annotated[tuple[Ident, ...], Field(min_length=2)] | None = Field(
        default=None, description="fixed route as a list of nodes; default: the fastest"
    )
    route_reason: str = Field(
        default="",
        max_length=1000,
        description="why the route is fixed, with source ids (shown in the report beside "
        "the fastest expected route; a fixed route slower than the fastest without one is "
        "warned about)",
    )
    derivation: str = Field(
        default="",
        max_length=2000,
        description="how the volume and value were arrived at, with source ids (shown in "
        "the report's assumptions)",
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


# --- disruptions -----------------------------------------------------------------------


class RandomIncidents(Frozen):
    """Random closures of a link or crossing: a Poisson rate and a duration."""

    target: str = Field(description="a link id (FROM-TO:mode) or a crossing id")
    kind: str = "incident"
    rate_per_year: Annotated[Number, Field(gt=0, le=MAX_RATE_PER_YEAR)]
    duration_hours: Dist


class ScheduledClosure(Frozen):
    """A link or crossing closed from ``start_day`` for ``days`` days."""

    target: str
    kind: str = "closure"
    start_day: Days
    days: Annotated[Number, Field(gt=0, le=MAX_HORIZON_DAYS)]


class SeasonalClosure(Frozen):
    """A link or crossing closed every year for part of it (snow on a high pass, the
    flood season): from ``start`` (``MM-DD``; the simulation starts on 1 January) for
    ``days``, in a share ``probability`` of the years. Nothing is closed by default:
    the sources consulted say such closures are common without dating them."""

    target: str = Field(description="a link id (FROM-TO:mode) or a crossing id")
    kind: str = "seasonal closure"
    start: str = Field(
        pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$", description="MM-DD, e.g. 12-15"
    )
    days: Annotated[Number, Field(gt=0, le=365)]
    probability: Annotated[Number, Field(gt=0, le=1)] = 1.0
    source: Sources = ()

    @property
    def start_hours(self) -> float:
        """Hours from 1 January to the start (a non-leap year)."""
        import datetime as dt

        month, day = (int(x) for x in self.start.split("-"))
        try:
            first = dt.date(2025, month, day)
        except ValueError:
            raise ValueError(f"start {self.start} is not a day of the year") from None
        return float((first - dt.date(2025, 1, 1)).days * 24)

    @model_validator(mode="after")
    def _day_exists(self) -> Self:
        _ = self.start_hours  # raises for 02-30 and the like
        return self


class Rerouting(Frozen):
    """Whether traffic not yet committed switches route when the expected wait is long."""

    enabled: bool = False
    threshold_hours: PositiveHours = 24.0


class Disruptions(Frozen):
    """Closures: as observed (fitted to the 2016-2026 record), random, or scheduled."""

    observed_closures: tuple[Ident, ...] = Field(
        default=(),
        description="crossings whose closures follow the process fitted to the observed "
        "record (corridorsim calibrate-closures): closures of each alone and joint "
        "closures of all of them",
    )
    closure_record: Literal["2016-2026", "2016-2024"] = Field(
        default="2016-2026",
        description="the years of the record the observed_closures process is fitted to: "
        "all of them, or those before the closures of 2025-26 (the held-out fit)",
    )
    random: tuple[RandomIncidents, ...] = ()
    scheduled: tuple[ScheduledClosure, ...] = ()
    seasonal: tuple[SeasonalClosure, ...] = ()
    rerouting: Rerouting = Rerouting()


# --- simulation and target --------------------------------------------------------------


class Simulation(Frozen):
    """Horizon, warm-up (days), replications and seed."""

    horizon_days: Annotated[Number, Field(gt=0, le=MAX_HORIZON_DAYS)] = 365.0
    warmup_days: Days = 30.0
    replications: Annotated[Count, Field(ge=1, le=MAX_REPLICATIONS)] = 10
    seed: Annotated[Count, Field(ge=0, lt=2**64)] = 20260204

    @model_validator(mode="after")
    def _warmup(self) -> Self:
        if self.warmup_days >= self.horizon_days:
            raise ValueError(
                f"warmup_days ({self.warmup_days:g}) must be shorter than horizon_days "
                f"({self.horizon_days:g})"
            )
        return self


class FreightRates(Frozen):
    """All-in freight rates a shipper is quoted, USD per TEU by flow id: compare's route
    shares use them in place of the cost the model builds up (often incomplete), and
    goal-seek and levers can vary them (``freight_rates.usd_per_teu.FLOW``) as a
    tariff."""

    usd_per_teu: dict[Ident, Annotated[Number, Field(gt=0, le=MAX_USD)]] = {}
    source: str = Field(
        default="",
        max_length=2000,
        description="where the rates come from, with source ids (required with any rate)",
    )

    @model_validator(mode="after")
    def _sourced(self) -> Self:
        if self.usd_per_teu and not self.source.strip():
            raise ValueError("give source: where the quoted rates come from")
        return self


class Target(Frozen):
    """The transit-time goal: ``hours`` at the given percentile (five days at p90 by default)."""

    hours: Annotated[Number, Field(gt=0, le=MAX_HOURS)] = 120.0
    percentile: Number = Field(default=90.0, gt=0, lt=100)


# --- the scenario ------------------------------------------------------------------------


class Scenario(Frozen):
    """A whole scenario file (after ``extends`` is resolved)."""

    name: Ident
    extends: str | list[str] | None = Field(
        default=None,
        description="a scenario file this one inherits from (relative path), or a list of "
        "them, later ones overriding earlier ones",
    )
    description: str = ""
    sources: Sources = ()
    network: NetworkChanges = NetworkChanges()
    demand: tuple[Flow, ...] = Field(min_length=1)
    operations: Operations = Operations()
    ports: Ports = Ports()
    borders: Borders = Borders()
    transshipment: Transshipment = Transshipment()
    freight_rates: FreightRates = FreightRates()
    disruptions: Disruptions = Disruptions()
    simulation: Simulation = Simulation()
    target: Target = Target()
