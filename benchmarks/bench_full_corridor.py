"""One year of the full western corridor at its design capacity, one replication.

1 million TEU a year (the line's 15–20 Mt/yr design capacity at 20 t per TEU), half
each way, on the default scenario's network and routes. Reports wall time, peak memory
(resident set of this process) and simulation steps per second, and the same for a
run at 1/10 of the volume in the same process as the reference (ratio of TEU per
second). Memory per million containers held is the peak resident set less the resident
set before the full run, per million containers created. Goals (issue #11): under 15 s
and 1.5 GB on a 2-core machine, and under 400 MB per million containers held.

Run:  python benchmarks/bench_full_corridor.py [--teu 1000000] [--days 365]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import yaml

from corridorsim.engine import CorridorModel, Plan
from corridorsim.results.records import build_records
from corridorsim.scenario import default_scenario_path, load_scenario


def plan_for(teu: float, days: float, tmp: Path) -> Plan:
    body = {
        "name": f"bench-{int(teu)}",
        "extends": str(default_scenario_path()),
        "demand": [
            {
                "id": "north",
                "origin": "KHI",
                "destination": "BEY",
                "teu_per_year": teu / 2,
                "modes": ["rail"],
            },
            {
                "id": "south",
                "origin": "BEY",
                "destination": "KHI",
                "teu_per_year": teu / 2,
                "modes": ["rail"],
            },
        ],
        # enough gauge-change tracks at Chaman for the volume (one track saturates near
        # 1,300 trains a year at 6.6 h each), so the whole line carries traffic
        "transshipment": {"facilities": {"CHM": {"capacity": 16}}},
        "simulation": {"horizon_days": days, "warmup_days": 30, "replications": 1},
    }
    path = tmp / "bench.yaml"
    path.write_text(yaml.safe_dump(body), encoding="utf-8")
    return Plan.build(load_scenario(path))


def timed(plan: Plan) -> tuple[float, int, int, int]:
    t0 = time.perf_counter()
    model = CorridorModel(plan, replication=0)
    model.env.run(until=model.horizon)
    model.check_conservation()
    rec = build_records(model.output())
    wall = time.perf_counter() - t0
    steps = next(model.env._eid)  # SimPy numbers every scheduled event: the next id = count
    delivered = int(rec.containers["delivered"].sum())
    print(f"  ({len(rec.containers):,} TEU created, {delivered:,} delivered)")
    return wall, len(rec.containers), len(rec.vehicles), steps


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--teu", type=float, default=1_000_000)
    ap.add_argument("--days", type=float, default=365)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        small = plan_for(args.teu / 10, args.days, Path(d))
        full = plan_for(args.teu, args.days, Path(d))
    ref_wall, ref_n, _, _ = timed(small)
    before_mb = _resident_mb()
    wall, n, vehicles, steps = timed(full)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_million = (peak_mb - before_mb) / (n / 1e6)
    print(
        f"reference {args.teu / 10:,.0f} TEU/yr: {ref_n:,} TEU in {ref_wall:.2f} s "
        f"({ref_n / ref_wall:,.0f} TEU/s)"
    )
    print(
        f"full      {args.teu:,.0f} TEU/yr: {n:,} TEU, {vehicles:,} trains, "
        f"{steps:,} events in {wall:.2f} s ({n / wall:,.0f} TEU/s, "
        f"{steps / wall:,.0f} events/s)"
    )
    print(f"peak memory (resident): {peak_mb:,.0f} MB ({before_mb:,.0f} MB before the full run)")
    print(f"memory per million containers held: {per_million:,.0f} MB")
    print(f"throughput ratio full / reference: {(n / wall) / (ref_n / ref_wall):.2f}")
    print(
        f"goals: wall < 15 s ({'met' if wall < 15 else 'missed'}), "
        f"memory < 1,536 MB ({'met' if peak_mb < 1536 else 'missed'}), "
        f"< 400 MB per million containers ({'met' if per_million < 400 else 'missed'})"
    )


def _resident_mb() -> float:
    """The resident set of this process now (Linux), MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


if __name__ == "__main__":
    main()
