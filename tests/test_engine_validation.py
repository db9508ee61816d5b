"""The engine against known results: hand sums, queueing theory, exact calendar waits."""

from __future__ import annotations

import math

import numpy as np
import pytest

from corridorsim.results.tables import CATEGORIES

from .builders import crossing, flow, opening, post, scenario, when_full
from .engine_helpers import mmc_body, toy_run

CAT_COLS = [f"{c}_h" for c in CATEGORIES]


def test_deterministic_route_equals_the_hand_sum(tmp_path):
    res = toy_run(
        tmp_path, scenario(flow("P", "D", 87.6), days=60, warmup=1, trains={1676: 1, 1520: 1})
    )
    c = res.containers
    assert c["delivered"].sum() >= 13  # one every 100 h over 60 days
    d = c[c["delivered"]]
    # running 2 + 1 + 1 + 2, transshipment at G 3, posts 2 + 2 (half of X's 4 h each)
    assert np.allclose(d["transit_h"], 13.0)
    assert np.allclose(d["running_h"], 6.0)
    assert np.allclose(d["transshipment_h"], 3.0)
    assert np.allclose(d["border_processing_h"], 4.0)
    for col in ("consolidation_h", "line_wait_h", "border_queue_h", "disruption_h"):
        assert np.allclose(d[col], 0.0)
    assert np.allclose(d["cost_usd"], 10.0)  # X's CPMM cost, no running cost on the toy


def erlang_c_wait(c: int, lam: float, mu: float) -> float:
    """Mean wait in queue of M/M/c (hours)."""
    a = lam / mu
    rho = a / c
    top = a**c / math.factorial(c) / (1 - rho)
    p_wait = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    return p_wait / (c * mu - lam)


@pytest.mark.parametrize(("c", "lam"), [(1, 0.7), (2, 1.4), (3, 2.4)])
def test_mmc_mean_wait_matches_erlang_c(tmp_path, c, lam):
    res = toy_run(tmp_path, mmc_body(c, lam, 1.0))
    d = res.delivered
    per_rep = d.groupby("replication")["border_queue_h"].mean()
    mean, sd, n = per_rep.mean(), per_rep.std(ddof=1), len(per_rep)
    half = 3.5 * sd / math.sqrt(n)  # ~99.5% t-interval with n = 8
    expected = erlang_c_wait(c, lam, 1.0)
    assert abs(mean - expected) <= half, (mean, expected, half)
    # service times: exponential with mean 1
    assert d["border_processing_h"].mean() == pytest.approx(1.0, rel=0.03)


def test_littles_law_on_the_simulated_queue(tmp_path):
    lam = 1.4
    res = toy_run(tmp_path, mmc_body(2, lam, 1.0, days=300, replications=4))
    post = res.resources[res.resources["resource"] == "post Y/road/XX/exit"]
    for rep, row in post.set_index("replication").iterrows():
        rate = row["served"] / ((300 - 20) * 24)  # throughput after warm-up
        assert rate == pytest.approx(lam, rel=0.03)
        # L = lambda * W, both measured on the same resource over the same span
        assert row["mean_queue"] == pytest.approx(rate * row["mean_wait_h"], rel=0.03), rep


def test_arrival_after_closing_waits_exactly_until_opening(tmp_path):
    body = scenario(
        flow("B1", "D", 1, start_hours=19),
        days=5,
        trains={1520: 1},
        borders=crossing("X", exit=post(opening_hours=opening("08:00", "18:00"))),
    )
    res = toy_run(tmp_path, body)
    (row,) = res.containers.itertuples()
    assert row.created_h == 19
    assert row.border_closed_h == pytest.approx(13.0)  # 19:00 -> 08:00 next day
    assert row.border_queue_h == 0.0  # a closed post is not a queue
    assert row.transit_h == pytest.approx(13 + 2 + 1 + 2 + 2)


def test_a_post_open_overnight_works_through_midnight(tmp_path):
    # open 22:00-06:00; a container at 19:00 waits 3 h closed, then 2 h of work
    body = scenario(
        flow("B1", "D", 1, start_hours=19),
        days=5,
        trains={1520: 1},
        borders=crossing("X", exit=post(opening_hours=opening("22:00", "06:00"))),
    )
    (row,) = toy_run(tmp_path, body).containers.itertuples()
    assert row.border_closed_h == pytest.approx(3.0)
    assert row.transit_h == pytest.approx(3 + 2 + 1 + 2 + 2)


