"""Unit tests of the engine's parts: monitored resources and consolidation queues."""

from __future__ import annotations

import numpy as np
import pytest
import simpy

from corridorsim.engine.resources import MonitoredResource


def _customers(env, res, holds, starts=None):
    def customer(start, hold):
        yield env.timeout(start)
        req = yield from res.acquire()
        yield env.timeout(hold)
        res.release(req)

    for k, hold in enumerate(holds):
        env.process(customer(0.0 if starts is None else starts[k], hold))


def test_resource_statistics_match_a_hand_computed_queue():
    # one server, three customers at t=0 holding 2 h each: busy 0-6, queue 2 then 1 then 0
    env = simpy.Environment()
    res = MonitoredResource(env, "post", "border_post", 1)
    _customers(env, res, [2.0, 2.0, 2.0])
    env.run(until=8.0)
    st = res.stats()
    assert st["served"] == 3
    assert st["utilisation"] == pytest.approx(6 / 8)
    assert st["mean_queue"] == pytest.approx((2 * 2 + 1 * 2) / 8)
    assert st["mean_wait_h"] == pytest.approx((0 + 2 + 4) / 3)
    states = res.states()
    assert states[:, 0].tolist() == [0, 0, 0, 2, 2, 4, 4, 6]
    assert states[-1, 1:].tolist() == [0, 0]
    assert states[:, 1].max() == 2
    assert states[:, 2].max() == 1


def test_resource_statistics_restart_at_the_reset():
    env = simpy.Environment()
    res = MonitoredResource(env, "post", "border_post", 1)
    _customers(env, res, [2.0, 2.0, 2.0])

    def reset():
        yield env.timeout(3.0)
        res.reset_stats()

    env.process(reset())
    env.run(until=8.0)
    st = res.stats()
    # from t=3 to 8: busy 3-6 (3 h), queue 1 from 3 to 4; grants after the reset: one at t=4
    assert st["utilisation"] == pytest.approx(3 / 5)
    assert st["mean_queue"] == pytest.approx(1 / 5)
    assert st["served"] == 1
    assert st["mean_wait_h"] == pytest.approx(4.0)


def test_unlimited_resource_counts_busy_servers_without_a_queue():
    env = simpy.Environment()
    res = MonitoredResource(env, "terminal", "terminal", None)
    _customers(env, res, [1.0, 3.0], starts=[0.0, 0.0])
    env.run(until=4.0)
    st = res.stats()
    assert np.isnan(st["utilisation"])
    assert st["mean_busy"] == pytest.approx((1 + 3) / 4)
    assert st["mean_queue"] == 0
    assert st["served"] == 2
