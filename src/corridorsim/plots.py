"""Plots of results: each ``plot_x(results, *, ax=None) -> Axes``.

No ``plt.show()`` and no global state: every function draws on the axes it is given (or
on a new figure's) and returns them, so notebooks, reports and scripts compose them
freely. Every plot has a title, axis labels with units, and a footnote naming the
scenario, seed and replications.
"""

from __future__ import annotations

import importlib.util
import textwrap
import warnings
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from corridorsim.engine.model import CATEGORIES
from corridorsim.experiments import Results
from corridorsim.results.kpis import mean_ci95
from corridorsim.results.trajectories import cost_distance, time_distance
from corridorsim.scenario.loader import LoadedScenario

__all__ = [
    "plot_breakdown",
    "plot_comparison",
    "plot_corridor_map",
    "plot_cost_distance",
    "plot_resources",
    "plot_time_distance",
    "plot_transit_cdf",
]

COLORS = {
    "consolidation": "#8c6d31",
    "running": "#3182bd",
    "line_wait": "#9ecae1",
    "border_queue": "#e6550d",
    "border_processing": "#fd8d3c",
    "transshipment": "#756bb1",
    "disruption": "#636363",
    "en_route_delay": "#bdbdbd",
}
TARGET_COLOR = "#c0392b"


def _axes(ax: Axes | None, size: tuple[float, float] = (8, 5)) -> Axes:
    if ax is not None:
        return ax
    fig = Figure(figsize=size, layout="constrained")  # not pyplot: no global figure state
    return fig.add_subplot()


def _footnote(ax: Axes, text: str) -> None:
    # below the x-axis label, inside the axes' layout box so constrained layout makes room;
    # wrapped to the figure's width (a line wider than the figure would collapse the layout)
    fig = ax.get_figure()
    width_in = fig.get_size_inches()[0] if fig is not None else 8.0
    wrapped = textwrap.fill(text, width=max(40, int(width_in * 16)))
    ax.annotate(
        wrapped,
        xy=(0, 0),
        xycoords="axes fraction",
        xytext=(0, -34),
        textcoords="offset points",
        fontsize=7,
        color="0.4",
        va="top",
        annotation_clip=False,
    )


def _source(results: Results) -> str:
    from corridorsim import __version__

    sc = results.loaded.scenario
    return (
        f"corridorsim {__version__} · scenario {sc.name} · seed {results.seed} · "
        f"{results.replications} replications · warm-up {sc.simulation.warmup_days:g} d, "
        f"horizon {sc.simulation.horizon_days:g} d"
    )


def _target_line(ax: Axes, target_h: float, *, vertical: bool) -> None:
    """The five-day (or the scenario's) target, in days, as a dashed red line."""
    draw = ax.axvline if vertical else ax.axhline
    draw(
        target_h / 24,
        color=TARGET_COLOR,
        linestyle="--",
        linewidth=1.2,
        label=f"target: {target_h / 24:g} days",
    )


def _target(results: Results) -> tuple[float, float]:
    t = results.loaded.scenario.target
    return t.hours, t.percentile


def plot_transit_cdf(
    results: Results, *, ax: Axes | None = None, flows: Sequence[str] | None = None
) -> Axes:
    """Empirical CDF of container transit time (days) per flow, with the target.

    The headline chart: one curve per flow, a vertical line at the target, and the share
    of containers within it annotated on each curve.
    """
    ax = _axes(ax)
    target_h, pct = _target(results)
    d = results.delivered
    names = list(flows) if flows is not None else [f.name for f in results.loaded.scenario.demand]
    for name in names:
        t = np.sort(d.loc[d["flow"] == name, "transit_h"].to_numpy()) / 24
        if len(t) == 0:
            continue
        y = np.arange(1, len(t) + 1) / len(t)
        (line,) = ax.step(t, y, where="post", label=name)
        share = float((t <= target_h / 24).mean())
        ax.annotate(
            f"{share:.0%} within",
            xy=(target_h / 24, share),
            xytext=(6, 4 if share < 0.9 else -12),
            textcoords="offset points",
            color=line.get_color(),
            fontsize=8,
        )
    _target_line(ax, target_h, vertical=True)
    ax.axhline(pct / 100, color="0.6", linestyle=":", linewidth=0.8)
    ax.set_xlabel("transit time, origin to destination (days)")
    ax.set_ylabel("share of containers delivered within")
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.set_title(f"Transit time against the {target_h / 24:g}-day target")
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(alpha=0.3)
    _footnote(ax, _source(results))
    return ax