def test_an_opening_at_twenty_past_six_does_not_hang(tmp_path):
    """06:20 was found open by one step of the calendar and closed by the next: a run
    with a vehicle at day 10, 00:00 never ended. It waits closed until 06:20, then
    works its hour."""
    body = scenario(
        flow("B1", "D", 1, start_hours=240),
        days=15,
        trains={1520: 1},
        borders=crossing(
            "X",
            exit=post(processing_hours=1, opening_hours=opening("06:20", "18:00")),
            entry=post(processing_hours=0),
        ),
    )
    (row,) = toy_run(tmp_path, body).containers.itertuples()
    assert row.border_closed_h == pytest.approx(6 + 20 / 60)
    assert row.border_processing_h == pytest.approx(1.0)


def weekdays_only(start_hours: float) -> dict:
    """One container at ``start_hours`` to a post open Mon–Fri 08:00–18:00, 1 h work."""
    hours = opening("08:00", "18:00", ["mon", "tue", "wed", "thu", "fri"])
    return scenario(
        flow("B1", "D", 1, start_hours=start_hours),
        days=12,
        trains={1520: 1},
        borders=crossing(
            "X", exit=post(processing_hours=1, opening_hours=hours), entry=post(processing_hours=0)
        ),
    )


def test_processing_pauses_over_the_weekend(tmp_path):
    # Friday 17:30 (t = 4*24 + 17.5), open Mon-Fri 08-18, 1 h of work: half an hour
    # before closing, the rest from Monday 08:00 (t = 7*24 + 8), lane held meanwhile
    res = toy_run(tmp_path, weekdays_only(113.5))
    (row,) = res.containers.itertuples()
    assert row.border_queue_h == 0.0
    assert row.border_processing_h == pytest.approx(1.0)
    assert row.border_closed_h == pytest.approx(7 * 24 + 8 - (4 * 24 + 18))
    res2 = toy_run(tmp_path, weekdays_only(114.5))  # Friday 18:30: closed, wait outside
    (row2,) = res2.containers.itertuples()
    assert row2.border_closed_h == pytest.approx(7 * 24 + 8 - 114.5)  # to Monday 08:00
    assert row2.border_processing_h == pytest.approx(1.0)


def test_processing_started_late_in_the_day_resumes_next_morning(tmp_path):
    # 4 h of work started at 16:06 at an 08:00-18:00 post: 1.9 h today, 2.1 h from 08:00
    body = scenario(
        flow("B1", "D", 1, start_hours=16.1),
        days=5,
        trains={1520: 1},
        borders=crossing(
            "X",
            exit=post(processing_hours=4, opening_hours=opening("08:00", "18:00")),
            entry=post(processing_hours=0),
        ),
    )
    (row,) = toy_run(tmp_path, body).containers.itertuples()
    assert row.border_processing_h == pytest.approx(4.0)
    assert row.border_closed_h == pytest.approx(14.0)  # 18:00 -> 08:00
    assert row.border_queue_h == 0.0


def test_queue_while_the_post_is_closed_is_closed_time(tmp_path):
    # one lane, 2 h of work; vehicles at 17:00 (a) and 17:30 (b). a works 17-18, pauses
    # overnight holding the lane, works 08-09; b queues 17:30-18:00 (open), waits the
    # night (closed), queues 08-09 (open), works 09-11
    body = scenario(
        flow("B1", "D", 1, id="a", start_hours=17),
        flow("B1", "D", 1, id="b", start_hours=17.5),
        days=5,
        trains={1520: 1},
        borders=crossing(
            "X",
            exit=post(processing_hours=2, capacity=1, opening_hours=opening("08:00", "18:00")),
            entry=post(processing_hours=0),
        ),
    )
    c = toy_run(tmp_path, body).containers.set_index("flow")
    assert c.loc["a", "border_processing_h"] == pytest.approx(2.0)
    assert c.loc["a", "border_closed_h"] == pytest.approx(14.0)
    assert c.loc["a", "border_queue_h"] == 0.0
    assert c.loc["b", "border_queue_h"] == pytest.approx(1.5)
    assert c.loc["b", "border_closed_h"] == pytest.approx(14.0)
    assert c.loc["b", "border_processing_h"] == pytest.approx(2.0)


def test_when_full_departs_at_the_maximum_wait(tmp_path):
    # one container every 10 h
    body = scenario(flow("B1", "D", 876), days=20, trains={1520: 5}, departure=when_full(25))
    res = toy_run(tmp_path, body)
    v = res.vehicles
    # arrivals at 0, 10, 20, 30, ...: each train leaves 25 h after its first container
    assert list(v["teu"][:3]) == [3, 3, 3]  # 0, 10, 20 | 30, 40, 50 | ...
    assert list(v["depart_h"][:3]) == pytest.approx([25.0, 55.0, 85.0])
    first = res.containers.iloc[0]
    assert first["consolidation_h"] == pytest.approx(25.0)


