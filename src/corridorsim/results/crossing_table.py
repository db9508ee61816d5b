"""The border-crossing table of a run's summary: time to cross, fees, lane use and the
share of the time each crossing is closed (opening hours and closures)."""

from __future__ import annotations

import pandas as pd

from corridorsim.engine.calendar import OpeningCalendar
from corridorsim.results.kpis import crossing_kpis
from corridorsim.results.tables import Results
from corridorsim.units import HOURS_PER_DAY, HOURS_PER_WEEK

__all__ = ["crossing_table"]


def crossing_table(results: Results) -> pd.DataFrame:
    """Per crossing, mode and direction the flows pass: the CPMM-style KPIs
    (:func:`corridorsim.results.kpis.crossing_kpis`), with fees and closed shares."""
    fees: dict[tuple[str, str], float] = {}
    for route in results.plan.routes:
        for cid, mode in route.route.crossings:
            known = results.plan.fee(cid, mode)
            if known is not None:  # an unknown fee stays missing, not 0
                fees[(cid, mode)] = known
    names = {cid: c.name for cid, c in results.loaded.network.crossings.items()}
    return crossing_kpis(results.passages, results.resources, fees, names, _closed(results))


def _closed(results: Results) -> dict[tuple[str, str, str], float]:
    """Share of the time after the warm-up each crossing and direction is closed: shut
    for the night or the weekend at its exit post, or closed by a disruption (the two
    taken as independent)."""
    sim = results.loaded.scenario.simulation
    start, end = sim.warmup_days * HOURS_PER_DAY, sim.horizon_days * HOURS_PER_DAY
    span = (end - start) * max(results.replications, 1)
    c = results.closures
    out = {}
    for post in results.plan.posts.values():
        if post.role != "exit":
            continue
        oh = post.params.opening_hours
        cal = OpeningCalendar(oh.open, oh.close, oh.days)
        hours_closed = 0.0 if cal.always else cal.closed_hours(0.0, HOURS_PER_WEEK) / HOURS_PER_WEEK
        mine = c[c["target"] == post.crossing] if len(c) else c
        overlap = (mine["end_h"].clip(upper=end) - mine["start_h"].clip(lower=start)).clip(lower=0)
        disrupted = float(overlap.sum()) / span if span > 0 else 0.0
        out[(post.crossing, post.mode, post.direction)] = 1 - (1 - hours_closed) * (1 - disrupted)
    return out
