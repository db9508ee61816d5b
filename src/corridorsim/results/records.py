"""From what one replication recorded (:class:`~corridorsim.engine.output.RunOutput`,
arrays) to its tables (:class:`~corridorsim.results.tables.RunRecords`).

Pure numpy and pandas: no simulation here, so each function can be tested on records
built by hand. Per-container times are derived from vehicle-level records: a container's
time in each category is the sum over the vehicles that carried it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridorsim.engine.output import RunOutput, Stage
from corridorsim.results.tables import CATEGORIES, RunRecords, table

__all__ = ["TRACE_PER_FLOW", "build_records"]

TRACE_PER_FLOW = 1000
"""Containers per flow (the first created after the warm-up) whose vehicles are listed in
``boardings``, for time–distance charts; listing every container would cost memory."""

CONS = int(Stage.CONSOLIDATION)
DWELL = int(Stage.PORT_DWELL)
NCAT = len(CATEGORIES)


def _labels(labels: list[str], index: np.ndarray) -> pd.Categorical:
    """``labels[index]`` as a categorical column: each distinct label is stored once
    (a million containers on a route with a 100-character label would otherwise hold
    100 MB of text, and take most of the time to build the table)."""
    cats, code = np.unique(np.array(labels, dtype=object), return_inverse=True)
    return pd.Categorical.from_codes(code[index], categories=cats)


def _rep(out: RunOutput, n: int, dtype: type = np.int32) -> np.ndarray:
    return np.full(n, out.replication, dtype=dtype)


VEHICLE_KIND = {"rail": "train", "sea": "ship"}
"""What a segment's vehicle is called by mode (a truck otherwise)."""


def build_records(out: RunOutput) -> RunRecords:
    """Every table of one replication (see :data:`~corridorsim.results.tables.TABLES`)."""
    per_vehicle = vehicle_breakdown(out)
    tables = {
        "containers": containers_table(out, per_vehicle),
        "vehicles": vehicles_table(out, per_vehicle),
        "resources": resources_table(out),
        "resource_log": resource_log_table(out),
        "closures": pd.DataFrame(
            [(out.replication, *c) for c in out.closures], columns=table("closures").names
        ),
        "flow_places": flow_places_table(out),
        "passages": passages_table(out),
        "stages": stages_table(out),
        "boardings": boardings_table(out),
    }
    return RunRecords(tables, stage_records=len(out.stages))


def vehicle_breakdown(out: RunOutput) -> np.ndarray:
    """Hours per vehicle (rows) and category (columns) from the stage records."""
    st, nv = out.stages, len(out.vehicles)
    cell = st[:, 0].astype(np.int64) * NCAT + st[:, 1].astype(np.int64)
    return np.bincount(cell, weights=st[:, 3], minlength=nv * NCAT).reshape(nv, NCAT)


def _consolidation(out: RunOutput) -> np.ndarray:
    """Per manifest entry: hours the container waited for that vehicle."""
    return out.vehicles[out.manifest_vehicle, 2] - out.manifest_queued


def containers_table(out: RunOutput, per_vehicle: np.ndarray) -> pd.DataFrame:
    """One row per container; its breakdown sums its vehicles' (a vehicle still running
    at the horizon has only part of its stages)."""
    n = len(out.created)
    m_vid, m_ids = out.manifest_vehicle, out.manifest_container
    breakdown = np.zeros((n, NCAT), order="F")  # each category a contiguous column
    m_cons = _consolidation(out)
    for c in range(NCAT):
        if c == DWELL:  # a container's own, not its vehicles'
            breakdown[:, c] = out.dwell + out.landed
            continue
        w = m_cons if c == CONS else per_vehicle[m_vid, c]
        breakdown[:, c] = np.bincount(m_ids, weights=w, minlength=n)
    departed = np.full(n, np.inf)
    np.minimum.at(departed, m_ids, out.vehicles[m_vid, 2])
    departed[np.isinf(departed)] = np.nan
    plan = out.plan
    route_cost = np.array([r.cost_usd_per_teu for r in plan.routes])
    return pd.DataFrame(
        {
            "replication": _rep(out, n),
            "container": np.arange(n, dtype=np.int32),
            "flow": _labels([f.name for f in plan.loaded.scenario.demand], out.flow),
            "route": _labels([r.route.label for r in plan.routes], out.route),
            "route_index": out.route,
            "created_h": out.created,
            "departed_h": departed,
            "delivered_h": out.delivered_h,
            "transit_h": out.delivered_h - out.created,
            **{f"{c}_h": breakdown[:, i] for i, c in enumerate(CATEGORIES)},
            "cost_usd": route_cost[out.route] if n else np.empty(0),
            "after_warmup": out.created >= out.warmup,
            "delivered": ~np.isnan(out.delivered_h),
        },
        copy=False,  # one block per column: no consolidated copy of a million rows
    )


