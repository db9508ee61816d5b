"""The ``corridorsim`` command line: parsing and printing only; the work is in the API."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from corridorsim import __version__
from corridorsim.errors import CorridorSimError
from corridorsim.network.load import load_network
from corridorsim.network.routes import Route, candidate_routes
from corridorsim.scenario.loader import load_scenario
from corridorsim.scenario.schema import scenario_json_schema

__all__ = ["main"]

ALL_STATUSES = ("operating", "under_construction", "planned")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 for a bad input file)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CorridorSimError as exc:
        print(f"error: {exc}" if "\n" not in str(exc) else f"error:\n{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. piped into `head`
        return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="corridorsim",
        description="Simulate freight on the Trans-Afghan corridor and compare transit times "
        "with the five-day goal.",
    )
    p.add_argument("--version", action="version", version=f"corridorsim {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run a scenario (default: the built-in western rail one)")
    run.add_argument("scenario", nargs="?", help="scenario YAML file")
    _run_options(run)
    run.add_argument(
        "--replications",
        type=_replications,
        metavar="N|auto",
        help="replications, or 'auto' to add them until every flow's 95%% CI "
        "half-width is under 2%% of its mean",
    )
    run.add_argument(
        "--max-replications",
        type=_positive_int,
        default=100,
        metavar="N",
        help="cap for --replications auto (default 100)",
    )
    run.set_defaults(func=_cmd_run)

    cmp_ = sub.add_parser(
        "compare", help="run scenarios with common random numbers and compare them with the first"
    )
    cmp_.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="two or more files")
    _run_options(cmp_)
    cmp_.add_argument(
        "--replications",
        type=_positive_int,
        metavar="N",
        help="replications per scenario (default: the first scenario's)",
    )
    cmp_.set_defaults(func=_cmd_compare)

    net = sub.add_parser("network", help="summarise the network and the scenario's routes")
    net.add_argument("scenario", nargs="?", help="scenario YAML file (default: built-in)")
    net.add_argument("-k", type=int, default=3, help="candidate routes per flow (default 3)")
    net.add_argument(
        "--as-if-built", action="store_true", help="also use planned and under-construction links"
    )
    net.set_defaults(func=_cmd_network)

    val = sub.add_parser("validate", help="check scenario files; exit 2 if any is bad")
    val.add_argument("files", nargs="+", help="scenario YAML files")
    val.add_argument(
        "--network-file", action="store_true", help="the files are network files, not scenarios"
    )
    val.set_defaults(func=_cmd_validate)

    plot = sub.add_parser("plot", help="redraw every plot of a results folder")
    plot.add_argument(
        "results_dir", type=Path, metavar="RESULTS_DIR", help="a folder written by corridorsim run"
    )
    plot.set_defaults(func=_cmd_plot)

    sch = sub.add_parser("schema", help="write the JSON Schema of scenario files")
    sch.add_argument("-o", "--output", help="file to write (default: standard output)")
    sch.set_defaults(func=_cmd_schema)
    return p


# --- commands --------------------------------------------------------------------------


def _run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--out", type=Path, metavar="DIR", help="output folder (default: results/<scenario name>/)"
    )
    p.add_argument("--seed", type=_nonneg_int, metavar="S", help="override the seed")
    p.add_argument(
        "--jobs",
        type=_positive_int,
        default=1,
        metavar="N",
        help="processes to use (results do not depend on it)",
    )
    p.add_argument(
        "--horizon-days", type=_positive_float, metavar="D", help="override the simulated horizon"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--force", action="store_true", help="replace an output folder that holds other results"
    )


def _int_at_least(minimum: int):
    """An argparse type: a whole number no smaller than ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum} (got {value})")
        return value

    return parse


_positive_int = _int_at_least(1)
_nonneg_int = _int_at_least(0)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive (got {text})")
    return value


def _replications(text: str) -> int | str:
    return "auto" if text == "auto" else _positive_int(text)


class _Progress:
    """A progress bar over replications on a terminal; nothing otherwise."""

    def __init__(self, label: str, total: int, enabled: bool):
        self.enabled = enabled
        self.bar = None
        if enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.task = self.bar.add_task(label, total=total)

    def __enter__(self) -> _Progress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done, total=total)


def _console() -> Console:
    # off a terminal (pipes, files, CI logs) rich would wrap at 80 columns
    return Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 120)


def _show_progress(args: argparse.Namespace) -> bool:
    return not args.quiet and sys.stderr.isatty()


