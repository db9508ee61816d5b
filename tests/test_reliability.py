"""Reliability as shippers feel it, from hand-built container tables and a run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from corridorsim.results.reliability import MONTH_HOURS, reliability, sentence
from corridorsim.results.summary import summarize

from .builders import flow, scenario
from .engine_helpers import toy_run


def table(rows):
    """rows: (replication, month, transit h, disruption h, count)."""
    out = []
    for rep, month, transit, wait, n in rows:
        for k in range(n):
            out.append((rep, "f", month * MONTH_HOURS + k, transit, wait))
    return pd.DataFrame(
        out, columns=["replication", "flow", "created_h", "transit_h", "disruption_h"]
    )


def test_hand_computed():
    d = table(
        [
            (0, 0, 100.0, 0.0, 30),
            (0, 1, 400.0, 300.0, 30),  # replication 0: a closure in month 2
            (1, 0, 100.0, 0.0, 30),
            (1, 1, 120.0, 0.0, 30),
            (1, 2, 900.0, 800.0, 5),  # too few containers for its month to count
        ]
    )
    r = reliability(d, "f")
    assert r.delayed_share == pytest.approx(35 / 125)
    assert r.mean_delay_if_delayed_hours == pytest.approx((30 * 300 + 5 * 800) / 35)
    assert r.longest_delay_hours == 800
    # worst months: 400 h (replication 0), 120 h (replication 1)
    assert r.worst_month_p90_hours == pytest.approx((400 + 120) / 2)
    text = sentence(r)
    assert text.startswith("28% of containers delayed by closures")
    assert "p90 in a year's worst month: 10.8 days" in text


def test_no_closure_no_sentence_and_nothing_delivered_none():
    d = table([(0, 0, 100.0, 0.0, 25)])
    r = reliability(d, "f")
    assert r.delayed_share == 0
    assert r.mean_delay_if_delayed_hours is None
    assert sentence(r) is None
    assert reliability(d, "other") is None


def test_a_scheduled_closure_delays_the_containers_caught_by_it(tmp_path):
    body = scenario(
        flow("P", "D", 8760, schedule=True),  # one TEU an hour
        days=60,
        warmup=0,
        trains={1676: 1, 1520: 1},
        disruptions={"scheduled": [{"target": "X", "start_day": 20, "days": 5}]},
    )
    res = toy_run(tmp_path, body)
    (f,) = summarize(res).flows
    r = f.reliability
    assert 0 < r.delayed_share < 0.2
    assert r.longest_delay_hours == pytest.approx(5 * 24, abs=3)
    d = res.delivered
    delayed = d[d["disruption_h"] > 0]
    assert np.isclose(r.delayed_share, len(delayed) / len(d))
