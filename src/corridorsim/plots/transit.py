"""Transit time: its distribution against the target, scenarios side by side, and where
the time goes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes

from corridorsim._version import __version__
from corridorsim.plots.common import (
    COLORS,
    PALETTE,
    TARGET_COLOR,
    axes,
    footnote,
    source,
    target,
    target_line,
)
from corridorsim.results.stats import mean_ci95
from corridorsim.results.tables import CATEGORIES, Results
from corridorsim.wording import counted

__all__ = ["plot_breakdown", "plot_comparison", "plot_transit_cdf"]


def plot_transit_cdf(
    results: Results, *, ax: Axes | None = None, flows: Sequence[str] | None = None
) -> Axes:
    """Empirical CDF of container transit time (days) per flow, with the target.

    The headline chart: one curve per flow, a vertical line at the target, the target's
    percentile as a labelled line with each flow's value marked on it, and each flow's
    share within the target and percentile in the legend.

    Parameters
    ----------
    results : Results
    ax : Axes, optional
    flows : sequence of str, optional
        Flows to draw (default: all).

    Returns
    -------
    Axes
        The axes drawn on (``ax``, or those of a new figure made without pyplot).
    """
    ax = axes(ax)
    target_h, pct = target(results)
    d = results.delivered
    names = list(flows) if flows is not None else [f.name for f in results.loaded.scenario.demand]
    q = pct / 100
    for i, name in enumerate(names):
        t = np.sort(d.loc[d["flow"] == name, "transit_h"].to_numpy()) / 24
        if len(t) == 0:
            continue
        y = np.arange(1, len(t) + 1) / len(t)
        share = float((t <= target_h / 24).mean())
        at_q = float(np.percentile(t, pct))
        label = f"{name}: {share:.0%} within {target_h / 24:g} days; p{pct:g} {at_q:.1f} days"
        (line,) = ax.step(t, y, where="post", label=label, color=PALETTE[i % len(PALETTE)])
        ax.plot([at_q], [q], "o", color=line.get_color(), markersize=5, zorder=5)
        ax.annotate(
            f"{at_q:.1f} d",
            xy=(at_q, q),
            xytext=(5, -12),
            textcoords="offset points",
            color=line.get_color(),
            fontsize=8,
        )
    target_line(ax, target_h, vertical=True)
    ax.axhline(q, color="0.6", linestyle=":", linewidth=0.8)
    ax.annotate(
        f"p{pct:g}: {pct:g}% delivered within",
        xy=(1, q),
        xycoords=("axes fraction", "data"),
        xytext=(-4, -11),
        ha="right",
        textcoords="offset points",
        color="0.4",
        fontsize=7.5,
    )
    ax.set_xlabel("transit time, origin to destination (days)")
    ax.set_ylabel("share of containers delivered within")
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.set_title(f"Transit time against the {target_h / 24:g}-day target")
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(alpha=0.3)
    footnote(ax, source(results))
    return ax


def plot_comparison(
    results: Sequence[Results],
    *,
    ax: Axes | None = None,
    flow: str | None = None,
    between: tuple[str, str] | None = None,
) -> Axes:
    """Transit time per scenario (box plots, days), with the target line and each
    scenario's mean and its 95% CI across replications.

    Parameters
    ----------
    results : sequence of Results
        Scenarios run with common random numbers; the first one's target is drawn.
    ax : Axes, optional
    flow : str, optional
        The flow to show (default: each scenario's first).
    between : (origin, destination), optional
        Instead of one flow: every delivered flow of each scenario between these places
        (a box each), so that alternatives are compared on the same journey whatever
        their flows are called.

    Raises
    ------
    ValueError
        If no scenario delivered a flow between ``between``.

    Returns
    -------
    Axes
        The axes drawn on (``ax``, or those of a new figure made without pyplot).
    """
    shown = [(res, name) for res in results for name in _flows_shown(res, flow, between)]
    if not shown:
        origin, destination = between or ("?", "?")
        raise ValueError(f"no scenario delivered a flow from {origin} to {destination}")
    ax = axes(ax, (max(6, 1.6 * len(shown) + 3), 5))
    data, labels, means, cis = [], [], [], []
    for res, name in shown:
        d = res.delivered
        d = d[d["flow"] == name]
        data.append(d["transit_h"].to_numpy() / 24)
        labels.append(f"{res.loaded.scenario.name}\n({name})")
        per_rep = d.groupby("replication")["transit_h"].mean().reindex(range(res.replications))
        m, h = mean_ci95(per_rep.to_numpy())
        means.append(m / 24)
        cis.append(h / 24 if h == h else 0.0)
    # whiskers to the 5th and 95th percentiles: the tail the p90 target is about
    ax.boxplot(data, tick_labels=labels, showfliers=False, widths=0.5, whis=(5, 95))
    pos = np.arange(1, len(data) + 1)
    ax.errorbar(
        pos, means, yerr=cis, fmt="D", color="black", markersize=5, capsize=4, label="mean ± 95% CI"
    )
    p90s = [float(np.percentile(d, 90)) if len(d) else float("nan") for d in data]
    ax.scatter(
        pos + 0.3, p90s, marker="<", s=60, color=TARGET_COLOR, zorder=3, label="p90 (the target's)"
    )
    for x, y in zip(pos, p90s, strict=True):
        if y == y:
            ax.annotate(f"{y:.1f}", (x + 0.36, y), va="center", fontsize=8, color=TARGET_COLOR)
    target_h, _ = target(results[0])
    target_line(ax, target_h, vertical=False)
    ax.set_ylabel("transit time (days)")
    journey = f" from {between[0]} to {between[1]}" if between else ""
    ax.set_title(
        f"Transit time{journey} by scenario\n(boxes: quartiles; whiskers: 5th to 95th "
        "percentile; ◀: p90)",
        fontsize=11,
    )
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="y", alpha=0.3)
    footnote(ax, _compare_source(results))
    return ax


def _compare_source(results: Sequence[Results]) -> str:
    """The footnote of a comparison: every scenario, and the runs they share."""
    first = results[0]
    names = ", ".join(dict.fromkeys(r.loaded.scenario.name for r in results))
    sim = first.loaded.scenario.simulation
    return (
        f"corridorsim {__version__} · scenarios {names} · common random numbers, seed "
        f"{first.seed} · {counted(first.replications, 'replication')} each · warm-up "
        f"{sim.warmup_days:g} d, horizon {sim.horizon_days:g} d"
    )


def _flows_shown(res: Results, flow: str | None, between: tuple[str, str] | None) -> list[str]:
    """The flows of one scenario a comparison shows: those between the places, or the
    one named (default: its first)."""
    if between is None:
        return [flow or res.loaded.scenario.demand[0].name]
    delivered = set(res.delivered["flow"])
    return [
        f.name
        for f in res.loaded.scenario.demand
        if (f.origin, f.destination) == between and f.name in delivered
    ]


JOURNEY_ORDER = (
    "port_dwell",
    "consolidation",
    "running",
    "en_route_delay",
    "line_wait",
    "border_queue",
    "border_processing",
    "border_closed",
    "transshipment",
    "disruption",
)
"""The breakdown's categories in the order a journey meets them (the port first)."""
SHOWN_FROM_DAYS = 0.6
"""A part of a bar at least this wide carries its value."""


def _stack(ax: Axes, values: np.ndarray) -> None:
    """Stacked bars, a category per colour in journey order (those with no time left
    out of the legend), each part wide enough labelled with its days, each bar with its
    total."""
    left = np.zeros(len(values))
    y = np.arange(len(values))
    for cat in sorted(CATEGORIES, key=JOURNEY_ORDER.index):
        part = values[:, CATEGORIES.index(cat)]
        if not (part > 0.005).any():
            continue  # no time in it anywhere: not drawn, not in the legend
        bars = ax.barh(y, part, left=left, color=COLORS[cat], label=cat.replace("_", " "))
        shown = [f"{v:.1f}" if v >= SHOWN_FROM_DAYS else "" for v in part]
        dark = cat in ("running", "port_dwell", "disruption", "border_queue")
        ax.bar_label(bars, shown, label_type="center", fontsize=7, color="white" if dark else "0.1")
        left += part
    for yi, total in zip(y, left, strict=True):
        ax.annotate(
            f"{total:.1f} d",
            (total, yi),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    if len(left) and left.max() > 0:
        ax.set_xlim(0, float(left.max()) * 1.12)  # room for the totals


def plot_breakdown(results: Results | Sequence[Results], *, ax: Axes | None = None) -> Axes:
    """Stacked bars of where the time goes (mean days per TEU, by category), per flow —
    or per scenario and flow when given several results.

    Parameters
    ----------
    results : Results or sequence of Results
    ax : Axes, optional

    Returns
    -------
    Axes
        The axes drawn on (``ax``, or those of a new figure made without pyplot).
    """
    runs = [results] if isinstance(results, Results) else list(results)
    ax = axes(ax, (8, 5))
    rows, labels = [], []
    for res in runs:
        d = res.delivered
        for f in res.loaded.scenario.demand:
            mine = d[d["flow"] == f.name]
            if mine.empty:
                continue
            rows.append([float(mine[f"{c}_h"].mean()) / 24 for c in CATEGORIES])
            labels.append(f.name if len(runs) == 1 else f"{res.loaded.scenario.name}\n{f.name}")
    values = np.array(rows) if rows else np.zeros((0, len(CATEGORIES)))
    _stack(ax, values)
    y = np.arange(len(values))
    target_h, _ = target(runs[0])
    target_line(ax, target_h, vertical=True)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel("mean time per TEU (days)")
    ax.set_title("Where the time goes")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside the bars
    ax.grid(axis="x", alpha=0.3)
    footnote(ax, source(runs[0]))
    return ax
