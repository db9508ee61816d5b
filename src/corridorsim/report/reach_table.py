"""The reach table as people read it: for each flow, a row per place on its route and a
column per counting basis, each cell the p90 days and the share within the target."""

from __future__ import annotations

from dataclasses import dataclass

from corridorsim.results.reach import BASES, BASIS_TEXT, ReachRow
from corridorsim.results.summary import Summary

__all__ = [
    "PLAUSIBLE_READING",
    "ReachGrid",
    "Reading",
    "reach_grids",
    "reading_statistic",
    "readings",
]

PLAUSIBLE_READING = (
    "No official document says what the five days count: the fact sheet finds the claim "
    "only in press items before the February 2026 visit, and no five-day figure for the "
    "Kazakhstan–Pakistan route; the closest sourced claim is the Uzbekistan–Afghanistan–"
    "Pakistan line's 3–5 days from Uzbekistan to Pakistan (S38, S39). The words \"ports to "
    'Kazakhstan" read most plainly as reaching Kazakhstan (its first place on the route), '
    "counted from leaving the port, for a typical container (p50); the scenario's own "
    "target is harder: its destination, from arrival in port, at its percentile."
)
"""Which reading the claim most plausibly means, and why (with its sources)."""


@dataclass(frozen=True)
class Reading:
    """One reading of the claim for one flow: a place, a counting basis, its p50 and
    p90 days, how the p90 stands against the target, and the largest avoidable time."""

    flow: str
    place: str
    why: str
    basis: str
    p50: str
    p90: str
    against_target: str
    largest_avoidable: str


@dataclass(frozen=True)
class ReachGrid:
    """One flow's reach table, formatted: ``columns`` (the bases it has), and ``rows``
    of (place, km, why, cells), a cell per column ("–" where a basis does not apply)."""

    flow: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, str, str, tuple[str, ...]], ...]
    containers: int


def _cell(r: ReachRow) -> str:
    if r.p90_days is None:
        return "–"
    share = "–" if r.share_within_target is None else f"{r.share_within_target:.0%}"
    return f"{r.p90_days:.1f} d ({share})"


def reach_grids(summary: Summary) -> list[ReachGrid]:
    """Every flow's reach table, in the summary's flow order; a basis that would repeat
    another (leaving the port, where the origin is not a port) is left out."""
    grids = []
    for flow in summary.flows:
        mine = [r for r in summary.reach if r.flow == flow.flow]
        if not mine:
            continue
        cells = {(r.node, r.basis): r for r in mine}
        bases = [b for b in BASES if any(r.basis == b for r in mine)]
        if "gate" in bases and not _from_a_port(mine):
            bases.remove("gate")
        places = list(dict.fromkeys((r.node, r.place, r.km, r.why) for r in mine))
        rows = tuple(
            (
                name,
                f"{km:,.0f}",
                why,
                tuple(_cell(cells[(node, b)]) if (node, b) in cells else "–" for b in bases),
            )
            for node, name, km, why in places
        )
        columns = tuple(_basis_names(mine)[b] for b in bases)
        grids.append(ReachGrid(flow.flow, columns, rows, max(r.containers for r in mine)))
    return grids


def readings(summary: Summary) -> list[Reading]:
    """Every place and basis of every flow, as rows of the verdict's table by reading;
    each against the target at p90 (at p50 where the scenario's target is a median:
    :func:`reading_statistic`)."""
    target = summary.target_hours / 24
    out = []
    port_flows = {f.flow for f in summary.flows if _from_a_port(_of(summary, f.flow))}
    for r in summary.reach:
        if r.p90_days is None or r.p50_days is None:
            continue
        if r.basis == "gate" and r.flow not in port_flows:
            continue  # the same as from arrival: the origin is not a port
        value = r.p50_days if reading_statistic(summary) == "p50" else r.p90_days
        gap = value - target
        against = f"meets ({-gap:.1f} d to spare)" if gap <= 0 else f"misses by {gap:.1f} d"
        largest = (
            "–"
            if r.largest_avoidable_hours is None
            else f"{r.largest_avoidable} ({r.largest_avoidable_hours:.0f} h)"
        )
        out.append(
            Reading(
                r.flow,
                r.place,
                r.why,
                _basis_names(_of(summary, r.flow))[r.basis],
                f"{r.p50_days:.1f}",
                f"{r.p90_days:.1f}",
                against,
                largest,
            )
        )
    return out


def reading_statistic(summary: Summary) -> str:
    """``p50`` where the scenario's target is at the median or below, else ``p90``."""
    return "p50" if summary.target_percentile <= 50 else "p90"


def _of(summary: Summary, flow: str) -> list[ReachRow]:
    return [r for r in summary.reach if r.flow == flow]


def _from_a_port(rows: list[ReachRow]) -> bool:
    """Whether leaving the origin differs from arriving there (a port's dwell) at any
    place of a flow's rows."""
    cells = {(r.node, r.basis): r for r in rows}
    return any(
        (r.node, "gate") in cells and cells[(r.node, "gate")].p90_days != r.p90_days
        for r in rows
        if r.basis == "arrival"
    )


def _basis_names(rows: list[ReachRow]) -> dict[str, str]:
    """The bases' names for a flow: "from the origin" where it is not a port."""
    return BASIS_TEXT if _from_a_port(rows) else {**BASIS_TEXT, "arrival": "from the origin"}
