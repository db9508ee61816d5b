"""Calibrated border posts: the resource is the physical one (sourced servers and rate),
its queue is the one queueing theory gives, the clearance solved reproduces the targets,
re-running it reproduces the shipped file, the built-in network's posts use it, and the
calibrated crossings respond to traffic."""

from __future__ import annotations

import json
import math

import pytest

from corridorsim.calibration import (
    PostSpec,
    Settings,
    Target,
    Targets,
    calibrate,
    calibrate_all,
    crossing_time,
    read_targets,
    resource_posts,
    simulate_crossing,
)
from corridorsim.crossing_sim import Closure, after_closure
from corridorsim.engine import Plan
from corridorsim.errors import CorridorSimError
from corridorsim.network.calibrated import builtin_calibration
from corridorsim.network.files import builtin_network
from corridorsim.scenario import load_scenario

from .conftest import SCENARIOS

FAST = Settings(days=40, warmup_days=5, replications=1)


def test_crossing_time_rises_with_clearance_and_with_traffic():
    target = Target(
        crossing="torkham", mode="road", direction="PK-AF", observed_hours=24, year=2022, source=()
    )

    def posts(clearance: float) -> tuple[PostSpec, PostSpec]:
        return PostSpec(1, 2.0, clearance), PostSpec(None, 0.0, clearance)

    slow = crossing_time(target, 8, posts(8.0), FAST)
    slower = crossing_time(target, 8, posts(9.0), FAST)
    busier = crossing_time(target, 10, posts(8.0), FAST)
    assert 16 <= slow < slower
    assert busier > slow


def _pk_wait(rate_per_hour: float, service_hours: float, cv2: float) -> float:
    """Pollaczek-Khinchine: the mean wait in an M/G/1 queue."""
    rho = rate_per_hour * service_hours
    return rho * service_hours * (1 + cv2) / (2 * (1 - rho))


def test_the_queue_for_one_scanner_is_pollaczek_khinchine_whatever_the_clearance():
    """A clearance before the queue leaves Poisson arrivals Poisson: the wait for a
    single scanner is M/G/1's, and the time to cross adds the clearance and service."""
    target = Target(
        crossing="x", mode="road", direction="AA-BB", observed_hours=10, year=2022, source=()
    )
    settings = Settings(days=200, warmup_days=20, replications=2)
    service = 0.04  # 2.4 minutes
    cv2 = math.exp(settings.service_sigma**2) - 1  # lognormal's squared coefficient
    for clearance in (0.0, 6.0):
        run = simulate_crossing(
            target, 480, (PostSpec(1, service, clearance), PostSpec(None, 0.0, 0.0)), settings
        )
        expected = _pk_wait(480 / 24, service, cv2)  # rho = 0.8
        assert run.waiting_hours == pytest.approx(expected, rel=0.1)
        assert run.hours == pytest.approx(clearance + service + expected, rel=0.05, abs=0.05)


