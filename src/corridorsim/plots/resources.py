"""Queues and utilisation of capacity-limited resources over time, with closures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from corridorsim.plots.common import axes, footnote, source
from corridorsim.results.tables import Results

__all__ = ["MAX_SHOWN", "daily_mean", "plot_resources", "readable"]


MAX_SHOWN = 6
"""Resources drawn at most: those with the longest queues (the rest are named below)."""


def daily_mean(
    t_h: np.ndarray, y: np.ndarray, end_h: float, period_h: float = 24.0
) -> tuple[np.ndarray, np.ndarray]:
    """The time-weighted mean of a step function (value ``y[i]`` from ``t_h[i]`` to the
    next change; 0 before the first) over each period (a day by default) up to
    ``end_h``: (period starts in days, means)."""
    edges = np.arange(0.0, end_h + period_h, period_h)
    t = np.concatenate([[0.0], t_h])
    v = np.concatenate([[0.0], y])
    cum = np.concatenate([[0.0], np.cumsum(v[:-1] * np.diff(t))])  # integral up to t[i]
    k = np.searchsorted(t, edges, side="right") - 1
    at_edges = cum[k] + v[k] * (edges - t[k])
    return edges[:-1] / 24, np.diff(at_edges) / period_h


def readable(name: str) -> str:
    """``post saryagash/rail/KZ/entry`` -> ``Saryagash rail, KZ entry``."""
    if name.startswith("post "):
        parts = name[5:].split("/")
        if len(parts) == 4:
            crossing, mode, country, post = parts
            return f"{crossing.replace('-', '–').title()} {mode}, {country} {post}"
    return name


def plot_resources(
    results: Results,
    *,
    ax: Axes | None = None,
    replication: int = 0,
    measure: str = "queue",
    kinds: Sequence[str] = ("border_post", "terminal", "line_section"),
) -> Axes:
    """Queue length (``measure="queue"``) or servers busy as a share of capacity
    (``"utilisation"``) over time at each capacity-limited post, terminal and section,
    as time-weighted means per day, or per week for runs over 120 days (a queue that
    comes and goes shows as its average, not as spikes; resources that never queue are
    left out, and only the :data:`MAX_SHOWN` with the longest queues are drawn, the rest
    named in the footnote), with closures shaded.

    Parameters
    ----------
    results : Results
    ax : Axes, optional
    replication : int
        Which replication's log to draw.
    measure : {"queue", "utilisation"}
        Vehicles waiting, or busy servers as a share of capacity.
    kinds : sequence of str
        Kinds of resource to draw (``border_post``, ``terminal``, ``line_section``).

    Raises
    ------
    ValueError
        If ``measure`` is neither.

    Returns
    -------
    Axes
        The axes drawn on (``ax``, or those of a new figure made without pyplot).
    """
    if measure not in ("queue", "utilisation"):
        raise ValueError(f"measure must be 'queue' or 'utilisation' (got {measure!r})")
    ax = axes(ax, (10, 5))
    res = results.resources
    limited = res[
        (res["replication"] == replication) & (res["capacity"] > 0) & res["kind"].isin(kinds)
    ]
    end_h = results.loaded.scenario.simulation.horizon_days * 24
    period = 168.0 if end_h > 120 * 24 else 24.0
    series = _series(results, limited, replication, measure, period)
    series.sort(key=lambda x: -x[0])
    for _, name, days, mean in series[:MAX_SHOWN]:
        ax.step(days, mean, where="post", linewidth=1.2, label=readable(name))
    if measure == "queue" and series and max(m.max() for *_, m in series) >= 2:
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _shade_closures(ax, results, replication)
    warm = results.loaded.scenario.simulation.warmup_days
    ax.axvline(warm, color="0.4", linestyle=":", linewidth=0.8, label="end of warm-up")
    ax.set_xlabel("time (days from the start)")
    span = "weekly" if period > 24 else "daily"
    ax.set_ylabel(
        f"vehicles waiting ({span} mean)"
        if measure == "queue"
        else f"busy share of capacity ({span} mean)"
    )
    ax.set_ylim(bottom=0)
    ax.set_title(
        f"{'Queues' if measure == 'queue' else 'Utilisation'} over time (replication {replication})"
    )
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, loc="upper right")
    else:
        ax.text(
            0.5,
            0.5,
            "no queue at any capacity-limited resource in this replication"
            if measure == "queue"
            else "no capacity-limited resource in this scenario",
            transform=ax.transAxes,
            ha="center",
            color="0.4",
        )
    ax.grid(alpha=0.3)
    rest = [readable(name) for _, name, *_ in series[MAX_SHOWN:]]
    note = f" · also queueing, less: {', '.join(rest)}" if rest else ""
    footnote(ax, source(results) + note)
    return ax


def _series(
    results: Results, limited: Any, replication: int, measure: str, period: float
) -> list[tuple[float, str, np.ndarray, np.ndarray]]:
    """Per resource that ever queues (or any, for utilisation): (overall mean, name,
    period starts, time-weighted means per period)."""
    log = results.resource_log[results.resource_log["replication"] == replication]
    by_name = dict(tuple(log.groupby("resource", observed=True, sort=False)))
    end_h = results.loaded.scenario.simulation.horizon_days * 24
    series = []
    for name, cap in zip(limited["resource"], limited["capacity"], strict=True):
        g = by_name.get(name)
        if g is None or g.empty:
            continue
        y = g["queue"] if measure == "queue" else g["busy"] / cap
        days, mean = daily_mean(g["t_h"].to_numpy(), y.to_numpy(dtype=float), end_h, period)
        if measure == "queue" and not mean.any():
            continue  # no queue ever: nothing to show
        series.append((float(mean.mean()), name, days, mean))
    return series


def _shade_closures(ax: Axes, results: Results, replication: int) -> None:
    """Shade each closure of a link or crossing in ``replication``, named at the top."""
    closures = results.closures[results.closures["replication"] == replication]
    for i, (target, start, end) in enumerate(
        closures[["target", "start_h", "end_h"]].itertuples(index=False)
    ):
        ax.axvspan(
            start / 24, end / 24, color="0.5", alpha=0.2, label="closure" if i == 0 else None
        )
        ax.annotate(
            target,
            xy=(start / 24, 1),
            xycoords=("data", "axes fraction"),
            fontsize=6,
            rotation=90,
            va="top",
            color="0.3",
        )
