"""From simulation records to tables, KPIs, summaries and comparisons: no simulation
and no plotting here. :mod:`corridorsim.results.tables` is the contract every other
layer reads. Names are imported on first use (see :mod:`corridorsim._lazy`)."""

from corridorsim._lazy import lazy

_WHERE = {
    "CATEGORIES": "corridorsim.results.tables",
    "Comparison": "corridorsim.results.comparison",
    "Difference": "corridorsim.results.comparison",
    "Results": "corridorsim.results.tables",
    "RunRecords": "corridorsim.results.tables",
    "Summary": "corridorsim.results.summary",
    "combine": "corridorsim.results.tables",
    "compare_results": "corridorsim.results.comparison",
    "crossing_kpis": "corridorsim.results.kpis",
    "flow_kpis": "corridorsim.results.kpis",
    "load_results": "corridorsim.results.store",
    "mean_ci95": "corridorsim.results.stats",
    "paired_difference": "corridorsim.results.stats",
    "place_hours": "corridorsim.results.kpis",
    "save_results": "corridorsim.results.store",
    "section_speeds": "corridorsim.results.kpis",
    "share_ci95": "corridorsim.results.stats",
    "summarize": "corridorsim.results.summary",
    "throughput": "corridorsim.results.kpis",
    "verdict": "corridorsim.results.kpis",
}

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

__getattr__, __dir__ = lazy(__name__, _WHERE)
