"""From simulation records to tables, KPIs, summaries and comparisons: no simulation
and no plotting here. :mod:`corridorsim.results.tables` is the contract every other
layer reads."""

from corridorsim.results.comparison import Comparison, Difference, compare_results
from corridorsim.results.kpis import (
    crossing_kpis,
    flow_kpis,
    place_hours,
    section_speeds,
    throughput,
    verdict,
)
from corridorsim.results.stats import mean_ci95, paired_difference, share_ci95
from corridorsim.results.store import load_results, save_results
from corridorsim.results.summary import Summary, summarize
from corridorsim.results.tables import CATEGORIES, Results, RunRecords, combine

__all__ = [
    "CATEGORIES",
    "Comparison",
    "Difference",
    "Results",
    "RunRecords",
    "Summary",
    "combine",
    "compare_results",
    "crossing_kpis",
    "flow_kpis",
    "load_results",
    "mean_ci95",
    "paired_difference",
    "place_hours",
    "save_results",
    "section_speeds",
    "share_ci95",
    "summarize",
    "throughput",
    "verdict",
]
