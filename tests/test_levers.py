"""Lever ranking: one at a time from the baseline, then cumulatively in order of effect,
all with the same seed."""

from __future__ import annotations

import pytest
import yaml

from corridorsim.errors import CorridorSimError
from corridorsim.levers import LeversFile, rank_levers, read_levers
from corridorsim.sweeps import run_settings

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
    with pytest.raises(CorridorSimError, match=r"lever 'typo'.*did you mean 'dwell_hours'"):
        read_levers(bad)


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
    one, steps = rank_levers(path, levers)
    assert one["lever"].tolist()[0] == "no dwell"
    # a fixed dwell adds itself to every transit: 100 h and 24 h saved at p90
    saved = dict(zip(one["lever"], one["saved_p90_days"], strict=True))
    assert saved["no dwell"] == pytest.approx(100 / 24, abs=1e-6)
    assert saved["a little less dwell"] == pytest.approx(24 / 24, abs=1e-6)
    assert one["saved_p90_days"].is_monotonic_decreasing
    # the path starts at the baseline, its first step is the top lever alone, its last
    # is every lever at once
    assert steps["p90_days"].iloc[0] == pytest.approx(one["baseline_p90_days"].iloc[0])
    assert steps["p90_days"].iloc[1] == pytest.approx(one["p90_days"].iloc[0])
    every = {}
    for lv in sorted(levers.levers, key=lambda lv: one["lever"].tolist().index(lv.name)):
        every.update(lv.set)
    (last,) = run_settings(path, [every])["p90_days"].unique()[:1]
    assert steps["p90_days"].iloc[-1] == pytest.approx(last)
