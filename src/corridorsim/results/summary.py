"""The summary of a run: every headline figure, as typed frozen objects.

:func:`summarize` builds a :class:`Summary`; :meth:`Summary.to_json` gives the content
of ``summary.json`` (NaN and infinities as ``null``). Times are hours, costs USD,
volumes TEU.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from corridorsim._version import __version__
from corridorsim.engine.loads import offered_loads
from corridorsim.results.assumptions import operating_assumptions
from corridorsim.results.crossing_table import crossing_table
from corridorsim.results.gap import gap_budget
from corridorsim.results.kpis import (
    flow_kpis,
    in_system_note,
    place_hours,
    section_speeds,
    throughput,
    verdict,
)
from corridorsim.results.reach import ReachRow, reach_rows
from corridorsim.results.reliability import Reliability, reliability
from corridorsim.results.stats import mean_ci95
from corridorsim.results.tables import CATEGORIES, Results
from corridorsim.scenario.resolved import scenario_hash

__all__ = [
    "TRADE_TARGET_USD",
    "CrossingSummary",
    "FlowSummary",
    "ResourceSummary",
    "SectionSpeed",
    "Share",
    "Summary",
    "Throughput",
    "ThroughputFlow",
    "TransitHours",
    "num",
    "summarize",
]

TRADE_TARGET_USD = 1e9
"""The $1 billion bilateral trade target (S123, S124, S127)."""


def num(x: Any) -> Any:
    """JSON-safe number: NaN and infinities become None, numpy scalars Python ones."""
    if isinstance(x, float | np.floating):
        x = float(x)
        return None if math.isnan(x) or math.isinf(x) else x
    if isinstance(x, np.integer):
        return int(x)
    return x


def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return obj.to_json() if hasattr(obj, "to_json") else _fields(obj)
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return num(obj)


def _fields(obj: Any) -> dict[str, Any]:
    return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}


def _records(cls: type, df: pd.DataFrame) -> tuple[Any, ...]:
    names = [f.name for f in dataclasses.fields(cls)]
    return tuple(cls(**{k: num(row[k]) for k in names}) for row in df.to_dict(orient="records"))


@dataclass(frozen=True)
class TransitHours:
    """Transit time (hours): mean with its 95% half-width across replications, pooled
    percentiles, and each percentile's standard deviation across replications."""

    mean: float | None
    mean_ci95: float | None
    p50: float | None
    p90: float | None
    p95: float | None
    spread_sd: dict[str, float | None]


@dataclass(frozen=True)
class Share:
    """The share (0–1) of all containers within the target, and its 95% interval
    ``low``–``high`` (Wilson, widened by how much the replications differ; see
    :func:`corridorsim.results.stats.share_ci95`): it stays within 0–1, and has a width
    even when every replication gives the same share."""

    mean: float | None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class FlowSummary:
    """One flow's KPIs. A flow with no container delivered after the warm-up has only
    its identity, ``teu_delivered`` 0 and a verdict saying so."""

    flow: str
    origin: str
    destination: str
    route: str
    teu_delivered: float | None
    """Containers (one TEU each) created after the warm-up and delivered before the
    horizon, the mean over replications."""
    verdict: str
    commodity: str | None = None
    distance_km: float | None = None
    transit_hours: TransitHours | None = None
    share_within_target: Share | None = None
    breakdown_hours: dict[str, float | None] = field(default_factory=dict)
    cost_usd_per_teu: float | None = None
    cost_complete: bool | None = None
    """Whether every link, crossing and terminal on the route has a cost figure; if not,
    ``cost_usd_per_teu`` is a lower bound and ``cost_missing`` says what it lacks."""
    cost_missing: tuple[str, ...] = ()
    reliability: Reliability | None = None
    """Containers delayed by closures, the worst month's p90 and the longest delay."""
    gap_budget: dict[str, Any] | None = None
    """For a flow that misses its target: the gap, the avoidable time by category, the
    time that is physics at the stated speeds, and what closing it would take (see
    :mod:`corridorsim.results.gap`); None when the target is met."""

    @property
    def delivered(self) -> bool:
        return self.transit_hours is not None

    def to_json(self) -> dict[str, Any]:
        keys: tuple[str, ...]
        if not self.delivered:
            keys = ("flow", "origin", "destination", "route", "teu_delivered", "verdict")
        else:
            keys = (
                "flow",
                "origin",
                "destination",
                "commodity",
                "route",
                "distance_km",
                "teu_delivered",
                "transit_hours",
                "share_within_target",
                "breakdown_hours",
                "cost_usd_per_teu",
                "cost_complete",
                "cost_missing",
                "reliability",
                "verdict",
                "gap_budget",
            )
        return {k: _plain(getattr(self, k)) for k in keys}