def plot_comparison(
    results: Sequence[Results], *, ax: Axes | None = None, flow: str | None = None
) -> Axes:
    """Transit time per scenario (box plots, days), with the target line and each
    scenario's mean and its 95% CI across replications."""
    ax = _axes(ax, (max(6, 1.6 * len(results) + 3), 5))
    data, labels, means, cis = [], [], [], []
    for res in results:
        d = res.delivered
        name = flow or res.loaded.scenario.demand[0].name
        d = d[d["flow"] == name]
        data.append(d["transit_h"].to_numpy() / 24)
        labels.append(f"{res.loaded.scenario.name}\n({name})")
        per_rep = d.groupby("replication")["transit_h"].mean().reindex(range(res.replications))
        m, h = mean_ci95(per_rep.to_numpy())
        means.append(m / 24)
        cis.append(h / 24 if h == h else 0.0)
    ax.boxplot(data, tick_labels=labels, showfliers=False, widths=0.5)
    pos = np.arange(1, len(data) + 1)
    ax.errorbar(
        pos, means, yerr=cis, fmt="D", color="black", markersize=5, capsize=4, label="mean ± 95% CI"
    )
    target_h, _ = _target(results[0])
    _target_line(ax, target_h, vertical=False)
    ax.set_ylabel("transit time (days)")
    ax.set_title("Transit time by scenario (boxes: quartiles, whiskers: 1.5 IQR)")
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    _footnote(ax, "scenarios run with common random numbers · " + _source(results[0]))
    return ax


def plot_breakdown(results: Results | Sequence[Results], *, ax: Axes | None = None) -> Axes:
    """Stacked bars of where the time goes (mean hours per TEU), per flow — or per
    scenario and flow when given several results."""
    runs = [results] if isinstance(results, Results) else list(results)
    ax = _axes(ax, (8, 5))
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
    left = np.zeros(len(values))
    y = np.arange(len(values))
    for i, cat in enumerate(CATEGORIES):
        ax.barh(y, values[:, i], left=left, color=COLORS[cat], label=cat.replace("_", " "))
        left += values[:, i]
    target_h, _ = _target(runs[0])
    _target_line(ax, target_h, vertical=True)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel("mean time per TEU (days)")
    ax.set_title("Where the time goes")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside the bars
    ax.grid(axis="x", alpha=0.3)
    _footnote(ax, _source(runs[0]))
    return ax


def _mark_steps(ax: Axes, td, y_col: str) -> None:
    """Label the vertical steps (borders, terminals, waits) of a distance chart."""
    ys = td[y_col].to_numpy()
    span = (np.nanmax(ys) - np.nanmin(ys)) or 1.0
    prev = 0.0
    for km, kind, label, y in zip(td["km"], td["kind"], td["label"], ys, strict=True):
        if kind != "link" and y - prev > 0.04 * span:
            ax.annotate(
                label,
                xy=(km, y),
                xytext=(4, -2),
                textcoords="offset points",
                fontsize=6.5,
                color="0.25",
            )
        prev = y


def plot_time_distance(
    results: Results, flow: str | None = None, *, ax: Axes | None = None
) -> Axes:
    """Cumulative distance (km) against cumulative time (days) along a flow's route, in
    the form of UNESCAP time/cost–distance and CAREC CPMM charts: steps at borders,
    breaks of gauge and waits; the median path with its 10th–90th percentile band."""
    ax = _axes(ax, (9, 5.5))
    name = flow or results.loaded.scenario.demand[0].name
    td = time_distance(results, name)
    x = td["km"].to_numpy()
    ax.fill_between(
        x, td["q10"] / 24, td["q90"] / 24, color="#9ecae1", alpha=0.5, label="10th–90th percentile"
    )
    ax.plot(x, td["q50"] / 24, color="#08519c", linewidth=1.8, label="median container")
    target_h, _ = _target(results)
    _target_line(ax, target_h, vertical=False)
    _mark_steps(ax, td.assign(q50d=td["q50"] / 24), "q50d")
    ax.set_xlabel("distance from the origin (km)")
    ax.set_ylabel("time since the container was ready (days)")
    route = results.loaded.routes[name]
    ax.set_title(f"Time–distance: {name} ({route.label})", fontsize=10)
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    n = td.attrs.get("containers", 0)
    _footnote(ax, f"{n} traced containers · " + _source(results))
    return ax


