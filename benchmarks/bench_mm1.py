"""The engine on the simplest queue, against what the same work costs elsewhere: an M/M/1
queue at utilisation 0.9, over 100,000 customers, each way timed as a fresh process
(imports included), interleaved.

    python benchmarks/bench_mm1.py [--rounds 5] [--days 5000]

  1. corridorsim, as a user runs it from Python: ``corridorsim.run`` on a one-post road
     scenario (one TEU a truck, exponential service, one lane), scenario file to tables;
  2. bare SimPy with every arrival and service time drawn up front with numpy (what the
     engine does too): an arrivals process, one Resource, service timeouts;
  3. the Lindley recursion in numpy (``W[k+1] = max(0, W[k] + S[k] - A[k+1])``), the
     physical limit of a first-come-first-served single server.

Each reports its customers, the seconds of its own work and its mean wait in queue;
the waits must agree with each other and with queueing theory (rho / (mu - lambda) =
9 h). Printed: microseconds per customer, process and work alone, min and median over
the rounds, and the ratios. Goal: corridorsim within 1.3x of bare SimPy.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

TOY = Path(__file__).resolve().parents[1] / "tests" / "data" / "toy_network.yaml"
LAM, MEAN_SERVICE = 0.9, 1.0
THEORY_WAIT = LAM * MEAN_SERVICE / (1 / MEAN_SERVICE - LAM)  # M/M/1: rho / (mu - lambda)

CORRIDORSIM = """
import json, sys, time
import corridorsim as cs
t0 = time.perf_counter()
res = cs.run(sys.argv[1], jobs=1)
d = res.delivered
print(json.dumps({"customers": len(d), "seconds": time.perf_counter() - t0,
                  "mean_wait_h": float(d["border_queue_h"].mean())}))
"""

BARE_SIMPY = """
import json, sys, time
import numpy as np, simpy
hours, lam, mean_s = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
t0 = time.perf_counter()
rng = np.random.default_rng(1)
arrive = np.cumsum(rng.exponential(1 / lam, int(hours * lam * 1.2) + 100))
arrive = arrive[arrive < hours].tolist()
service = rng.exponential(mean_s, len(arrive)).tolist()
env = simpy.Environment()
server = simpy.Resource(env, 1)
waits = []
def customer(k):
    with server.request() as req:
        yield req
        waits.append(env.now - arrive[k])
        yield env.timeout(service[k])
def arrivals():
    last = 0.0
    for k, t in enumerate(arrive):
        yield env.timeout(t - last)
        last = t
        env.process(customer(k))
env.process(arrivals())
env.run(until=hours)
print(json.dumps({"customers": len(waits), "seconds": time.perf_counter() - t0,
                  "mean_wait_h": sum(waits) / len(waits)}))
"""

LINDLEY = """
import json, sys, time
import numpy as np
hours, lam, mean_s = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
t0 = time.perf_counter()
rng = np.random.default_rng(1)
gaps = rng.exponential(1 / lam, int(hours * lam * 1.2) + 100)
gaps = gaps[np.cumsum(gaps) < hours]
service = rng.exponential(mean_s, len(gaps))
# W[k+1] = max(0, W[k] + S[k] - A[k+1]): with X = S[k] - A[k+1] summed, the wait is the
# sum now less its lowest point so far (never below 0)
x = np.concatenate(([0.0], np.cumsum(service[:-1] - gaps[1:])))
waits = x - np.minimum.accumulate(np.minimum(x, 0.0))
print(json.dumps({"customers": len(waits), "seconds": time.perf_counter() - t0,
                  "mean_wait_h": float(waits.mean())}))
"""


def scenario_file(days: float, tmp: Path) -> Path:
    body = {
        "name": "bench-mm1",
        "network": {"file": str(TOY)},
        "demand": [
            {"origin": "Q1", "destination": "Q2", "teu_per_year": LAM * 8760, "modes": ["road"]}
        ],
        "operations": {"truck_capacity_teu": 1},
        "borders": {
            "crossings": {
                "Y": {
                    "road": {
                        "exit": {
                            "processing_hours": {"dist": "exponential", "mean": MEAN_SERVICE},
                            "capacity": 1,
                        },
                        "entry": {"processing_hours": 0},
                    }
                }
            }
        },
        "simulation": {"horizon_days": days, "warmup_days": 0, "replications": 1},
    }
    path = tmp / "bench.yaml"
    path.write_text(yaml.safe_dump(body), encoding="utf-8")
    return path


def timed(code: str, *args: str) -> dict[str, float]:
    """A fresh Python process running ``code``: its wall time and what it reports."""
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    )
    wall = time.perf_counter() - t0
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "wall": wall}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--days", type=float, default=5000)
    args = ap.parse_args()
    hours = str(args.days * 24)
    runs: dict[str, list[dict[str, float]]] = {"corridorsim": [], "SimPy": [], "Lindley": []}
    with tempfile.TemporaryDirectory() as d:
        path = str(scenario_file(args.days, Path(d)))
        for _ in range(args.rounds):
            runs["corridorsim"].append(timed(CORRIDORSIM, path))
            runs["SimPy"].append(timed(BARE_SIMPY, hours, str(LAM), str(MEAN_SERVICE)))
            runs["Lindley"].append(timed(LINDLEY, hours, str(LAM), str(MEAN_SERVICE)))
    per = {}
    for name, rows in runs.items():
        n = rows[-1]["customers"]
        process = [1e6 * r["wall"] / r["customers"] for r in rows]
        work = [1e6 * r["seconds"] / r["customers"] for r in rows]
        per[name] = (statistics.median(process), statistics.median(work))
        print(
            f"{name:<12} {n:>8,.0f} customers, mean wait {rows[-1]['mean_wait_h']:5.2f} h "
            f"(theory {THEORY_WAIT:.0f}); µs per customer: process min {min(process):6.2f} "
            f"median {per[name][0]:6.2f}, its work alone median {per[name][1]:6.2f}"
        )
    ratio = per["corridorsim"][0] / per["SimPy"][0]
    print(
        f"corridorsim / bare SimPy (process, median): {ratio:.2f}x (goal <= 1.3x: "
        f"{'met' if ratio <= 1.3 else 'NOT met'}); work alone "
        f"{per['corridorsim'][1] / per['SimPy'][1]:.2f}x; corridorsim / Lindley (process) "
        f"{per['corridorsim'][0] / per['Lindley'][0]:.1f}x"
    )


if __name__ == "__main__":
    main()
