"""Time–distance and cost–distance along a flow's route (the UNESCAP / CAREC CPMM chart).

For the traced containers of a flow (see ``engine.model.TRACE_PER_FLOW``) the time since
creation is found at every point of the route: after waiting for each vehicle, after each
border post and terminal, at the end of each link. Quantiles over containers give the
median path and its band; steps at constant distance are the borders, terminals and
waits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridorsim.engine.costs import RouteCost
from corridorsim.engine.plan import LegStep, OpStep, Plan, RoutePlan
from corridorsim.results.tables import Results

__all__ = [
    "RoutePoint",
    "cost_distance",
    "route_cost_of",
    "route_points",
    "time_distance",
    "traced_times",
]


@dataclass(frozen=True)
class RoutePoint:
    """A point of a route: where (km from the origin), what (kind, label), which place."""

    place: int
    km: float
    kind: str  # origin, port, queue, terminal, post, link
    label: str
    segment: int  # position of the segment in the route


def route_points(plan: Plan, rp: RoutePlan) -> list[RoutePoint]:
    """The points of a route, in travel order: its origin (time 0), the end of its port
    dwell if it starts at a port, then waits, posts, terminals and link ends."""
    first = plan.segments[rp.segments[0]].queue_place
    origin = plan.places[first].name
    pts = [RoutePoint(first, 0.0, "origin", origin, 0)]
    if plan.port_dwell and plan.port_dwell[rp.flow] is not None:
        pts.append(RoutePoint(first, 0.0, "port", f"in port at {origin}", 0))
    km = 0.0
    for pos, key in enumerate(rp.segments):
        seg = plan.segments[key]
        waiting = "waiting at " + plan.places[seg.queue_place].name
        pts.append(RoutePoint(seg.queue_place, km, "queue", waiting, pos))
        for step in seg.steps:
            if isinstance(step, OpStep):
                pts.append(
                    RoutePoint(step.place, km, "terminal", plan.places[step.place].name, pos)
                )
                continue
            assert isinstance(step, LegStep)
            if step.exit_place is not None:
                pts.append(
                    RoutePoint(step.exit_place, km, "post", plan.places[step.exit_place].name, pos)
                )
            km += step.link.km
            pts.append(RoutePoint(step.place, km, "link", step.end, pos))
            if step.entry_place is not None:
                pts.append(
                    RoutePoint(
                        step.entry_place, km, "post", plan.places[step.entry_place].name, pos
                    )
                )
    return pts


def _primary(results: Results, flow: str) -> RoutePlan:
    names = [f.name for f in results.loaded.scenario.demand]
    return results.plan.routes[results.plan.flow_routes[names.index(flow)][0]]


def route_cost_of(results: Results, flow: str) -> RouteCost:
    """The cost per TEU of the flow's main route, item by item, with what it lacks."""
    return _primary(results, flow).cost


def traced_times(results: Results, flow: str) -> tuple[list[RoutePoint], np.ndarray, np.ndarray]:
    """The points of ``flow``'s main route, and for each of its traced containers that
    was delivered on that route end to end: its replication, and its hours since
    creation at every point (rows: containers; columns: points)."""
    rp = _primary(results, flow)
    pts = route_points(results.plan, rp)
    c = results.containers
    mine = c[(c["flow"] == flow) & c["delivered"] & (c["route_index"] == rp.index)]
    b = results.boardings.merge(
        mine[["replication", "container", "created_h", "port_dwell_h"]],
        on=["replication", "container"],
    )
    if b.empty:
        return pts, np.zeros(0, dtype=np.int64), np.zeros((0, len(pts)))
    b = b.sort_values(["replication", "container", "queued_h"])
    reps, arr = _times_at_points(results, b, pts, len(rp.segments))
    return pts, reps, arr


def time_distance(
    results: Results, flow: str, quantiles: tuple[float, ...] = (0.1, 0.5, 0.9)
) -> pd.DataFrame:
    """Hours since creation at each route point: one column per quantile (``q10`` ...),
    over the flow's traced containers that took its main route and were delivered."""
    pts, _, arr = traced_times(results, flow)
    cols = [f"q{round(q * 100)}" for q in quantiles]
    frame = pd.DataFrame(
        {"km": [p.km for p in pts], "kind": [p.kind for p in pts], "label": [p.label for p in pts]}
    )
    n = len(arr)
    if n == 0:
        arr = np.full((1, len(pts)), np.nan)
    for q, col in zip(quantiles, cols, strict=True):
        frame[col] = np.quantile(arr, q, axis=0)
    frame.attrs["containers"] = n
    return frame


