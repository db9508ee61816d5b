"""Background traffic at border posts: vehicles that are not the corridor's share its
lanes. Checked against queueing theory (Erlang C), for monotone response to volume, and
for what switching it off or scaling it does."""

from __future__ import annotations

import math

import numpy as np
import pytest

from .builders import crossing, flow, post, scenario
from .engine_helpers import toy_run


def erlang_c_wait(lam: float, mu: float, c: int) -> float:
    """Mean wait in queue of an M/M/c queue (hours)."""
    a = lam / mu
    top = a**c / math.factorial(c) * c / (c - a)
    p_wait = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    return p_wait / (c * mu - lam)


def background_body(per_day: float, lanes: int, *, scale: float = 1.0, days: float = 200):
    """Road crossing Y with ``per_day`` background trucks from XX to YY, exponential
    1 h processing on ``lanes`` lanes at the exit post, and a trickle of corridor trucks."""
    borders = crossing(
        "Y",
        "road",
        exit=post(processing_hours={"dist": "exponential", "mean": 1.0}, capacity=lanes),
        entry=post(processing_hours=0),
    )
    borders["crossings"]["Y"]["road"]["background_per_day"] = {"XX-YY": per_day}
    borders["background_scale"] = scale
    return scenario(
        flow("Q1", "Q2", 400, id="trucks", schedule=False, modes=("road",)),
        days=days,
        warmup=20,
        replications=4,
        seed=5,
        operations={"truck_capacity_teu": 1},
        borders=borders,
    )


def exit_post(res):
    r = res.resources
    return r[r["resource"] == "post Y/road/XX/exit"].set_index("replication")


@pytest.mark.parametrize(("lanes", "lam"), [(2, 1.0), (2, 1.6), (3, 2.7)])
def test_background_queue_matches_erlang_c(tmp_path, lanes, lam):
    res = toy_run(tmp_path, background_body(lam * 24, lanes))
    waits = exit_post(res)["mean_wait_h"].to_numpy()
    theory = erlang_c_wait(lam + 400 / 8760, 1.0, lanes)  # background and corridor trucks
    half = 3 * waits.std(ddof=1) / np.sqrt(len(waits))
    assert abs(waits.mean() - theory) <= half + 0.03 * theory, (waits, theory)


def test_corridor_waits_grow_with_background_traffic(tmp_path):
    means = []
    for scale in (0.5, 1.0, 1.5, 2.0):
        res = toy_run(tmp_path, background_body(30, 2, scale=scale))
        means.append(res.delivered["border_queue_h"].mean())
    assert means == sorted(means)
    assert means[-1] > 3 * means[0]


def test_background_off_is_the_corridor_alone(tmp_path):
    off = toy_run(tmp_path, background_body(40, 2, scale=0.0, days=60))
    none = toy_run(tmp_path, background_body(0, 2, days=60))
    cols = ["created_h", "delivered_h", "border_queue_h", "border_processing_h"]
    assert off.containers[cols].equals(none.containers[cols])
    assert (exit_post(off)["served"] < 200).all()  # only the corridor's trucks


def test_background_vehicles_cross_both_posts(tmp_path):
    body = background_body(40, 2, days=60)
    body["borders"]["crossings"]["Y"]["road"]["entry"] = {
        "processing_hours": 0.5,
        "capacity": 3,
    }
    res = toy_run(tmp_path, body)
    r = res.resources.set_index(["replication", "resource"])
    for rep in range(4):
        out = r.loc[(rep, "post Y/road/XX/exit"), "served"]
        into = r.loc[(rep, "post Y/road/YY/entry"), "served"]
        assert abs(out - into) <= 5  # the same vehicles, a few still between posts
        assert out > 40 * 40  # 40 days after the warm-up at 40 a day, and the corridor's


def test_crossing_statistics_add_the_two_posts_and_count_closed_time(tmp_path):
    from corridorsim.results.summary import summarize

    body = background_body(40, 2, days=60)
    road = body["borders"]["crossings"]["Y"]["road"]
    road["entry"] = {"processing_hours": {"dist": "exponential", "mean": 1.0}, "capacity": 2}
    road["exit"]["opening_hours"] = {"open": "06:00", "close": "24:00"}
    res = toy_run(tmp_path, body)
    (row,) = [c for c in summarize(res).crossings if c.crossing == "Y"]
    posts = res.resources[res.resources["resource"].str.startswith("post Y/road/")]
    per_rep = posts.groupby("replication")["mean_queue"].sum()
    assert row.mean_queue == pytest.approx(per_rep.mean())
    assert row.closed_share == pytest.approx(6 / 24)
    assert row.tfi1_p90_hours > row.tfi1_hours > 2.0


def test_background_counts_in_the_capacity_warning(tmp_path):
    from corridorsim.engine import Plan
    from corridorsim.engine.loads import offered_loads

    from .engine_helpers import toy_scenario

    loaded = toy_scenario(tmp_path, background_body(48, 1, days=30))  # 2 an hour, 1 h each
    (load,) = [x for x in offered_loads(Plan.build(loaded)) if "Y/road/XX/exit" in x.name]
    assert load.load == pytest.approx(2.0 + 400 / 8760, rel=1e-6)
    assert "demand exceeds capacity" in load.message


