"""Seasonal closures: the same part of every year (or of a share of the years)."""

from __future__ import annotations

import math

import pytest

from .builders import flow, scenario
from .engine_helpers import toy_run, toy_scenario


def body(horizon_days, **seasonal):
    return scenario(
        flow("P", "D", 100),
        days=horizon_days,
        trains={1676: 5, 1520: 5},
        disruptions={"seasonal": [{"target": "X", **seasonal}]},
    )


def test_closed_the_same_days_every_year(tmp_path):
    res = toy_run(tmp_path, body(3 * 365, start="01-10", days=5))
    c = res.closures
    assert c["target"].tolist() == ["X"] * 3
    assert c["start_h"].tolist() == pytest.approx([y * 8760 + 9 * 24 for y in range(3)])
    assert (c["end_h"] - c["start_h"]).tolist() == pytest.approx([120] * 3)


def test_in_a_share_of_the_years(tmp_path):
    res = toy_run(tmp_path, body(100 * 365, start="12-20", days=20, probability=0.5))
    n = len(res.closures)
    assert abs(n - 50) < 4 * math.sqrt(25)


def test_a_day_that_does_not_exist_is_refused(tmp_path):
    from corridorsim.errors import ScenarioError

    with pytest.raises(ScenarioError, match="start 02-30 is not a day of the year"):
        toy_scenario(tmp_path, body(30, start="02-30", days=3))
