"""Invariants and metamorphic relations of the engine."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from corridorsim.engine import ConservationError, CorridorModel, Plan
from corridorsim.experiments import run
from corridorsim.results.records import build_records
from corridorsim.results.tables import CATEGORIES

from .builders import flow, scenario
from .engine_helpers import mmc_body, toy_run, toy_scenario

CAT_COLS = [f"{c}_h" for c in CATEGORIES]


@pytest.fixture(scope="module")
def default_results():
    return run(None, replications=2, horizon_days=120)


def test_default_scenario_runs_and_conserves_containers(default_results):
    c = default_results.containers
    assert len(c) > 0
    assert c["delivered"].mean() > 0.8
    assert set(c["flow"]) == {"pk-to-kz", "kz-to-pk"}


def test_breakdown_adds_up_to_transit(default_results):
    d = default_results.containers
    d = d[d["delivered"]]
    assert np.allclose(d[CAT_COLS].sum(axis=1), d["transit_h"], atol=1e-6)
    assert (d[CAT_COLS] >= -1e-9).all().all()


def test_every_vehicle_carries_at_most_its_capacity(default_results):
    v = default_results.vehicles
    cap = {1676: 75, 1520: 97}
    assert (v["teu"] <= v["gauge_mm"].map(cap)).all()
    assert (v["teu"] > 0).all()


def test_same_seed_same_records(tmp_path):
    body = mmc_body(2, 1.4, 1.0, days=30, warmup=2, replications=2)
    a = toy_run(tmp_path, body)
    b = toy_run(tmp_path, body)
    pd.testing.assert_frame_equal(a.containers, b.containers)
    pd.testing.assert_frame_equal(a.resources, b.resources)


def test_other_seed_other_records(tmp_path):
    a = toy_run(tmp_path, mmc_body(2, 1.4, 1.0, days=30, warmup=2, replications=1))
    b = toy_run(tmp_path, mmc_body(2, 1.4, 1.0, days=30, warmup=2, replications=1), seed=12)
    assert not a.containers["created_h"].equals(b.containers["created_h"])


def test_serial_equals_parallel():
    calls: list[int] = []
    serial = run(None, replications=3, horizon_days=60, jobs=1, meanwhile=lambda: calls.append(1))
    parallel = run(None, replications=3, horizon_days=60, jobs=2, meanwhile=lambda: calls.append(2))
    assert calls == [1, 2]  # once each, here (``run`` imports its writers meanwhile)
    for name in ("containers", "vehicles", "resources", "closures"):
        pd.testing.assert_frame_equal(getattr(serial, name), getattr(parallel, name))


def test_common_random_numbers_same_arrivals_across_scenarios(tmp_path):
    a = toy_run(tmp_path, mmc_body(1, 0.7, 1.0, days=30, warmup=2, replications=2))
    b = toy_run(tmp_path, mmc_body(3, 0.7, 1.0, days=30, warmup=2, replications=2))
    assert np.array_equal(a.containers["created_h"], b.containers["created_h"])


@pytest.mark.parametrize("lam", [0.6, 0.9])
def test_more_border_capacity_never_increases_waiting(tmp_path, lam):
    waits = []
    for c in (1, 2, 3, None):
        res = toy_run(tmp_path, mmc_body(c, lam, 1.0, days=60, warmup=5, replications=3))
        waits.append(res.containers["border_queue_h"].to_numpy())
    for fewer, more in itertools.pairwise(waits):
        assert more.mean() <= fewer.mean() + 1e-12
    assert waits[-1].max() == 0  # unlimited lanes: a delay, no queue


def test_a_closure_never_shortens_transit(tmp_path):
    base = mmc_body(1, 0.5, 1.0, days=60, warmup=0, replications=2)
    closed = mmc_body(
        1,
        0.5,
        1.0,
        days=60,
        warmup=0,
        replications=2,
        extra={"disruptions": {"scheduled": [{"target": "Y", "start_day": 10, "days": 3}]}},
    )
    a = toy_run(tmp_path, base).containers
    b = toy_run(tmp_path, closed).containers
    both = a["delivered"] & b["delivered"]
    # same arrivals, same service draws in the same FIFO order: per container, no gain
    assert (b.loc[both, "transit_h"] >= a.loc[both, "transit_h"] - 1e-9).all()
    assert b.loc[both, "transit_h"].mean() > a.loc[both, "transit_h"].mean()
    hit = b[(b["created_h"] > 240) & (b["created_h"] < 312)]
    assert (hit["disruption_h"] > 0).all()
    assert hit["disruption_h"].max() == pytest.approx(312 - hit["created_h"].min(), abs=0.01)
    (spell,) = toy_run(tmp_path, closed).closures.query("replication == 0").itertuples()
    assert (spell.start_h, spell.end_h) == (240, 312)


def test_random_incidents_close_the_target_at_the_stated_rate(tmp_path):
    body = mmc_body(
        None,
        0.5,
        0.1,
        days=365,
        warmup=0,
        replications=2,
        extra={
            "disruptions": {
                "random": [
                    {
                        "target": "Q1-Q2:road",
                        "rate_per_year": 50,
                        "duration_hours": {"dist": "exponential", "mean": 12},
                    }
                ]
            }
        },
    )
    res = toy_run(tmp_path, body)
    spells = res.closures
    per_rep = spells.groupby("replication").size()
    assert per_rep.between(30, 75).all()  # Poisson(50): well inside 5 sd
    durations = spells["end_h"] - spells["start_h"]
    assert durations.mean() == pytest.approx(12, rel=0.3)
    delayed = res.containers[res.containers["disruption_h"] > 0]
    assert len(delayed) > 0


def test_rerouting_uses_the_alternative_during_a_long_closure(tmp_path):
    def body(enabled: bool) -> dict:
        return mmc_body(
            None,
            0.5,
            0.1,
            days=40,
            warmup=0,
            replications=1,
            extra={
                "disruptions": {
                    "scheduled": [{"target": "Y", "start_day": 10, "days": 10}],
                    "rerouting": {"enabled": enabled, "threshold_hours": 24},
                }
            },
        )

    waited = toy_run(tmp_path, body(False)).containers
    rerouted = toy_run(tmp_path, body(True)).containers
    during = (rerouted["created_h"] > 250) & (rerouted["created_h"] < 400)
    assert set(rerouted.loc[during, "route"]) == {"Q1–Q3–Q2"}
    assert set(rerouted.loc[~during & (rerouted["created_h"] < 200), "route"]) == {"Q1–Q2"}
    assert rerouted.loc[during, "transit_h"].mean() < waited.loc[during, "transit_h"].mean()
    assert rerouted.loc[during, "disruption_h"].max() == 0


def test_conservation_is_checked(tmp_path):
    loaded = toy_scenario(tmp_path, mmc_body(1, 0.5, 1.0, days=5, warmup=0, replications=1))
    model = CorridorModel(Plan.build(loaded))
    model.env.run(until=model.horizon)
    model.on_board += 1
    with pytest.raises(ConservationError, match="created"):
        model.check_conservation()


def test_conservation_holds_at_any_time_and_checking_changes_nothing(tmp_path):
    """A truck every 2 h, 1 h at the post: checked every quarter hour, containers created
    so far = delivered + in the system, and the final records equal an unchecked run."""
    body = mmc_body(1, 0.5, 1.0, days=2, warmup=0, replications=1)
    body["demand"][0]["arrivals"] = "schedule"
    body["borders"]["crossings"]["Y"]["road"]["exit"]["processing_hours"] = 1.0
    plan = Plan.build(toy_scenario(tmp_path, body))
    straight = build_records(CorridorModel(plan).run())
    model = CorridorModel(plan)
    for k in range(1, 4 * 48):
        model.env.run(until=k / 4)
        model.check_conservation()
    checked = build_records(model.run())
    pd.testing.assert_frame_equal(checked.containers, straight.containers)
    pd.testing.assert_frame_equal(checked.vehicles, straight.vehicles)
    assert checked.containers["delivered"].sum() == 24
    assert checked.containers["transit_h"].max() == pytest.approx(1.0)


def test_warmup_removal(tmp_path):
    res = toy_run(tmp_path, mmc_body(1, 0.5, 1.0, days=20, warmup=5, replications=1))
    c = res.containers
    assert (c.loc[c["after_warmup"], "created_h"] >= 120).all()
    assert (res.delivered["created_h"] >= 120).all()
    assert len(res.delivered) < len(c)


def test_running_noise_changes_running_time_only(tmp_path):
    noise = {"dist": "uniform", "low": 0.9, "high": 1.5}
    body = scenario(
        flow("B1", "D", 87.6), days=200, trains={1520: 1}, operations={"running_noise": noise}
    )
    d = toy_run(tmp_path, body).containers
    d = d[d["delivered"]]
    assert d["running_h"].between(3 * 0.9, 3 * 1.5).all()
    assert d["running_h"].mean() == pytest.approx(3 * 1.2, rel=0.05)
    assert np.allclose(d["border_processing_h"], 4.0)
