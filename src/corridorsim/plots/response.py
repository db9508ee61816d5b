"""How transit responds to swept parameters: p90 and mean (with its 95% band) and the
share within the target against one parameter, per flow; for two parameters, one line
per value of the second; for a Latin hypercube, p90 against each parameter."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from corridorsim.plots.common import TARGET_COLOR

__all__ = ["plot_response", "responds_to"]

MAX_LINES = 6
"""A second parameter with more values than this is not drawn as lines."""


def _numeric(values: Sequence[object]) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def responds_to(table: pd.DataFrame, varied: Sequence[str], design: str = "grid") -> list[str]:
    """The parameters a response plot can draw ``table`` against: for a grid, the one
    numeric parameter, or two (the second with at most :data:`MAX_LINES` values, put
    second); for a Latin hypercube, every numeric parameter; else none."""
    numeric = [p for p in varied if _numeric(table[p].dropna().unique().tolist())]
    if design == "lhs" or len(varied) == 1:
        return numeric if len(numeric) == len(varied) or design == "lhs" else []
    if len(varied) == 2 and len(numeric) >= 1:
        by_count = sorted(varied, key=lambda p: (p not in numeric, -table[p].nunique()))
        if table[by_count[1]].nunique() <= MAX_LINES:
            return by_count
    return []


def plot_response(
    table: pd.DataFrame, parameters: Sequence[str], target_days: float, design: str = "grid"
) -> Figure:
    """Transit days (p90 solid, mean dashed with its 95% band) and the share within the
    target (with its 95% band) against ``parameters[0]`` (a column of ``table``, from
    :func:`corridorsim.sweeps.sweep`), a line per flow, or per value of
    ``parameters[1]`` in a row of panels per flow; for ``design="lhs"``, the p90 of
    every run against each parameter."""
    if design == "lhs":
        return _scatter(table, parameters, target_days)
    flows = list(dict.fromkeys(table["flow"]))
    rows = 1 if len(parameters) == 1 else len(flows)
    fig = Figure(figsize=(11, 4.2 * rows), layout="constrained")
    panels = np.atleast_2d(fig.subplots(rows, 2, squeeze=False))
    x_name = parameters[0]
    for row, (days, share) in enumerate(panels):
        series: list[tuple[str, object, pd.DataFrame]]
        if len(parameters) == 1:
            series = [(flow, f"C{i}", table[table["flow"] == flow]) for i, flow in enumerate(flows)]
        else:
            sub = table[table["flow"] == flows[row]]
            levels = sorted(sub[parameters[1]].unique())
            colors = _sequence(len(levels))
            series = [
                (
                    f"{parameters[1]} = {v:g}" if _numeric([v]) else f"{parameters[1]} = {v}",
                    c,
                    sub[sub[parameters[1]] == v],
                )
                for v, c in zip(levels, colors, strict=True)
            ]
            days.set_title(flows[row], fontsize=10)
        for k, (label, color, g) in enumerate(series):
            _lines(days, share, g.sort_values(x_name), x_name, label, color, k)
        _frame(days, share, x_name, target_days)
    fig.suptitle(f"Transit against {x_name} (same seed for every value)")
    return fig


_UNIT_WORDS = {
    "hours": "hours",
    "days": "days",
    "km": "km",
    "kmh": "km/h",
    "usd": "USD",
    "per_year": "a year",
    "per_day": "a day",
    "per_teu": "per TEU",
}


def axis_words(path: str) -> str:
    """A swept field in words with its unit, for an axis (the path itself stays in the
    title): ``borders.crossings.chaman.rail.exit.processing_hours`` → "processing at
    the chaman rail exit post (hours)", ``ports.dwell_hours.KHI`` → "port dwell at KHI
    (hours)", ``network.speeds_kmh.rail.AF`` → "speeds, rail, AF (km/h)"."""
    parts = path.split(".")
    if parts[:2] == ["borders", "crossings"] and len(parts) >= 6:
        name, unit = _unit(parts[-1])
        crossing, mode, role = parts[2:5]
        return f"{name} at the {crossing} {mode} {role} post{unit}"
    k = max(i for i, part in enumerate(parts) if not _is_id(part) or i == 0)
    name, unit = _unit(parts[k])
    if parts[0] == "ports" and k == 1:
        return f"port {name} at {', '.join(parts[2:])}{unit}"
    where = [*parts[1:k][-1:], *parts[k + 1 :]]
    named = [f"flow {w}" if w.isdigit() else w.replace("_", " ") for w in where]
    return ", ".join([name, *named]) + unit


