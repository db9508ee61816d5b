"""Is the default number of processes ever slower than one, on a busy machine?

    python benchmarks/bench_busy.py [--pairs 5] [--burners N]

Starts ``N`` CPU-bound processes (default: as many as the cores this process may use),
then, interleaved, times as fresh processes ``corridorsim run`` with its default
``--jobs`` and with ``--jobs 1`` (the default scenario, ``--quiet``, each into its own
folder), checks that both wrote the same ``summary.json`` figures, and reports each
pair's ratio (``--jobs 1`` ÷ default: above 1 means the default was faster) with its
min and median. Goal: the default never slower than one process (median ratio ≥ 1).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXE = Path(sys.executable).with_name("corridorsim")


def _burn() -> None:  # pragma: no cover - runs in the burner processes
    x = 0
    while True:
        x = (x * 1103515245 + 12345) % 2147483648


def timed(out: Path, extra: list[str]) -> float:
    """Wall seconds of one ``corridorsim run`` process."""
    t0 = time.perf_counter()
    subprocess.run(
        [str(EXE), "run", "--quiet", "--out", str(out), *extra], check=True, capture_output=True
    )
    return time.perf_counter() - t0


def figures(folder: Path) -> list[object]:
    """The flows' numbers in a run's summary (the files name the run's folder too)."""
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    return [f["transit_hours"] for f in summary["flows"]]


def main() -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--burners", type=int, default=cores)
    a = ap.parse_args()
    burners = [multiprocessing.Process(target=_burn, daemon=True) for _ in range(a.burners)]
    for b in burners:
        b.start()
    ratios = []
    try:
        time.sleep(1.0)  # let the load settle
        with tempfile.TemporaryDirectory() as d:
            for n in range(a.pairs):
                default = timed(Path(d) / f"default{n}", [])
                one = timed(Path(d) / f"one{n}", ["--jobs", "1"])
                same = figures(Path(d) / f"default{n}") == figures(Path(d) / f"one{n}")
                assert same, "the results differ"
                ratios.append(one / default)
                print(
                    f"pair {n + 1}: default --jobs {default:5.2f} s, --jobs 1 {one:5.2f} s: "
                    f"{one / default:.2f}x, same results"
                )
    finally:
        for b in burners:
            b.kill()
    median = statistics.median(ratios)
    print(
        f"--jobs 1 / default with {a.burners} CPU burners on {cores} cores: min "
        f"{min(ratios):.2f}x, median {median:.2f}x (goal: default never slower, >= 1: "
        f"{'met' if median >= 1 else 'NOT met'}; load {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
