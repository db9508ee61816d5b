"""Parameter sweeps: paths in the file's own terms, every combination, common random
numbers, a tidy table and a response plot."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from corridorsim import workers
from corridorsim.errors import CorridorSimError
from corridorsim.experiments import run
from corridorsim.results.summary import summarize
from corridorsim.sweeps import lhs_settings, parse_vary, sweep

from .conftest import SCENARIOS

DEFAULT = SCENARIOS / "default.yaml"
WAIT = "operations.departure.max_wait_hours"


def test_values_are_listed_or_spaced():
    assert parse_vary(f"{WAIT}=24,72") == (WAIT, (24, 72))
    assert parse_vary("ports.dwell_hours.KHI=48:168:4") == (
        "ports.dwell_hours.KHI",
        (48.0, 88.0, 128.0, 168.0),
    )
    assert parse_vary("borders.crossings.chaman.rail.exit.processing_hours=1,2")[1] == (1, 2)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("borders.crosings.chaman=1", "did you mean 'crossings'?"),
        ("operations.departur.max_wait_hours=1", "did you mean 'departure'?"),
        ("simulation.seed.x=1", "'seed' is a value, not a section"),
        (WAIT, "write PATH=V1,V2,... or PATH=LO:HI:N"),
        (f"{WAIT}=1:2:1", "N must be at least 2"),
        (f"{WAIT}=1:30", "PATH=LO:HI:N for N evenly spaced values (or PATH=LO:HI with"),
        (f"{WAIT}=5:1:3", "LO must be a finite number below HI"),
    ],
)
def test_a_bad_vary_says_what_is_wrong(text, message):
    with pytest.raises(CorridorSimError, match=message.replace("?", r"\?").replace("(", r"\(")):
        parse_vary(text)


def test_the_base_value_reproduces_the_base_run_and_the_response_is_monotone():
    table = sweep(DEFAULT, [(WAIT, (24, 72, 168))], replications=2, horizon_days=120).table
    assert len(table) == 3 * 2  # three variants, two flows
    base = summarize(run(DEFAULT, replications=2, horizon_days=120))
    same = table[table[WAIT] == 72].set_index("flow")
    for f in base.flows:
        assert same.loc[f.flow, "mean_days"] == pytest.approx(f.transit_hours.mean / 24)
        assert same.loc[f.flow, "p90_days"] == pytest.approx(f.transit_hours.p90 / 24)
        assert same.loc[f.flow, "route_cost_usd_per_teu"] == pytest.approx(f.cost_usd_per_teu)
        assert same.loc[f.flow, "route_cost_complete"] == f.cost_complete
    north = table[table["flow"] == "pk-to-kz"].sort_values(WAIT)["mean_days"].tolist()
    assert north == sorted(north)  # waiting longer for a full train never speeds it up


def test_a_grid_runs_every_combination():
    table = sweep(
        DEFAULT,
        [(WAIT, (24, 72)), ("ports.dwell", (True, False))],
        replications=1,
        horizon_days=90,
    ).table
    assert sorted(set(zip(table[WAIT], table["ports.dwell"], strict=True))) == [
        (24, False),
        (24, True),
        (72, False),
        (72, True),
    ]


def test_the_command_writes_a_folder_and_refuses_a_bad_value(cli, tmp_path):
    args = ("sweep", str(DEFAULT), "--vary", f"{WAIT}=24,72", "--replications", "1")
    res = cli(*args, "--horizon-days", "90", "--quiet", "--out", str(tmp_path / "s"))
    assert res.returncode == 0, res.stderr
    meta = json.loads((tmp_path / "s" / "sweep.json").read_text(encoding="utf-8"))
    assert meta["vary"] == {WAIT: [24, 72]}
    assert "· 1 replication per variant," in (tmp_path / "s" / "sweep.md").read_text("utf-8")
    assert (tmp_path / "s" / "response.png").stat().st_size > 10_000
    bad = cli(
        "sweep", str(DEFAULT), "--vary", f"{WAIT}=-5", "--quiet", "--out", str(tmp_path / "b")
    )
    assert bad.returncode == 2
    assert f"variant {WAIT}=-5: {WAIT}: must be more than 0" in bad.stderr
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize("seed", range(12))
def test_a_latin_hypercube_uses_every_stratum_once_and_whole_numbers_where_due(seed):
    """For any seed, not one that happens to pass."""
    lanes = "borders.crossings.torkham.road.exit.capacity"
    varies = [
        parse_vary(f"{WAIT}=10:50", design="lhs"),
        parse_vary(f"{lanes}=1:8", design="lhs"),
        ("ports.dwell", (True, False)),
    ]
    settings = lhs_settings(varies, 8, np.random.default_rng(seed))
    waits = sorted(s[WAIT] for s in settings)
    # eight strata of [10, 50], five days wide: one point in each
    assert [int((w - 10) // 5) for w in waits] == list(range(8))
    assert sorted(s[lanes] for s in settings) == list(range(1, 9))
    assert all(type(s[lanes]) is int for s in settings)
    assert sorted(s["ports.dwell"] for s in settings) == [False] * 4 + [True] * 4
    assert lhs_settings(varies, 8, np.random.default_rng(seed)) == settings  # seeded


def test_an_lhs_sweep_runs_its_samples_with_the_same_seed():
    swept = sweep(
        DEFAULT,
        [parse_vary(f"{WAIT}=24:168", design="lhs")],
        design="lhs",
        samples=3,
        design_rng=np.random.default_rng(1),
        replications=1,
        horizon_days=90,
    )
    assert len(swept.settings) == 3
    north = swept.table[swept.table["flow"] == "pk-to-kz"].sort_values(WAIT)
    assert north["mean_days"].is_monotonic_increasing


GRID = [(WAIT, (24, 168)), ("ports.dwell", (True, False))]


def _grid(**kw):
    return sweep(DEFAULT, GRID, replications=3, horizon_days=90, **kw)


def test_serial_pool_and_dask_give_the_same_table():
    distributed = pytest.importorskip("distributed")
    serial = _grid(jobs=1).table
    pool = _grid(jobs=2).table
    pd.testing.assert_frame_equal(serial, pool)
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
        processes=True,
    ) as cluster:
        dask = _grid(scheduler=cluster.scheduler_address).table
    pd.testing.assert_frame_equal(serial, dask)


def test_an_interrupted_sweep_resumes_without_repeating_finished_runs(tmp_path):
    cache = tmp_path / "runs"
    whole = _grid().table
    seen = []

    def stop_after_five(done, total):
        seen.append(done)
        if done >= 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _grid(jobs=2, cache=cache, progress=stop_after_five)
    kept = len(list(cache.glob("*.npz")))
    assert kept >= 5
    again = _grid(jobs=2, cache=cache)
    assert again.batch.reused == kept
    assert again.batch.ran == 12 - kept
    pd.testing.assert_frame_equal(again.table, whole)
    assert not list(cache.glob(".*"))  # no half-written file


def test_a_failing_run_is_recorded_and_the_others_finish(monkeypatch):
    real = workers.flow_transits

    def fail_one(plan, replication, seed):
        if plan.loaded.scenario.ports.dwell is False and replication == 1:
            raise RuntimeError("deliberate failure")
        return real(plan, replication, seed)

    monkeypatch.setattr(workers, "flow_transits", fail_one)
    swept = _grid(jobs=2)
    assert [(v, r) for v, r, _ in swept.batch.failures] == [(1, 1), (3, 1)]
    assert all(e == "RuntimeError: deliberate failure" for _, _, e in swept.batch.failures)
    table = swept.table
    failed = table[~table["ports.dwell"]]
    assert failed["p90_days"].isna().all()
    assert (failed["failed_runs"] == 1).all()
    ok = table[table["ports.dwell"]]
    assert ok["p90_days"].notna().all()
    assert (ok["error"] == "").all()


def test_the_command_resumes_a_killed_sweep_and_reports_failures(tmp_path):
    out = tmp_path / "s"
    args = [
        sys.executable,
        "-m",
        "corridorsim",
        "sweep",
        str(DEFAULT),
        "--vary",
        f"{WAIT}=24:168:8",
        "--replications",
        "3",
        "--horizon-days",
        "150",
        "--jobs",
        "1",
        "--quiet",
        "--out",
        str(out),
    ]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(list((out / "runs").glob("*.npz"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.kill()
    proc.wait()
    kept = len(list((out / "runs").glob("*.npz")))
    assert 3 <= kept < 24, "the sweep was not killed midway"
    assert not (out / "sweep.json").exists()  # nothing half-written
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    meta = json.loads((out / "sweep.json").read_text(encoding="utf-8"))
    assert meta["runs"] == {"total": 24, "reused": kept}
    assert meta["failures"] == []
    assert len(list((out / "runs").glob("*.npz"))) == 24
    assert "Sweep of default" in (out / "sweep.html").read_text(encoding="utf-8")


def test_the_command_writes_the_others_and_exits_1_when_a_run_fails(cli, tmp_path, monkeypatch):
    real = workers.flow_transits

    def fail_one(plan, replication, seed):
        if plan.loaded.scenario.operations.departure.max_wait_hours == 24:
            raise RuntimeError("deliberate failure")
        return real(plan, replication, seed)

    monkeypatch.setattr(workers, "flow_transits", fail_one)
    out = tmp_path / "s"
    res = cli(
        "sweep", str(DEFAULT), "--vary", f"{WAIT}=24,72", "--replications", "1",
        "--horizon-days", "90", "--jobs", "1", "--quiet", "--out", str(out),
    )  # fmt: skip
    assert res.returncode == 1
    assert f"variant 0 ({WAIT}=24), replication 0: RuntimeError: deliberate failure" in res.stderr
    meta = json.loads((out / "sweep.json").read_text(encoding="utf-8"))
    assert meta["failures"] == [
        {"variant": 0, "replication": 0, "error": "RuntimeError: deliberate failure"}
    ]
    assert "deliberate failure" in (out / "sweep.md").read_text(encoding="utf-8")
    assert len(list((out / "runs").glob("*.npz"))) == 1  # the failed run is not kept


def test_the_sweep_folder_is_the_same_bytes_serial_or_parallel(cli, tmp_path):
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}"
        res = cli(
            "sweep", str(DEFAULT), "--vary", f"{WAIT}=24,96", "--replications", "2",
            "--horizon-days", "90", "--jobs", jobs, "--quiet", "--out", str(out),
        )  # fmt: skip
        assert res.returncode == 0, res.stderr
        outs.append(out)
    for name in ("sweep.csv", "sweep.json", "sweep.md", "response.png"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_a_swept_fee_moves_the_cost_column_and_the_report_marks_a_lower_bound(tmp_path):
    """The route's cost per TEU is in every row (known from the plan, without
    simulating): a border fee swept by 100 USD moves it by 100; the report shows it as
    a lower bound where the route lacks figures, as the default's does."""
    from corridorsim.report.sweep import render_sweep

    fee = "borders.crossings.chaman.rail.fee_usd_per_teu"
    swept = sweep(DEFAULT, [(fee, (100, 200))], replications=1, horizon_days=60)
    t = swept.table.set_index([fee, "flow"])
    step = t.loc[200, "route_cost_usd_per_teu"] - t.loc[100, "route_cost_usd_per_teu"]
    assert step.to_numpy() == pytest.approx([100, 100])
    assert not t["route_cost_complete"].any()  # the default's Pakistani and Afghan rail: no rate
    meta = {
        "base": "default",
        "design": "grid",
        "seed": 1,
        "replications": 1,
        "vary": {fee: [100, 200]},
        "runs": {"total": 2, "reused": 0},
        "failures": [],
        "target_hours": 120,
    }
    md, html = render_sweep(swept.table, meta, None, None)
    for cost in swept.table["route_cost_usd_per_teu"]:
        assert f"| ≥ {cost:,.0f} (incomplete) |" in md
        assert f"≥ {cost:,.0f} (incomplete)</td>" in html


