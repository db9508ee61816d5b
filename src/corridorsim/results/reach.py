"""How far a container gets, and when: the time from the origin to each place that
could be meant by "port to Kazakhstan", counted from each point a claim could start.

For each flow's main route, the places reported are the first place in each country
after the origin's (the Kazakh border, for one), every network destination the route
passes (a market or a gateway, e.g. Tashkent, Beyneu for the Caspian) and the flow's
destination. A container reaches a place once it has cleared the border posts there
(the time it could be handed on), not when it leaves on its next vehicle.

Times are counted on three bases, from the same containers:

* ``arrival``: from the container's arrival in the origin (its ship's arrival at a
  port), as the transit times of the main table;
* ``gate``: from leaving the origin port, after its dwell there (the same as arrival
  where the origin is not a port);
* ``origin_border``: from crossing out of the origin country (reaching the first place
  beyond it); places before that are not counted on this basis.

The containers are the traced ones (:data:`corridorsim.results.records.TRACE_PER_FLOW`,
the first of each flow created after the warm-up in each replication) carried end to end
on the main route; at the destination on the arrival basis their times are their
transit times.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from corridorsim.results.gap import AVOIDABLE
from corridorsim.results.kpis import CATEGORY_LABELS, place_hours
from corridorsim.results.stats import mean_ci95, share_ci95
from corridorsim.results.tables import Results
from corridorsim.results.trajectories import RoutePoint, traced_times

__all__ = [
    "BASES",
    "BASIS_TEXT",
    "ReachPlace",
    "ReachRow",
    "basis_times",
    "reach_places",
    "reach_rows",
]

COUNTRY_NAMES = {
    "AF": "Afghanistan",
    "CN": "China",
    "IR": "Iran",
    "KZ": "Kazakhstan",
    "PK": "Pakistan",
    "TM": "Turkmenistan",
    "UZ": "Uzbekistan",
}
BASES = ("arrival", "gate", "origin_border")
BASIS_TEXT = {
    "arrival": "from arrival in port",
    "gate": "from leaving the port",
    "origin_border": "from leaving the origin country",
}


@dataclass(frozen=True)
class ReachPlace:
    """A place on a route worth a five-day answer, with why it is asked about."""

    node: str
    name: str
    km: float
    why: str
    point: int
    """The route point (index into :func:`~corridorsim.results.trajectories.route_points`)
    at which the place is reached: the last border post there, else its arrival."""


@dataclass(frozen=True)
class ReachRow:
    """Time to reach a place on one basis: days, the share of containers within the
    scenario's target, and their 95% intervals."""

    flow: str
    node: str
    place: str
    km: float
    why: str
    basis: str
    containers: int
    mean_days: float | None
    mean_ci95_days: float | None
    """None with one replication (no interval from one)."""
    p50_days: float | None
    p90_days: float | None
    share_within_target: float | None
    share_ci95_low: float | None
    share_ci95_high: float | None
    largest_avoidable: str = ""
    """The avoidable time (``results.gap.AVOIDABLE``) that weighs most between the
    basis's start and the place, at its largest place ("" if none)."""
    largest_avoidable_hours: float | None = None
    """Its mean hours per container (over all the flow's delivered containers)."""


def reach_places(results: Results, flow: str, points: list[RoutePoint]) -> list[ReachPlace]:
    """The places of ``flow``'s main route to report, in travel order."""
    net = results.loaded.network
    spec = next(f for f in results.loaded.scenario.demand if f.name == flow)
    origin_country = net.nodes[spec.origin].country
    seen_countries = {origin_country}
    places: dict[str, ReachPlace] = {}
    for i, p in enumerate(points):
        if p.kind != "link":
            continue
        node = net.nodes[p.label]
        reasons = []
        if node.country not in seen_countries:
            seen_countries.add(node.country)
            reasons.append(f"first place in {COUNTRY_NAMES.get(node.country, node.country)}")
        dest = net.destinations.get(p.label)
        if dest is not None:
            reasons.append(f"{dest.role}: {dest.answers}")
        if p.label == spec.destination:
            reasons.append("the flow's destination")
        if reasons:
            last = _cleared_at(points, i)
            places[p.label] = ReachPlace(p.label, node.name, p.km, "; ".join(reasons), last)
    return list(places.values())


def _cleared_at(points: list[RoutePoint], i: int) -> int:
    """The link end ``i`` and the border posts right after it at the same place: the
    last of them is where the place is reached."""
    j = i
    while j + 1 < len(points) and points[j + 1].kind == "post":
        j += 1
    return j


