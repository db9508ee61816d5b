"""From simulation records to KPIs: tables and statistics, no simulation, no plotting."""

from corridorsim.results.kpis import (
    crossing_kpis,
    flow_kpis,
    mean_ci95,
    place_hours,
    section_speeds,
    share_ci95,
    throughput,
    verdict,
)
from corridorsim.results.summary import summarize

__all__ = [
    "crossing_kpis",
    "flow_kpis",
    "mean_ci95",
    "place_hours",
    "section_speeds",
    "share_ci95",
    "summarize",
    "throughput",
    "verdict",
]