def vehicles_table(out: RunOutput, per_vehicle: np.ndarray) -> pd.DataFrame:
    """One row per vehicle (train or truck) and segment."""
    veh = out.vehicles
    nv = len(veh)
    segs = out.plan.segments
    seg_idx = veh[:, 0].astype(np.int64)
    return pd.DataFrame(
        {
            "replication": _rep(out, nv),
            "vehicle": np.arange(nv, dtype=np.int32),
            "kind": _labels(
                [{"rail": "train", "sea": "ship"}.get(s.mode, "truck") for s in segs], seg_idx
            ),
            "segment": seg_idx.astype(np.int32),
            "from": _labels([s.start for s in segs], seg_idx),
            "to": _labels([s.end for s in segs], seg_idx),
            "gauge_mm": np.array([s.gauge_mm or 0 for s in segs])[seg_idx] if nv else [],
            "teu": veh[:, 1].astype(np.int64),
            "depart_h": veh[:, 2],
            "arrive_h": veh[:, 3],
            **{
                f"{c}_h": per_vehicle[:, i]
                for i, c in enumerate(CATEGORIES)
                if i not in (CONS, DWELL)
            },
        }
    )


def resources_table(out: RunOutput) -> pd.DataFrame:
    """One row per resource: what it is, as columns, and its statistics."""
    rows = [
        {
            "replication": out.replication,
            "resource": r.id.name,
            "kind": r.id.kind,
            "crossing": r.id.crossing,
            "mode": r.id.mode,
            "country": r.id.country,
            "role": r.id.role,
            "direction": r.id.direction,
            "node": r.id.node,
            "link": r.id.link,
            "capacity": r.capacity or 0,
            **r.stats,
        }
        for r in out.resources
    ]
    return pd.DataFrame(rows, columns=table("resources").names)


def resource_log_table(out: RunOutput) -> pd.DataFrame:
    """Queue length and busy servers of every resource after each change."""
    logs = [
        pd.DataFrame(
            {
                "replication": out.replication,
                "resource": r.id.name,
                "t_h": r.states[:, 0],
                "queue": r.states[:, 1].astype(np.int64),
                "busy": r.states[:, 2].astype(np.int64),
            }
        )
        for r in out.resources
        if len(r.states)
    ]
    if not logs:
        return pd.DataFrame(columns=table("resource_log").names)
    return pd.concat(logs, ignore_index=True)


def stages_table(out: RunOutput) -> pd.DataFrame:
    """Every timed step of every vehicle."""
    st = out.stages
    return pd.DataFrame(
        {
            "replication": _rep(out, len(st)),
            "vehicle": st[:, 0].astype(np.int64),
            "category": st[:, 1].astype(np.int8),
            "place": st[:, 2].astype(np.int32),
            "hours": st[:, 3],
            "end_h": st[:, 4],
        }
    )


def boardings_table(out: RunOutput) -> pd.DataFrame:
    """The vehicles that carried the traced containers (see ``TRACE_PER_FLOW``)."""
    created, m_ids = out.created, out.manifest_container
    traced = np.zeros(len(created), dtype=bool)
    after = created >= out.warmup
    for f in range(len(out.plan.loaded.scenario.demand)):
        idx = np.flatnonzero(after & (out.flow == f))
        traced[idx[np.argsort(created[idx], kind="stable")[:TRACE_PER_FLOW]]] = True
    keep = traced[m_ids] if len(m_ids) else np.zeros(0, dtype=bool)
    return pd.DataFrame(
        {
            "replication": _rep(out, int(keep.sum())),
            "vehicle": out.manifest_vehicle[keep],
            "container": m_ids[keep],
            "queued_h": out.manifest_queued[keep],
        }
    )