def test_solver_meets_its_target_within_tolerance():
    target = read_targets().targets[0]
    cal = calibrate(target, builtin_network(), FAST)
    p = cal.provenance
    # simulated again with the resource and clearance it returned, not read back
    total = cal.exit.clearance_mean_hours + cal.entry.clearance_mean_hours
    again = crossing_time(target, p.vehicles_per_day, resource_posts(target, total, FAST), FAST)
    assert abs(again - target.observed_hours) <= FAST.tolerance_hours
    assert p.observed_hours == target.observed_hours
    assert cal.exit.lanes == 1  # Torkham passes its trucks one at a time
    # 1,200 trucks a day both ways (S177), half each way, in 14 opening hours
    assert cal.exit.service_mean_hours == pytest.approx(14 / 600, abs=1e-5)
    # trucks cleared while it is closed wait for the morning: hours, not minutes
    assert 3 < p.waiting_hours < 12


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
        with pytest.raises(CorridorSimError, match="no clearance time gives the observed 1 h"):
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
    assert post.params.capacity == cal.exit.lanes == 1
    assert post.processing.mean == pytest.approx(cal.exit.service_mean_hours)
    assert post.clearance is not None
    assert post.clearance.mean == pytest.approx(cal.exit.clearance_mean_hours)
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
    # the scenario's processing is the post's whole time: no calibrated scanner (whose
    # service is minutes, not 3 h) and no calibrated clearance on top
    assert mine.processing.mean == 3
    assert mine.params.capacity is None
    assert mine.clearance is None
    both = tmp_path / "both.yaml"
    both.write_text(
        f"name: both\nextends: {SCENARIOS / 'today-road-tir.yaml'}\n"
        "borders: {crossings: {torkham: {road: {exit: {processing_hours: 0.05, "
        "capacity: 2}}}}}\n",
        encoding="utf-8",
    )
    two = Plan.build(load_scenario(both)).posts["torkham/road/PK/exit"]
    assert two.params.capacity == 2
    assert two.processing.mean == 0.05


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
    # Torkham passes 600 trucks a day each way (1,200 both ways, S177): 1.5 times
    # today's 500 is beyond it and the queue grows through the run. Chaman's terminal
    # passes 327 a day outbound (S195, S196): 1.5 times today's 250 is beyond it too
    busier = _crossing_hours(cli, tmp_path, "busier", "borders: {background_scale: 1.5}\n")
    assert busier[("torkham", "PK")] > 1.5 * base[("torkham", "PK")]
    assert busier[("chaman", "PK")] > 1.5 * base[("chaman", "PK")]
    faster = _crossing_hours(
        cli, tmp_path, "faster", "network: {crossing_hours: {torkham: {road: 12}}}\n"
    )
    assert faster[("torkham", "PK")] == pytest.approx(12, rel=0.15)


@pytest.mark.parametrize(
    ("direction", "expected"),
    [("PK-AF", 12.0), ("AF-PK", 120.0 * 12 / 24.2)],  # inbound: in proportion
)
def test_a_stated_crossing_time_scales_the_clearance_and_keeps_the_queue(direction, expected):
    """A scenario's crossing hours (12 against the network's 24.2 at Torkham) change each
    direction's time in proportion (outbound 12 h, inbound 120 x 12 / 24.2 h), keep the
    queue and the wait for the opening, and shorten the clearance to fit: simulated
    again, each direction takes its hours. Fewer hours than the queue alone are refused,
    naming the setting."""
    from corridorsim.engine.post_params import clearance_scale

    key = ("torkham", "road", direction)
    target = next(t for t in read_targets().targets if (t.crossing, t.mode, t.direction) == key)
    cal = builtin_calibration().find(*key)
    assert cal is not None
    assert clearance_scale(cal, 24.2, 24.2) == 1.0
    clearance = cal.exit.clearance_mean_hours + cal.entry.clearance_mean_hours
    scale = clearance_scale(cal, 12.0, 24.2)
    settings = Settings(days=80, warmup_days=10, replications=2)
    posts = resource_posts(target, clearance * scale, settings)
    run = simulate_crossing(target, cal.provenance.vehicles_per_day, posts, settings)
    assert run.hours == pytest.approx(expected, rel=0.05)
    if direction == "PK-AF":
        with pytest.raises(CorridorSimError, match=r"network.crossing_hours: torkham .* 3 h"):
            clearance_scale(cal, 3.0, 24.2)


def test_a_crossing_time_shorter_than_its_queue_is_refused_at_its_line(cli, tmp_path):
    """Torkham's trucks spend about 4 h queueing and waiting for the opening with no
    clearance at all: 3 h is refused with the file, line and field, exit 2, nothing
    written."""
    path = tmp_path / "short.yaml"
    path.write_text(
        f"name: short\nextends: {SCENARIOS / 'today-road-tir.yaml'}\n"
        "network:\n  crossing_hours:\n    torkham: {road: 3}\n",
        encoding="utf-8",
    )
    res = cli("run", str(path), "--out", str(tmp_path / "out"))
    assert res.returncode == 2
    assert f"{path}:5" in res.stderr
    assert "network.crossing_hours.torkham.road" in res.stderr
    assert "no more than the" in res.stderr
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "out").exists()


def test_each_direction_keeps_its_own_calibration():
    # Torkham inbound was calibrated to 120 h and outbound to 24.2 h: neither is scaled
    # by the other's figure (the network's crossing hours are the outbound ones)
    plan = Plan.build(load_scenario(SCENARIOS / "security-disruptions-rerouting.yaml"))
    inbound = builtin_calibration().find("torkham", "road", "AF-PK")
    assert inbound is not None
    post = plan.posts["torkham/road/AF/exit"]
    assert post.clearance is not None
    assert post.clearance.mean == pytest.approx(inbound.exit.clearance_mean_hours)


