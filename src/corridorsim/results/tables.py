"""The results contract: breakdown categories, the tables a run produces, and the
objects that hold them.

Every table is declared once in :data:`TABLES` (its name, file, columns and their
units). The records builder, :func:`combine`, saving and loading
(:mod:`corridorsim.results.store`) and :class:`Results` attribute access all read that
declaration, so adding a table is one entry here plus the code that fills it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from corridorsim.engine.output import Stage
from corridorsim.engine.plan import Plan
from corridorsim.errors import CorridorSimError
from corridorsim.scenario.loader import LoadedScenario

__all__ = [
    "CATEGORIES",
    "TABLES",
    "Column",
    "Results",
    "RunRecords",
    "Table",
    "combine",
    "table",
]

CATEGORIES: tuple[str, ...] = tuple(s.name.lower() for s in Stage)
"""Where a container's time goes (hours); per container they add up to its transit time:
``consolidation`` (waiting for a train or truck), ``running``, ``line_wait``,
``border_queue``, ``border_processing``, ``transshipment``, ``disruption``,
``en_route_delay``, ``border_closed``, ``port_dwell`` (in the origin port before it can
board, or in a port a ship landed it at on its way inland)."""


@dataclass(frozen=True)
class Column:
    """One column: its name, unit (``""`` for none) and meaning."""

    name: str
    unit: str
    doc: str


@dataclass(frozen=True)
class Table:
    """One table of a run: its name, its file in the output folder (without suffix),
    whether it is written as CSV (else Parquet), and its columns in order."""

    name: str
    file: str
    doc: str
    columns: tuple[Column, ...]
    csv: bool = False
    legacy_file: str | None = None
    """An earlier name of the file (read by ``load_results`` if the file is missing)."""

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _cols(*spec: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in spec)


_REP = ("replication", "", "replication number (0, 1, ...)")
_BREAKDOWN = tuple((f"{c}_h", "h", f"hours of {c}") for c in CATEGORIES)

TABLES: tuple[Table, ...] = (
    Table(
        "containers",
        "containers",
        "one row per container (TEU)",
        _cols(
            _REP,
            ("container", "", "container number within the replication"),
            ("flow", "", "the flow's id"),
            ("route", "", "the route taken, as node ids"),
            ("route_index", "", "index of the route in the plan"),
            (
                "created_h",
                "h",
                "time the container arrived at its origin (in a port: its "
                "arrival there, before the port dwell)",
            ),
            ("departed_h", "h", "time its first vehicle left (NaN if none yet)"),
            ("delivered_h", "h", "time it reached its destination (NaN if not yet)"),
            ("transit_h", "h", "delivered_h - created_h"),
            *_BREAKDOWN,
            ("cost_usd", "USD", "cost of its route per TEU"),
            ("after_warmup", "", "created after the warm-up (counted in the KPIs)"),
            ("delivered", "", "delivered before the horizon"),
        ),
    ),
    Table(
        "vehicles",
        "vehicles",
        "one row per train or truck and segment",
        _cols(
            _REP,
            ("vehicle", "", "vehicle number within the replication"),
            ("kind", "", "train or truck"),
            ("segment", "", "index of its segment in the plan"),
            ("from", "", "node it left"),
            ("to", "", "node it runs to"),
            ("gauge_mm", "mm", "track gauge (0 for trucks)"),
            ("teu", "TEU", "containers carried"),
            ("depart_h", "h", "departure time"),
            ("arrive_h", "h", "arrival time (NaN if still running)"),
            *(b for b in _BREAKDOWN if b[0] not in ("consolidation_h", "port_dwell_h")),
        ),
        csv=True,
        legacy_file="trains",
    ),
    Table(
        "resources",
        "data/resources",
        "per border post, terminal, line section, headway and fleet of train sets: statistics "
        "after the warm-up",
        _cols(
            _REP,
            ("resource", "", "name for people"),
            ("kind", "", "border_post, terminal, line_section, headway or fleet"),
            ("crossing", "", "border crossing (posts)"),
            ("mode", "", "rail or road (posts)"),
            ("country", "", "country the post or terminal is in"),
            ("role", "", "exit or entry (posts); gauge or intermodal (terminals)"),
            ("direction", "", "traffic handled, FROM-TO country codes (posts)"),
            ("node", "", "terminal node, or where a headway's or fleet's trains start"),
            ("link", "", "link of a line section or headway; a fleet's service, FROM-TO"),
            ("capacity", "", "servers (lanes, slots); 0 for no limit"),
            ("served", "", "vehicles served"),
            ("mean_busy", "", "time-average of busy servers"),
            ("utilisation", "", "mean_busy / capacity (NaN for no limit)"),
            ("mean_queue", "vehicles", "time-average of vehicles waiting"),
            ("mean_wait_h", "h", "mean wait for a server"),
        ),
    ),
    Table(
        "resource_log",
        "data/resource_log",
        "queue length and busy servers at every change, for plots",
        _cols(
            _REP,
            ("resource", "", "name, as in the resources table"),
            ("t_h", "h", "time of the change"),
            ("queue", "vehicles", "vehicles waiting after it"),
            ("busy", "", "busy servers after it"),
        ),
    ),
    Table(
        "closures",
        "data/closures",
        "every closed spell of a link or crossing",
        _cols(
            _REP,
            ("target", "", "crossing or link id"),
            ("start_h", "h", "closed from"),
            ("end_h", "h", "reopened at"),
        ),
    ),
    Table(
        "flow_places",
        "data/flow_places",
        "hours summed over each flow's containers created after the warm-up and delivered",
        _cols(
            _REP,
            ("flow", "", "the flow's id"),
            ("place", "", "index into plan.places"),
            ("category", "", "one of CATEGORIES"),
            ("hours", "h", "sum over the flow's containers"),
            ("containers", "TEU", "the flow's containers counted (divide by it for a mean)"),
        ),
    ),
    Table(
        "passages",
        "data/passages",
        "hours each vehicle took to cross each border (CPMM TFI1), after the warm-up",
        _cols(
            _REP,
            ("vehicle", "", "vehicle number"),
            ("crossing", "", "crossing id"),
            ("mode", "", "rail or road"),
            ("from_country", "", "country left"),
            ("hours", "h", "both posts, the link between them and any closure"),
            ("depart_h", "h", "when the vehicle left its segment's start"),
        ),
    ),
    Table(
        "stages",
        "data/stages",
        "every timed step of every vehicle",
        _cols(
            _REP,
            ("vehicle", "", "vehicle number"),
            ("category", "", "index into CATEGORIES"),
            ("place", "", "index into plan.places"),
            ("hours", "h", "duration"),
            ("end_h", "h", "time it ended"),
        ),
    ),
    Table(
        "boardings",
        "data/boardings",
        "for a sample of containers per flow: the vehicles that carried them",
        _cols(
            _REP,
            ("vehicle", "", "vehicle number"),
            ("container", "", "container number"),
            ("queued_h", "h", "when it began to wait for that vehicle"),
        ),
    ),
)

_BY_NAME = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    """The declaration of table ``name``."""
    return _BY_NAME[name]


def _check_tables(tables: Mapping[str, pd.DataFrame]) -> None:
    if set(tables) != set(_BY_NAME):
        raise CorridorSimError(f"tables {sorted(tables)} do not match {sorted(_BY_NAME)}")
    for name, df in tables.items():
        if list(df.columns) != _BY_NAME[name].names:
            raise CorridorSimError(
                f"table {name}: columns {list(df.columns)} do not match its declaration "
                f"{_BY_NAME[name].names}"
            )


class _Tables:
    """Tables by name, also readable as attributes (``records.containers``)."""

    tables: dict[str, pd.DataFrame]

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name.startswith("_") or name == "tables":
            raise AttributeError(name)
        try:
            return self.tables[name]
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__} has no table {name!r}; tables: {', '.join(_BY_NAME)}"
            ) from None

    def __dir__(self) -> Iterator[str]:
        return iter([*super().__dir__(), *_BY_NAME])


@dataclass(frozen=True)
class RunRecords(_Tables):
    """The tables of one replication (see :data:`TABLES`; times in hours from the start).

    ``events`` counts stage records (timed steps of vehicles), not SimPy events.
    """

    tables: dict[str, pd.DataFrame]
    stage_records: int

    def __post_init__(self) -> None:
        _check_tables(self.tables)


@dataclass(frozen=True)
class Results(_Tables):
    """The tables of all replications of one scenario (times in hours).

    Each table of :data:`TABLES` is an attribute: ``containers`` (one row per TEU:
    flow, route, created/departed/delivered hours, transit hours and its breakdown
    ``consolidation_h`` ... ``en_route_delay_h``, ``cost_usd``, ``after_warmup``,
    ``delivered``), ``vehicles`` (per train or truck and segment), ``resources`` (per
    post, terminal and line section, with structured columns), ``resource_log``,
    ``closures``, ``flow_places``, ``passages`` (CPMM TFI1 per vehicle and crossing),
    ``stages`` and ``boardings``.

    Attributes
    ----------
    loaded : LoadedScenario
        The scenario as run.
    seed, replications : int
    plan : Plan
        Routes, segments and places the engine ran.
    tables : dict of DataFrame
        The tables by name.
    stage_records : int
        Timed steps of vehicles recorded, over all replications.
    """

    loaded: LoadedScenario
    seed: int
    replications: int
    plan: Plan
    tables: dict[str, pd.DataFrame]
    stage_records: int

    def __post_init__(self) -> None:
        _check_tables(self.tables)

    @property
    def delivered(self) -> pd.DataFrame:
        """Containers created after the warm-up and delivered before the horizon."""
        c = self.tables["containers"]
        return c[c["after_warmup"] & c["delivered"]]

    @property
    def events(self) -> int:
        """Deprecated name of :attr:`stage_records`."""
        return self.stage_records


def combine(plan: Plan, seed: int, records: Sequence[RunRecords]) -> Results:
    """Join the records of replications into one :class:`Results`."""

    def cat(name: str) -> pd.DataFrame:
        return pd.concat([r.tables[name] for r in records], ignore_index=True)

    return Results(
        loaded=plan.loaded,
        seed=seed,
        replications=len(records),
        plan=plan,
        tables={t.name: cat(t.name) for t in TABLES},
        stage_records=sum(r.stage_records for r in records),
    )
