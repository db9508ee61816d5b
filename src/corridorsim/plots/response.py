"""How transit responds to a swept parameter: p90 and mean (with its 95% band) and the
share within the target, per flow, against the parameter's values."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from corridorsim.plots.common import TARGET_COLOR

__all__ = ["plot_response"]


def plot_response(table: pd.DataFrame, parameter: str, target_days: float) -> Figure:
    """Two panels against ``parameter`` (a column of ``table``, from
    :func:`corridorsim.sweeps.sweep`): transit days (p90 solid, mean dashed with its 95%
    band) and the share within the target (with its 95% band)."""
    fig = Figure(figsize=(11, 4.5), layout="constrained")
    days, share = fig.subplots(1, 2)
    for i, (flow, g) in enumerate(table.groupby("flow", sort=False)):
        g = g.sort_values(parameter)
        x = g[parameter].astype(float)
        color = f"C{i}"
        days.plot(x, g["p90_days"], "o-", color=color, label=f"{flow} p90")
        days.plot(x, g["mean_days"], "--", color=color, label=f"{flow} mean")
        days.fill_between(
            x,
            g["mean_days"] - g["mean_ci95_days"],
            g["mean_days"] + g["mean_ci95_days"],
            color=color,
            alpha=0.15,
        )
        share.plot(x, 100 * g["share_within_target"], "o-", color=color, label=flow)
        share.fill_between(
            x,
            100 * (g["share_within_target"] - g["share_ci95"]),
            100 * (g["share_within_target"] + g["share_ci95"]),
            color=color,
            alpha=0.15,
        )
    days.axhline(
        target_days, color=TARGET_COLOR, linestyle="--", label=f"target: {target_days:g} days"
    )
    days.set_xlabel(parameter)
    days.set_ylabel("transit (days)")
    days.set_ylim(bottom=0)
    days.legend(fontsize=7)
    days.grid(alpha=0.3)
    share.set_xlabel(parameter)
    share.set_ylabel(f"share within {target_days:g} days (%)")
    share.set_ylim(-2, 102)
    share.legend(fontsize=7)
    share.grid(alpha=0.3)
    fig.suptitle(f"Transit against {parameter} (same seed for every value)")
    return fig
