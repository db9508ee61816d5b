"""What every plot shares: axes without pyplot, the footnote naming the run, the target
line, the colours of the breakdown categories, and saving."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from corridorsim._version import __version__
from corridorsim.results.tables import Results
from corridorsim.wording import counted

__all__ = [
    "COLORS",
    "PALETTE",
    "TARGET_COLOR",
    "axes",
    "footnote",
    "save",
    "source",
    "target",
    "target_line",
]

COLORS = {  # Okabe and Ito's colour-blind-safe colours, then greys
    "consolidation": "#E69F00",
    "running": "#0072B2",
    "line_wait": "#56B4E9",
    "border_queue": "#D55E00",
    "border_processing": "#CC79A7",
    "transshipment": "#009E73",
    "disruption": "#000000",
    "en_route_delay": "#999999",
    "border_closed": "#F0E442",
    "port_dwell": "#5F4B32",
}
TARGET_COLOR = "#c0392b"
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
"""Okabe and Ito's colour-blind-safe palette, for flows and scenarios."""


def axes(ax: Axes | None, size: tuple[float, float] = (8, 5)) -> Axes:
    """``ax``, or the axes of a new figure of ``size`` inches (made without pyplot), whose
    colours cycle through :data:`PALETTE`."""
    if ax is not None:
        return ax
    fig = Figure(figsize=size, layout="constrained")  # not pyplot: no global figure state
    ax = fig.add_subplot()
    ax.set_prop_cycle(color=list(PALETTE))
    return ax


def footnote(ax: Axes, text: str) -> None:
    """Small grey text under the plot, naming what it was made from."""
    # below the x-axis label, inside the axes' layout box so constrained layout makes room;
    # wrapped to the figure's width (a line wider than the figure would collapse the layout)
    fig = ax.get_figure(root=True)
    width_in = fig.get_size_inches()[0] if isinstance(fig, Figure) else 8.0
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


def source(results: Results) -> str:
    """The footnote of a run: version, scenario, seed, replications, warm-up, horizon."""
    sc = results.loaded.scenario
    return (
        f"corridorsim {__version__} · scenario {sc.name} · seed {results.seed} · "
        f"{counted(results.replications, 'replication')} · "
        f"warm-up {sc.simulation.warmup_days:g} d, horizon {sc.simulation.horizon_days:g} d"
    )


def target_line(ax: Axes, target_h: float, *, vertical: bool) -> None:
    """The five-day (or the scenario's) target, in days, as a dashed red line."""
    draw = ax.axvline if vertical else ax.axhline
    draw(
        target_h / 24,
        color=TARGET_COLOR,
        linestyle="--",
        linewidth=1.2,
        label=f"target: {target_h / 24:g} days",
    )


def target(results: Results) -> tuple[float, float]:
    """The scenario's target: hours and percentile."""
    t = results.loaded.scenario.target
    return t.hours, t.percentile


def save(
    ax: Axes, path_stem: str, formats: Sequence[str] = ("png", "svg"), dpi: int = 130
) -> list[str]:
    """Write the figure of ``ax`` as ``<path_stem>.png`` and ``.svg``; returns the paths."""
    fig = ax.get_figure(root=True)
    assert isinstance(fig, Figure)
    out = []
    for fmt in formats:
        path = f"{path_stem}.{fmt}"
        if fmt == "svg":
            # the same figure gives the same bytes: fixed ids, no date
            with rc_context({"svg.hashsalt": "corridorsim"}):
                fig.savefig(path, dpi=dpi, metadata={"Date": None})
        else:
            _png(fig, path, dpi)
        out.append(path)
    return out


def _png(fig: Figure, path: str, dpi: int) -> None:
    """Render once and write the pixels: ``savefig`` would draw the figure twice (once
    to lay it out, once to render it), where drawing lays it out itself; RGB where
    every pixel is opaque (a quarter less to compress), else RGBA."""
    canvas, size = fig.canvas, fig.dpi
    try:
        fig.dpi = dpi
        agg = FigureCanvasAgg(fig)
        agg.draw()  # runs the figure's layout engine first
        rgba = np.asarray(agg.buffer_rgba())
        pixels = rgba[..., :3] if bool((rgba[..., 3] == 255).all()) else rgba
        Image.fromarray(np.ascontiguousarray(pixels)).save(path, format="png", dpi=(dpi, dpi))
    finally:
        fig.dpi = size
        fig.set_canvas(canvas)
