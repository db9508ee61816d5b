"""Lever ranking: one at a time from the baseline, then cumulatively in order of effect,
all with the same seed."""

from __future__ import annotations

import pytest
import yaml

from corridorsim.errors import CorridorSimError
from corridorsim.experiments import run
from corridorsim.levers import LeversFile, rank_levers, read_levers

from .builders import flow, scenario
from .conftest import SCENARIOS
from .engine_helpers import toy_scenario


def test_the_shipped_levers_file_reads_and_a_bad_path_names_its_lever(tmp_path):
    shipped = read_levers(SCENARIOS / "levers" / "western-rail.yaml")
    assert len(shipped.levers) == 5
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        yaml.safe_dump({"levers": [{"name": "typo", "set": {"ports.dwel_hours.KHI": 1}}]}),
        encoding="utf-8",
    )
    with pytest.raises(
        CorridorSimError,
        match=r"bad.yaml:4:5: .*lever 'typo': ports has no field 'dwel_hours'; did you mean",
    ):
        read_levers(bad)


def test_the_saving_and_its_interval_are_one_estimator(tmp_path):
    """The saving is the pooled p90's; its interval, a paired bootstrap of that same
    pooled p90 over replications, holds the point, has a width where replications
    differ (Poisson arrivals), and is the same for the same seed."""
    body = scenario(
        flow("P", "D", 2000, schedule=False), days=60, warmup=5, trains={1676: 10, 1520: 10}
    )
    path = toy_scenario(tmp_path, body).path
    levers = LeversFile.model_validate(
        {
            "levers": [
                {
                    "name": "trains of 20",
                    "set": {"operations.train_capacity_teu": {1676: 20, 1520: 20}},
                }
            ]
        }
    )
    one, _ = rank_levers(path, levers, replications=4, seed=9)
    row = one.iloc[0]
    assert row["saved_p90_days"] == pytest.approx(row["baseline_p90_days"] - row["p90_days"])
    assert row["saved_p90_low_days"] <= row["saved_p90_days"] <= row["saved_p90_high_days"]
    assert row["saved_p90_high_days"] > row["saved_p90_low_days"]
    again, _ = rank_levers(path, levers, replications=4, seed=9)
    assert again.iloc[0]["saved_p90_low_days"] == row["saved_p90_low_days"]


def test_ranked_by_days_saved_then_applied_in_that_order(tmp_path):
    body = scenario(flow("P", "D", 2000), days=60, warmup=5, trains={1676: 10, 1520: 10})
    body["ports"] = {"dwell_hours": {"P": 100}}
    path = toy_scenario(tmp_path, body).path
    levers = LeversFile.model_validate(
        {
            "levers": [
                {"name": "a little less dwell", "set": {"ports.dwell_hours.P": 76}},
                {
                    "name": "trains of 20",
                    "set": {"operations.train_capacity_teu": {1676: 20, 1520: 20}},
                },
                {"name": "no dwell", "set": {"ports.dwell": False}},
            ]
        }
    )
    one, steps = rank_levers(path, levers, replications=3)
    assert one["lever"].tolist()[0] == "no dwell"
    # a fixed dwell adds itself to every transit: 100 h and 24 h saved at p90
    saved = dict(zip(one["lever"], one["saved_p90_days"], strict=True))
    assert saved["no dwell"] == pytest.approx(100 / 24, abs=1e-6)
    assert saved["a little less dwell"] == pytest.approx(24 / 24, abs=1e-6)
    assert one["saved_p90_days"].is_monotonic_decreasing
    # a fixed dwell shifts every replication's transits alike: the interval is nil
    ci = dict(zip(one["lever"], one["saved_p90_ci95_days"], strict=True))
    assert ci["no dwell"] == pytest.approx(0, abs=1e-9)
    # the path starts at the baseline, its first step is the top lever alone, its last
    # is every lever at once
    assert steps["p90_days"].iloc[0] == pytest.approx(one["baseline_p90_days"].iloc[0])
    assert steps["p90_days"].iloc[1] == pytest.approx(one["p90_days"].iloc[0])
    # every lever at once, written as a scenario of its own and run directly (not
    # through the variants the path is made of): no dwell, trains of 20
    every = dict(body, ports={"dwell": False}, name="every-lever")
    every["operations"] = {**body["operations"], "train_capacity_teu": {1676: 20, 1520: 20}}
    last = run(toy_scenario(tmp_path, every), replications=3)
    assert steps["p90_days"].iloc[-1] == pytest.approx(
        last.delivered["transit_h"].quantile(0.9) / 24
    )


def _toy_with_levers(tmp_path, target_days):
    body = scenario(flow("P", "D", 2000), days=60, warmup=5, trains={1676: 10, 1520: 10})
    body["ports"] = {"dwell_hours": {"P": 100}}
    body["target"] = {"hours": 24 * target_days}
    path = toy_scenario(tmp_path, body).path
    levers = tmp_path / "levers.yaml"
    levers.write_text(
        yaml.safe_dump(
            {
                "levers": [
                    {"name": "no dwell", "set": {"ports.dwell": False}, "source": ["S163"]},
                    {"name": "less dwell", "set": {"ports.dwell_hours.P": 50}},
                ]
            }
        ),
        encoding="utf-8",
    )
    return path, levers


def test_a_run_that_misses_says_what_it_would_take(cli, tmp_path):
    path, levers = _toy_with_levers(tmp_path, 1)
    out = tmp_path / "out"
    res = cli("run", str(path), "--levers", str(levers), "--quiet", "--out", str(out))
    assert res.returncode == 0, res.stderr
    md = (out / "report.md").read_text(encoding="utf-8")
    section = md.split("## What it would take")[1].split("## ")[0]
    assert section.index("| no dwell |") < section.index("| less dwell |")  # ranked
    assert "the target of 1 days is" in section
    assert "S163" in md.split("## Sources")[1]  # the lever's source is cited
    assert "What it would take" in (out / "report.html").read_text(encoding="utf-8")
    assert (out / "plots" / "levers.png").stat().st_size > 10_000


def test_a_run_that_meets_its_target_runs_no_levers(cli, tmp_path):
    path, levers = _toy_with_levers(tmp_path, 60)
    out = tmp_path / "out"
    res = cli("run", str(path), "--levers", str(levers), "--quiet", "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert "every flow meets its target: the levers" in res.stdout
    assert "What it would take" not in (out / "report.md").read_text(encoding="utf-8")
    assert not (out / "plots" / "levers.png").exists()


def test_a_bad_levers_file_stops_the_run_before_it_starts(cli, tmp_path):
    path, levers = _toy_with_levers(tmp_path, 1)
    levers.write_text("levers:\n  - name: x\n    set: {ports.dwel: false}\n", encoding="utf-8")
    out = tmp_path / "out"
    res = cli("run", str(path), "--levers", str(levers), "--quiet", "--out", str(out))
    assert res.returncode == 2
    assert "did you mean 'dwell'" in res.stderr
    assert not out.exists()
