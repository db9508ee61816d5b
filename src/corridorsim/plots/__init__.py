"""Plots of results: each ``plot_x(results, *, ax=None) -> Axes``.

No ``plt.show()`` and no global state: every function draws on the axes it is given (or
on a new figure's) and returns them, so notebooks, reports and scripts compose them
freely. Every plot has a title, axis labels with units, and a footnote naming the
scenario, seed and replications.
"""

from corridorsim.plots.common import save
from corridorsim.plots.corridor_map import plot_corridor_map
from corridorsim.plots.distance import plot_cost_distance, plot_time_distance
from corridorsim.plots.reach_map import plot_reach
from corridorsim.plots.resources import plot_resources
from corridorsim.plots.transit import plot_breakdown, plot_comparison, plot_transit_cdf

__all__ = [
    "plot_breakdown",
    "plot_comparison",
    "plot_corridor_map",
    "plot_cost_distance",
    "plot_reach",
    "plot_resources",
    "plot_time_distance",
    "plot_transit_cdf",
    "save",
]
