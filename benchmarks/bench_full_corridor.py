"""One year of the western corridor carrying 1 million TEU, as a user runs it: the whole
``corridorsim run`` as a fresh process, against the simulation alone in a fresh process.

    python benchmarks/bench_full_corridor.py [--pairs 5]

The scenario, ``benchmarks/full-corridor-1m.yaml``, has the tracks for its volume, so it
carries it: the reference process reports how many containers were created and
delivered (the ones created in the last days are still on their way at the horizon, so
it also reports the share delivered of those created after the warm-up and at least 30
days before the horizon). Each pair, interleaved: the whole command (wall time, CPU of
all its processes, the largest resident set of any of them) and the simulation (one
replication, timed inside its process). Goals: the whole run under 8 s and 1 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXE = Path(sys.executable).with_name("corridorsim")
SCENARIO = Path(__file__).with_name("full-corridor-1m.yaml")

SIMULATION_ONLY = """
import json, sys, time
from corridorsim.engine import CorridorModel, Plan
from corridorsim.results.records import build_records
from corridorsim.scenario import load_scenario
plan = Plan.build(load_scenario(sys.argv[1]))
t0 = time.perf_counter()
model = CorridorModel(plan, replication=0)
out = model.run()
seconds = time.perf_counter() - t0
c = build_records(out).containers
warm = c[c["after_warmup"]]
settled = warm[warm["created_h"] <= model.horizon - 30 * 24]
print(json.dumps({
    "seconds": seconds, "created": len(c), "delivered": int(c["delivered"].sum()),
    "after_warmup_delivered": float(warm["delivered"].mean()),
    "settled_delivered": float(settled["delivered"].mean()),
}))
"""


def _children() -> tuple[float, float]:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def whole_command(out: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (the process and its workers) and the largest resident
    set (MB) of one ``corridorsim run`` of the scenario."""
    c0, _ = _children()
    t0 = time.perf_counter()
    subprocess.run(
        [str(EXE), "run", str(SCENARIO), "--quiet", "--out", str(out)],
        check=True,
        capture_output=True,
    )
    wall = time.perf_counter() - t0
    c1, peak = _children()
    return wall, c1 - c0, peak


def simulation() -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", SIMULATION_ONLY, str(SCENARIO)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=5)
    args = ap.parse_args()
    walls, ratios = [], []
    peak = 0.0
    with tempfile.TemporaryDirectory() as d:
        for n in range(args.pairs):
            wall, cpu, peak_now = whole_command(Path(d) / f"run{n}")
            sim = simulation()
            peak = max(peak, peak_now)
            walls.append(wall)
            ratios.append(wall / sim["seconds"])
            print(
                f"pair {n + 1}: whole run {wall:5.2f} s (CPU {cpu:5.2f} s), simulation "
                f"{sim['seconds']:5.2f} s ({wall / sim['seconds']:.1f}x); "
                f"{sim['created']:,.0f} TEU created, {sim['delivered']:,.0f} delivered"
            )
    print(
        f"delivered: {sim['after_warmup_delivered']:.1%} of those created after the warm-up "
        f"(the rest on their way at the horizon), {sim['settled_delivered']:.2%} of those "
        "created at least 30 days before it"
    )
    print(
        f"whole run: min {min(walls):.2f} s, median {statistics.median(walls):.2f} s "
        f"(median {statistics.median(ratios):.1f}x the simulation); largest process "
        f"{peak:,.0f} MB"
    )
    wall_ok = "met" if statistics.median(walls) < 8 else "NOT met"
    mem_ok = "met" if peak < 1024 else "NOT met"
    print(f"goals: under 8 s ({wall_ok}), under 1 GB ({mem_ok})")


if __name__ == "__main__":
    main()
