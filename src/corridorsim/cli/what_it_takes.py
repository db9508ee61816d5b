"""The "what it takes" commands: ``sweep``, ``goal-seek`` and ``levers``. Each runs many
variants of one scenario as one batch of runs (replications of every variant spread over
the worker processes, or a Dask cluster with ``--scheduler``)."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

from corridorsim.cli.show import Progress
from corridorsim.errors import CorridorSimError

__all__ = ["cmd_goal_seek", "cmd_levers", "cmd_sweep", "what_it_takes"]


def _bar(args: argparse.Namespace, label: str) -> Progress:
    return Progress(label, 1, not args.quiet and sys.stderr.isatty())


def _batch_args(args: argparse.Namespace, replications: int, out: Path | None) -> dict[str, Any]:
    """What every command passes to the runs: replications, seed, horizon, where they
    run, and the cache of finished runs (``OUT/runs``; ``--fresh`` empties it first)."""
    cache = None if out is None else out / "runs"
    if cache is not None and args.fresh:
        shutil.rmtree(cache, ignore_errors=True)
    return {
        "replications": replications,
        "seed": args.seed,
        "jobs": args.jobs or auto_jobs_for(replications),
        "horizon_days": args.horizon_days,
        "scheduler": args.scheduler,
        "cache": cache,
    }


def _report_failures(batch: Any, settings: Any) -> int:
    """Print each failed run to standard error; 1 if any failed, else 0."""
    for v, r, error in batch.failures:
        shown = ", ".join(f"{p}={x}" for p, x in settings[v].items()) or "the base scenario"
        print(f"run failed: variant {v} ({shown}), replication {r}: {error}", file=sys.stderr)
    if batch.failures:
        print(
            f"{len(batch.failures)} runs failed; the others finished and are written "
            "(their variants' rows carry the error)",
            file=sys.stderr,
        )
    return 1 if batch.failures else 0


def _import_sweep_writer() -> None:
    import corridorsim.report.writer  # noqa: F401  (matplotlib with it)


def cmd_sweep(args: argparse.Namespace) -> int:
    import numpy as np

    from corridorsim.report.out_dir import check_out_dir, default_out_dir
    from corridorsim.scenario.loader import load_scenario
    from corridorsim.sweeps import parse_vary, sweep

    varies = [parse_vary(v, args.design) for v in args.vary]
    loaded = load_scenario(args.scenario)
    name = f"{loaded.scenario.name}-sweep"
    out = args.out or default_out_dir(name)
    check_out_dir(out, name, force=args.force, inputs=[loaded.path], marker="sweep.json")
    seed = args.seed if args.seed is not None else loaded.scenario.simulation.seed
    reps = args.replications or loaded.scenario.simulation.replications
    with _bar(args, f"{name}: runs") as bar:
        swept = sweep(
            loaded.path,
            varies,
            design=args.design,
            samples=args.samples,
            design_rng=np.random.default_rng(seed),
            progress=bar,
            meanwhile=_import_sweep_writer,  # while the workers simulate
            **_batch_args(args, reps, out),
        )
    from corridorsim.report.writer import write_sweep
    from corridorsim.spread import spread_notes

    notes = spread_notes(loaded, varies)
    meta = {
        "scenario": name,
        "base": loaded.scenario.name,
        "seed": seed,
        "replications": reps,
        "target_hours": loaded.scenario.target.hours,
        "design": args.design,
        "vary": {path: list(values) for path, values in varies},
        "runs": {"total": len(swept.settings) * reps, "reused": swept.batch.reused},
        "failures": [
            {"variant": v, "replication": r, "error": e} for v, r, e in swept.batch.failures
        ],
        "notes": notes,
    }
    files = write_sweep(swept.table, meta, out, force=args.force, cache=out / "runs")
    table = swept.table
    cols = [c for c in table.columns if c in {path for path, _ in varies}]
    shown = table[[*cols, "flow", "mean_days", "p90_days", "share_within_target"]]
    print(shown.to_string(index=False, float_format=lambda x: f"{x:.2f}"))
    if swept.batch.reused:
        print(f"{swept.batch.reused} of {meta['runs']['total']} runs reused from {out}/runs")
    for note in notes:
        print(f"note: {note}")
    print(f"sweep written to {out}/ ({', '.join(files)})")
    return _report_failures(swept.batch, swept.settings)


def _span(text: str) -> tuple[str, float, float]:
    """``PATH=LO:HI`` for goal-seek, read as a sweep reads a range."""
    from corridorsim.sweeps import parse_vary

    path, values = parse_vary(text, design="lhs")
    if ":" not in text.partition("=")[2] or len(values) != 2:
        raise CorridorSimError(f"--vary {text!r}: write PATH=LO:HI")
    return path, float(values[0]), float(values[1])


def cmd_goal_seek(args: argparse.Namespace) -> int:
    from corridorsim.goal_seeking import goal_seek, parse_target
    from corridorsim.scenario.loader import load_scenario

    path, lo, hi = _span(args.vary)
    target = parse_target(args.target)
    loaded = load_scenario(args.scenario)
    reps = args.replications or loaded.scenario.simulation.replications
    result = goal_seek(
        loaded.path,
        path,
        lo,
        hi,
        target,
        flow=args.flow,
        steps=args.steps,
        against=args.against,
        **_batch_args(args, reps, None),
    )
    for x, value, half in result.points:
        if value != value:  # NaN: no container of the flow delivered
            print(f"{path} = {x:g}: nothing delivered after the warm-up (misses)")
            continue
        met = "meets" if target.met(value) else "misses"
        full = result.saturated.get(x)
        note = f"; saturated: {full}, so the figure grows with the run's length" if full else ""
        print(f"{path} = {x:g}: {target.metric} {target.shown(value, half)} ({met}{note})")
    print(result.verdict)
    return 0


def cmd_levers(args: argparse.Namespace) -> int:
    from corridorsim.levers import rank_levers, read_levers
    from corridorsim.report.out_dir import check_out_dir, default_out_dir
    from corridorsim.report.writer import write_levers
    from corridorsim.scenario.loader import load_scenario

    levers = read_levers(args.levers)
    loaded = load_scenario(args.scenario)
    name = f"{loaded.scenario.name}-levers"
    out = args.out or default_out_dir(name)
    check_out_dir(
        out, name, force=args.force, inputs=[loaded.path, args.levers], marker="levers.json"
    )
    reps = args.replications or loaded.scenario.simulation.replications
    with _bar(args, f"{name}: runs") as bar:
        one, path = rank_levers(
            loaded.path,
            levers,
            flow=args.flow,
            against=args.against,
            progress=bar,
            **_batch_args(args, reps, out),
        )
    flow = args.flow or loaded.scenario.demand[0].name
    meta = {
        "scenario": name,
        "base": loaded.scenario.name,
        "flow": flow,
        "seed": args.seed if args.seed is not None else loaded.scenario.simulation.seed,
        "replications": reps,
        "target_hours": loaded.scenario.target.hours,
        "levers_file": str(args.levers),
    }
    write_levers(one, path, meta, out, force=args.force, cache=out / "runs")
    print(f"{flow}: baseline p90 {path['p90_days'].iloc[0]:.1f} days")
    for row in one.itertuples(index=False):
        print(
            f"  {row.lever}: saves {row.saved_p90_days:.1f} days at p90 on its own (95%: "
            f"{row.saved_p90_low_days:.1f} to {row.saved_p90_high_days:.1f})"
        )
    if "share_gained" in one:
        print(f"{flow}: by market share gained (against {', '.join(map(str, args.against))})")
        for row in one.sort_values("share_rank").itertuples(index=False):
            half = "" if row.share_ci95 != row.share_ci95 else f" ± {row.share_ci95:.1%}"
            print(f"  {row.lever}: share {row.share:.1%}{half}, {row.share_gained:+.1%} points")
    for row in path.itertuples(index=False):
        print(f"  step {row.step} {row.lever}: p90 {row.p90_days:.1f} days")
    print(f"levers written to {out}/ (levers.csv, path.csv, levers.json, levers.png)")
    return 0


def what_it_takes(args: argparse.Namespace, loaded: Any, summary: Any, reps: int) -> Any:
    """For ``run --levers FILE``: the levers ranked for the first flow that misses the
    target (None, with a note, when every flow meets it), with the run's seed,
    horizon and replications."""
    from corridorsim.levers import WhatItTakes, rank_levers, read_levers

    missing = [
        f.flow for f in summary.flows if f.transit_hours and not f.verdict.startswith("meets")
    ]
    if not missing:
        print(f"every flow meets its target: the levers of {args.levers} were not run")
        return None
    sc = loaded.scenario
    with _bar(args, f"{sc.name}: levers") as bar:
        one, path = rank_levers(
            loaded.path,
            read_levers(args.levers),
            flow=missing[0],
            replications=reps,
            seed=sc.simulation.seed,
            horizon_days=sc.simulation.horizon_days,
            jobs=args.jobs or auto_jobs_for(reps),
            progress=bar,
        )
    return WhatItTakes(missing[0], str(args.levers), sc.target.hours, one, path)


def auto_jobs_for(replications: int) -> int:
    """Processes for a batch: every core where workers fork (the runs of all variants
    share them, so even one replication per variant goes parallel)."""
    from corridorsim.experiments import auto_jobs

    return auto_jobs(max(replications, 8))