def test_calibrated_resources_are_the_physical_ones():
    """Every calibrated post's lanes are the servers its physical description gives
    (a post with none found has no lane limit), and its capacity is the sourced rate:
    Torkham's 1,200 trucks a day (S177) and Chaman's 480 before its rebuilding (S195),
    shared between the directions, Bolashak's 5 trains a day (S106)."""
    shipped = builtin_calibration()
    for t in read_targets().targets:
        c = shipped.find(t.crossing, t.mode, t.direction)
        assert c is not None
        posts = {"exit": c.exit, "entry": c.entry}
        if t.resource is None:
            assert c.exit.lanes is None
            assert c.entry.lanes is None
            assert c.provenance.capacity_per_day is None
            continue
        here = posts.pop(t.resource.post)
        (other,) = posts.values()
        assert here.lanes == t.resource.servers
        assert other.lanes is None
        # all day, less the hours it is closed
        open_share = t.open_hours / 24
        assert here.per_day * open_share == pytest.approx(c.provenance.capacity_per_day, rel=1e-3)
    capacity = {
        key: shipped.find(*key).provenance.capacity_per_day  # type: ignore[union-attr]
        for key in (
            ("torkham", "road", "PK-AF"),
            ("chaman", "road", "AF-PK"),
            ("bolashak", "rail", "TM-KZ"),
            ("bolashak", "rail", "KZ-TM"),
        )
    }
    assert capacity[("torkham", "road", "PK-AF")] == pytest.approx(1200 / 2)  # S177, half
    # a fifth of the new terminal's 2,400 (S195), inbound's part of 2022's traffic (S196)
    inbound, outbound = 700 / 6, 1500 / 6
    expected = 2400 / 5 * inbound / (inbound + outbound)
    assert capacity[("chaman", "road", "AF-PK")] == pytest.approx(expected, rel=1e-3)
    assert capacity[("bolashak", "rail", "TM-KZ")] == pytest.approx(5)
    assert capacity[("bolashak", "rail", "KZ-TM")] == pytest.approx(5)


def _fluid_wait(per_day: float, capacity_per_day: float, open_hours: float) -> float:
    """The mean wait at a post open ``open_hours`` a day, passing ``capacity_per_day``
    vehicles in them, with vehicles arriving evenly all day (the fluid approximation, a
    lower bound: it has no randomness). Those arriving while it is closed queue; at
    opening the backlog drains at capacity less arrivals. The waits add up to two
    triangles: the closure's and the drain's."""
    closed = 24 - open_hours
    arrivals, service = per_day / 24, capacity_per_day / open_hours
    backlog = arrivals * closed
    drain = backlog / (service - arrivals)
    return (arrivals * closed**2 / 2 + backlog * drain / 2) / per_day


@pytest.mark.parametrize(
    ("key", "capacity", "drop"),
    [
        (("torkham", "road", "PK-AF"), 1200 / 2, 1.0),
        (("chaman", "road", "PK-AF"), 2400 / 5 * 1500 / 2200, 0.5),
        (("chaman", "road", "AF-PK"), 2400 / 5 * 700 / 2200, 0.5),
    ],
    ids=lambda k: "/".join(k) if isinstance(k, tuple) else str(k),
)
def test_the_queue_at_todays_traffic_is_more_than_zero_and_less_at_half(key, capacity, drop):
    """Where queues are reported (Torkham, Chaman), vehicles wait for the resource and
    the opening at today's traffic, less at half of it and more at 1.25 times. The wait
    is at least the fluid approximation's, computed here by hand from the sourced
    capacity (Torkham: 600 trucks a day each way in 14 opening hours; Chaman: 480 both
    ways shared as the 2022 closure's backlog, 1,500 out and 700 in, in 18 hours), at
    most twice it, and falls by at least as much as it does at half the traffic: over
    an hour at Torkham, over half an hour at Chaman."""
    target = next(t for t in read_targets().targets if (t.crossing, t.mode, t.direction) == key)
    cal = builtin_calibration().find(*key)
    assert cal is not None
    assert target.resource is not None
    settings = Settings(days=80, warmup_days=10, replications=1)
    total = cal.exit.clearance_mean_hours + cal.entry.clearance_mean_hours
    posts = resource_posts(target, total, settings)
    per_day = cal.provenance.vehicles_per_day
    wait = {
        f: simulate_crossing(target, per_day * f, posts, settings).waiting_hours
        for f in (0.5, 1.0, 1.25)
    }
    assert 0 < wait[0.5] < wait[1.0] < wait[1.25]
    fluid = {f: _fluid_wait(per_day * f, capacity, target.open_hours) for f in (0.5, 1.0)}
    assert fluid[1.0] - fluid[0.5] > drop
    assert fluid[1.0] <= wait[1.0] <= 2 * fluid[1.0]
    assert wait[1.0] - wait[0.5] >= fluid[1.0] - fluid[0.5]