def _times_at_points(
    results: Results, b: pd.DataFrame, pts: list[RoutePoint], n_segments: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each traced container's replication, and its hours since creation at each route
    point (columns; rows: containers carried end to end on the route): 0 at the origin,
    its dwell at the end of a port dwell, after waiting the departure of its vehicle;
    elsewhere the end of the vehicle's last stage at the point (or the time reached
    before, if the vehicle spent none there); never decreasing."""
    size = b.groupby(["replication", "container"], sort=False)["vehicle"].transform("size")
    b = b[size.to_numpy() == n_segments]  # rerouted or partly carried: not on this route
    vehicles = b["vehicle"].to_numpy(dtype=np.int64).reshape(-1, n_segments)
    reps = b["replication"].to_numpy(dtype=np.int64)[::n_segments]
    created = b["created_h"].to_numpy(dtype=float)[::n_segments]
    dwell = b["port_dwell_h"].to_numpy(dtype=float)[::n_segments]
    # the vehicles that carried these containers, each a row of the look-ups below
    veh, st = results.vehicles, results.stages
    stride = 1 + max(
        int(vehicles.max(initial=-1)),
        int(veh["vehicle"].to_numpy().max(initial=-1)),
        int(st["vehicle"].to_numpy().max(initial=-1)),
    )
    keys = reps[:, None] * stride + vehicles
    wanted = np.unique(keys)
    rows = np.searchsorted(wanted, keys)  # (container, segment) -> its vehicle's row
    departs = _by_vehicle(wanted, _keys(veh, stride), veh["depart_h"].to_numpy(dtype=float))
    places = sorted({p.place for p in pts})
    ends = _latest_ends(st, wanted, stride, places)
    out = np.empty((len(created), len(pts)))
    last = np.zeros(len(created))
    for j, p in enumerate(pts):
        at = rows[:, p.segment]
        if p.kind == "origin":
            t = np.zeros(len(created))
        elif p.kind == "port":
            t = dwell
        elif p.kind == "queue":
            t = departs[at] - created
        else:
            end = ends[at, places.index(p.place)]
            t = np.where(np.isnan(end), last, end - created)
        last = np.maximum(last, t)
        out[:, j] = last
    return reps, out


def _keys(table: pd.DataFrame, stride: int) -> np.ndarray:
    """One number per (replication, vehicle) of a table."""
    reps = table["replication"].to_numpy(dtype=np.int64)
    return reps * stride + table["vehicle"].to_numpy(dtype=np.int64)


def _by_vehicle(wanted: np.ndarray, keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` (one per key of a table) for each wanted vehicle key, NaN if none."""
    mine = np.isin(keys, wanted)
    out = np.full(len(wanted), np.nan)
    out[np.searchsorted(wanted, keys[mine])] = values[mine]
    return out


def _latest_ends(
    stages: pd.DataFrame, wanted: np.ndarray, stride: int, places: list[int]
) -> np.ndarray:
    """When each wanted vehicle's last stage at each of ``places`` ended, indexed
    [vehicle row, place position]; NaN where it spent none there."""
    end = stages["end_h"].to_numpy(dtype=float)
    keys = _keys(stages, stride)
    place = stages["place"].to_numpy(dtype=np.int64)
    mine = np.isin(keys, wanted) & np.isin(place, places) & ~np.isnan(end)
    rows = np.searchsorted(wanted, keys[mine])
    cols = np.searchsorted(places, place[mine])  # places is sorted
    end = end[mine]
    out = np.full((len(wanted), len(places)), np.nan)
    order = np.argsort(end, kind="stable")
    out[rows[order], cols[order]] = end[order]  # the latest is written last
    return out


def cost_distance(results: Results, flow: str) -> pd.DataFrame:
    """Cumulative cost per TEU (USD) along the flow's main route, a row where each charge
    ends (``kind``): port handling at a sea port, running cost at link ends, border fees
    and terminal charges where they fall. ``missing`` says what figure no source gives for
    the row's charge (counted as nothing, so the cost is a lower bound); the last row is
    the route's cost."""
    rows = [(0.0, 0.0, "origin", "origin", "")]
    cost = 0.0
    for item in _primary(results, flow).cost.items:
        cost += item.usd
        rows.append((item.km + item.length_km, cost, item.kind, item.what, item.missing))
    return pd.DataFrame(rows, columns=["km", "cost_usd", "kind", "label", "missing"])
