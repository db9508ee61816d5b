"""The network file format: nodes, links, border crossings and terminals.

These frozen models are what a network YAML file (the built-in
``corridorsim/data/network.yaml`` or a user's own) is validated into. Cross-checks
that span several entries (a link's ends exist, a border link names its crossing, a
break of gauge has a terminal) live in :mod:`corridorsim.network.checks`.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BeforeValidator, Field, model_validator

from corridorsim._base import Country, Frozen, Ident, Sources
from corridorsim.distributions import Distribution, coerce_distribution
from corridorsim.quantities import (
    MAX_LANES,
    MAX_LINK_KM,
    MAX_SPEED_KMH,
    MAX_TEU_PER_YEAR,
    MAX_USD,
    MAX_VEHICLES_PER_DAY,
    Count,
    Hours,
    Number,
    PositiveHours,
    Usd,
)

__all__ = [
    "BackgroundTraffic",
    "CrossingMode",
    "CrossingSpec",
    "Defaults",
    "DestinationSpec",
    "HoursRange",
    "LinkSpec",
    "Mode",
    "NetworkSpec",
    "NodeSpec",
    "Observation",
    "PortSpec",
    "Post",
    "SourcedDist",
    "SourcedValue",
    "Status",
    "TerminalSpec",
]

Mode = Literal["rail", "road", "sea"]
Status = Literal["operating", "under_construction", "planned"]
NodeKind = Literal["port", "station", "junction", "border_post", "city", "railhead", "terminal"]
Gauge = Annotated[Count, Field(gt=0, le=3000, description="track gauge in mm")]
Km = Annotated[Number, Field(ge=0, le=MAX_LINK_KM)]
Kmh = Annotated[Number, Field(gt=0, le=MAX_SPEED_KMH)]
CostPerTeuKm = Annotated[Number, Field(ge=0, le=MAX_USD)]
Year = Annotated[Count, Field(ge=1800, le=2100)]


class _Cited(Frozen):
    source: Sources = ()
    estimate: str | None = Field(default=None, description="how a figure not found was derived")
    note: str | None = None


class BackgroundTraffic(_Cited):
    """Vehicles a day crossing in one direction that are not a scenario's own."""

    vehicles_per_day: Annotated[Number, Field(ge=0, le=MAX_VEHICLES_PER_DAY)]


class SourcedValue(_Cited):
    """A number with its source."""

    value: Annotated[Number, Field(ge=0, le=MAX_USD)]


class SourcedDist(_Cited):
    """A distribution with its source."""

    value: Annotated[Distribution, BeforeValidator(coerce_distribution)]


class NodeSpec(_Cited):
    """A port, station, junction, border post or city."""

    id: Ident
    name: str = Field(min_length=1)
    country: Country
    kind: NodeKind
    lat: Number = Field(ge=-90, le=90, description="latitude, decimal degrees WGS84")
    lon: Number = Field(ge=-180, le=180, description="longitude, decimal degrees WGS84")


class LinkSpec(_Cited):
    """A rail, road or sea link, usable in both directions. A sea link joins two ports
    and needs no border crossing (clearance is at the ports)."""

    from_: Ident = Field(alias="from")
    to: Ident
    mode: Mode
    km: Km = Field(description="length in km; 0 only between two border posts facing each other")
    gauge_mm: Gauge | None = None
    status: Status = "operating"
    opened: Year | None = Field(default=None, description="opening year")
    speed_kmh: Kmh | None = Field(
        default=None, description="typical running speed; default by mode and country"
    )
    design_speed_kmh: Kmh | None = None
    cost_usd_per_teu_km: CostPerTeuKm | None = None
    crossing: Ident | None = Field(default=None, description="border crossing on this link")
    max_trains: Annotated[Count, Field(ge=1, le=MAX_LANES)] | None = Field(
        default=None,
        description="single-track section: trains in it at once, both directions sharing "
        "(default: no limit)",
    )
    headway_hours: PositiveHours | None = Field(
        default=None, description="minimum time between trains entering in one direction"
    )
    km_by_country: dict[Country, Annotated[Km, Field(gt=0)]] | None = None
    groups: tuple[Ident, ...] = ()
    detour: Number | None = Field(default=None, ge=1, le=3, description="km = great-circle × this")
    alternatives: str | None = Field(default=None, description="conflicting figures in sources")

    @model_validator(mode="after")
    def _gauge_and_split(self) -> Self:
        if self.mode == "rail" and self.gauge_mm is None:
            raise ValueError("a rail link needs gauge_mm (1676, 1520 or 1435)")
        if self.mode != "rail" and self.gauge_mm is not None:
            raise ValueError(f"a {self.mode} link has no gauge_mm")
        if self.mode == "sea" and self.speed_kmh is None:
            raise ValueError(
                "a sea link needs speed_kmh (the vessel's speed; no default by country)"
            )
        if self.km == 0 and self.crossing is None:
            raise ValueError(
                "km must be greater than 0 (only a border link between facing posts may be 0)"
            )
        if self.from_ == self.to:
            raise ValueError(f"a link must join two different nodes (got {self.from_} twice)")
        if self.km_by_country is not None:
            total = sum(self.km_by_country.values())
            if abs(total - self.km) > 0.01 * self.km + 1e-9:
                raise ValueError(f"km_by_country adds up to {total:g} km but km is {self.km:g}")
        return self

    @property
    def id(self) -> str:
        """``FROM-TO:mode``."""
        return f"{self.from_}-{self.to}:{self.mode}"


