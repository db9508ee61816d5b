"""Engine speed against a bare SimPy M/M/1 loop, measured in one process.

Both simulate the same single-server queue (Poisson arrivals at 0.8/h, exponential
service with mean 1 h) for the same number of customers; the engine does it as a
corridor scenario (one road border post, one TEU per truck). The figure that matters is
the ratio of containers per second (goal: the engine within 1.3x of bare SimPy), given
for the simulation alone and with the work the engine does after it (the conservation
check and the per-container, per-vehicle and per-resource tables), which bare SimPy
does not do at all. Runs alternate and the best of each is kept, so a busy machine
spoils neither side more than the other.

Run:  python benchmarks/bench_mm1.py [--days 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import simpy
import yaml

from corridorsim.engine import CorridorModel, Plan
from corridorsim.results.records import build_records
from corridorsim.scenario import load_scenario

TOY = Path(__file__).resolve().parents[1] / "tests" / "data" / "toy_network.yaml"
LAM, MEAN_SERVICE = 0.8, 1.0


def bare_simpy(hours: float, seed: int) -> int:
    """A plain SimPy M/M/1: arrivals process, one Resource, service timeouts."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    server = simpy.Resource(env, 1)
    done = [0]

    def customer():
        with server.request() as req:
            yield req
            yield env.timeout(rng.exponential(MEAN_SERVICE))
        done[0] += 1

    def arrivals():
        while True:
            yield env.timeout(rng.exponential(1 / LAM))
            env.process(customer())

    env.process(arrivals())
    env.run(until=hours)
    return done[0]


def engine_plan(days: float, tmp: Path) -> Plan:
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
    return Plan.build(load_scenario(path))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=float, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    hours = args.days * 24
    with tempfile.TemporaryDirectory() as d:
        plan = engine_plan(args.days, Path(d))
        best_bare = best_engine = best_sim = float("inf")
        n_bare = n_engine = 0
        for r in range(args.repeat):  # interleaved, best of each: robust to a noisy machine
            t0 = time.perf_counter()
            n_bare = bare_simpy(hours, r)
            best_bare = min(best_bare, time.perf_counter() - t0)
            t0 = time.perf_counter()
            model = CorridorModel(plan, replication=r)
            model.env.run(until=model.horizon)
            t1 = time.perf_counter()
            model.check_conservation()
            rec = build_records(model.output())
            t2 = time.perf_counter()
            best_sim = min(best_sim, t1 - t0)
            best_engine = min(best_engine, t2 - t0)
            n_engine = int(rec.containers["delivered"].sum())
    bare_rate = n_bare / best_bare
    engine_rate = n_engine / best_engine
    print(f"bare SimPy M/M/1 : {n_bare:>8} customers in {best_bare:6.2f} s = {bare_rate:>9,.0f} /s")
    sim_rate = n_engine / best_sim
    print(
        f"corridorsim      : {n_engine:>8} containers in {best_engine:6.2f} s "
        f"= {engine_rate:>9,.0f} /s  (with conservation check and tables)"
    )
    print(
        f"  simulation only: {n_engine:>8} containers in {best_sim:6.2f} s = {sim_rate:>9,.0f} /s"
    )
    print(
        f"ratio bare / engine (containers per second): {bare_rate / engine_rate:.2f}x with "
        f"tables, {bare_rate / sim_rate:.2f}x simulation only (goal: <= 1.3x)"
    )


if __name__ == "__main__":
    main()
