"""The ``corridorsim`` command line: parsing and printing only; the work is in the API."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from corridorsim._version import __version__
from corridorsim.cli import commands, what_it_takes
from corridorsim.cli.options import (
    _batch_options,
    _figures_option,
    _jobs_option,
    _output_options,
    _positive_int,
    _replications,
    _routes_k,
    _run_options,
    _simulation_options,
)
from corridorsim.errors import CorridorSimError

__all__ = ["console", "main"]


class Terminated(BaseException):
    """``SIGTERM`` arrived: unwind like Ctrl-C, so partial output is removed."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 for a bad input; 130 after Ctrl-C
    and 143 after ``SIGTERM``, with no partial output left behind)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if threading.current_thread() is not threading.main_thread():
        return _dispatch(args)  # only the main thread may handle signals
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return _dispatch(args)
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def console() -> None:
    """The ``corridorsim`` console script: :func:`main`, then leave at once. Every file
    is closed and every worker joined by then, and the standard streams are flushed
    here; what would remain is the interpreter freeing each module and object one by
    one (pandas, pyarrow, matplotlib: 0.2–0.4 s a run, more than a small simulation),
    which the operating system does at once."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # closed, or a pipe whose reader left
            code = code or 1
    os._exit(code)


def _say_which_scenarios(args: argparse.Namespace) -> None:
    """A note for each scenario argument that names both a file here and a built-in."""
    from corridorsim.scenario.loader import scenario_note

    given = [getattr(args, "scenario", None), *(getattr(args, "scenarios", None) or [])]
    if getattr(args, "network_file", False) is False:
        given += getattr(args, "files", None) or []
    for arg in given:
        note = scenario_note(arg) if isinstance(arg, str | Path) else None
        if note:
            print(f"note: {note}", file=sys.stderr)


def _dispatch(args: argparse.Namespace) -> int:
    try:
        _say_which_scenarios(args)
        return int(args.func(args) or 0)
    except CorridorSimError as exc:
        print(f"error: {exc}" if "\n" not in str(exc) else f"error:\n{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("terminated", file=sys.stderr)
        return 143
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    except OSError as exc:  # the file system refused: say where and why, no traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2 if exc.errno in _PATH_ERRORS else 1


_PATH_ERRORS = frozenset(
    {
        errno.EACCES,
        errno.EPERM,
        errno.EROFS,
        errno.ENOENT,
        errno.ENOTDIR,
        errno.EISDIR,
        errno.EEXIST,
        errno.ENAMETOOLONG,
        errno.ELOOP,
    }
)
"""OS errors that come from the paths given (exit 2); others, such as a full disk, exit 1."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="corridorsim",
        description="Simulate freight on the Trans-Afghan corridor and compare transit times "
        "with the five-day goal.",
    )
    p.add_argument("--version", action="version", version=f"corridorsim {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _run_parsers(sub)
    _what_it_takes_parsers(sub)
    _other_parsers(sub)
    return p


def _run_parsers(sub: Any) -> None:
    """``run`` and ``compare``: the commands that simulate."""
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
    run.add_argument(
        "--levers",
        metavar="FILE",
        help="a levers file (e.g. scenarios/levers/western-rail.yaml): when a flow misses "
        "the target, the report says what it would take, lever by lever",
    )
    _output_options(run)
    _figures_option(run, "default")
    run.set_defaults(func=commands.cmd_run)

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
    _output_options(cmp_, tables=False)
    cmp_.set_defaults(func=commands.cmd_compare)


def _what_it_takes_parsers(sub: Any) -> None:
    """``sweep``, ``goal-seek`` and ``levers``: many runs of one scenario with fields
    changed."""
    _sweep_parser(sub)
    _goal_seek_parser(sub)
    _levers_parser(sub)


def _sweep_parser(sub: Any) -> None:
    swp = sub.add_parser(
        "sweep",
        help="run a scenario with fields set to each of several values (common random numbers)",
    )
    swp.add_argument("scenario", metavar="SCENARIO", help="scenario file")
    swp.add_argument(
        "--vary",
        action="append",
        required=True,
        metavar="PATH=V1,V2|LO:HI:N",
        help="a field in the file's own terms (e.g. borders.crossings.chaman.rail.exit."
        "processing_hours) and its values; repeat for a grid of every combination",
    )
    swp.add_argument(
        "--design",
        choices=("grid", "lhs"),
        default="grid",
        help="every combination (grid, default) or a Latin hypercube of --samples points "
        "(lhs: give ranges as PATH=LO:HI)",
    )
    swp.add_argument(
        "--samples", type=_positive_int, default=20, metavar="N", help="points of an lhs design"
    )
    _run_options(swp, "default: every core, each running whole replications of variants")
    _batch_options(swp)
    swp.add_argument(
        "--replications", type=_positive_int, metavar="N", help="replications per variant"
    )
    swp.set_defaults(func=what_it_takes.cmd_sweep)


def _goal_seek_parser(sub: Any) -> None:
    gs = sub.add_parser(
        "goal-seek",
        help="find the value of one field at which a flow meets a target (bisection)",
    )
    gs.add_argument("scenario", metavar="SCENARIO", help="scenario file")
    gs.add_argument(
        "--vary", required=True, metavar="PATH=LO:HI", help="the field and the range to search"
    )
    gs.add_argument(
        "--target",
        required=True,
        metavar="EXPR",
        help="p90<=120h, mean<=5d, share>=80%% or market>=50%% (the flow's share of its "
        "market against --against)",
    )
    gs.add_argument("--flow", metavar="ID", help="the flow to meet it (default: the first)")
    gs.add_argument(
        "--against",
        nargs="+",
        default=(),
        metavar="SCENARIO",
        help="for a market target: the alternatives between the same places, each run once",
    )
    gs.add_argument(
        "--steps", type=_positive_int, default=8, metavar="N", help="halvings of the range"
    )
    gs.add_argument("--replications", type=_positive_int, metavar="N", help="per point")
    _simulation_options(gs, "default: every core")
    _batch_options(gs, cache=False)
    gs.set_defaults(func=what_it_takes.cmd_goal_seek)


def _levers_parser(sub: Any) -> None:
    lv = sub.add_parser(
        "levers",
        help="rank levers by the days they save at p90, and apply them one after another",
    )
    lv.add_argument("scenario", metavar="SCENARIO", help="scenario file (the baseline)")
    lv.add_argument(
        "--levers",
        required=True,
        metavar="FILE",
        help="levers file (e.g. scenarios/levers/western-rail.yaml)",
    )
    lv.add_argument("--flow", metavar="ID", help="the flow to rank them for (default: the first)")
    lv.add_argument(
        "--against",
        nargs="+",
        default=(),
        metavar="SCENARIO",
        help="alternatives between the same places: also rank the levers by the market "
        "share they gain (the flow needs freight_rates)",
    )
    _run_options(lv, "default: every core, each running whole replications of levers")
    _batch_options(lv)
    lv.add_argument("--replications", type=_positive_int, metavar="N", help="per run")
    lv.set_defaults(func=what_it_takes.cmd_levers)


def _other_parsers(sub: Any) -> None:
    """``network``, ``scenarios``, ``validate``, ``plot``, the calibrations and ``schema``."""
    net = sub.add_parser("network", help="summarise the network and the scenario's routes")
    net.add_argument("scenario", nargs="?", help="scenario YAML file (default: built-in)")
    net.add_argument(
        "-k", type=_routes_k, default=3, help="candidate routes per flow, 1 to 20 (default 3)"
    )
    net.add_argument(
        "--as-if-built", action="store_true", help="also use planned and under-construction links"
    )
    net.set_defaults(func=commands.cmd_network)

    scn = sub.add_parser(
        "scenarios",
        help="list the built-in scenarios (their names work wherever a file is expected)",
    )
    scn.set_defaults(func=commands.cmd_scenarios)

    val = sub.add_parser("validate", help="check scenario files; exit 2 if any is bad")
    val.add_argument("files", nargs="+", help="scenario YAML files")
    val.add_argument(
        "--network-file", action="store_true", help="the files are network files, not scenarios"
    )
    val.set_defaults(func=commands.cmd_validate)

    plot = sub.add_parser("plot", help="redraw every plot of a results folder")
    plot.add_argument(
        "results_dir", type=Path, metavar="RESULTS_DIR", help="a folder written by corridorsim run"
    )
    _output_options(plot, tables=False)
    _figures_option(plot, "all")
    _jobs_option(plot, "default: every core")
    plot.set_defaults(func=commands.cmd_plot)
    _calibration_parsers(sub)

    sch = sub.add_parser("schema", help="write the JSON Schema of scenario files")
    sch.add_argument("-o", "--output", help="file to write (default: standard output)")
    sch.set_defaults(func=commands.cmd_schema)


def _calibration_parsers(sub: Any) -> None:
    """``calibrate``, ``calibrate-closures`` and ``calibrate-journeys``."""
    cal = sub.add_parser(
        "calibrate",
        help="solve border posts' processing times from observed crossing times",
    )
    cal.add_argument(
        "--targets", metavar="FILE", help="calibration targets (default: the shipped ones)"
    )
    cal.add_argument(
        "-o", "--output", metavar="FILE", help="file to write (default: standard output)"
    )
    cal.add_argument(
        "--check",
        action="store_true",
        help="compare with the shipped calibrated_posts.yaml; exit 1 if they differ",
    )
    _jobs_option(cal, "default: every core, one target each at a time")
    cal.set_defaults(func=commands.cmd_calibrate)

    for name, shipped, what, func in (
        (
            "calibrate-closures",
            "calibrated_closures.yaml",
            "fit the closure process of Torkham and Chaman to the observed record",
            commands.cmd_calibrate_closures,
        ),
        (
            "calibrate-journeys",
            "calibrated_journeys.yaml",
            "fit the share of average border and stop delays a TIR truck incurs to the "
            "TIR runs on record",
            commands.cmd_calibrate_journeys,
        ),
    ):
        fit = sub.add_parser(name, help=what)
        _output_and_check(fit, shipped)
        fit.set_defaults(func=func)


def _output_and_check(parser: Any, shipped: str) -> None:
    """``-o FILE`` and ``--check`` against the shipped file ``shipped``."""
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="file to write (default: standard output)"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"compare with the shipped {shipped}; exit 1 if they differ",
    )


# --- commands --------------------------------------------------------------------------