class Post(Frozen):
    """One of the two facing border posts."""

    country: Country
    name: str = Field(min_length=1)


class CrossingMode(_Cited):
    """Expected time (CAREC CPMM TFI1, hours, both posts) and cost (TFI2, USD) for a mode,
    and the traffic that is not a scenario's (vehicles a day by direction, ``PK-AF``)."""

    hours: Hours
    cost_usd: Usd | None = None
    background_per_day: dict[
        Annotated[str, Field(pattern=r"^[A-Z]{2}-[A-Z]{2}$")], BackgroundTraffic
    ] = {}


class Observation(Frozen):
    """An observed sample behind the default (kept for reports and calibration)."""

    mode: Mode
    hours: Hours
    cost_usd: Usd | None = None
    year: Annotated[Count, Field(ge=1990, le=2100)]
    note: str | None = None
    source: Sources = ()


class CrossingSpec(_Cited):
    """A border crossing: two facing posts, the modes served and their times."""

    id: Ident
    name: str = Field(min_length=1)
    posts: tuple[Post, Post]
    modes: dict[Mode, CrossingMode] = Field(min_length=1)
    capacity_trains_per_day: SourcedValue | None = None
    observed: tuple[Observation, ...] = ()

    @model_validator(mode="after")
    def _two_countries(self) -> Self:
        a, b = (p.country for p in self.posts)
        if a == b:
            raise ValueError(f"the two posts must be in different countries (both {a})")
        return self


class HoursRange(Frozen):
    """A time range in hours (``low`` to ``high``); the planning value is its midpoint."""

    low: Hours
    high: Hours

    @model_validator(mode="after")
    def _order(self) -> Self:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) must be at least low ({self.low})")
        return self

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2


class TerminalSpec(_Cited):
    """Where trains change gauge (``gauge``) or cargo changes mode (``intermodal``)."""

    node: Ident
    kind: Literal["gauge", "intermodal"]
    gauges_mm: tuple[Gauge, ...] = ()
    status: Status = "operating"
    hours_per_train: HoursRange
    capacity_teu_per_day: Annotated[Number, Field(gt=0, le=MAX_TEU_PER_YEAR)] | None = None
    background: BackgroundTraffic | None = Field(
        default=None, description="trains a day handled that are not a scenario's"
    )

    @model_validator(mode="after")
    def _gauges(self) -> Self:
        if self.kind == "gauge" and len(set(self.gauges_mm)) < 2:
            raise ValueError("a gauge terminal lists the two gauges it joins in gauges_mm")
        return self


class DestinationSpec(_Cited):
    """A place users ask about as the far end of the corridor, with its role.

    Scenarios that answer the same question ("port to Kazakhstan") end their flows at
    the same named destinations, so that comparing them compares like with like.
    """

    node: Ident
    role: Literal["market", "gateway"] = Field(
        description="market: where the goods are consumed or made; gateway: where they "
        "leave the corridor for another (a sea port, another railway)"
    )
    answers: str = Field(
        min_length=1, description="the question it answers, e.g. 'port to Kazakhstan'"
    )
    why: str = Field(min_length=1, description="why this place stands for that question")


class PortSpec(_Cited):
    """A sea port's container dwell: hours from a container's arrival in the port to
    its leaving inland by rail or road (unloading, customs clearance, storage)."""

    node: Ident
    dwell_hours: Annotated[Distribution, BeforeValidator(coerce_distribution)]
    handling_usd_per_teu: SourcedValue | None = Field(
        default=None,
        description="terminal handling and port charges per TEU moved between ship and land "
        "(None: no source found, reported as missing from costs)",
    )
    alternatives: str | None = Field(default=None, description="conflicting figures in sources")


class Defaults(Frozen):
    """Per mode and country: running speed (km/h, moving: CPMM's speed without delay),
    stops between places (hours per 100 km), CPMM's speed with delay (km/h, for the
    ``with_delay`` speed basis) and cost (USD per TEU-km)."""

    speed_kmh: dict[Mode, dict[Country, SourcedValue]] = {}
    en_route_delay_hours_per_100km: dict[Mode, dict[Country, SourcedDist]] = {}
    speed_with_delay_kmh: dict[Mode, dict[Country, SourcedValue]] = {}
    cost_usd_per_teu_km: dict[Mode, dict[Country, SourcedValue]] = {}


class NetworkSpec(Frozen):
    """A whole network file."""

    version: Literal[1] = 1
    defaults: Defaults = Defaults()
    nodes: tuple[NodeSpec, ...] = Field(min_length=2)
    links: tuple[LinkSpec, ...] = Field(min_length=1)
    crossings: tuple[CrossingSpec, ...] = ()
    terminals: tuple[TerminalSpec, ...] = ()
    destinations: tuple[DestinationSpec, ...] = ()
    ports: tuple[PortSpec, ...] = ()