def flow_places_table(out: RunOutput) -> pd.DataFrame:
    """Hours spent at each place, by category, summed over each flow's containers
    created after the warm-up and delivered (divide by ``containers`` for means)."""
    plan = out.plan
    st, veh = out.stages, out.vehicles
    m_ids, m_vid = out.manifest_container, out.manifest_vehicle
    m_cons = _consolidation(out)
    size = len(plan.places) * NCAT
    sel = (out.created >= out.warmup) & ~np.isnan(out.delivered_h)
    queue_place = np.array([s.queue_place for s in plan.segments], dtype=np.int64)
    # a flow's port dwell is at the place its first vehicles leave from
    origin_place = [queue_place[plan.routes[r[0]].segments[0]] for r in plan.flow_routes]
    v_place = queue_place[veh[:, 0].astype(np.int64)]
    s_vid = st[:, 0].astype(np.int64)
    s_key = st[:, 2].astype(np.int64) * NCAT + st[:, 1].astype(np.int64)
    rows = []
    for f, flow in enumerate(plan.loaded.scenario.demand):
        mine = sel & (out.flow == f)
        count = int(mine.sum())
        keep = mine[m_ids]
        w = np.bincount(m_vid[keep], minlength=len(veh)).astype(float)
        total = np.bincount(s_key, weights=st[:, 3] * w[s_vid], minlength=size)
        cons_key = v_place[m_vid[keep]] * NCAT + CONS
        total += np.bincount(cons_key, weights=m_cons[keep], minlength=size)
        total[origin_place[f] * NCAT + DWELL] += float(out.dwell[mine].sum())
        landed = mine & (out.landed_place >= 0)
        total += np.bincount(
            out.landed_place[landed] * NCAT + DWELL, weights=out.landed[landed], minlength=size
        )
        for key in np.flatnonzero(total > 0):
            place, cat = int(key // NCAT), CATEGORIES[key % NCAT]
            rows.append((out.replication, flow.name, place, cat, float(total[key]), count))
    return pd.DataFrame(rows, columns=table("flow_places").names)


def passages_table(out: RunOutput) -> pd.DataFrame:
    """Hours each vehicle spent crossing each border (CPMM TFI1: both posts, the link
    between them and any closure), for vehicles that left after the warm-up and
    finished their segment."""
    columns = table("passages").names
    st, veh = out.stages, out.vehicles
    places = out.plan.places
    names = sorted({p.crossing for p in places if p.crossing})
    if not names or not len(st):
        return pd.DataFrame(columns=columns)
    code = {name: k for k, name in enumerate(names)}
    cross_of = np.array([code.get(p.crossing or "", -1) for p in places], dtype=np.int64)
    exits = [
        next(iter(p.countries)) if p.kind == "post" and p.key.endswith("/exit") else ""
        for p in places
    ]
    countries = sorted(set(exits))  # "" first: a group's largest is its exit country
    country_of = np.array([countries.index(c) for c in exits], dtype=np.int64)
    place = st[:, 2].astype(np.int64)
    on = cross_of[place] >= 0
    vid = st[on, 0].astype(np.int64)
    # one group per (vehicle, crossing), in that order
    groups, inverse = np.unique(vid * len(names) + cross_of[place[on]], return_inverse=True)
    hours = np.bincount(inverse, weights=st[on, 3], minlength=len(groups))
    country = np.zeros(len(groups), dtype=np.int64)
    np.maximum.at(country, inverse, country_of[place[on]])
    g_vid = groups // len(names)
    depart = veh[g_vid, 2]
    keep = (depart >= out.warmup) & ~np.isnan(veh[g_vid, 3])  # finished: not mid-crossing
    seg_mode = np.array([s.mode for s in out.plan.segments], dtype=object)
    return pd.DataFrame(
        {
            "replication": _rep(out, int(keep.sum()), np.int64),
            "vehicle": g_vid[keep],
            "crossing": np.array(names, dtype=object)[groups[keep] % len(names)],
            "mode": seg_mode[veh[g_vid[keep], 0].astype(np.int64)],
            "from_country": np.array(countries, dtype=object)[country[keep]],
            "hours": hours[keep],
            "depart_h": depart[keep],
        },
        columns=columns,
    )
