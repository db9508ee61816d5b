"""KPI arithmetic on hand-built records with known answers."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from corridorsim.results.kpis import (
    crossing_kpis,
    flow_kpis,
    place_hours,
    section_speeds,
    throughput,
    verdict,
)
from corridorsim.results.stats import mean_ci95, paired_difference
from corridorsim.results.tables import CATEGORIES

CAT_COLS = [f"{c}_h" for c in CATEGORIES]


def containers(transits_by_rep: dict[int, list[float]], flow: str = "f") -> pd.DataFrame:
    rows = []
    for rep, transits in transits_by_rep.items():
        for t in transits:
            row = {"replication": rep, "flow": flow, "transit_h": t, "cost_usd": 100.0}
            # put all the time in running, except 10 h of border queue
            row.update(dict.fromkeys(CAT_COLS, 0.0))
            row["border_queue_h"] = 10.0
            row["running_h"] = t - 10.0
            rows.append(row)
    return pd.DataFrame(rows)


def test_paired_difference_pairs_replications():
    # differences 1, 2, 3 (sd 1): mean 2, half-width t(0.975, 2) / sqrt(3)
    mean, half = paired_difference([11.0, 22.0, 33.0, 99.0], [10.0, 20.0, 30.0])
    assert mean == pytest.approx(2.0)
    assert half == pytest.approx(4.302652729911275 / math.sqrt(3))
    # the spread of either scenario alone does not widen the interval of the difference
    assert paired_difference([5.0, 105.0], [4.0, 104.0]) == pytest.approx((1.0, 0.0))


def test_mean_ci95_is_student_t_on_replication_means():
    mean, half = mean_ci95([10.0, 12.0, 14.0])
    # sd = 2, n = 3, t(0.975, 2) = 4.302652729911275
    assert mean == pytest.approx(12.0)
    assert half == pytest.approx(4.302652729911275 * 2 / math.sqrt(3))
    assert math.isnan(mean_ci95([5.0])[1])
    assert mean_ci95([7.0, 7.0]) == (7.0, 0.0)


def test_flow_kpis_percentiles_ci_share_and_breakdown():
    d = containers({0: [100, 110, 120, 130], 1: [90, 100, 110, 200]})
    k = flow_kpis(d, target_hours=120, replications=[0, 1]).loc["f"]
    # CI across replication means 115 and 125 (not across the 8 containers)
    assert k["mean_h"] == pytest.approx(120)
    assert k["mean_ci95_h"] == pytest.approx(12.706204736174707 * math.sqrt(50) / math.sqrt(2))
    # sorted: 90 100 100 110 110 120 130 200; p50 halfway between the 4th and 5th (110),
    # p90 at position 0.9 x 7 = 6.3: 130 + 0.3 x (200 - 130) = 151
    assert k["p50_h"] == pytest.approx(110)
    assert k["p90_h"] == pytest.approx(151)
    # spread of p50 across replications: 115 and 105
    assert k["p50_sd_h"] == pytest.approx(np.std([115, 105], ddof=1))
    # shares within 120 h: 3/4 and 3/4, 6 of all 8: the replications agree (no design
    # effect), so Wilson's 95% interval for 6 of 8, (0.4093, 0.9285), not a zero width
    assert k["share_within_target"] == pytest.approx(0.75)
    assert k["share_ci95_low"] == pytest.approx(0.4093, abs=5e-5)
    assert k["share_ci95_high"] == pytest.approx(0.9285, abs=5e-5)
    assert k["border_queue_h"] == 10
    assert k[CAT_COLS].sum() == pytest.approx(k["mean_h"])  # breakdown adds up
    assert k["n"] == 8


def test_a_replication_without_deliveries_is_missing_not_zero():
    d = containers({0: [100, 120], 2: [110]})
    k = flow_kpis(d, 120, replications=[0, 1, 2]).loc["f"]
    assert k["mean_h"] == pytest.approx((110 + 110) / 2)


def places():
    P = SimpleNamespace  # noqa: N806
    return [
        P(name="link A-B", kind="link", countries={"AA": 1.0}),
        P(name="link B-C", kind="link", countries={"AA": 0.25, "BB": 0.75}),
        P(name="post X exit", kind="post", countries={"AA": 1.0}),
        P(name="waiting at A", kind="consolidation", countries={"AA": 1.0}),
    ]


def flow_places() -> pd.DataFrame:
    # two replications, 2 and 3 containers: totals per replication
    rows = [
        (0, "f", 0, "running", 20.0, 2),
        (1, "f", 0, "running", 30.0, 3),
        (0, "f", 1, "running", 40.0, 2),
        (1, "f", 1, "running", 60.0, 3),
        (0, "f", 2, "border_queue", 10.0, 2),
        (1, "f", 2, "border_queue", 40.0, 3),
        (0, "f", 3, "consolidation", 5.0, 2),
        (1, "f", 3, "consolidation", 20.0, 3),
    ]
    return pd.DataFrame(
        rows, columns=["replication", "flow", "place", "category", "hours", "containers"]
    )


def test_place_hours_are_means_per_container():
    h = place_hours(flow_places(), places()).set_index(["place", "category"])["hours"]
    assert h[(0, "running")] == pytest.approx(50 / 5)
    assert h[(1, "running")] == pytest.approx(100 / 5)
    assert h[(2, "border_queue")] == pytest.approx(10)
    assert h[(3, "consolidation")] == pytest.approx(5)


def test_swod_and_swd_per_country():
    h = place_hours(flow_places(), places())
    s = section_speeds(h, places(), {"f": {"AA": 400.0, "BB": 300.0}}).set_index("country")
    # AA: running 10 + 0.25 * 20 = 15 h; all time 15 + 10 (post) + 5 (waiting) = 30 h
    assert s.loc["AA", "swod_kmh"] == pytest.approx(400 / 15)
    assert s.loc["AA", "swd_kmh"] == pytest.approx(400 / 30)
    # BB: running 0.75 * 20 = 15 h, no delays there
    assert s.loc["BB", "swod_kmh"] == pytest.approx(300 / 15)
    assert s.loc["BB", "swd_kmh"] == pytest.approx(300 / 15)


def test_tfi1_per_crossing_and_direction():
    passages = pd.DataFrame(
        {
            "replication": [0, 0, 1, 1, 0],
            "vehicle": [1, 2, 1, 2, 3],
            "crossing": ["x"] * 5,
            "mode": ["road"] * 5,
            "from_country": ["AA", "AA", "AA", "AA", "BB"],
            "hours": [10.0, 20.0, 30.0, 40.0, 5.0],
            "depart_h": [0.0] * 5,
        }
    )
    resources = pd.DataFrame(
        {
            # names that do not follow any pattern: the KPIs read the structured columns
            "resource": ["a", "b", "c", "d"],
            "replication": [0] * 4,
            "kind": ["border_post"] * 4,
            "crossing": ["x"] * 4,
            "mode": ["road"] * 4,
            "direction": ["AA-BB", "AA-BB", "BB-AA", "BB-AA"],
            "utilisation": [0.5, 0.3, 0.9, 0.9],
            "mean_queue": [2.0, 1.0, 9.0, 9.0],
        }
    )
    k = crossing_kpis(passages, resources, {("x", "road"): 50.0}, {"x": "X crossing"})
    aa = k[k["from_country"] == "AA"].iloc[0]
    assert aa["tfi1_hours"] == pytest.approx(25)  # replication means 15 and 35
    assert aa["tfi1_ci95"] == pytest.approx(12.706204736174707 * math.sqrt(200) / math.sqrt(2))
    assert aa["vehicles"] == 2
    assert aa["tfi2_usd_per_teu"] == 50
    assert aa["utilisation"] == pytest.approx(0.4)  # AA exit and BB entry only
    assert aa["mean_queue"] == pytest.approx(3.0)  # the queues of the two posts, added
    assert aa["tfi1_p90_hours"] == pytest.approx(37.0)
    assert math.isnan(aa["closed_share"])  # not given
    assert k[k["from_country"] == "BB"].iloc[0]["tfi1_hours"] == 5


def test_throughput_and_trade_value():
    c = pd.DataFrame(
        {
            "flow": ["f"] * 6,
            "delivered": [True] * 5 + [False],
            "delivered_h": [100.0, 8760 / 2, 8760 / 2, 8000, 8700, np.nan],
        }
    )
    t = throughput(
        c, {"f": (10.0, 1000.0)}, warmup_h=8760 / 4, horizon_h=8760, replications=1
    ).iloc[0]
    # 4 delivered after the warm-up in 3/4 of a year
    assert t["delivered_teu_per_year"] == pytest.approx(4 / 0.75)
    assert t["trade_value_usd_per_year"] == pytest.approx(4 / 0.75 * 1000)
    assert t["delivered_share"] == pytest.approx(4 / 0.75 / 10)


def test_verdict_names_the_largest_contributor_and_its_place():
    k = pd.Series({"p90_h": 158.0, **dict.fromkeys(CAT_COLS, 1.0), "border_queue_h": 60.0})
    h = pd.DataFrame(
        {
            "flow": ["f", "f"],
            "category": ["border_queue"] * 2,
            "name": ["Torkham (PK exit, road)", "Chaman (PK exit, road)"],
            "hours": [10.0, 50.0],
        }
    )
    text = verdict("f", k, 120, 90, h)
    assert text.startswith("misses 5 days by 38 h at p90")
    assert "largest avoidable contributor: border queue at Chaman (PK exit, road)" in text
    ok = verdict("f", pd.Series({"p90_h": 100.0, **dict.fromkeys(CAT_COLS, 1.0)}), 120, 90, h)
    assert ok.startswith("meets 5 days at p90")


def test_the_gap_budget_splits_avoidable_time_from_physics():
    from corridorsim.results.gap import gap_budget

    means = {"running": 60.0, "en_route_delay": 10.0, "consolidation": 40.0, "port_dwell": 20.0}
    b = gap_budget(means, value_hours=150.0, target_hours=120.0)
    assert b.gap_hours == 30
    assert list(b.avoidable) == ["consolidation", "port_dwell"]  # largest first
    assert b.avoidable_hours == 60
    assert b.physics_hours == 70
    assert b.share_needed == pytest.approx(0.5)
    assert b.sentence().startswith("closing it takes 30 h less waiting: 50% of the 60 h")
    slow = gap_budget({**means, "running": 115.0}, value_hours=200.0, target_hours=120.0)
    assert "no cut in waiting closes the gap" in slow.sentence()  # 125 h of physics
    short = gap_budget(means, value_hours=190.0, target_hours=120.0)  # gap 70 > 60
    assert "more than all 60 h of avoidable time" in short.sentence()


def test_the_verdict_names_the_largest_avoidable_not_running():
    k = pd.Series(
        {
            "p90_h": 300.0,
            **dict.fromkeys(CAT_COLS, 0.0),
            "running_h": 100.0,
            "consolidation_h": 90.0,
        }
    )
    h = pd.DataFrame(
        {"flow": ["f"], "category": ["consolidation"], "name": ["Chaman (CHM)"], "hours": [90.0]}
    )
    text = verdict("f", k, 120, 90, h)
    assert "largest avoidable contributor: waiting for a train or truck at Chaman (CHM)" in text
    assert "more than all 90 h of avoidable time" in text  # gap 180 h