def _is_id(part: str) -> bool:
    """A node, country or flow number, or a mode: a key a user names, not a field."""
    return part.isupper() or part.isdigit() or part in ("rail", "road")


def _unit(key: str) -> tuple[str, str]:
    """A field's name in words and its unit in brackets (or "")."""
    for suffix, words in _UNIT_WORDS.items():
        if key.endswith("_" + suffix):
            return key.removesuffix("_" + suffix).replace("_", " "), f" ({words})"
    return key.replace("_", " "), ""


def _sequence(n: int) -> list[tuple[float, float, float, float]]:
    """``n`` colours of the colour-blind-safe viridis scale, dark to light."""
    from matplotlib import colormaps

    return [colormaps["viridis"](v) for v in np.linspace(0.05, 0.85, n)]


MARKERS = ("o", "s", "^", "D", "v", "P")
"""A marker shape per line, largest first, so that a line lying on another (two flows
both at 0% within the target) still shows both."""


def _lines(
    days: Axes, share: Axes, g: pd.DataFrame, x_name: str, label: str, color: object, k: int
) -> None:
    x = g[x_name].astype(float)
    marker, size = MARKERS[k % len(MARKERS)], max(4, 9 - 2 * k)
    days.plot(
        x, g["p90_days"], "-", color=color, label=f"{label} p90", marker=marker, markersize=size
    )
    days.plot(x, g["mean_days"], "--", color=color, label=f"{label} mean")
    lo, hi = g["mean_days"] - g["mean_ci95_days"], g["mean_days"] + g["mean_ci95_days"]
    days.fill_between(x, lo, hi, color=color, alpha=0.15)
    s = 100 * g["share_within_target"]
    share.plot(x, s, "-", color=color, label=label, marker=marker, markersize=size)
    low, high = 100 * g["share_ci95_low"], 100 * g["share_ci95_high"]
    share.fill_between(x, low, high, color=color, alpha=0.15)


def _frame(days: Axes, share: Axes, x_name: str, target_days: float) -> None:
    days.axhline(
        target_days, color=TARGET_COLOR, linestyle="--", label=f"target: {target_days:g} days"
    )
    for ax in (days, share):
        ax.set_xlabel(axis_words(x_name))
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
    days.set_ylabel("transit (days)")
    days.set_ylim(bottom=0)
    share.set_ylabel(f"share within {target_days:g} days (%)")
    share.set_ylim(-2, 102)


def _scatter(table: pd.DataFrame, parameters: Sequence[str], target_days: float) -> Figure:
    n = max(1, len(parameters))
    fig = Figure(figsize=(min(4.2 * n, 16), 4.2), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, n, squeeze=False)[0])
    for ax, p in zip(axes, parameters, strict=False):
        for i, (flow, g) in enumerate(table.groupby("flow", sort=False)):
            ax.plot(g[p].astype(float), g["p90_days"], "o", color=f"C{i}", label=flow, alpha=0.8)
        ax.axhline(target_days, color=TARGET_COLOR, linestyle="--", label="target")
        ax.set_xlabel(axis_words(p), fontsize=8)
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("p90 transit (days)")
    axes[0].legend(fontsize=7)
    fig.suptitle("p90 transit at each point of the Latin hypercube (same seed for every point)")
    return fig