def reach_rows(results: Results) -> tuple[ReachRow, ...]:
    """Every flow's reach table: a row per place and basis (see the module)."""
    rows: list[ReachRow] = []
    target = results.loaded.scenario.target.hours
    hours_by_place = place_hours(results.flow_places, results.plan.places)
    for spec in results.loaded.scenario.demand:
        points, reps, times = traced_times(results, spec.name)
        if len(times) == 0:
            continue
        starts = _basis_starts(results, spec.name, points, times)
        for place in reach_places(results, spec.name, points):
            for basis in BASES:
                since = times[:, place.point] - starts[basis]
                ok = ~np.isnan(since)
                if basis == "origin_border":
                    ok &= _beyond_origin(results, spec.name, points, place)
                if not ok.any():
                    continue
                row = _row(spec.name, place, basis, since[ok], reps[ok], results, target)
                first = _first_abroad(results, spec.name, points) or 0
                begin = first if basis == "origin_border" else 0
                mine = hours_by_place[hours_by_place["flow"] == spec.name]
                label, hours = _largest(mine, points[begin : place.point + 1], basis)
                rows.append(replace(row, largest_avoidable=label, largest_avoidable_hours=hours))
    return tuple(rows)


def _largest(
    hours_by_place: pd.DataFrame, points: list[RoutePoint], basis: str
) -> tuple[str, float | None]:
    """The avoidable category with the most mean hours over the places of ``points``
    (port dwell only on the arrival basis), named at its largest place."""
    places = {p.place for p in points}
    cats = [c for c in AVOIDABLE if basis == "arrival" or c != "port_dwell"]
    mine = hours_by_place[
        hours_by_place["place"].isin(places) & hours_by_place["category"].isin(cats)
    ]
    if mine.empty:
        return "", None
    by_cat = mine.groupby("category")["hours"].sum()
    top = str(by_cat.idxmax())
    if by_cat[top] <= 0:
        return "", None
    at = mine[mine["category"] == top]
    where = str(at.loc[at["hours"].idxmax(), "name"])
    return f"{CATEGORY_LABELS[top]} at {where}", _known(float(by_cat[top]))


def basis_times(results: Results, flow: str, basis: str) -> tuple[list[RoutePoint], np.ndarray]:
    """The points of ``flow``'s main route and each traced container's hours at each
    of them counted on ``basis`` (NaN before the basis's start: before leaving the
    origin country on ``origin_border``)."""
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}, not {basis!r}")
    points, _, times = traced_times(results, flow)
    since = times - _basis_starts(results, flow, points, times)[basis][:, None]
    if basis == "origin_border":
        first = _first_abroad(results, flow, points)
        since[:, : len(points) if first is None else first] = np.nan
    return points, since


def _basis_starts(
    results: Results, flow: str, points: list[RoutePoint], times: np.ndarray
) -> dict[str, np.ndarray]:
    """Each container's hours since arrival at the start of each basis."""
    n = len(times)
    port = next((j for j, p in enumerate(points) if p.kind == "port"), None)
    gate = times[:, port] if port is not None else np.zeros(n)
    first = _first_abroad(results, flow, points)
    border = times[:, first] if first is not None else np.full(n, np.nan)
    return {"arrival": np.zeros(n), "gate": gate, "origin_border": border}


def _first_abroad(results: Results, flow: str, points: list[RoutePoint]) -> int | None:
    """The route point at which the route first reaches a place outside the origin
    country (a link's end: before that country's entry post)."""
    net = results.loaded.network
    spec = next(f for f in results.loaded.scenario.demand if f.name == flow)
    home = net.nodes[spec.origin].country
    for j, p in enumerate(points):
        if p.kind == "link" and net.nodes[p.label].country != home:
            return j
    return None


def _beyond_origin(
    results: Results, flow: str, points: list[RoutePoint], place: ReachPlace
) -> bool:
    first = _first_abroad(results, flow, points)
    return first is not None and place.point >= first


def _row(
    flow: str,
    place: ReachPlace,
    basis: str,
    hours: np.ndarray,
    reps: np.ndarray,
    results: Results,
    target: float,
) -> ReachRow:
    every = range(results.replications)
    rep_means = [hours[reps == r].mean() if (reps == r).any() else np.nan for r in every]
    mean, half = mean_ci95(rep_means)
    within = [int((hours[reps == r] <= target).sum()) for r in every]
    counts = [int((reps == r).sum()) for r in every]
    share, low, high = share_ci95(within, counts)
    p50, p90 = np.percentile(hours, [50, 90])
    return ReachRow(
        flow=flow,
        node=place.node,
        place=place.name,
        km=place.km,
        why=place.why,
        basis=basis,
        containers=len(hours),
        mean_days=_known(mean / 24),
        mean_ci95_days=_known(half / 24),
        p50_days=_known(float(p50) / 24),
        p90_days=_known(float(p90) / 24),
        share_within_target=_known(share),
        share_ci95_low=_known(low),
        share_ci95_high=_known(high),
    )


def _known(x: float) -> float | None:
    """None for a figure that cannot be had (NaN), so that summaries compare equal."""
    return None if math.isnan(x) else float(x)
