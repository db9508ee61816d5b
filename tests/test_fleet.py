"""Train sets: a train leaves only when one of its service's sets is there; a set is
away for the turnaround; timetabled trains without a set are cancelled."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from corridorsim.engine.fleet import Fleet
from corridorsim.engine.resources import ResourceId

from .builders import flow, scenario, when_full
from .engine_helpers import toy_run

RID = ResourceId("fleet", mode="rail", node="A", link="A-B")


def test_fleet_bookkeeping_by_hand():
    f = Fleet(RID, sets=2, turnaround_hours=10)
    assert f.next_free() == 0
    f.take(0.0, due=0.0)
    f.take(1.0, due=1.0)
    assert f.next_free() == 10  # both away
    f.take(12.0, due=11.0)  # the first is back at 10; this one waited an hour for it
    s = f.stats(warmup=0.0, now=20.0)
    assert s["served"] == 3
    # sets away: [0, 10], [1, 11], [12, 20 (now)] = 10 + 10 + 8 hours in 20 hours
    assert s["mean_busy"] == pytest.approx(28 / 20)
    assert s["utilisation"] == pytest.approx(28 / 40)
    assert s["mean_wait_h"] == pytest.approx(1 / 3)
    assert f.states()[:, 2].tolist() == [1, 2, 1]  # at 12 h both others are back


def body(sets=None, departure=None, teu=8760, end_hours=0):
    ops = {}
    if sets is not None:
        ops["fleet"] = {"sets": {1676: sets, 1520: sets}, "end_hours": end_hours}
    return scenario(
        flow("P", "D", teu),  # one TEU an hour, on a fixed schedule
        days=40,
        warmup=0,
        trains={1676: 10, 1520: 10},
        departure=departure or when_full(1000),
        operations=ops,
    )


def departures(res, start="P"):
    v = res.vehicles
    return np.sort(v[v["from"] == start]["depart_h"].to_numpy())


def test_sets_enough_never_to_bind_change_nothing(tmp_path):
    free = toy_run(tmp_path, body())
    many = toy_run(tmp_path, body(sets=1000))
    cols = ["container", "departed_h", "delivered_h", "transit_h"]
    pd.testing.assert_frame_equal(free.containers[cols], many.containers[cols])


def test_one_set_leaves_once_per_turnaround(tmp_path):
    res = toy_run(tmp_path, body(sets=1))
    (turnaround,) = {s.turnaround_hours for s in res.plan.segments if s.start == "P"}
    gaps = np.diff(departures(res))
    assert gaps.min() >= turnaround - 1e-6
    # ten TEU arrive every 10 h but the set is back only every turnaround: trains leave
    # full, and containers wait longer than without the limit
    assert (res.vehicles[res.vehicles["from"] == "P"]["teu"] == 10).all()
    free = toy_run(tmp_path, body())
    assert res.delivered["consolidation_h"].mean() > free.delivered["consolidation_h"].mean()
    fleet = res.resources[res.resources["kind"] == "fleet"]
    assert fleet["utilisation"].max() == pytest.approx(1.0, abs=0.05)


def test_a_timetabled_train_without_a_set_is_cancelled(tmp_path):
    daily = {"policy": "timetable", "times": ["06:00"]}
    res = toy_run(tmp_path, body(sets=1, departure=daily, teu=200, end_hours=20))
    (turnaround,) = {s.turnaround_hours for s in res.plan.segments if s.start == "P"}
    assert 24 < turnaround < 48  # so the one set makes every other daily slot
    gaps = np.diff(departures(res))
    assert set(np.round(gaps).astype(int)) == {48}


def test_the_assumptions_that_decide_the_answer_are_stated(tmp_path):
    from corridorsim.results.summary import summarize

    plain = summarize(toy_run(tmp_path, body()))
    text = " ".join(plain.assumptions)
    assert "Trains leave when full or after 1000 h at most (set in the scenario" in text
    assert "Trucks leave when full or after 24 h at most (an assumption" in text
    assert "Train sets: no limit" in text
    fleet = summarize(toy_run(tmp_path, body(sets=3, end_hours=12)))
    text = " ".join(fleet.assumptions)
    assert "Train sets: 3 per 1,676 mm service, 3 per 1,520 mm service" in text
    assert "plus 12 h at the ends" in text
    assert fleet.to_json()["assumptions"] == list(fleet.assumptions)