def test_a_point_beyond_a_resources_capacity_is_named_saturated(tmp_path):
    """Torkham passes 600 trucks a day each way (1,200 both ways, S177): at today's 500
    a day no point is saturated; at 1.5 times (750) the post is named, with its load,
    known from demand and traffic alone; goal-seek reports it for the point."""
    from corridorsim.goal_seeking import goal_seek, parse_target
    from corridorsim.sweeps import sweep

    from .conftest import SCENARIOS

    base = tmp_path / "road.yaml"
    base.write_text(
        f"name: road\nextends: {SCENARIOS / 'today-road-tir.yaml'}\n"
        "simulation: {horizon_days: 20, warmup_days: 5, replications: 1}\n",
        encoding="utf-8",
    )
    swept = sweep(base, [("borders.background_scale", (1.0, 1.5))], replications=1, jobs=1)
    t = swept.table
    calm = t[t["borders.background_scale"] == 1.0]
    busy = t[t["borders.background_scale"] == 1.5]
    assert (calm["saturated"] == "").all()
    assert (busy["saturated"] == "border post torkham/road/PK/exit").all()
    assert busy["peak_load"].iloc[0] == pytest.approx(1.5 * 500 / 600, abs=0.02)
    r = goal_seek(
        base,
        "borders.background_scale",
        1.0,
        1.5,
        parse_target("mean<=100d"),
        steps=1,
        replications=1,
        jobs=1,
    )
    assert r.saturated.get(1.5) == "border post torkham/road/PK/exit"
    assert 1.0 not in r.saturated


def test_the_sweep_report_names_a_saturated_variant():
    from corridorsim.report.sweep import findings

    table = pd.DataFrame(
        {
            "variant": [0, 1],
            "x": [1.0, 1.5],
            "flow": ["f", "f"],
            "p90_days": [10.0, 40.0],
            "peak_load": [0.69, 1.04],
            "saturated": ["", "border post torkham/road/PK/exit"],
        }
    )
    said = findings(table, ["x"], 5.0)
    (full,) = [s for s in said if s.startswith("saturated")]
    assert "x = 1.5" in full
    assert "border post torkham/road/PK/exit (offered load 1.04)" in full
    assert not any("x = 1.0" in s for s in said if s.startswith("saturated"))
