"""What sweep, goal-seek and levers are asked, read as they are meant: whole numbers for
fields that take them, work counted and refused before it is built, and every bad
argument a located message with exit 2 before anything runs."""

from __future__ import annotations

import time

import pytest
import yaml

from corridorsim import batch
from corridorsim.errors import CorridorSimError, ScenarioError
from corridorsim.goal_seeking import goal_seek, parse_target
from corridorsim.levers import check_levers, read_levers
from corridorsim.sweeps import sweep
from corridorsim.vary import grid_settings, parse_vary

from .builders import crossing, flow, post, scenario
from .conftest import SCENARIOS
from .engine_helpers import toy_scenario

LANES = "borders.crossings.X.rail.exit.capacity"
WAIT = "operations.departure.max_wait_hours"
DEFAULT = str(SCENARIOS / "default.yaml")


def lanes_toy(tmp_path):
    """5.5 trains a day, 10 h each at a post: unstable on 1–2 lanes, p90 falling with
    more (about 24 h on 3 lanes, 16 h on 4, 13 h on 5)."""
    body = scenario(
        flow("B1", "D", 2000, schedule=False),
        days=60,
        warmup=5,
        trains={1520: 1},
        borders=crossing("X", exit=post(processing_hours=10), entry=post(processing_hours=0)),
    )
    return toy_scenario(tmp_path, body).path


# --- whole numbers ------------------------------------------------------------------


def test_a_field_of_whole_numbers_gets_whole_numbers():
    path = "borders.crossings.torkham.road.exit.capacity"
    assert parse_vary(f"{path}=2:8:4") == (path, (2, 4, 6, 8))
    assert all(type(v) is int for v in parse_vary(f"{path}=2:8:4")[1])
    assert parse_vary(f"{path}=3.0,4") == (path, (3, 4))
    with pytest.raises(CorridorSimError, match=r"whole numbers, and 3 values from 2 to 3"):
        parse_vary(f"{path}=2:3:3")
    with pytest.raises(CorridorSimError, match=r"whole numbers \(got 2.5\)"):
        parse_vary(f"{path}=2.5")
    assert parse_vary(f"{WAIT}=24:48:3")[1] == (24.0, 36.0, 48.0)  # hours stay hours


def test_lanes_can_be_swept(tmp_path):
    """Before, every value was refused: 'a whole number is needed (got 3.0)'."""
    table = sweep(lanes_toy(tmp_path), [parse_vary(f"{LANES}=3:5:2")], replications=1).table
    assert table[LANES].tolist() == [3, 5]
    assert table["p90_days"].iloc[0] > table["p90_days"].iloc[1]


def test_goal_seek_on_lanes_bisects_over_whole_numbers(tmp_path):
    r = goal_seek(lanes_toy(tmp_path), LANES, 1, 16, parse_target("p90<=20h"), replications=1)
    assert all(float(x).is_integer() for x, _, _ in r.points)
    assert (r.fails, r.meets) == (3, 4)  # the fewest lanes that meet it, and one fewer
    assert "whole numbers: bisected over integers" in r.verdict
    assert len(r.points) <= 2 + 4  # 16 values need four halvings


# --- counted before built -------------------------------------------------------------


def test_a_billion_values_are_refused_at_once():
    start = time.process_time()
    with pytest.raises(CorridorSimError, match="N = 1000000000 values; at most 200"):
        parse_vary(f"{WAIT}=1:2:1000000000")
    assert time.process_time() - start < 1.0  # nothing was built (CPU time, not wall)


def test_a_grid_is_counted_before_it_is_built():
    varies = [parse_vary(f"{p}=1:100:100") for p in (WAIT, "ports.dwell_hours.KHI")] + [
        parse_vary(f"{p}=1:100:100")
        for p in ("borders.background_scale", "operations.truck_capacity_teu")
    ]
    with pytest.raises(CorridorSimError, match=r"100,000,000 variants \(100 x 100 x 100 x 100"):
        grid_settings(varies)