@dataclass(frozen=True)
class CrossingSummary:
    """Per crossing, mode and direction: the corridor's vehicles a replication, their
    time to cross (CPMM TFI1, hours: mean, 95% half-width, p90), the fee (TFI2,
    USD/TEU), the lane utilisation of its posts (mean of the two), the vehicles queueing
    at its two posts (added; background traffic included) and the share of time it is
    closed (opening hours and closures)."""

    crossing: str
    name: str
    mode: str
    from_country: str
    vehicles: float | None
    tfi1_hours: float | None
    tfi1_ci95: float | None
    tfi1_p90_hours: float | None
    tfi2_usd_per_teu: float | None
    utilisation: float | None
    mean_queue: float | None
    closed_share: float | None


@dataclass(frozen=True)
class SectionSpeed:
    """Per flow and country: km, running and total hours, CPMM SWOD and SWD (km/h)."""

    flow: str
    country: str
    km: float | None
    running_h: float | None
    total_h: float | None
    swod_kmh: float | None
    swd_kmh: float | None


@dataclass(frozen=True)
class ResourceSummary:
    """Per resource, averaged over replications."""

    resource: str
    kind: str
    capacity: int | None
    utilisation: float | None
    mean_queue: float | None
    mean_wait_hours: float | None
    served_per_replication: float | None


@dataclass(frozen=True)
class ThroughputFlow:
    """Per flow: TEU a year demanded and delivered, and the trade value carried."""

    flow: str
    demand_teu_per_year: float | None
    delivered_teu_per_year: float | None
    delivered_share: float | None
    value_usd_per_teu: float | None
    trade_value_usd_per_year: float | None


@dataclass(frozen=True)
class Throughput:
    """Throughput per flow and the trade carried against the $1 billion target."""

    flows: tuple[ThroughputFlow, ...]
    trade_value_usd_per_year: float | None
    trade_target_usd: float
    share_of_trade_target: float | None


