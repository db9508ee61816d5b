"""Calibrated border posts: the solver reproduces its targets, re-running it reproduces
the shipped file, the built-in network's posts use it, and the calibrated crossings
respond to traffic."""

from __future__ import annotations

import json

import pytest

from corridorsim.calibration import (
    Settings,
    Target,
    Targets,
    calibrate,
    calibrate_all,
    crossing_time,
    read_targets,
)
from corridorsim.engine import Plan
from corridorsim.errors import CorridorSimError
from corridorsim.network.calibrated import builtin_calibration
from corridorsim.network.files import builtin_network
from corridorsim.scenario import load_scenario

from .conftest import SCENARIOS

FAST = Settings(days=60, warmup_days=10, replications=1)


def test_crossing_time_rises_with_processing_and_with_traffic():
    target = Target(
        crossing="torkham", mode="road", direction="PK-AF", observed_hours=24, year=2022, source=()
    )
    slow = crossing_time(target, 200, (50, 50), (8.0, 8.0), FAST)
    slower = crossing_time(target, 200, (50, 50), (9.0, 9.0), FAST)
    busier = crossing_time(target, 260, (50, 50), (8.0, 8.0), FAST)
    assert 16 <= slow < slower
    assert busier > slow


def test_solver_meets_its_target_within_tolerance():
    target = read_targets().targets[0]
    cal = calibrate(target, builtin_network(), FAST)
    p = cal.provenance
    # simulated again with the lanes and processing it returned, not read back
    again = crossing_time(
        target,
        p.vehicles_per_day,
        (cal.exit.lanes, cal.entry.lanes),
        (cal.exit.processing_mean_hours, cal.entry.processing_mean_hours),
        FAST,
    )
    assert abs(again - target.observed_hours) <= FAST.tolerance_hours
    assert p.observed_hours == target.observed_hours
    assert cal.exit.lanes >= 1
    assert cal.exit.processing_mean_hours < target.observed_hours


def test_shipped_calibration_lists_every_target_and_meets_it():
    shipped = builtin_calibration()
    targets = read_targets()
    assert len(shipped.crossings) == len(targets.targets)
    for t in targets.targets:
        c = shipped.find(t.crossing, t.mode, t.direction)
        assert c is not None
        p = c.provenance
        assert p.observed_hours == t.observed_hours
        assert abs(p.simulated_hours - p.observed_hours) <= p.tolerance_hours
        assert p.vehicles_per_day > 0


@pytest.mark.slow
def test_targets_solved_in_parallel_are_the_targets_solved_one_by_one():
    shipped = read_targets()
    few = Targets(settings=FAST, targets=shipped.targets[:3])
    serial = calibrate_all(few, builtin_network(), jobs=1)
    assert calibrate_all(few, builtin_network(), jobs=2) == serial
    assert [c.crossing for c in serial.crossings] == [t.crossing for t in few.targets]


def test_a_target_that_cannot_be_met_stops_the_parallel_calibration_with_its_name():
    shipped = read_targets()
    # open one hour a day: waiting for the opening alone takes longer than the hour observed
    impossible = shipped.targets[0].model_copy(
        update={"observed_hours": 1.0, "open": "08:00", "close": "09:00", "evidence": ()}
    )
    few = Targets(settings=FAST, targets=(shipped.targets[1], impossible))
    for jobs in (1, 2):
        with pytest.raises(CorridorSimError, match="no processing time gives the observed 1 h"):
            calibrate_all(few, builtin_network(), jobs=jobs)


@pytest.mark.slow
def test_rerunning_the_calibration_reproduces_the_shipped_file(cli):
    res = cli("calibrate", "--check")
    assert res.returncode == 0, res.stderr
    assert "is reproduced" in res.stdout


def test_builtin_posts_use_the_calibration_unless_the_scenario_sets_them(tmp_path):
    loaded = load_scenario(SCENARIOS / "today-road-tir.yaml")
    plan = Plan.build(loaded)
    post = plan.posts["torkham/road/PK/exit"]
    cal = builtin_calibration().find("torkham", "road", "PK-AF")
    assert cal is not None
    assert post.params.capacity == cal.exit.lanes
    assert post.processing.mean == pytest.approx(cal.exit.processing_mean_hours)
    assert post.background_per_day == 500
    chaman = plan.posts["chaman/road/PK/exit"]
    assert chaman.params.opening_hours.open == "06:00"
    own = tmp_path / "own.yaml"
    own.write_text(
        f"name: own\nextends: {SCENARIOS / 'today-road-tir.yaml'}\n"
        "borders: {crossings: {torkham: {road: {exit: {processing_hours: 3}}}}}\n",
        encoding="utf-8",
    )
    mine = Plan.build(load_scenario(own)).posts["torkham/road/PK/exit"]
    assert mine.processing.mean == 3  # the scenario's processing, the calibrated lanes
    assert mine.params.capacity == cal.exit.lanes


