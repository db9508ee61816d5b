"""Drawing the plots of a run or a comparison into a folder: PNG always (the HTML report
embeds it), SVG on request."""

from __future__ import annotations

import base64
import multiprocessing
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from matplotlib.axes import Axes

from corridorsim import plots
from corridorsim.levers import WhatItTakes
from corridorsim.pools import worker_pool
from corridorsim.report.early_map import MAP_NAME, MAP_TITLE, EarlyMap
from corridorsim.results.tables import Results

__all__ = [
    "DEFAULT_FORMATS",
    "FIGURE_SETS",
    "FORMATS",
    "Figure",
    "draw_compare_plots",
    "draw_levers",
    "draw_run_plots",
    "left_out",
]

FORMATS = ("png", "svg")
"""The file formats plots can be written in."""
DEFAULT_FORMATS = ("png",)
FIGURE_SETS = ("default", "all")
"""Which plots of a run to draw: ``default`` the transit CDF, where the time goes and
the corridor map; ``all`` also time– and cost–distance and the reach map for each flow
and queues over time (each about 0.15 CPU-seconds more; see :func:`left_out`)."""


@dataclass(frozen=True)
class Figure:
    """A drawn plot: its title, and its files relative to the output folder."""

    title: str
    files: tuple[str, ...]

    @property
    def png(self) -> str:
        """The PNG file (always drawn)."""
        return next(f for f in self.files if f.endswith(".png"))

    def data_uri(self, folder: Path) -> str:
        """The PNG inlined, so report.html needs no other file."""
        raw = (folder / self.png).read_bytes()
        return "data:image/png;base64," + base64.b64encode(raw).decode("ascii")


def _draw(
    folder: Path, name: str, title: str, make: Callable[[], Axes], formats: Sequence[str]
) -> Figure:
    (folder / "plots").mkdir(parents=True, exist_ok=True)
    fmts = ["png", *(f for f in formats if f != "png")]
    plots.save(make(), str(folder / "plots" / name), formats=fmts)
    return Figure(title, tuple(f"plots/{name}.{f}" for f in fmts))


Spec = tuple[str, str, Callable[[], Axes]]
"""A plot to draw: file name (without suffix), title, and the call that draws it."""

WEIGHTS = {"corridor_map": 5.0, "time_distance": 2.5, "transit_cdf": 2.0, "queues": 2.0}
"""Rough drawing times, relative to a plain chart (1, e.g. cost-distance), measured on the
default scenario: workers take the heaviest plots first, so that they finish together."""


def _weight(name: str) -> float:
    return next((w for k, w in WEIGHTS.items() if name.startswith(k)), 1.0)


_PENDING: list[Spec] = []
"""The plots being drawn by forked workers, which inherit this list (so the results they
draw from are never pickled). Set and cleared by :func:`_draw_all` only."""


def _draw_all(
    specs: list[Spec],
    folder: Path,
    formats: Sequence[str],
    jobs: int,
    meanwhile: Callable[[], None] | None = None,
) -> list[Figure]:
    """Draw every plot: in ``jobs`` forked processes where the platform forks and there is
    more than one plot to draw, else one after the other. The files are the same.
    ``meanwhile`` runs in this process while the workers draw (or after, when drawing
    here)."""
    also = meanwhile or (lambda: None)
    if jobs > 1 and len(specs) > 1 and "fork" in multiprocessing.get_all_start_methods():
        _PENDING[:] = specs
        try:
            ctx = multiprocessing.get_context("fork")
            with warnings.catch_warnings():
                # Python 3.12+ warns that forking a process with threads (numpy's BLAS
                # pool) may deadlock; the workers only draw with matplotlib and write
                # files, taking no lock another thread could hold.
                warnings.filterwarnings("ignore", ".*multi-threaded.*fork", DeprecationWarning)
                heaviest = sorted(range(len(specs)), key=lambda i: -_weight(specs[i][0]))
                tasks = [(i, folder, tuple(formats)) for i in heaviest]
                with worker_pool(min(jobs, len(specs)), ctx) as pool:
                    drawing = pool.map_async(_draw_pending, tasks, chunksize=1)
                    try:
                        also()
                    except Exception:
                        # let the workers finish (and set their own signal handlers)
                        # before the pool is torn down: terminating workers just forked
                        # could run the parent's handlers in them
                        drawing.wait()
                        raise
                    drawn = dict(zip(heaviest, drawing.get(), strict=True))
                    return [drawn[i] for i in range(len(specs))]
        finally:
            _PENDING.clear()
    figures = [_draw(folder, name, title, make, formats) for name, title, make in specs]
    also()
    return figures


def _draw_pending(task: tuple[int, Path, tuple[str, ...]]) -> Figure:
    i, folder, formats = task
    name, title, make = _PENDING[i]
    return _draw(folder, name, title, make, formats)