@dataclass(frozen=True)
class Summary:
    """Every headline figure of a run (the content of ``summary.json``)."""

    scenario: str
    description: str
    corridorsim_version: str
    scenario_hash: str
    seed: int
    replications: int
    horizon_days: float
    warmup_days: float
    target_hours: float
    target_percentile: float
    flows: tuple[FlowSummary, ...]
    crossings: tuple[CrossingSummary, ...]
    sections: tuple[SectionSpeed, ...]
    resources: tuple[ResourceSummary, ...]
    throughput: Throughput
    warnings: tuple[str, ...]
    assumptions: tuple[str, ...] = ()
    """The operating assumptions that decide the answer, in sentences."""
    reach: tuple[ReachRow, ...] = ()  # days to each place on the routes, on each basis
    files: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Plain data for ``summary.json`` (``files`` only once they are written)."""
        out = _fields(self)
        if not self.files:
            del out["files"]
        return out

    def flow(self, name: str) -> FlowSummary:
        """The summary of flow ``name``."""
        for f in self.flows:
            if f.flow == name:
                return f
        raise KeyError(name)

    def __getitem__(self, key: str) -> Any:
        """Deprecated: read fields as attributes (``summary.flows``), or the JSON form
        through :meth:`to_json`."""
        warnings.warn(
            "summary[...] is deprecated: use attributes (summary.flows) or summary.to_json()",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.to_json()[key]


def summarize(results: Results, *, warnings: Sequence[str] | None = None) -> Summary:
    """Every headline figure of a run.

    Parameters
    ----------
    results : Results
    warnings : sequence of str, optional
        Notes to carry (e.g. from the command line); the summary adds its own.

    Returns
    -------
    Summary
        Per flow transit time (hours: mean with its 95% CI, p50, p90, p95), the share
        within the target, where the time goes, cost (USD per TEU, or a lower bound
        where a figure is missing), the verdict and the readings of "five days"; per
        crossing its time and utilisation; warnings. ``to_json()`` gives it as
        ``summary.json`` holds it.
    """
    loaded = results.loaded
    sc = loaded.scenario
    sim = sc.simulation
    hours_by_place = place_hours(results.flow_places, results.plan.places)
    notes = list(warnings or [])
    notes += results.plan.notes
    notes += [ld.message for ld in offered_loads(results.plan) if ld.load >= 1]
    flows = _flows(results, hours_by_place, notes)
    notes += in_system_note(results.containers)
    km = {f.name: loaded.routes[f.name].km_by_country for f in sc.demand}
    return Summary(
        scenario=sc.name,
        description=sc.description,
        corridorsim_version=__version__,
        scenario_hash=scenario_hash(loaded),
        seed=results.seed,
        replications=results.replications,
        horizon_days=sim.horizon_days,
        warmup_days=sim.warmup_days,
        target_hours=sc.target.hours,
        target_percentile=sc.target.percentile,
        flows=flows,
        crossings=_records(CrossingSummary, crossing_table(results)),
        sections=_records(SectionSpeed, section_speeds(hours_by_place, results.plan.places, km)),
        resources=_resources(results.resources),
        throughput=_throughput(results),
        warnings=tuple(notes),
        assumptions=operating_assumptions(sc),
        reach=reach_rows(results),
    )


def _flows(
    results: Results, hours_by_place: pd.DataFrame, notes: list[str]
) -> tuple[FlowSummary, ...]:
    sc = results.loaded.scenario
    target = sc.target
    reps = list(range(results.replications))
    delivered = results.delivered
    kpis = flow_kpis(delivered, target.hours, reps)
    out = []
    for f, flow in enumerate(sc.demand):
        route = results.loaded.routes[flow.name]
        cost = results.plan.routes[results.plan.flow_routes[f][0]].cost
        if not cost.complete:
            notes.append(
                f"flow {flow.name}: cost per TEU is incomplete (a lower bound): it lacks "
                + "; ".join(cost.gaps)
            )
        ident: dict[str, Any] = {
            "flow": flow.name,
            "origin": flow.origin,
            "destination": flow.destination,
            "route": route.label,
        }
        if flow.name not in kpis.index:
            notes.append(
                f"flow {flow.name}: no container was delivered after the warm-up; "
                "lengthen the horizon or check the route's capacity"
            )
            out.append(FlowSummary(**ident, teu_delivered=0, verdict="no container delivered"))
            continue
        k = kpis.loc[flow.name]
        rep_teu = delivered[delivered["flow"] == flow.name].groupby("replication").size()
        out.append(
            FlowSummary(
                **ident,
                commodity=flow.commodity,
                distance_km=num(route.distance_km),
                teu_delivered=num(float(rep_teu.reindex(reps).fillna(0).mean())),
                transit_hours=_transit(k),
                share_within_target=Share(
                    num(k["share_within_target"]),
                    num(k["share_ci95_low"]),
                    num(k["share_ci95_high"]),
                ),
                breakdown_hours={c: num(k[f"{c}_h"]) for c in CATEGORIES},
                cost_usd_per_teu=num(k["cost_usd"]),
                cost_complete=cost.complete,
                cost_missing=cost.gaps,
                reliability=reliability(delivered, flow.name),
                verdict=verdict(flow.name, k, target.hours, target.percentile, hours_by_place),
                gap_budget=_budget(k, target.hours, target.percentile),
            )
        )
    return tuple(out)


def _transit(k: pd.Series) -> TransitHours:
    return TransitHours(
        mean=num(k["mean_h"]),
        mean_ci95=num(k["mean_ci95_h"]),
        p50=num(k["p50_h"]),
        p90=num(k["p90_h"]),
        p95=num(k["p95_h"]),
        spread_sd={p: num(k[f"{p}_sd_h"]) for p in ("p50", "p90", "p95")},
    )


def _budget(k: pd.Series, target_hours: float, percentile: float) -> dict[str, Any] | None:
    value = float(k.get(f"p{percentile:g}_h", float("nan")))
    if not value > target_hours:
        return None
    means = {c: float(k[f"{c}_h"]) for c in CATEGORIES}
    return gap_budget(means, value, target_hours).to_json()


def _throughput(results: Results) -> Throughput:
    sc = results.loaded.scenario
    sim = sc.simulation
    demand = {f.name: (f.teu, f.value_usd_per_teu) for f in sc.demand}
    horizon_h, warmup_h = sim.horizon_days * 24, sim.warmup_days * 24
    thr = throughput(results.containers, demand, warmup_h, horizon_h, results.replications)
    trade = float(thr["trade_value_usd_per_year"].sum()) if len(thr) else 0.0
    return Throughput(
        flows=_records(ThroughputFlow, thr),
        trade_value_usd_per_year=num(trade),
        trade_target_usd=TRADE_TARGET_USD,
        share_of_trade_target=num(trade / TRADE_TARGET_USD),
    )


def _resources(resources: pd.DataFrame) -> tuple[ResourceSummary, ...]:
    out = []
    for (name, kind), r in resources.groupby(["resource", "kind"], sort=False):
        util = mean_ci95(r["utilisation"].to_numpy())
        out.append(
            ResourceSummary(
                resource=name,
                kind=kind,
                capacity=num(r["capacity"].iloc[0]),
                utilisation=num(util[0]),
                mean_queue=num(r["mean_queue"].mean()),
                mean_wait_hours=num(r["mean_wait_h"].mean()),
                served_per_replication=num(r["served"].mean()),
            )
        )
    return tuple(out)