def test_terminal_background_trains_share_its_capacity(tmp_path):
    import yaml

    from .engine_helpers import TOY

    net = yaml.safe_load(TOY.read_text(encoding="utf-8"))
    net["terminals"][0]["background"] = {"vehicles_per_day": 6, "estimate": "test"}
    (tmp_path / "net.yaml").write_text(yaml.safe_dump(net), encoding="utf-8")

    def body(scale):
        b = scenario(
            flow("P", "D", 2000, schedule=False),
            days=60,
            warmup=10,
            replications=2,
            seed=3,
            trains={1676: 5, 1520: 5},
        )
        b["borders"] = {"background_scale": scale}
        return b

    from corridorsim.experiments import run
    from corridorsim.scenario import load_scenario

    def go(scale):
        data = {"name": "toy", **body(scale), "network": {"file": str(tmp_path / "net.yaml")}}
        path = tmp_path / f"s{scale}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return run(load_scenario(path))

    busy, quiet = go(1.0), go(0.0)
    t = busy.resources[busy.resources["resource"] == "terminal G/gauge"]
    # 6 trains a day of 3 h at 80%: ceil(6 / 24 * 3 / 0.8) = 1 train at once
    assert (t["capacity"] == 1).all()
    assert (t["served"] > 6 * 50).all()  # background trains after the warm-up, and ours
    assert busy.delivered["transshipment_h"].mean() > quiet.delivered["transshipment_h"].mean()


# --- closures stop background traffic too ---------------------------------------------


def _hourly_lane():
    """One lane, a background vehicle every hour from t = 0, half an hour each; the
    crossing closed from 10 to 20."""
    from corridorsim.engine.availability import Availability
    from corridorsim.engine.lanes import LanePost

    lanes = LanePost(1, Availability(None, [(10.0, 20.0)]))
    lanes.background_arrivals = np.arange(0.0, 41.0)
    lanes.background_work = np.full(41, 0.5)
    return lanes


def test_a_closure_holds_background_vehicles_and_their_backlog_clears_by_hand():
    """Those arriving at 10..19 wait; from 20 the lane clears the backlog at half an
    hour a vehicle while one more arrives each hour, so vehicle k (arriving at k >= 10)
    starts at 20 + 0.5 (k - 10) until that is before k: from k = 30 on, at once."""
    lanes = _hourly_lane()
    lanes.advance(41.0)
    r = lanes.records()
    k, starts = r[:, 0], r[:, 1]
    assert not ((starts >= 10.0) & (starts < 20.0)).any()  # nobody starts while shut
    np.testing.assert_allclose(
        starts, np.maximum(k, 20 + 0.5 * (k - 10)) * (k >= 10) + k * (k < 10)
    )
    assert starts[k == 30][0] == 30.0  # the backlog is gone


def test_past_its_cap_the_backlog_turns_vehicles_away():
    """With room for four while shut, those arriving at 10..13 wait and 14..19 stay
    away; the four start at 20, 20.5, 21, 21.5, and the one at 20 at 22."""
    lanes = _hourly_lane()
    lanes.backlog_cap = 4
    lanes.advance(41.0)
    r = lanes.records()
    assert lanes.turned_away == 6
    assert not ((r[:, 0] >= 14) & (r[:, 0] < 20)).any()
    starts = dict(zip(r[:, 0], r[:, 1], strict=True))
    assert [starts[k] for k in (10, 11, 12, 13, 20, 21, 24)] == [20, 20.5, 21, 21.5, 22, 22.5, 24]


def test_a_corridor_vehicle_waits_out_the_closure_then_the_backlog():
    lanes = _hourly_lane()
    # at 15.5, behind the six that came at 10..15 (20 to 23): shut 4.5 h, queued 3 h
    during = lanes.serve(15.5, 0.5)
    assert during.disrupted == pytest.approx(4.5)
    assert during.queue == pytest.approx(3.0)
    assert during.end == pytest.approx(23.5)
    # at 25.5, behind sixteen and itself before: 20 + 8 + 0.5 = 28.5, queued 3 h
    after = lanes.serve(25.5, 0.5)
    assert after.disrupted == 0.0
    assert after.queue == pytest.approx(3.0)


def test_in_a_run_no_vehicle_starts_at_a_closed_crossing(tmp_path):
    """A scheduled closure of Y from day 20 to day 23: background trucks arriving then
    queue, and start only once it reopens; the corridor's trucks wait behind them."""
    from corridorsim.engine import CorridorModel, Plan

    from .engine_helpers import toy_scenario

    body = background_body(40, 2, days=40)
    body["disruptions"] = {"scheduled": [{"target": "Y", "start_day": 20, "days": 3}]}
    plan = Plan.build(toy_scenario(tmp_path, body))
    model = CorridorModel(plan, replication=0, seed=5)
    model.run()
    exit_lanes = next(p.lanes for k, p in model.posts.items() if "exit" in str(k))
    r = exit_lanes.records()
    shut = (r[:, 1] >= 480.0) & (r[:, 1] < 552.0)
    assert not shut.any()
    held = (r[:, 0] >= 480.0) & (r[:, 0] < 552.0)
    assert held.sum() > 100  # about 40 a day for three days
    assert (r[held, 1] >= 552.0).all()
    # the backlog: 120 trucks of 1 h on 2 lanes take about 60 h to clear
    after = r[(r[:, 0] >= 552.0) & (r[:, 0] < 560.0)]
    assert (after[:, 1] - after[:, 0]).mean() > 20.0