def _cmd_run(args: argparse.Namespace) -> int:
    from corridorsim.experiments import run, run_auto, with_settings
    from corridorsim.report import check_out_dir, default_out_dir, write_run
    from corridorsim.results import summarize

    loaded = load_scenario(args.scenario)
    loaded = with_settings(loaded, horizon_days=args.horizon_days, seed=args.seed)
    sc = loaded.scenario
    out = args.out or default_out_dir(sc.name)
    check_out_dir(out, sc.name, force=args.force)
    notes: list[str] = []
    if args.replications == "auto":
        with _Progress(
            f"{sc.name}: replications (auto)", args.max_replications, _show_progress(args)
        ) as bar:
            results, reached = run_auto(
                loaded, cap=args.max_replications, jobs=args.jobs, progress=bar
            )
        how = "reached" if reached else "NOT reached"
        notes.append(
            f"--replications auto: {results.replications} replications run; 95% CI "
            f"half-width under 2% of the mean for every flow {how}"
        )
    else:
        reps = args.replications or sc.simulation.replications
        with _Progress(f"{sc.name}: replications", reps, _show_progress(args)) as bar:
            results = run(loaded, replications=reps, jobs=args.jobs, progress=bar)
    summary = summarize(results, warnings=notes)
    write_run(results, summary, out, force=args.force)
    _print_summary(summary)
    print(f"results written to {out}/ (summary.json, report.html, report.md, plots/, tables)")
    return 0


def _print_summary(summary: dict) -> None:
    from rich.table import Table

    console = _console()
    t = summary["target_hours"]
    pct = summary["target_percentile"]
    table = Table(
        title=f"{summary['scenario']}: transit days against {t / 24:g} days "
        f"(p{pct:g}), {summary['replications']} replications, seed "
        f"{summary['seed']}"
    )
    for col in (
        "flow",
        "TEU delivered",
        "mean ± 95% CI",
        "p50",
        "p90",
        "p95",
        f"within {t / 24:g} days",
    ):
        table.add_column(col, justify="left" if col == "flow" else "right")
    for f in summary["flows"]:
        th = f.get("transit_hours")
        if th is None:
            table.add_row(f["flow"], "0", "–", "–", "–", "–", "–")
            continue
        ci = th["mean_ci95"]
        share = f["share_within_target"]
        share_txt = f"{share['mean']:.0%}" + (
            f" ± {share['ci95']:.0%}" if share["ci95"] is not None else ""
        )
        table.add_row(
            f["flow"],
            f"{f['teu_delivered']:,.0f}",
            f"{th['mean'] / 24:.2f}" + (f" ± {ci / 24:.2f}" if ci is not None else ""),
            f"{th['p50'] / 24:.2f}",
            f"{th['p90'] / 24:.2f}",
            f"{th['p95'] / 24:.2f}",
            share_txt,
        )
    console.print(table)
    for f in summary["flows"]:
        console.print(f"{f['flow']}: {f['verdict']}")
    for w in summary.get("warnings", []):
        console.print(f"warning: {w}")


def _cmd_compare(args: argparse.Namespace) -> int:
    from corridorsim.experiments import run, with_settings
    from corridorsim.report import check_out_dir, compare_summaries, write_compare
    from corridorsim.results import summarize

    if len(args.scenarios) < 2:
        raise CorridorSimError("compare needs at least two scenario files")
    loaded = [load_scenario(p) for p in args.scenarios]
    names = [x.scenario.name for x in loaded]
    if len(set(names)) != len(names):
        raise CorridorSimError(f"scenario names must differ to compare them (got {names})")
    first = loaded[0].scenario.simulation
    seed = first.seed if args.seed is None else args.seed
    reps = args.replications or first.replications
    key = "compare:" + ",".join(names)
    out = args.out or Path("results") / ("compare-" + "-vs-".join(names))
    check_out_dir(out, key, compare=True, force=args.force)
    all_results, summaries = [], []
    for ls in loaded:
        ls = with_settings(ls, horizon_days=args.horizon_days, seed=seed, replications=reps)
        with _Progress(f"{ls.scenario.name}: replications", reps, _show_progress(args)) as bar:
            res = run(ls, jobs=args.jobs, progress=bar)
        all_results.append(res)
        summaries.append(summarize(res))
    comparison = compare_summaries(all_results, summaries)
    write_compare(comparison, all_results, out, force=args.force)
    _print_compare(comparison)
    print(f"comparison written to {out}/ (compare.json, report.html, report.md, plots/)")
    return 0