def _crossing_hours(cli, tmp_path, name, extra):
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"name: {name}\nextends: {SCENARIOS / 'today-road-tir.yaml'}\n{extra}"
        "simulation: {horizon_days: 80, warmup_days: 20, replications: 2}\n",
        encoding="utf-8",
    )
    res = cli("run", str(path), "--quiet", "--out", str(tmp_path / name))
    assert res.returncode == 0, res.stderr
    summary = json.loads((tmp_path / name / "summary.json").read_text(encoding="utf-8"))
    return {(c["crossing"], c["from_country"]): c["tfi1_hours"] for c in summary["crossings"]}


@pytest.mark.slow
def test_calibrated_crossings_reproduce_cpmm_and_respond_to_traffic(cli, tmp_path):
    base = _crossing_hours(cli, tmp_path, "base", "")
    assert base[("torkham", "PK")] == pytest.approx(24.2, rel=0.1)
    assert base[("chaman", "PK")] == pytest.approx(54.0, rel=0.1)
    # the posts were calibrated at 80% of their lanes: 10% more traffic queues a little,
    # 50% more is beyond their capacity and queues grow through the run
    busy = _crossing_hours(cli, tmp_path, "busy", "borders: {background_scale: 1.1}\n")
    busier = _crossing_hours(cli, tmp_path, "busier", "borders: {background_scale: 1.5}\n")
    for key in (("chaman", "PK"), ("torkham", "PK")):
        # 10% more adds less than the sampling noise of two short replications: not less
        # beyond that noise, and well short of 50% more
        assert base[key] * 0.97 <= busy[key] < busier[key]
        assert busier[key] > 1.5 * base[key]
    pilot = _crossing_hours(
        cli, tmp_path, "faster", "network: {crossing_hours: {torkham: {road: 4.2}}}\n"
    )
    assert pilot[("torkham", "PK")] == pytest.approx(4.2, rel=0.15)


def test_each_direction_keeps_its_own_calibration():
    # Torkham inbound was calibrated to 120 h and outbound to 24.2 h: neither is scaled
    # by the other's figure (the network's crossing hours are the outbound ones)
    plan = Plan.build(load_scenario(SCENARIOS / "security-disruptions-rerouting.yaml"))
    inbound = builtin_calibration().find("torkham", "road", "AF-PK")
    assert inbound is not None
    post = plan.posts["torkham/road/AF/exit"]
    assert post.processing.mean == pytest.approx(inbound.exit.processing_mean_hours)


def test_no_shipped_scenario_has_a_post_without_lanes():
    for path in sorted(SCENARIOS.glob("*.yaml")):
        plan = Plan.build(load_scenario(path))
        unlimited = [k for k, p in plan.posts.items() if p.params.capacity is None]
        assert not unlimited, (path.name, unlimited)


def test_more_traffic_at_chaman_shows_in_compare(cli, tmp_path):
    base = tmp_path / "road.yaml"
    base.write_text(
        f"name: road\nextends: {SCENARIOS / 'today-road-tir.yaml'}\n"
        "demand:\n  - {id: chaman-road, origin: KHI, destination: ALA, teu_per_year: 1147,\n"
        "     modes: [road], route: [KHI, QTA, CHM, SBK, KDH, HEA, TGH, SRB, MRY, TKB, FRP,\n"
        "     ALT, BHK, SKD, TAS, KLS, SRY, CIT, ALA]}\n"
        "simulation: {horizon_days: 80, warmup_days: 20, replications: 2}\n",
        encoding="utf-8",
    )
    busier = tmp_path / "busier.yaml"
    busier.write_text(
        f"name: busier-chaman\nextends: {base}\n"
        "borders: {crossings: {chaman: {road: {background_per_day: {PK-AF: 600, AF-PK: 600}}}}}\n",
        encoding="utf-8",
    )
    res = cli("compare", str(base), str(busier), "--quiet", "--out", str(tmp_path / "cmp"))
    assert res.returncode == 0, res.stderr
    c = json.loads((tmp_path / "cmp" / "compare.json").read_text(encoding="utf-8"))
    (diff,) = [d for d in c["differences"] if d["flow"] == "chaman-road"]
    queued = (
        diff["breakdown_hours_diff"]["border_queue"] + diff["breakdown_hours_diff"]["border_closed"]
    )
    assert queued > 24  # twice Chaman's traffic: its lanes overflow and trucks queue
    assert diff["mean_transit_hours_diff"] > 24