def test_when_full_departs_when_full(tmp_path):
    body = scenario(flow("B1", "D", 876), days=10, trains={1520: 3}, departure=when_full(100))
    res = toy_run(tmp_path, body)
    v = res.vehicles
    assert (v["teu"] == 3).all()
    assert list(v["depart_h"][:3]) == pytest.approx([20.0, 50.0, 80.0])


def test_timetable_departures(tmp_path):
    daily = {"policy": "timetable", "times": ["06:00"]}
    res = toy_run(tmp_path, scenario(flow("B1", "D", 1, start_hours=7), days=5, departure=daily))
    (row,) = res.containers.itertuples()
    assert row.consolidation_h == pytest.approx(23.0)  # 07:00 -> 06:00 next day


def test_reformation_at_the_gauge_break_adds_waiting(tmp_path):
    # 2-TEU trains to G, 4-TEU trains after it: every other container waits at G
    body = scenario(
        flow("P", "D", 876), days=30, trains={1676: 2, 1520: 4}, departure=when_full(1000)
    )
    res = toy_run(tmp_path, body)
    d = res.containers[res.containers["delivered"]]
    # containers 0,1 leave P at 10 h, reach G at 12, transship to 15, then wait for
    # containers 2,3 (leave P at 30, at G 35): the first pair waits 20 h at G.
    first = d.iloc[0]
    assert first["consolidation_h"] == pytest.approx(10 + 20)
    assert first["transit_h"] == pytest.approx(43.0)
    assert d.iloc[2]["transit_h"] == pytest.approx(23.0)  # no wait at G: the 4th completes it


def test_headway_spaces_trains(tmp_path):
    body = scenario(
        flow("B1", "D", 8760 * 2),  # two an hour
        days=1,
        trains={1520: 1},
        network={"links": {"B2-D:rail": {"headway_hours": 2}}},
    )
    res = toy_run(tmp_path, body)
    c = res.containers.sort_values("created_h")
    # trains reach D's link every 0.5 h but may enter only every 2 h: waits grow 1.5 h each
    waits = c["line_wait_h"].to_numpy()[:4]
    assert waits == pytest.approx([0, 1.5, 3.0, 4.5])


def test_single_track_shared_by_both_directions(tmp_path):
    body = scenario(
        flow("B2", "D", 8760 / 5, id="in"),
        flow("D", "B2", 8760 / 5, id="out", start_hours=1),
        days=10,
        trains={1520: 1},
        network={"links": {"B2-D:rail": {"max_trains": 1}}},
    )
    res = toy_run(tmp_path, body)
    c = res.containers
    # every 5 h: one train in at t, one out at t+1; the link takes 2 h, so each "out"
    # train waits 1 h for the "in" train to clear the single track
    out = c[c["flow"] == "out"]
    assert out["line_wait_h"].to_numpy()[:5] == pytest.approx([1.0] * 5)
    assert (c[c["flow"] == "in"]["line_wait_h"] == 0).all()
    sec = res.resources[res.resources["kind"] == "line_section"].iloc[0]
    assert sec["utilisation"] == pytest.approx(4 / 5, rel=0.03)  # 2 trains x 2 h per 5 h
    unlimited = toy_run(tmp_path, {**body, "network": {}})
    assert (unlimited.containers["line_wait_h"] == 0).all()


@pytest.mark.parametrize(
    ("method", "expected_trans", "g_wait"),
    [
        ("transship", 3.0, 20.0),  # containers re-formed into 4-TEU trains at G
        ("bogie_exchange", 3.0, 0.0),  # the same train goes on after 3 h
        ("dual_gauge", 0.0, 0.0),  # no stop at all
    ],
)
def test_break_of_gauge_methods(tmp_path, method, expected_trans, g_wait):
    body = scenario(
        flow("P", "D", 876),
        days=30,
        trains={1676: 2, 1520: 4},
        departure=when_full(1000),
        transshipment={"facilities": {"G": {"method": method, "hours_per_train": 3}}},
    )
    res = toy_run(tmp_path, body)
    first = res.containers.iloc[0]
    assert first["transshipment_h"] == pytest.approx(expected_trans)
    assert first["consolidation_h"] == pytest.approx(10 + g_wait)
    trains = res.vehicles
    if method == "transship":
        assert set(trains["gauge_mm"]) == {1676, 1520}
    else:
        assert set(trains["gauge_mm"]) == {1676}  # one train runs through


def test_hours_per_teu_at_a_terminal(tmp_path):
    body = scenario(
        flow("P", "D", 876),
        days=10,
        trains={1676: 2, 1520: 2},
        transshipment={"facilities": {"G": {"hours_per_train": 1, "hours_per_teu": 0.5}}},
    )
    res = toy_run(tmp_path, body)
    assert res.containers.iloc[0]["transshipment_h"] == pytest.approx(1 + 0.5 * 2)