def draw_run_plots(
    results: Results,
    folder: Path,
    formats: Sequence[str] = DEFAULT_FORMATS,
    jobs: int = 1,
    meanwhile: Callable[[], None] | None = None,
    early_map: EarlyMap | None = None,
    figures: str = "all",
) -> list[Figure]:
    """The plots of one scenario: transit CDF, breakdown and the corridor map, and with
    ``figures="all"`` time– and cost–distance per flow and queues over time (in
    ``folder/plots``, as PNG and the other ``formats``; drawn by ``jobs`` processes,
    while this one runs ``meanwhile``). With ``early_map`` (cached, or drawn from the
    scenario while the replications ran), its files are taken instead of drawing the
    map again."""
    specs = _run_specs(results, figures)
    if early_map is None:
        return _draw_all(specs, folder, formats, jobs, meanwhile)
    at = next(i for i, (name, *_) in enumerate(specs) if name == MAP_NAME)
    rest = specs[:at] + specs[at + 1 :]
    done = _draw_all(rest, folder, formats, jobs, meanwhile)
    files = early_map.collect(folder)
    if files is None:  # neither cached nor drawn ahead: draw it now, and keep it
        name, title, make = specs[at]
        drawn = _draw(folder, name, title, make, early_map.formats)
        early_map.keep(folder)
        return [*done[:at], drawn, *done[at:]]
    return [*done[:at], Figure(MAP_TITLE, files), *done[at:]]


def draw_levers(takes: WhatItTakes, folder: Path, formats: Sequence[str], note: str = "") -> Figure:
    """The levers of a "what it would take" section (``plots/levers.png``), with
    ``note`` as its footer (the run it was measured on)."""
    from corridorsim.plots.levers import plot_levers

    def make() -> Axes:
        target = takes.target_hours / 24
        return plot_levers(takes.one, takes.path, target, takes.flow, note).axes[0]

    return _draw(folder, "levers", f"What it would take: {takes.flow}", make, formats)


def _run_specs(results: Results, figures: str = "all") -> list[Spec]:
    """The plots of ``figures`` (one of :data:`FIGURE_SETS`), in report order."""
    if figures not in FIGURE_SETS:
        raise ValueError(f"figures must be one of {FIGURE_SETS}, not {figures!r}")
    every = _all_specs(results)
    if figures == "all":
        return every
    return [s for s in every if s[0] in ("transit_cdf", "breakdown", MAP_NAME)]


def left_out(results: Results, figures: str) -> list[str]:
    """The titles of the plots ``figures`` does not draw (that ``all`` would)."""
    drawn = {name for name, *_ in _run_specs(results, figures)}
    return [title for name, title, _ in _all_specs(results) if name not in drawn]


def _all_specs(results: Results) -> list[Spec]:
    def draw(name: str, title: str, make: Callable[[], Axes]) -> Spec:
        return name, title, make

    figs = [
        draw(
            "transit_cdf",
            "Transit time against the target",
            lambda: plots.plot_transit_cdf(results),
        ),
        draw("breakdown", "Where the time goes", lambda: plots.plot_breakdown(results)),
    ]
    delivered = set(results.delivered["flow"])
    for flow in results.loaded.scenario.demand:
        if flow.name not in delivered:
            continue
        figs.append(
            draw(
                f"time_distance_{flow.name}",
                f"Time–distance: {flow.name}",
                partial(plots.plot_time_distance, results, flow.name),
            )
        )
        figs.append(
            draw(
                f"cost_distance_{flow.name}",
                f"Cost–distance: {flow.name}",
                partial(plots.plot_cost_distance, results, flow.name),
            )
        )
        figs.append(
            draw(
                f"reach_{flow.name}",
                f"How far the target gets you: {flow.name}",
                partial(plots.plot_reach, results, flow.name),
            )
        )
    figs.append(draw(MAP_NAME, MAP_TITLE, lambda: plots.plot_corridor_map(results)))
    figs.append(draw("queues", "Queues over time", lambda: plots.plot_resources(results)))
    return figs


def draw_compare_plots(
    all_results: Sequence[Results],
    folder: Path,
    formats: Sequence[str] = DEFAULT_FORMATS,
    jobs: int = 1,
) -> list[Figure]:
    """A box plot for each journey (origin–destination pair) every scenario delivered
    on, a box per scenario and flow; and the breakdown side by side."""

    def draw(name: str, title: str, make: Callable[[], Axes]) -> Spec:
        return name, title, make

    figs = []
    for origin, destination in _journeys_in_common(all_results):
        figs.append(
            draw(
                f"comparison_{origin}-{destination}",
                f"Scenarios: {origin} → {destination}",
                partial(plots.plot_comparison, all_results, between=(origin, destination)),
            )
        )
    figs.append(
        draw(
            "breakdown",
            "Where the time goes, by scenario",
            lambda: plots.plot_breakdown(all_results),
        )
    )
    return _draw_all(figs, folder, formats, jobs)


def _journeys_in_common(all_results: Sequence[Results]) -> list[tuple[str, str]]:
    """The origin–destination pairs of the first scenario's flows on which every
    scenario delivered containers, in its order."""

    def served(res: Results) -> set[tuple[str, str]]:
        delivered = set(res.delivered["flow"])
        return {
            (f.origin, f.destination) for f in res.loaded.scenario.demand if f.name in delivered
        }

    common = set.intersection(*(served(r) for r in all_results))
    pairs = ((f.origin, f.destination) for f in all_results[0].loaded.scenario.demand)
    return [p for p in dict.fromkeys(pairs) if p in common]