def plot_cost_distance(
    results: Results, flow: str | None = None, *, ax: Axes | None = None
) -> Axes:
    """Cumulative cost per TEU (USD) against distance (km) along a flow's route: running
    cost on links, fees at borders, handling charges at terminals."""
    ax = _axes(ax, (9, 5))
    name = flow or results.loaded.scenario.demand[0].name
    cd = cost_distance(results, name)
    ax.plot(cd["km"], cd["cost_usd"], color="#31a354", linewidth=1.8)
    ax.fill_between(cd["km"], 0, cd["cost_usd"], color="#a1d99b", alpha=0.3)
    ax.set_xlabel("distance from the origin (km)")
    ax.set_ylabel("cumulative cost (USD per TEU)")
    ax.set_title(f"Cost–distance: {name}", fontsize=10)
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    _footnote(
        ax,
        "running costs from CPMM (USD per 500 km per 20 t); no figure for "
        "Pakistan and Afghanistan rail · " + _source(results),
    )
    return ax


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
    with closures of links and crossings shaded."""
    if measure not in ("queue", "utilisation"):
        raise ValueError(f"measure must be 'queue' or 'utilisation' (got {measure!r})")
    ax = _axes(ax, (10, 5))
    res = results.resources
    limited = res[
        (res["replication"] == replication) & (res["capacity"] > 0) & res["kind"].isin(kinds)
    ]
    log = results.resource_log[results.resource_log["replication"] == replication]
    for name, cap in zip(limited["resource"], limited["capacity"], strict=True):
        g = log[log["resource"] == name]
        if g.empty:
            continue
        y = g["queue"] if measure == "queue" else g["busy"] / cap
        ax.step(g["t_h"] / 24, y, where="post", linewidth=0.9, label=name)
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
    warm = results.loaded.scenario.simulation.warmup_days
    ax.axvline(warm, color="0.4", linestyle=":", linewidth=0.8, label="end of warm-up")
    ax.set_xlabel("time (days from the start)")
    ax.set_ylabel("vehicles waiting" if measure == "queue" else "busy share of capacity")
    ax.set_title(
        f"{'Queues' if measure == 'queue' else 'Utilisation'} over time (replication {replication})"
    )
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, loc="upper right")
    else:
        ax.text(
            0.5,
            0.5,
            "no capacity-limited resource in this scenario",
            transform=ax.transAxes,
            ha="center",
            color="0.4",
        )
    ax.grid(alpha=0.3)
    _footnote(ax, _source(results))
    return ax


# --- the corridor map ---------------------------------------------------------------------

STATUS_STYLE = {"operating": "-", "under_construction": (0, (5, 2)), "planned": (0, (1, 2))}
STATUS_COLOR = {"operating": "#252525", "under_construction": "#e6550d", "planned": "#de2d26"}
GAUGE_WIDTH = {1676: 2.6, 1520: 1.8, 1435: 1.1}


def _has_basemap() -> bool:
    return importlib.util.find_spec("mpl_toolkits.basemap") is not None


def plot_corridor_map(
    scenario: Results | LoadedScenario,
    *,
    ax: Axes | None = None,
    borders: bool | None = None,
    highlight: bool = True,
) -> Axes:
    """The network on longitude/latitude: links by mode, status and gauge; border
    crossings marked; each flow's route highlighted.

    Country borders come from basemap's bundled data when it is installed (nothing is
    downloaded); otherwise, or with ``borders=False``, the map is a schematic with the
    countries labelled.
    """
    loaded = scenario.loaded if isinstance(scenario, Results) else scenario
    net = loaded.network
    ax = _axes(ax, (10, 8))
    lons = [n.lon for n in net.nodes.values()]
    lats = [n.lat for n in net.nodes.values()]
    box = (min(lons) - 2, max(lons) + 2, min(lats) - 1.5, max(lats) + 1.5)
    use_borders = _has_basemap() if borders is None else borders and _has_basemap()
    if use_borders:
        with warnings.catch_warnings():
            # basemap's compiled part was built against an older numpy; the struct grew,
            # which numpy reports but which is harmless (newer is a superset)
            warnings.filterwarnings("ignore", "numpy.ndarray size changed", RuntimeWarning)
            from mpl_toolkits.basemap import Basemap

        m = Basemap(
            projection="cyl",
            llcrnrlon=box[0],
            urcrnrlon=box[1],
            llcrnrlat=box[2],
            urcrnrlat=box[3],
            resolution="l",
            ax=ax,
        )
        m.drawcountries(linewidth=0.6, color="0.55")
        m.drawcoastlines(linewidth=0.5, color="0.65")
    if highlight:
        for i, flow in enumerate(loaded.scenario.demand):
            route = loaded.routes[flow.name]
            xs = [net.nodes[n].lon for n in route.nodes]
            ys = [net.nodes[n].lat for n in route.nodes]
            ax.plot(
                xs,
                ys,
                color=f"C{i}",
                linewidth=9,
                alpha=0.25,
                solid_capstyle="round",
                zorder=1,
                label=f"route: {flow.name}",
            )
    for link in net.links.values():
        a, b = net.nodes[link.a], net.nodes[link.b]
        status = "operating" if link.status == "operating" else link.status
        if link.mode == "rail":
            ax.plot(
                [a.lon, b.lon],
                [a.lat, b.lat],
                color=STATUS_COLOR[status],
                linestyle=STATUS_STYLE[status],
                linewidth=GAUGE_WIDTH.get(link.gauge_mm or 0, 1.5),
                zorder=3,
                alpha=0.35 if link.closed else 1.0,
            )
        else:
            ax.plot(
                [a.lon, b.lon],
                [a.lat, b.lat],
                color="#74a9cf",
                linewidth=0.9,
                linestyle=(0, (3, 2)),
                zorder=2,
            )
    for n in net.nodes.values():
        ax.plot(n.lon, n.lat, "o", color="white", markeredgecolor="0.2", markersize=3.5, zorder=4)
        if n.kind in ("port", "junction", "city", "railhead"):
            ax.annotate(
                n.id,
                (n.lon, n.lat),
                xytext=(3, 3),
                textcoords="offset points",
                fontsize=6.5,
                zorder=5,
            )
    seen: set[str] = set()
    for link in net.links.values():
        if link.crossing and link.crossing not in seen:
            seen.add(link.crossing)
            a, b = net.nodes[link.a], net.nodes[link.b]
            x, y = (a.lon + b.lon) / 2, (a.lat + b.lat) / 2
            closed = net.crossings[link.crossing].closed
            ax.plot(
                x,
                y,
                marker="X",
                markersize=8,
                color="#cb181d" if closed else "#08519c",
                markeredgecolor="white",
                zorder=6,
            )
            ax.annotate(
                net.crossings[link.crossing].name,
                (x, y),
                xytext=(5, -9),
                textcoords="offset points",
                fontsize=6,
                color="#08519c",
                zorder=6,
            )
    if not use_borders:
        by_country: dict[str, list[tuple[float, float]]] = {}
        for n in net.nodes.values():
            by_country.setdefault(n.country, []).append((n.lon, n.lat))
        for country, pts in by_country.items():
            x, y = np.mean(pts, axis=0)
            ax.annotate(
                country,
                (x, y),
                fontsize=16,
                color="0.75",
                ha="center",
                va="center",
                zorder=0,
                fontweight="bold",
            )
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_aspect(1 / np.cos(np.radians(np.mean(box[2:]))))
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    ax.set_title(f"Corridor network and routes: scenario {loaded.scenario.name}")
    legend = [
        Line2D([], [], color=STATUS_COLOR["operating"], linewidth=2.6, label="rail 1,676 mm"),
        Line2D([], [], color=STATUS_COLOR["operating"], linewidth=1.8, label="rail 1,520 mm"),
        Line2D([], [], color=STATUS_COLOR["operating"], linewidth=1.1, label="rail 1,435 mm"),
        Line2D(
            [],
            [],
            color=STATUS_COLOR["under_construction"],
            linestyle=STATUS_STYLE["under_construction"],
            label="under construction",
        ),
        Line2D(
            [],
            [],
            color=STATUS_COLOR["planned"],
            linestyle=STATUS_STYLE["planned"],
            label="planned",
        ),
        Line2D([], [], color="#74a9cf", linestyle=(0, (3, 2)), label="road"),
        Line2D([], [], marker="X", linestyle="", color="#08519c", label="border crossing"),
    ]
    handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=legend + handles[: len(loaded.scenario.demand)], fontsize=7, loc="lower left")
    note = (
        "country borders: basemap (Natural Earth / GSHHG data bundled)"
        if use_borders
        else "schematic: countries labelled, borders not drawn"
    )
    _footnote(ax, f"{note} · statuses as built by scenario {loaded.scenario.name}")
    return ax


def save(
    ax: Axes, path_stem: str, formats: Sequence[str] = ("png", "svg"), dpi: int = 130
) -> list[str]:
    """Write the figure of ``ax`` as ``<path_stem>.png`` and ``.svg``; returns the paths."""
    fig = ax.get_figure()
    assert fig is not None
    out = []
    for fmt in formats:
        path = f"{path_stem}.{fmt}"
        fig.savefig(path, dpi=dpi, metadata={"Software": None} if fmt == "png" else None)
        out.append(path)
    return out