def test_rail_then_road_transfers_at_a_terminal_into_trucks():
    import tempfile
    from pathlib import Path

    import yaml

    from corridorsim.experiments import run
    from corridorsim.scenario import load_scenario

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "s.yaml"
        path.write_text(
            yaml.safe_dump(
                {"name": "rail-road", **scenario(flow("KHI", "KBL", 20000, modes=None), days=30)}
            ),
            encoding="utf-8",
        )
        loaded = load_scenario(path)
    route = loaded.routes["KHI-KBL"]
    assert [m.node for m in route.mode_changes] == ["PEW"]
    res = run(loaded)
    v = res.vehicles
    assert set(v["kind"]) == {"train", "truck"}
    assert v.loc[v["kind"] == "truck", "teu"].max() == 2
    assert v.loc[v["kind"] == "train", "teu"].max() == 75
    d = res.containers[res.containers["delivered"]]
    assert (d["transshipment_h"] > 0).all()  # unloading at Peshawar


def test_en_route_delays_per_100km_by_country(tmp_path):
    body = scenario(
        flow("B1", "D", 87.6),
        days=20,
        trains={1520: 1},
        operations={"en_route_delay_hours_per_100km": {"rail": {"YY": 2.5}}},
    )
    res = toy_run(tmp_path, body)
    d = res.containers[res.containers["delivered"]]
    # YY track: half of B1-B2 (5 km) and B2-D (120 km) -> 125 km x 2.5 h / 100 km
    assert np.allclose(d["en_route_delay_h"], 125 * 2.5 / 100)
    assert np.allclose(d["running_h"], 3.0)  # running time itself is unchanged
    assert np.allclose(d["transit_h"], 3.0 + 4.0 + 3.125)


def test_inspection_channels_add_their_time_with_their_probability(tmp_path):
    channels = [
        {"name": "green", "probability": 0.7},
        {"name": "red", "probability": 0.3, "extra_hours": 10},
    ]
    body = scenario(
        flow("B1", "D", 8760 / 5),
        days=200,
        trains={1520: 1},
        borders=crossing("X", entry=post(processing_hours=1, channels=channels)),
    )
    res = toy_run(tmp_path, body)
    d = res.containers[res.containers["delivered"]]
    extra = d["border_processing_h"] - 2.0 - 1.0  # exit post 2 h, entry 1 h before extras
    assert set(np.round(extra.unique(), 9)) == {0.0, 10.0}
    share_red = float((extra > 5).mean())
    n = len(d)
    assert abs(share_red - 0.3) < 4 * math.sqrt(0.3 * 0.7 / n)


def test_costs_add_running_fees_and_handling_charges(tmp_path):
    body = scenario(
        flow("P", "D", 87.6),
        days=30,
        trains={1676: 1, 1520: 1},
        network={"links": {"G-B1:rail": {"cost_usd_per_teu_km": 2.0}}},
        transshipment={"facilities": {"G": {"hours_per_train": 3, "charge_usd_per_teu": 40}}},
        borders={"defaults": {"rail": {"fee_usd_per_teu": 25}}},
    )
    d = toy_run(tmp_path, body).containers
    # 50 km x $2 on G-B1, $40 at the gauge terminal, $25 at crossing X (the scenario's fee)
    assert np.allclose(d["cost_usd"], 50 * 2.0 + 40 + 25)


@pytest.mark.parametrize(
    "clearance", [{"dist": "fixed", "value": 3.0}, {"dist": "exponential", "mean": 3.0}]
)
def test_clearance_holds_no_lane_so_the_queue_is_erlang_c_and_time_adds_it(tmp_path, clearance):
    """A post's clearance (documents, payments) is a delay before the lane queue: the
    queue stays M/M/c's whatever the clearance (Erlang C), and the border processing is
    the clearance plus the service (3 + 1 h); the lanes' utilisation is unchanged."""
    c, lam = 2, 1.4
    body = mmc_body(c, lam, 1.0)
    body["borders"]["crossings"]["Y"]["road"]["exit"]["clearance_hours"] = clearance
    res = toy_run(tmp_path, body)
    d = res.delivered
    per_rep = d.groupby("replication")["border_queue_h"].mean()
    half = 3.5 * per_rep.std(ddof=1) / math.sqrt(len(per_rep))
    assert abs(per_rep.mean() - erlang_c_wait(c, lam, 1.0)) <= half
    assert d["border_processing_h"].mean() == pytest.approx(3.0 + 1.0, rel=0.03)
    post = res.resources[res.resources["resource"] == "post Y/road/XX/exit"]
    assert post["utilisation"].mean() == pytest.approx(lam / c, rel=0.03)
