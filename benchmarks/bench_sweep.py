"""A sweep of 40 variants x 10 replications of the default scenario, as a user runs it
(``corridorsim sweep`` as a fresh process), on 1 worker and on 2: the speed-up of the
second over the first, and runs per second.

    python benchmarks/bench_sweep.py [--variants 40] [--replications 10] [--jobs 2] [--pairs 5]

Each pair, interleaved: the same sweep with ``--jobs 1`` (every run in the command's
own process) and with ``--jobs N`` (the runs spread over N forked workers), each in a
fresh output folder (no runs reused); their ``sweep.csv`` files are checked to be the
same bytes. Goal: at least 0.9 x N on N cores (1.8x on 2).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXE = Path(sys.executable).with_name("corridorsim")
WAIT = "operations.departure.max_wait_hours"


def timed(out: Path, variants: int, replications: int, jobs: int) -> float:
    """Wall seconds of one ``corridorsim sweep`` process."""
    args = [
        str(EXE),
        "sweep",
        "default",
        "--vary",
        f"{WAIT}=12:{12 + 4 * (variants - 1)}:{variants}",
    ]
    args += ["--replications", str(replications), "--jobs", str(jobs), "--quiet"]
    t0 = time.perf_counter()
    subprocess.run([*args, "--out", str(out)], check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", type=int, default=40)
    ap.add_argument("--replications", type=int, default=10)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--pairs", type=int, default=5)
    a = ap.parse_args()
    runs = a.variants * a.replications
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"sweep: {a.variants} variants x {a.replications} replications = {runs} runs; {cores} cores"
    )
    ratios = []
    with tempfile.TemporaryDirectory() as d:
        for n in range(a.pairs):
            one = timed(Path(d) / f"one{n}", a.variants, a.replications, 1)
            many = timed(Path(d) / f"many{n}", a.variants, a.replications, a.jobs)
            same = (Path(d) / f"one{n}" / "sweep.csv").read_bytes() == (
                Path(d) / f"many{n}" / "sweep.csv"
            ).read_bytes()
            assert same, "the tables differ"
            ratios.append(one / many)
            print(
                f"pair {n + 1}: 1 worker {one:6.1f} s ({runs / one:5.1f} runs/s), {a.jobs} "
                f"workers {many:6.1f} s ({runs / many:5.1f} runs/s): {one / many:.2f}x, "
                "sweep.csv identical"
            )
    goal = 0.9 * a.jobs
    speedup = statistics.median(ratios)
    print(
        f"speed-up on {a.jobs} workers: min {min(ratios):.2f}x, median {speedup:.2f}x "
        f"(goal >= {goal:.1f}x: {'met' if speedup >= goal else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
