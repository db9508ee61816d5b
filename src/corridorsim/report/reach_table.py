"""The reach table as people read it: for each flow, a row per place on its route and a
column per counting basis, each cell the p90 days and the share within the target."""

from __future__ import annotations

from dataclasses import dataclass

from corridorsim.results.reach import BASES, BASIS_TEXT, ReachRow
from corridorsim.results.summary import Summary

__all__ = ["ReachGrid", "reach_grids"]


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
        if "gate" in bases and all(
            cells.get((r.node, "gate"), r).p90_days == r.p90_days
            for r in mine
            if r.basis == "arrival"
        ):
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
        names = {**BASIS_TEXT} if "gate" in bases else {**BASIS_TEXT, "arrival": "from the origin"}
        columns = tuple(names[b] for b in bases)
        grids.append(ReachGrid(flow.flow, columns, rows, max(r.containers for r in mine)))
    return grids
