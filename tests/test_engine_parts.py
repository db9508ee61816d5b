"""Unit tests of the engine's parts: monitored resources and consolidation queues."""

from __future__ import annotations

import numpy as np
import pytest
import simpy

from corridorsim.engine.consolidation import Consolidator
from corridorsim.engine.resources import MonitoredResource, ResourceId
from corridorsim.scenario.format import WhenFull


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
    res = MonitoredResource(env, ResourceId("border_post", crossing="x"), 1)
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
    res = MonitoredResource(env, ResourceId("border_post", crossing="x"), 1)
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
    res = MonitoredResource(env, ResourceId("terminal", node="T"), None)
    _customers(env, res, [1.0, 3.0], starts=[0.0, 0.0])
    env.run(until=4.0)
    st = res.stats()
    assert np.isnan(st["utilisation"])
    assert st["mean_busy"] == pytest.approx((1 + 3) / 4)
    assert st["mean_queue"] == 0
    assert st["served"] == 2


def _dispatches(times, capacity, max_wait, *, batch_fed, horizon=1e6):
    env = simpy.Environment()
    out = []

    def dispatch(ids, queued):
        out.append((env.now, ids.tolist(), queued.tolist()))

    cons = Consolidator(
        env, capacity, WhenFull(max_wait_hours=max_wait), dispatch, batch_fed=batch_fed
    )
    cons.set_future(np.asarray(times, dtype=float), np.arange(len(times)))
    env.run(until=horizon)
    return out, cons.waiting()


def test_when_full_departs_full_or_after_the_longest_wait():
    # capacity 3, max wait 5 h: {0,1,2} leave full at 2; 10 waits until 15 and takes 12
    # along; 30 and 31 leave at 35, or are still waiting if the run ends at 33 h
    out, waiting = _dispatches([0, 1, 2, 10, 12, 30, 31], 3, 5.0, batch_fed=False, horizon=40)
    assert [(t, ids) for t, ids, _ in out] == [
        (2.0, [0, 1, 2]),
        (15.0, [3, 4]),
        (35.0, [5, 6]),
    ]
    assert waiting == 0
    out, waiting = _dispatches([0, 1, 2, 10, 12, 30, 31], 3, 5.0, batch_fed=False, horizon=33)
    assert len(out) == 2
    assert waiting == 2


@pytest.mark.parametrize(("capacity", "max_wait"), [(1, 24.0), (2, 0.5), (5, 3.0), (97, 72.0)])
def test_when_full_schedule_equals_the_event_driven_rule(capacity, max_wait):
    """The precomputed schedule (queues fed only at the origin) and the process that
    also takes batches, given the same arrivals and no batches, dispatch alike."""
    rng = np.random.default_rng(capacity)
    times = np.cumsum(rng.exponential(1.0, 3000))
    times[100:110] = times[100]  # simultaneous arrivals
    horizon = float(times[-1]) - 50
    scheduled = _dispatches(times, capacity, max_wait, batch_fed=False, horizon=horizon)
    evented = _dispatches(times, capacity, max_wait, batch_fed=True, horizon=horizon)
    assert len(scheduled[0]) == len(evented[0]) > 10
    for (t1, ids1, q1), (t2, ids2, q2) in zip(scheduled[0], evented[0], strict=True):
        assert t1 == pytest.approx(t2, abs=1e-9)
        assert ids1 == ids2
        assert q1 == q2
    assert scheduled[1] == evented[1]