@pytest.mark.parametrize("per_day", [120.0, 240.0, 360.0])
def test_a_closures_backlog_clears_at_the_spare_capacity(per_day):
    """After a closure the queued backlog (capped at ``backlog_days`` of traffic) drains
    at capacity less traffic: the fluid approximation, backlog / (capacity - traffic),
    computed by hand, holds within 20% for one scanner at 20 vehicles an hour."""
    target = Target(
        crossing="torkham", mode="road", direction="PK-AF", observed_hours=1, year=2022, source=()
    )
    service = 0.05  # 20 an hour, 480 a day
    posts = PostSpec(1, service, 0.0), PostSpec(None, 0.0, 0.0)
    settings = Settings(days=60, warmup_days=5, replications=2)
    run = after_closure(target, per_day, posts, settings, Closure(days=4, backlog_days=2))
    backlog = 2 * per_day
    assert run.clear_days == pytest.approx(backlog / (24 / service - per_day), rel=0.2)


@pytest.mark.parametrize(
    "key", [("torkham", "road", "PK-AF"), ("chaman", "road", "PK-AF")], ids=lambda k: k[0]
)
def test_after_a_closure_the_crossing_is_visibly_slower_at_todays_traffic_than_at_half(key):
    """A closure's backlog drains at capacity less traffic: at Torkham's 500 trucks a
    day at 600 - 500 a day, at half at 600 - 250; at Chaman's 250 at 327 - 250, at half
    at 327 - 125. So the month after reopening is hours slower at today's traffic, and
    the backlog takes over three times as long to clear."""
    target = next(t for t in read_targets().targets if (t.crossing, t.mode, t.direction) == key)
    cal = builtin_calibration().find(*key)
    assert cal is not None
    total = cal.exit.clearance_mean_hours + cal.entry.clearance_mean_hours
    settings = Settings(days=60, warmup_days=5, replications=1)
    posts = resource_posts(target, total, settings)
    per_day = cal.provenance.vehicles_per_day
    closure = Closure(days=14, backlog_days=3)
    half = after_closure(target, per_day / 2, posts, settings, closure)
    today = after_closure(target, per_day, posts, settings, closure)
    assert today.hours - half.hours > 3
    assert today.clear_days > 3 * half.clear_days


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


@pytest.mark.parametrize(("scale", "saturated"), [(1.0, False), (1.5, True)])
def test_at_capacity_the_saturation_warning_names_the_post(tmp_path, scale, saturated):
    """Torkham passes 600 trucks a day each way in its opening hours: today's 500 is
    under it, 1.5 times (750) over it, and the warning names that post with its offered
    load."""
    from corridorsim.engine.loads import offered_loads

    path = tmp_path / "busy.yaml"
    path.write_text(
        f"name: busy\nextends: {SCENARIOS / 'today-road-tir.yaml'}\n"
        f"borders: {{background_scale: {scale}}}\n",
        encoding="utf-8",
    )
    loads = {x.name: x for x in offered_loads(Plan.build(load_scenario(path)))}
    scanner = loads["border post torkham/road/PK/exit"]
    # the background alone: 500 a day against the 600 it passes (1,200 both ways, S177),
    # and the corridor's few trucks on top
    assert scanner.load == pytest.approx(scale * 500 / 600, abs=0.02)
    assert (scanner.load > 1) == saturated
    if saturated:
        assert "torkham/road/PK/exit" in scanner.message
