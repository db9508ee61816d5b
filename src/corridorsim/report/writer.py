"""Writing a run's or a comparison's output folder, all at once or not at all.

Files are written into a hidden staging folder beside the target and moved into place
only when every one is complete, so a failed or interrupted run leaves no half-written
output, and a folder holding another scenario's results is never silently replaced.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from corridorsim.levers import WhatItTakes
from corridorsim.plots.common import source as plots_source
from corridorsim.report.compare import render_compare
from corridorsim.report.context import report_context
from corridorsim.report.early_map import EarlyMap
from corridorsim.report.figures import (
    DEFAULT_FORMATS,
    Figure,
    draw_compare_plots,
    draw_levers,
    draw_run_plots,
    left_out,
)
from corridorsim.report.out_dir import guard, refuse_links
from corridorsim.report.templates import templates
from corridorsim.results.comparison import Comparison
from corridorsim.results.store import save_results
from corridorsim.results.summary import Summary
from corridorsim.results.tables import Results

__all__ = [
    "write_compare",
    "write_plots",
    "write_run",
]


def _commit(out: Path, fill: Callable[[Path], None]) -> None:
    """Write into a staging folder with ``fill`` and move it to ``out`` in one step;
    ``out`` is never a link followed elsewhere (:func:`refuse_links`)."""
    out = Path(os.path.abspath(out))  # absolute, links not followed
    refuse_links(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    stage.chmod(0o755)  # mkdtemp makes it private; results are for sharing
    old: Path | None = None
    try:
        fill(stage)
        if out.exists():
            old = out.with_name(f".{out.name}.{os.getpid()}.old")
            os.replace(out, old)
        os.replace(stage, out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        if old is not None and not out.exists():
            os.replace(old, out)  # put the previous results back
            old = None
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_run(
    results: Results,
    summary: Summary | Callable[[], Summary],
    out: Path,
    *,
    force: bool = False,
    formats: Sequence[str] = DEFAULT_FORMATS,
    csv: bool = False,
    jobs: int = 1,
    takes: WhatItTakes | None = None,
    stage: Callable[[str], None] | None = None,
    early_map: EarlyMap | None = None,
    figures: str = "default",
) -> Path:
    """Write summary.json, the tables, the plots and the reports of one scenario.

    Parameters
    ----------
    results : Results
    summary : Summary, or a function that makes it
        Its summary (:func:`corridorsim.results.summarize`); a function is called while
        the plots are drawn.
    out : Path
        The output folder; written all at once, or not at all.
    force : bool
        Replace a folder that holds another scenario's results or other files.
    formats : sequence of {"png", "svg"}
        Plot files to write (PNG always: the HTML report embeds it).
    csv : bool
        Also write the container table as ``containers.csv``.
    jobs : int
        Processes that draw the plots (the files do not depend on it).
    takes : WhatItTakes, optional
        Levers ranked for a flow that misses its target: a "what it would take" section
        and ``plots/levers.png``.
    stage : callable, optional
        ``stage(text)`` as each stage starts (plots and tables, report), for a display.
    early_map : EarlyMap, optional
        The corridor map, cached or drawn from the scenario while the replications ran.
    figures : {"default", "all"}
        The plots to draw (:data:`corridorsim.report.figures.FIGURE_SETS`); the report
        names those left out and the command that draws them.

    Raises
    ------
    OutputError
        If ``out`` holds another scenario's results or other files (unless ``force``).
    """
    guard(out, "summary.json", results.loaded.scenario.name, force)
    say = stage or (lambda _text: None)

    def fill(stage: Path) -> None:
        # the drawing workers are forked first, then the tables are written (with their
        # threads) and the summary made here while they draw
        files = ["summary.json", "report.md", "report.html"]
        made: list[Summary] = []

        def meanwhile() -> None:
            files.extend(save_results(results, stage, csv=csv))
            made.append(summary() if callable(summary) else summary)

        say(
            "drawing plots, writing tables and summarising"
            if callable(summary)
            else "drawing plots and writing tables"
        )
        drawn = draw_run_plots(
            results,
            stage,
            formats,
            jobs,
            meanwhile=meanwhile,
            early_map=early_map,
            figures=figures,
        )
        if takes is not None:
            note = plots_source(results) + f" · levers {takes.levers_file}"
            drawn.append(draw_levers(takes, stage, formats, note))
        files += [f for fig in drawn for f in fig.files]
        final = dataclasses.replace(made[0], files=tuple(files))
        say("writing the report")
        ctx = report_context(results, final, takes)
        ctx["more_figures"] = left_out(results, figures)
        # from the folder itself: the report does not depend on where it was written
        ctx["more_figures_command"] = "corridorsim plot . --figures all"
        _reports(stage, "report", ctx, drawn)
        _json(stage / "summary.json", final.to_json())

    _commit(out, fill)
    return out


def _reports(folder: Path, name: str, ctx: dict[str, Any], drawn: Sequence[Figure]) -> None:
    """``name.md`` (the plots linked) and ``name.html`` (the plots inlined)."""
    env = templates()
    md = [{"title": f.title, "src": f.png} for f in drawn]
    html = [{"title": f.title, "src": f.data_uri(folder)} for f in drawn]
    for suffix, figs in (("md", md), ("html", html)):
        text = env.get_template(f"{name}.{suffix}.j2").render(**ctx, figures=figs)
        (folder / f"{name}.{suffix}").write_text(text, encoding="utf-8")


def write_compare(
    comparison: Comparison,
    out: Path,
    *,
    force: bool = False,
    formats: Sequence[str] = DEFAULT_FORMATS,
    jobs: int = 1,
) -> Path:
    """Write compare.json, the comparison plots and reports into ``out``.

    Raises
    ------
    OutputError
        If ``out`` holds another comparison's output or other files (unless ``force``).
    """
    guard(out, "compare.json", comparison.name, force)

    def fill(stage: Path) -> None:
        figures = draw_compare_plots(comparison.results, stage, formats, jobs)
        md, html = render_compare(
            comparison,
            [{"title": f.title, "src": f.png} for f in figures],
            [{"title": f.title, "src": f.data_uri(stage)} for f in figures],
        )
        _json(stage / "compare.json", comparison.to_json())
        (stage / "report.md").write_text(md, encoding="utf-8")
        (stage / "report.html").write_text(html, encoding="utf-8")

    _commit(out, fill)
    return out


def write_plots(
    results: Results,
    folder: Path,
    formats: Sequence[str] = DEFAULT_FORMATS,
    jobs: int = 1,
    figures: str = "all",
) -> list[str]:
    """Redraw the plots of a results folder (every one, or ``figures="default"``) into
    its ``plots/`` (replaced whole), by ``jobs`` processes (the files do not depend on
    it)."""
    target = folder / "plots"
    drawn: list[str] = []

    def fill(stage: Path) -> None:
        drawn_now = draw_run_plots(results, stage, formats, jobs, figures=figures)
        # draw_run_plots writes into stage/plots; lift them to the stage itself
        for f in drawn_now:
            for rel in f.files:
                (stage / rel).rename(stage / Path(rel).name)
                drawn.append(str(target / Path(rel).name))
        (stage / "plots").rmdir()

    _commit(target, fill)
    return drawn


def write_sweep(
    table: Any, meta: dict[str, Any], out: Path, *, force: bool = False, cache: Path | None = None
) -> list[str]:
    """A sweep's folder: ``sweep.csv`` and ``sweep.parquet`` (one row per variant and
    flow), ``sweep.json`` (what was varied, seed, replications, runs reused, failures),
    ``response.png`` when one or two numeric parameters were varied, the report
    (``sweep.md``, ``sweep.html``) and ``runs/`` (the finished runs, moved from
    ``cache``, for the next sweep to reuse); all at once, or nothing. Returns the files
    written."""
    from corridorsim.plots.common import save
    from corridorsim.plots.response import plot_response, responds_to
    from corridorsim.report.sweep import write_sweep_report

    guard(out, "sweep.json", meta["scenario"], force)
    files = ["sweep.csv", "sweep.parquet", "sweep.json", "sweep.md", "sweep.html"]

    def fill(stage: Path) -> None:
        table.to_csv(stage / "sweep.csv", index=False)
        table.to_parquet(stage / "sweep.parquet", index=False)
        design = meta.get("design", "grid")
        axes = responds_to(table, list(meta["vary"]), design)
        figure = None
        if axes:
            fig = plot_response(table, axes, meta["target_hours"] / 24, design)
            save(fig.axes[0], str(stage / "response"), formats=("png",))
            files.append("response.png")
            figure = "response.png"
        _json(stage / "sweep.json", {**meta, "files": files})
        write_sweep_report(table, meta, stage, figure)
        _keep_runs(cache, stage)

    _commit(out, fill)
    return files


def _keep_runs(cache: Path | None, stage: Path) -> None:
    if cache is not None and cache.is_dir():
        os.replace(cache, stage / "runs")


def write_levers(
    one: Any,
    path: Any,
    meta: dict[str, Any],
    out: Path,
    *,
    force: bool = False,
    cache: Path | None = None,
) -> None:
    """A levers folder: ``levers.csv`` (each lever alone), ``path.csv`` (applied one
    after another), ``levers.json``, ``levers.png`` and ``runs/`` (the finished runs,
    moved from ``cache``); all at once, or nothing."""
    from corridorsim.plots.common import save
    from corridorsim.plots.levers import plot_levers

    guard(out, "levers.json", meta["scenario"], force)

    def fill(stage: Path) -> None:
        one.to_csv(stage / "levers.csv", index=False)
        path.to_csv(stage / "path.csv", index=False)
        note = (
            f"corridorsim · scenario {meta['base']} · seed {meta['seed']} · "
            f"{meta['replications']} replications a run · levers {meta['levers_file']}"
        )
        fig = plot_levers(one, path, meta["target_hours"] / 24, meta["flow"], note)
        save(fig.axes[0], str(stage / "levers"), formats=("png",))
        files = ["levers.csv", "path.csv", "levers.json", "levers.png"]
        _json(stage / "levers.json", {**meta, "files": files})
        _keep_runs(cache, stage)

    _commit(out, fill)