def _print_compare(c: dict) -> None:
    from rich.table import Table

    console = _console()
    table = Table(
        title=f"transit days, seed {c['seed']}, {c['replications']} replications "
        "each (common random numbers)"
    )
    for col in ("scenario", "flow", "mean ± 95% CI", "p90", "within target"):
        table.add_column(col, justify="left" if col in ("scenario", "flow") else "right")
    for s in c["scenarios"]:
        for f in s["flows"]:
            th = f.get("transit_hours")
            if th is None:
                table.add_row(s["scenario"], f["flow"], "–", "–", "–")
                continue
            ci = th["mean_ci95"]
            table.add_row(
                s["scenario"],
                f["flow"],
                f"{th['mean'] / 24:.2f}" + (f" ± {ci / 24:.2f}" if ci is not None else ""),
                f"{th['p90'] / 24:.2f}",
                f"{f['share_within_target']['mean']:.0%}",
            )
    console.print(table)
    for d in c["differences"]:
        ci = d["mean_transit_hours_diff_ci95"]
        console.print(
            f"{d['scenario']} vs {d['baseline']}, {d['flow']}: mean transit "
            f"{d['mean_transit_hours_diff']:+.1f} h"
            + (f" (± {ci:.1f})" if ci is not None else "")
            + f", p90 {d['p90_hours_diff']:+.1f} h, within target "
            f"{d['share_within_target_diff']:+.0%}"
        )


def _cmd_plot(args: argparse.Namespace) -> int:
    from corridorsim.report.store import load_results
    from corridorsim.report.writer import write_plots

    results = load_results(args.results_dir)
    paths = write_plots(results, args.results_dir)
    for p in paths:
        print(p)
    return 0


def _cmd_network(args: argparse.Namespace) -> int:
    loaded = load_scenario(args.scenario)
    net = loaded.network
    s = net.summary()
    print(f"network of scenario {loaded.scenario.name} ({loaded.scenario.network.file})")
    print(
        f"  {s['nodes']} nodes ({_kv(s['nodes_by_country'])}), {s['links']} links, "
        f"{s['crossings']} border crossings, {s['terminals']} terminals"
    )
    for mode, per in s["km_by_mode_and_status"].items():  # type: ignore[union-attr]
        print(f"  {mode}: " + ", ".join(f"{st} {km:,.0f} km" for st, km in per.items()))
    statuses = ALL_STATUSES if args.as_if_built else ("operating",)
    for flow in loaded.scenario.demand:
        print(
            f"\nflow {flow.name}: {flow.origin} → {flow.destination} "
            f"(modes: {', '.join(flow.modes)})"
        )
        try:
            routes = candidate_routes(
                net, flow.origin, flow.destination, k=args.k, modes=flow.modes, statuses=statuses
            )
        except CorridorSimError as exc:
            print(f"  {exc}")
            continue
        print(
            f"  {'#':>2} {'km':>6} {'run h':>6} {'border h':>8} {'transfer h':>10} "
            f"{'total h':>7} {'days':>5}  route"
        )
        for i, r in enumerate(routes, 1):
            print(
                f"  {i:>2} {r.distance_km:>6,.0f} {r.running_hours:>6.1f} {r.border_hours:>8.1f} "
                f"{r.transfer_hours:>10.1f} {r.expected_hours:>7.1f} "
                f"{r.expected_hours / 24:>5.2f}  {_route_line(r)}"
            )
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    failed = 0
    for f in args.files:
        try:
            if args.network_file:
                net = load_network(f)
                print(f"{f}: ok ({len(net.nodes)} nodes, {len(net.links)} links)")
            else:
                loaded = load_scenario(f)
                print(
                    f"{f}: ok (scenario {loaded.scenario.name}, "
                    f"{len(loaded.scenario.demand)} flows)"
                )
        except CorridorSimError as exc:
            print(str(exc), file=sys.stderr)
            failed += 1
    if failed:
        print(f"{failed} of {len(args.files)} files have errors", file=sys.stderr)
        return 2
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    schema = scenario_json_schema()
    text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        _write_atomic(Path(args.output), text)
        print(f"wrote {args.output}")
    return 0


# --- helpers -----------------------------------------------------------------------------


def _kv(d: object) -> str:
    assert isinstance(d, dict)
    return ", ".join(f"{k} {v}" for k, v in d.items())


def _route_line(r: Route) -> str:
    bits = [r.label, f"{r.distance_km:,.0f} km"]
    if r.crossings:
        bits.append("borders: " + ", ".join(f"{c} ({m})" for c, m in r.crossings))
    if r.gauge_breaks:
        bits.append(
            "gauge breaks: "
            + ", ".join(f"{b.node} {b.from_gauge}→{b.to_gauge}" for b in r.gauge_breaks)
        )
    if r.mode_changes:
        bits.append("rail/road transfers: " + ", ".join(m.node for m in r.mode_changes))
    return "; ".join(bits)


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
