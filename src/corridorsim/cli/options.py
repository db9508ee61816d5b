"""The options several commands share, and the checks of their values (each error
names the option and what it accepts)."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from corridorsim.errors import CorridorSimError

__all__: list[str] = []  # for the command-line parser in corridorsim.cli only


def _jobs_option(p: argparse.ArgumentParser, default_help: str) -> None:
    p.add_argument(
        "--jobs",
        type=_positive_int,
        default=None,
        metavar="N",
        help=f"processes to use (results do not depend on it; {default_help})",
    )


def _simulation_options(p: argparse.ArgumentParser, jobs_help: str) -> None:
    """``--seed``, ``--jobs`` and ``--horizon-days``."""
    p.add_argument("--seed", type=_nonneg_int, metavar="S", help="override the seed")
    _jobs_option(p, jobs_help)
    p.add_argument(
        "--horizon-days", type=_positive_float, metavar="D", help="override the simulated horizon"
    )


def _run_options(
    p: argparse.ArgumentParser,
    jobs_help: str = "default: every core, for the replications and then the plots",
) -> None:
    p.add_argument(
        "--out", type=Path, metavar="DIR", help="output folder (default: results/<scenario name>/)"
    )
    _simulation_options(p, jobs_help)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--force",
        action="store_true",
        help="replace an output folder that holds other results; run even when the "
        "estimated memory exceeds what is free",
    )


def _scheduler(text: str) -> str:
    """A Dask scheduler's address, checked for its form before anything runs."""
    from corridorsim.workers import checked_address

    try:
        return checked_address(text)
    except CorridorSimError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix(f"--scheduler {text}: ")) from None


def _batch_options(p: argparse.ArgumentParser, cache: bool = True) -> None:
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        type=_scheduler,
        help="run on a Dask distributed cluster (e.g. tcp://10.0.0.5:8786); needs "
        'pip install "corridorsim[dask]"; results are the same as on this machine',
    )
    if cache:
        p.add_argument(
            "--fresh",
            action="store_true",
            help="run everything again (by default runs finished before, kept in OUT/runs, "
            "are reused: an interrupted sweep resumes)",
        )
    else:
        p.set_defaults(fresh=False)


def _figures_option(p: argparse.ArgumentParser, default: str) -> None:
    p.add_argument(
        "--figures",
        choices=("default", "all"),
        default=default,
        help="plots to draw: default = transit CDF, where the time goes, corridor map; "
        "all = also time-distance and cost-distance per flow and queues over time "
        f"(default: {default})",
    )


def _output_options(p: argparse.ArgumentParser, tables: bool = True) -> None:
    p.add_argument(
        "--formats",
        type=_formats,
        default=("png",),
        metavar="png[,svg]",
        help="plot files to write (default png; the HTML report embeds the PNGs)",
    )
    if tables:
        p.add_argument(
            "--csv", action="store_true", help="also write containers.csv (Parquet always)"
        )


def _formats(text: str) -> tuple[str, ...]:
    """``png,svg`` -> ("png", "svg"); PNG is always drawn."""
    wanted = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in wanted if f not in ("png", "svg")]
    if bad:
        raise argparse.ArgumentTypeError(f"unknown format {bad[0]!r}; choose from png, svg")
    return ("png", *(["svg"] if "svg" in wanted else []))


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


def _routes_k(text: str) -> int:
    k = _positive_int(text)
    if k > 20:
        raise argparse.ArgumentTypeError(f"must be at most 20 (got {k})")
    return k


_nonneg_int = _int_at_least(0)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number (got {text})")
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive (got {text})")
    return value


def _replications(text: str) -> int | str:
    return "auto" if text == "auto" else _positive_int(text)
