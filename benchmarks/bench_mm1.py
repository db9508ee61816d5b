"""Engine speed against a bare SimPy M/M/1 loop, measured in one process.

Both simulate the same single-server queue (Poisson arrivals at 0.8/h, exponential
service with mean 1 h) for the same number of customers; the engine does it as a
corridor scenario (one road border post, one TEU per truck). The figure that matters is
the ratio of containers per second (goal: the engine within 1.3x of bare SimPy).

The fair comparison: a bare SimPy loop that, like the engine, draws its arrival and
service times up front with numpy, against the path a user's run takes (read and check
the scenario, build the plan, simulate, check conservation, build every table). The
older comparison, against a bare loop drawing one value at a time, and the engine's
simulation alone, are printed too. Runs alternate and the best of each is kept, so a
busy machine spoils neither side more than the other.

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


def bare_simpy_up_front(hours: float, seed: int) -> int:
    """The same M/M/1 with every arrival and service time drawn up front with numpy."""
    rng = np.random.default_rng(seed)
    n = int(hours * LAM * 1.2) + 100
    arrive = np.cumsum(rng.exponential(1 / LAM, n))
    arrive = arrive[arrive < hours].tolist()
    service = rng.exponential(MEAN_SERVICE, len(arrive)).tolist()
    env = simpy.Environment()
    server = simpy.Resource(env, 1)
    done = [0]

    def customer(k: int):
        with server.request() as req:
            yield req
            yield env.timeout(service[k])
        done[0] += 1

    def arrivals():
        last = 0.0
        for k, t in enumerate(arrive):
            yield env.timeout(t - last)
            last = t
            env.process(customer(k))

    env.process(arrivals())
    env.run(until=hours)
    return done[0]


def engine_user_path(path: Path, replication: int) -> tuple[int, float]:
    """Scenario file -> plan -> run -> tables, as ``corridorsim.run`` does; returns the
    containers delivered and the seconds the simulation alone took."""
    plan = Plan.build(load_scenario(path))
    model = CorridorModel(plan, replication=replication)
    t0 = time.perf_counter()
    model.env.run(until=model.horizon)
    sim = time.perf_counter() - t0
    model.check_conservation()
    rec = build_records(model.output())
    return int(rec.containers["delivered"].sum()), sim


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=float, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    hours = args.days * 24
    best = {"bare": float("inf"), "up front": float("inf"), "user": float("inf"), "sim": 1e9}
    n = {}
    with tempfile.TemporaryDirectory() as d:
        path = scenario_file(args.days, Path(d))
        for r in range(args.repeat):  # interleaved, best of each: robust to a noisy machine
            for key, fn in (("bare", bare_simpy), ("up front", bare_simpy_up_front)):
                t0 = time.perf_counter()
                n[key] = fn(hours, r)
                best[key] = min(best[key], time.perf_counter() - t0)
            t0 = time.perf_counter()
            n["user"], sim = engine_user_path(path, r)
            best["user"] = min(best["user"], time.perf_counter() - t0)
            best["sim"] = min(best["sim"], sim)
    rate = {
        "bare": n["bare"] / best["bare"],
        "up front": n["up front"] / best["up front"],
        "user": n["user"] / best["user"],
        "sim": n["user"] / best["sim"],
    }
    for key, label in (
        ("up front", "bare SimPy, draws up front"),
        ("bare", "bare SimPy, draws one by one"),
        ("user", "corridorsim, user path"),
        ("sim", "corridorsim, simulation only"),
    ):
        count = n["user"] if key == "sim" else n[key]
        print(f"{label:<30} {count:>8} customers, {rate[key]:>9,.0f} /s")
    print(
        f"ratio (customers per second), bare up front / corridorsim user path: "
        f"{rate['up front'] / rate['user']:.2f}x (goal <= 1.3x); "
        f"bare one by one / user path: {rate['bare'] / rate['user']:.2f}x; "
        f"bare up front / simulation only: {rate['up front'] / rate['sim']:.2f}x"
    )


if __name__ == "__main__":
    main()
