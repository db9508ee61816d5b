"""A sweep of 40 variants x 10 replications of the default scenario, on 1 worker and on
2: the speed-up of the second over the first, and runs per second.

    python benchmarks/bench_sweep.py [--variants 40] [--replications 10] [--jobs 2]

Both sides do the same work in the same process: :func:`corridorsim.sweeps.sweep` of
the same variants with the same seed (no cache), ``jobs=1`` (every run in this
process) against ``jobs=N`` (the runs spread over N forked workers). Their tables are
checked to be identical. Goal (issue #15): at least 1.8x on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import time

import pandas as pd

from corridorsim.scenario.loader import default_scenario_path
from corridorsim.sweeps import sweep

WAIT = "operations.departure.max_wait_hours"


def timed(variants: int, replications: int, jobs: int) -> tuple[float, pd.DataFrame]:
    varies = [(WAIT, tuple(float(x) for x in range(12, 12 + 4 * variants, 4)))]
    t0 = time.perf_counter()
    swept = sweep(default_scenario_path(), varies, replications=replications, jobs=jobs)
    return time.perf_counter() - t0, swept.table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", type=int, default=40)
    ap.add_argument("--replications", type=int, default=10)
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    runs = a.variants * a.replications
    print(f"sweep: {a.variants} variants x {a.replications} replications = {runs} runs")
    print(f"machine: {os.cpu_count()} cores")
    one, t1 = timed(a.variants, a.replications, 1)
    print(f"1 worker:  {one:6.1f} s  {runs / one:5.1f} runs/s")
    many, tn = timed(a.variants, a.replications, a.jobs)
    print(f"{a.jobs} workers: {many:6.1f} s  {runs / many:5.1f} runs/s")
    pd.testing.assert_frame_equal(t1, tn)
    print("tables identical")
    goal = 0.9 * a.jobs
    speedup = one / many
    print(
        f"speed-up {speedup:.2f}x on {a.jobs} workers "
        f"(goal >= {goal:.1f}x: {'met' if speedup >= goal else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
