"""The summary of a run: every KPI of ``summary.json``, as plain data."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

import numpy as np
import pandas as pd

from corridorsim.engine.model import CATEGORIES
from corridorsim.experiments import Results
from corridorsim.results.kpis import (
    crossing_kpis,
    flow_kpis,
    mean_ci95,
    place_hours,
    section_speeds,
    throughput,
    verdict,
)
from corridorsim.results.loads import offered_loads

__all__ = ["TRADE_TARGET_USD", "resolved_scenario", "scenario_hash", "summarize"]

TRADE_TARGET_USD = 1e9
"""The $1 billion bilateral trade target (S123, S124, S127)."""


def resolved_scenario(results: Results) -> tuple[dict, dict]:
    """The scenario and network as run: the network with the scenario's changes applied
    (so the scenario keeps only its closures), ``extends`` merged."""
    loaded = results.loaded
    scenario = loaded.scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    scenario.pop("extends", None)
    net = loaded.network
    scenario["network"] = {
        "file": "network.yaml",
        "close_links": sorted(k for k, link in net.links.items() if link.closed),
        "close_crossings": sorted(k for k, c in net.crossings.items() if c.closed),
    }
    network = net.spec.model_dump(mode="json", by_alias=True, exclude_none=True)
    return scenario, network


def scenario_hash(results: Results) -> str:
    """SHA-256 of the resolved scenario and network (see :func:`resolved_scenario`), so a
    result can be traced to exactly what was run, and run again."""
    scenario, network = resolved_scenario(results)
    blob = json.dumps(
        {"scenario": scenario, "network": network}, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _num(x: Any) -> Any:
    """JSON-safe number: NaN and infinities become None."""
    if isinstance(x, float | np.floating):
        x = float(x)
        return None if math.isnan(x) or math.isinf(x) else x
    if isinstance(x, np.integer):
        return int(x)
    return x


def summarize(results: Results, *, warnings: list[str] | None = None) -> dict[str, Any]:
    """Every headline figure of a run as plain data (the content of ``summary.json``)."""
    from corridorsim import __version__

    loaded = results.loaded
    sc = loaded.scenario
    sim = sc.simulation
    target = sc.target
    reps = list(range(results.replications))
    places = results.plan.places
    delivered = results.delivered
    kpis = flow_kpis(delivered, target.hours, reps)
    hours_by_place = place_hours(results.flow_places, places)
    km = {f.name: loaded.routes[f.name].km_by_country for f in sc.demand}
    speeds = section_speeds(hours_by_place, places, km)
    demand = {f.name: (f.teu, f.value_usd_per_teu) for f in sc.demand}
    horizon_h, warmup_h = sim.horizon_days * 24, sim.warmup_days * 24
    thr = throughput(results.containers, demand, warmup_h, horizon_h, results.replications)
    fees = {}
    for route in results.plan.routes:
        for cid, mode in route.route.crossings:
            fees[(cid, mode)] = results.plan.fee(cid, mode)
    names = {cid: c.name for cid, c in loaded.network.crossings.items()}
    crossings = crossing_kpis(results.passages, results.resources, fees, names)

    notes = list(warnings or [])
    notes += [ld.message for ld in offered_loads(results.plan) if ld.load >= 1]
    flows = []
    for flow in sc.demand:
        route = loaded.routes[flow.name]
        if flow.name not in kpis.index:
            notes.append(
                f"flow {flow.name}: no container was delivered after the warm-up; "
                "lengthen the horizon or check the route's capacity"
            )
            flows.append(
                {
                    "flow": flow.name,
                    "origin": flow.origin,
                    "destination": flow.destination,
                    "route": route.label,
                    "teu_delivered": 0,
                    "verdict": "no container delivered",
                }
            )
            continue
        k = kpis.loc[flow.name]
        rep_teu = delivered[delivered["flow"] == flow.name].groupby("replication").size()
        flows.append(
            {
                "flow": flow.name,
                "origin": flow.origin,
                "destination": flow.destination,
                "commodity": flow.commodity,
                "route": route.label,
                "distance_km": _num(route.distance_km),
                "teu_delivered": _num(float(rep_teu.reindex(reps).fillna(0).mean())),
                "transit_hours": {
                    "mean": _num(k["mean_h"]),
                    "mean_ci95": _num(k["mean_ci95_h"]),
                    "p50": _num(k["p50_h"]),
                    "p90": _num(k["p90_h"]),
                    "p95": _num(k["p95_h"]),
                    "spread_sd": {
                        "p50": _num(k["p50_sd_h"]),
                        "p90": _num(k["p90_sd_h"]),
                        "p95": _num(k["p95_sd_h"]),
                    },
                },
                "share_within_target": {
                    "mean": _num(k["share_within_target"]),
                    "ci95": _num(k["share_ci95"]),
                },
                "breakdown_hours": {c: _num(k[f"{c}_h"]) for c in CATEGORIES},
                "cost_usd_per_teu": _num(k["cost_usd"]),
                "verdict": verdict(flow.name, k, target.hours, target.percentile, hours_by_place),
            }
        )
    in_system = results.containers[
        ~results.containers["delivered"] & results.containers["after_warmup"]
    ]
    total_after = int(results.containers["after_warmup"].sum())
    if total_after and len(in_system) / total_after > 0.2:
        notes.append(
            f"{len(in_system) / total_after:.0%} of the containers created after the warm-up "
            "were still in the system at the horizon: transit statistics cover only those "
            "delivered; lengthen the horizon"
        )
    trade = float(thr["trade_value_usd_per_year"].sum()) if len(thr) else 0.0
    return {
        "scenario": sc.name,
        "description": sc.description,
        "corridorsim_version": __version__,
        "scenario_hash": scenario_hash(results),
        "seed": results.seed,
        "replications": results.replications,
        "horizon_days": sim.horizon_days,
        "warmup_days": sim.warmup_days,
        "target_hours": target.hours,
        "target_percentile": target.percentile,
        "flows": flows,
        "crossings": [
            {k: _num(v) for k, v in row.items()} for row in crossings.to_dict(orient="records")
        ],
        "sections": [
            {k: _num(v) for k, v in row.items()} for row in speeds.to_dict(orient="records")
        ],
        "resources": _resources(results.resources),
        "throughput": {
            "flows": [
                {k: _num(v) for k, v in row.items()} for row in thr.to_dict(orient="records")
            ],
            "trade_value_usd_per_year": _num(trade),
            "trade_target_usd": TRADE_TARGET_USD,
            "share_of_trade_target": _num(trade / TRADE_TARGET_USD),
        },
        "warnings": notes,
    }


def _resources(resources: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for (name, kind), r in resources.groupby(["resource", "kind"], sort=False):
        util = mean_ci95(r["utilisation"].to_numpy())
        out.append(
            {
                "resource": name,
                "kind": kind,
                "capacity": _num(r["capacity"].iloc[0]),
                "utilisation": _num(util[0]),
                "mean_queue": _num(r["mean_queue"].mean()),
                "mean_wait_hours": _num(r["mean_wait_h"].mean()),
                "served_per_replication": _num(r["served"].mean()),
            }
        )
    return out
