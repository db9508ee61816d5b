"""What it takes, drawn: days each lever saves at p90 on its own (a tornado), and the
p90 as the levers are applied one after another."""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.figure import Figure

from corridorsim.plots.common import TARGET_COLOR, footnote

__all__ = ["plot_levers"]


def plot_levers(
    one: pd.DataFrame, path: pd.DataFrame, target_days: float, flow: str, note: str = ""
) -> Figure:
    """Left: days saved at p90 by each lever alone, largest first, each bar with its
    days. Right: p90 days at each step of the cumulative path, with the target, the
    steps named under their points. ``note``: the footer (scenario, seed, runs)."""
    fig = Figure(figsize=(12, 0.45 * len(one) + 3), layout="constrained")
    bars, steps = fig.subplots(1, 2, width_ratios=[1, 1])
    y = range(len(one))[::-1]
    saved = one["saved_p90_days"]
    if "saved_p90_low_days" in one:  # the interval, from its bounds
        low, high = one["saved_p90_low_days"], one["saved_p90_high_days"]
        ci = [(saved - low).clip(lower=0).fillna(0), (high - saved).clip(lower=0).fillna(0)]
    else:
        ci = None
    bars.barh(list(y), saved, xerr=ci, color="#3182bd", error_kw={"capsize": 3})
    ends = saved if ci is None else saved + ci[1]
    for yi, value, end in zip(y, saved, ends, strict=True):  # beyond the interval's end
        bars.annotate(
            f"{value:.1f} d",
            (max(float(end), float(value), 0.0), yi),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    bars.margins(x=0.12)
    bars.set_yticks(list(y), one["lever"], fontsize=8)
    bars.axvline(0, color="0.3", linewidth=0.8)
    bars.set_xlabel("days saved at p90, the lever alone (bars: 95% interval, paired jackknife)")
    bars.set_title(f"Each lever on its own ({flow})", fontsize=10)
    bars.grid(axis="x", alpha=0.3)
    x = range(len(path))
    steps.plot(list(x), path["p90_days"], "o-", color="#08519c", label="p90")
    steps.plot(list(x), path["mean_days"], "--", color="#6baed6", label="mean")
    steps.axhline(
        target_days, color=TARGET_COLOR, linestyle="--", label=f"target: {target_days:g} days"
    )
    names = [textwrap.fill(str(n), 13) for n in path["lever"]]
    steps.set_xticks(list(x), names, fontsize=6)
    steps.set_ylabel("transit (days)")
    steps.set_ylim(bottom=0)
    steps.set_title("One after another, largest first", fontsize=10)
    steps.legend(fontsize=8)
    steps.grid(alpha=0.3)
    fig.suptitle("What it takes (same seed for every run)")
    if note:
        footnote(bars, note)
    return fig
