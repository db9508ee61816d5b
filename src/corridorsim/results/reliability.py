"""Reliability as shippers feel it: how many containers closures delay, how bad the
worst month is, and the longest delay."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridorsim.units import HOURS_PER_YEAR

__all__ = ["MIN_PER_MONTH", "MONTH_HOURS", "Reliability", "reliability", "sentence"]

MONTH_HOURS = HOURS_PER_YEAR / 12
"""A month of simulated time (730 h)."""
MIN_PER_MONTH = 20
"""Containers a month needs (over all replications) for its p90 to count."""


@dataclass(frozen=True)
class Reliability:
    """One flow's containers delivered after the warm-up, pooled over replications.

    ``delayed_share``: share that waited for a closure (category ``disruption``);
    ``mean_delay_if_delayed_hours``: their mean wait; ``longest_delay_hours``: the
    longest wait of any; ``worst_month_p90_hours``: in each replication, the highest
    p90 transit of its months (of :data:`MONTH_HOURS`, by arrival at the origin, with at
    least :data:`MIN_PER_MONTH` containers), averaged over the replications: the worst
    month of a typical year (None when no month has enough containers)."""

    delayed_share: float
    mean_delay_if_delayed_hours: float | None
    longest_delay_hours: float
    worst_month_p90_hours: float | None


def reliability(delivered: pd.DataFrame, flow: str) -> Reliability | None:
    """The reliability of ``flow`` from the delivered containers' table; None if it
    delivered none."""
    d = delivered[delivered["flow"] == flow]
    if not len(d):
        return None
    wait = d["disruption_h"].to_numpy()
    delayed = wait > 0
    month = (d["created_h"].to_numpy() // MONTH_HOURS).astype(np.int64)
    by = pd.Series(d["transit_h"].to_numpy()).groupby([d["replication"].to_numpy(), month])
    p90 = by.quantile(0.9)[by.size() >= MIN_PER_MONTH]
    worst = p90.groupby(level=0).max()
    return Reliability(
        delayed_share=float(delayed.mean()),
        mean_delay_if_delayed_hours=float(wait[delayed].mean()) if delayed.any() else None,
        longest_delay_hours=float(wait.max()),
        worst_month_p90_hours=float(worst.mean()) if len(worst) else None,
    )


def sentence(r: Reliability | None) -> str | None:
    """The flow's reliability in one sentence, or None when no closure delayed it."""
    if r is None or r.delayed_share == 0 or r.mean_delay_if_delayed_hours is None:
        return None
    text = (
        f"{r.delayed_share:.0%} of containers delayed by closures "
        f"({r.mean_delay_if_delayed_hours / 24:.1f} days on average, the longest "
        f"{r.longest_delay_hours / 24:.1f} days)"
    )
    if r.worst_month_p90_hours is not None:
        worst = r.worst_month_p90_hours / 24
        text += f"; p90 in a year's worst month: {worst:.1f} days"
    return text
