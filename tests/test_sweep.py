"""Parameter sweeps: paths in the file's own terms, every combination, common random
numbers, a tidy table and a response plot."""

from __future__ import annotations

import json

import pytest

from corridorsim.errors import CorridorSimError
from corridorsim.experiments import run
from corridorsim.results.summary import summarize
from corridorsim.sweeps import parse_vary, sweep

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
    ],
)
def test_a_bad_vary_says_what_is_wrong(text, message):
    with pytest.raises(CorridorSimError, match=message.replace("?", r"\?").replace("(", r"\(")):
        parse_vary(text)


def test_the_base_value_reproduces_the_base_run_and_the_response_is_monotone():
    table = sweep(DEFAULT, [(WAIT, (24, 72, 168))], replications=2, horizon_days=120)
    assert len(table) == 3 * 2  # three variants, two flows
    base = summarize(run(DEFAULT, replications=2, horizon_days=120))
    same = table[table[WAIT] == 72].set_index("flow")
    for f in base.flows:
        assert same.loc[f.flow, "mean_days"] == pytest.approx(f.transit_hours.mean / 24)
        assert same.loc[f.flow, "p90_days"] == pytest.approx(f.transit_hours.p90 / 24)
    north = table[table["flow"] == "pk-to-kz"].sort_values(WAIT)["mean_days"].tolist()
    assert north == sorted(north)  # waiting longer for a full train never speeds it up


def test_a_grid_runs_every_combination():
    table = sweep(
        DEFAULT,
        [(WAIT, (24, 72)), ("ports.dwell", (True, False))],
        replications=1,
        horizon_days=90,
    )
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
    assert (tmp_path / "s" / "response.png").stat().st_size > 10_000
    bad = cli(
        "sweep", str(DEFAULT), "--vary", f"{WAIT}=-5", "--quiet", "--out", str(tmp_path / "b")
    )
    assert bad.returncode == 2
    assert f"variant {WAIT}=-5: {WAIT}: must be more than 0" in bad.stderr
    assert not (tmp_path / "b").exists()