def test_too_many_levers_are_refused_at_their_line(tmp_path):
    many = {"levers": [{"name": f"l{i}", "set": {WAIT: i + 1}} for i in range(10_000)]}
    path = tmp_path / "many.yaml"
    path.write_text(yaml.safe_dump(many), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"many.yaml:\d+:\d+: levers: .*at most 60"):
        read_levers(path)


def test_goal_seek_steps_are_bounded():
    with pytest.raises(CorridorSimError, match="--steps 1000000: give 1 to 30"):
        goal_seek(DEFAULT, WAIT, 1, 96, parse_target("p90<=5d"), steps=1_000_000)


# --- bad arguments: one located line, exit 2, before any run --------------------------


@pytest.fixture
def no_runs(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a run started")

    monkeypatch.setattr(batch, "run_batch", refuse)
    monkeypatch.setattr("corridorsim.sweeps.run_batch", refuse)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--vary", "operations.truck_capacity_teu=[1"], "'[1' is not a single value"),
        (["--vary", f"{WAIT}=1,,2"], "value 2 is empty"),
        (["--vary", f"{WAIT}=24,24"], "24 given more than once"),
        (["--vary", f"{WAIT}=24,48", "--vary", f"{WAIT}=1,2"], f"--vary {WAIT} is given twice"),
        (["--vary", "simulation.seed=1,2"], "same seed (common random numbers); give it with"),
        (["--vary", "simulation.replications=1,2"], "give them with --replications"),
        (["--vary", f"{WAIT}=1:2:1000000000"], "at most 200"),
    ],
)
def test_sweep_arguments(cli, tmp_path, no_runs, args, message):
    r = cli("sweep", DEFAULT, *args, "--out", str(tmp_path / "o"))
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("p90<=1.2.3d", "write p90<=120h"),
        ("p90<=.h", "write p90<=120h"),
        ("share>=150%", "a share is at most 100%"),
        ("p90<=0d", "above zero"),
    ],
)
def test_goal_seek_targets(cli, no_runs, target, message):
    r = cli("goal-seek", DEFAULT, "--vary", f"{WAIT}=1:96", "--target", target)
    assert r.returncode == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr


def test_an_unknown_flow_is_refused_before_any_run(cli, tmp_path, no_runs):
    for command in (
        ["goal-seek", DEFAULT, "--vary", f"{WAIT}=1:96", "--target", "p90<=5d"],
        ["levers", DEFAULT, "--levers", "western-rail", "--out", str(tmp_path / "l")],
    ):
        r = cli(*command, "--flow", "pk-to-kzz")
        assert r.returncode == 2, r.stderr
        assert "--flow pk-to-kzz: no such flow" in r.stderr
        assert "did you mean 'pk-to-kz'?" in r.stderr


def write_levers(tmp_path, levers):
    path = tmp_path / "levers.yaml"
    path.write_text(yaml.safe_dump({"levers": levers}, sort_keys=False), encoding="utf-8")
    return path


def test_a_lever_with_a_bad_value_is_named_at_its_line(cli, tmp_path, no_runs):
    path = write_levers(
        tmp_path,
        [
            {"name": "fine", "set": {WAIT: 24}},
            {"name": "negative", "set": {"borders.crossings.torkham.road.exit.capacity": -3}},
        ],
    )
    with pytest.raises(ScenarioError) as err:
        check_levers(DEFAULT, read_levers(path), None)
    (issue,) = err.value.issues
    assert (issue.file, issue.line) == (str(path), 7)
    assert "lever 'negative'" in issue.message
    r = cli("levers", DEFAULT, "--levers", str(path), "--out", str(tmp_path / "o"))
    assert r.returncode == 2
    assert f"{path}:7:" in r.stderr
    assert "--vary" not in r.stderr
    r = cli("run", DEFAULT, "--levers", str(path), "--out", str(tmp_path / "r"))
    assert r.returncode == 2
    assert not (tmp_path / "r").exists()


def test_duplicate_lever_names_are_refused(tmp_path):
    path = write_levers(
        tmp_path, [{"name": "a", "set": {WAIT: 24}}, {"name": "a", "set": {WAIT: 1}}]
    )
    with pytest.raises(ScenarioError, match=r"levers.yaml:\d+:\d+: levers\[1\].name: the name 'a'"):
        read_levers(path)
