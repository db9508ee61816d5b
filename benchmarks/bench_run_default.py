"""``corridorsim run`` with no arguments, as a user runs it: a fresh process, imports and
every output included, against the time of its simulation alone.

    python benchmarks/bench_run_default.py [--pairs 5]

Each pair, interleaved so that a change in the machine's load touches both alike:
  1. ``corridorsim run --quiet --out TMP`` as a new process: its wall time, and the CPU
     time of it and its workers;
  2. a new process that loads the default scenario and times only the simulation of its
     replications one after another (the model run to the horizon): the reference.
Reports each pair's ratio (whole command ÷ simulation) with its min and median. Goal:
the whole command within 3x its simulation.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXE = Path(sys.executable).with_name("corridorsim")

SIMULATION_ONLY = """
import time
from corridorsim.engine import CorridorModel, Plan
from corridorsim.scenario import load_scenario
plan = Plan.build(load_scenario())
total = 0.0
for r in range(plan.loaded.scenario.simulation.replications):
    t0 = time.perf_counter()
    CorridorModel(plan, replication=r).run()
    total += time.perf_counter() - t0
print(total)
"""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def whole_command(out: Path) -> tuple[float, float]:
    """Wall and CPU seconds (the process and its workers) of one ``corridorsim run``."""
    c0, t0 = _children_cpu(), time.perf_counter()
    subprocess.run([str(EXE), "run", "--quiet", "--out", str(out)], check=True, capture_output=True)
    return time.perf_counter() - t0, _children_cpu() - c0


def simulation() -> float:
    """Seconds of the default scenario's simulation, timed inside a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", SIMULATION_ONLY], check=True, capture_output=True, text=True
    )
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=5)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for n in range(args.pairs):
            wall, cpu = whole_command(Path(d) / f"run{n}")
            sim = simulation()
            rows.append((wall, cpu, sim))
            print(
                f"pair {n + 1}: whole command {wall:5.2f} s (CPU {cpu:5.2f} s), simulation "
                f"{sim:5.2f} s: {wall / sim:4.1f}x (CPU {cpu / sim:4.1f}x)"
            )
    ratios = [w / s for w, _, s in rows]
    cpu_ratios = [c / s for _, c, s in rows]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"whole / simulation: min {min(ratios):.1f}x, median {statistics.median(ratios):.1f}x "
        f"(CPU of all processes: median {statistics.median(cpu_ratios):.1f}x; {cores} cores, "
        f"load {os.getloadavg()[0]:.1f})"
    )
    verdict = "met" if statistics.median(ratios) <= 3 else "NOT met"
    print(f"goal: the whole command within 3x its simulation: {verdict}")


if __name__ == "__main__":
    main()
