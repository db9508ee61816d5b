"""Consolidation: containers wait at a node until a train or truck of one segment departs.

A :class:`Consolidator` holds two kinds of waiting containers without a Python event
per container: containers created at the origin, whose arrival times are known in
advance (a sorted array read with a pointer), and containers handed over in batches by
arriving vehicles (a queue of arrays). The departure rule needs only array arithmetic:
*when full* departs when ``capacity`` containers wait or the oldest has waited
``max_wait_hours``; a *timetable* departs at fixed instants with whatever waits, up to
``capacity``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Generator
from typing import Any

import numpy as np
import simpy

from corridorsim.engine.calendar import Departures
from corridorsim.engine.fleet import Fleet
from corridorsim.scenario.format import Timetable, WhenFull

__all__ = ["EPS", "Consolidator"]

EPS = 1e-9
"""Hours; arrivals this close to now count as arrived (guards float round-off)."""

Dispatch = Callable[[np.ndarray, np.ndarray], None]


class Consolidator:
    """Containers waiting for the vehicles of one segment.

    Parameters
    ----------
    env : simpy.Environment
    capacity : int
        TEU per vehicle.
    policy : WhenFull or Timetable
    dispatch : callable
        ``dispatch(ids, queue_times)`` starts a vehicle with those containers now.
    dispatch_range : callable, optional
        ``dispatch_range(start, end)`` starts a vehicle with the known arrivals
        ``start:end`` (in time order, see :meth:`set_future`); used instead of
        ``dispatch`` by a queue with a precomputed schedule, which saves slicing arrays
        per vehicle. Defaults to calling ``dispatch`` with those slices.
    batch_fed : bool
        Whether vehicles can hand containers over to this queue; if not, *when full*
        departures are worked out from the known arrival times in advance
        (:meth:`when_full_schedule`) and the process only wakes to dispatch.
    fleet : Fleet, optional
        The service's train sets: a departure that is due waits for a free set (a
        timetabled one is cancelled), and takes one. None: no limit. With a fleet the
        departures cannot be worked out in advance, so ``batch_fed`` must be true.
    """

    def __init__(
        self,
        env: simpy.Environment,
        capacity: int,
        policy: WhenFull | Timetable,
        dispatch: Dispatch,
        *,
        dispatch_range: Callable[[int, int], None] | None = None,
        batch_fed: bool = True,
        fleet: Fleet | None = None,
    ):
        self.env = env
        self.fleet = fleet
        self.batch_fed = batch_fed
        self.capacity = int(capacity)
        self.policy = policy
        self.dispatch = dispatch
        self.dispatch_range = dispatch_range or (
            lambda start, end: dispatch(self.future_id[start:end], self.future_t[start:end])
        )
        self.schedule_ends: list[int] = []
        self.future_t = np.empty(0)
        self.future_id = np.empty(0, dtype=np.int64)
        self._ft: list[float] = []
        self._k = 0  # future arrivals up to now (advances with the clock)
        self.ptr = 0
        self.batches: deque[tuple[np.ndarray, np.ndarray]] = deque()
        self.n_batched = 0
        self.signal = env.event()
        self._departures = (
            Departures(policy.times, policy.days) if isinstance(policy, Timetable) else None
        )
        env.process(self._run())

    # --- feeding -------------------------------------------------------------------------

    def set_future(self, times: np.ndarray, ids: np.ndarray) -> None:
        """Containers that will arrive at known times (sorted), e.g. created at the origin."""
        order = np.argsort(times, kind="stable")
        self.future_t = np.asarray(times, dtype=float)[order]
        self.future_id = np.asarray(ids, dtype=np.int64)[order]
        self._ft = self.future_t.tolist()  # scalar reads from a list are much faster
        self.ptr = 0
        self._k = 0

    def add(self, ids: np.ndarray, times: np.ndarray) -> None:
        """Containers arriving now (from a vehicle); ``times`` are their queue-entry times."""
        if len(ids) == 0:
            return
        self.batches.append((ids, times))
        self.n_batched += len(ids)
        if not self.signal.triggered:
            self.signal.succeed()

    # --- state ---------------------------------------------------------------------------

    def _arrived_future(self) -> int:
        """How many of the known future arrivals have happened by now."""
        self._k = k = bisect_right(self._ft, self.env.now + EPS, self._k)
        return k

    def waiting(self) -> int:
        """Containers waiting now."""
        return self.n_batched + self._arrived_future() - self.ptr

    def _oldest(self, k_now: int) -> float:
        t = float("inf")
        if self.ptr < k_now:
            t = self._ft[self.ptr]
        for _, times in self.batches:
            t = min(t, float(times.min()))
        return t

    def _take(self, k_now: int) -> tuple[np.ndarray, np.ndarray]:
        """Remove up to ``capacity`` waiting containers, oldest first."""
        if not self.batches:  # only origin arrivals: they are already in time order
            end = min(k_now, self.ptr + self.capacity)
            ids, times = self.future_id[self.ptr : end], self.future_t[self.ptr : end]
            self.ptr = end
            return ids, times
        ids_parts = [self.future_id[self.ptr : k_now]]
        t_parts = [self.future_t[self.ptr : k_now]]
        for ids, times in self.batches:
            ids_parts.append(ids)
            t_parts.append(times)
        ids = np.concatenate(ids_parts)
        times = np.concatenate(t_parts)
        if len(ids) > self.capacity:
            order = np.argsort(times, kind="stable")
            take, keep = order[: self.capacity], order[self.capacity :]
            # keep what stays as one batch (in arrival order), the future pointer advances
            fut_n = k_now - self.ptr
            keep_future = keep[keep < fut_n]
            keep_batch = keep[keep >= fut_n]
            self.batches.clear()
            rest = np.sort(np.concatenate([keep_future, keep_batch]))
            if len(rest):
                self.batches.append((ids[rest], times[rest]))
            self.n_batched = len(rest)
            self.ptr = k_now
            return ids[take], times[take]
        self.batches.clear()
        self.n_batched = 0
        self.ptr = k_now
        return ids, times

    # --- the departure process -----------------------------------------------------------

    def _wait(self, delay: float) -> Generator[Any, Any, None]:
        sig = self.signal
        if delay == float("inf"):
            yield sig
        else:
            yield self.env.timeout(max(delay, 0.0)) | sig
        if sig.triggered:
            self.signal = self.env.event()

    def _run(self) -> Generator[Any, Any, None]:
        if self._departures is not None:
            yield from self._run_timetable()
        elif not self.batch_fed:
            yield from self._run_scheduled()
        else:
            yield from self._run_when_full()

    def when_full_schedule(self) -> tuple[list[float], list[int]]:
        """Departure times, and how many known arrivals have left by each, under *when
        full* with no batches: every load is the oldest waiting containers, so the
        loads are consecutive runs of the sorted arrivals and the rule needs no events.

        A load starting with arrival ``i`` leaves when it fills (arrival ``i + capacity
        - 1``) or when arrival ``i`` has waited ``max_wait_hours``, whichever is first,
        and takes what has arrived by then (up to ``capacity``). The same rule as
        :meth:`_run_when_full`, without a clock. (A load never fills before the previous
        departure: more than ``capacity`` waiting at a departure means arrivals at that
        very instant, and those fill the next load at that instant too.)"""
        assert isinstance(self.policy, WhenFull)
        ft, n = self.future_t, len(self.future_t)
        cap = self.capacity
        # for every arrival i, when a load starting with it would leave and where the
        # next load would start (numpy, all at once); the loads are then a chain from 0
        idx = np.arange(n)
        full = idx + (cap - 1)
        depart = ft + self.policy.max_wait_hours
        if cap <= n:
            depart[: n - cap + 1] = np.minimum(depart[: n - cap + 1], ft[full[: n - cap + 1]])
        nxt = np.minimum(np.searchsorted(ft, depart + EPS, side="right"), idx + cap)
        if n and (nxt == idx + 1).all():  # every container leaves on its own
            return depart.tolist(), list(range(1, n + 1))
        d_l, nxt_l = depart.tolist(), nxt.tolist()
        times: list[float] = []
        ends: list[int] = []
        i = 0
        while i < n:
            times.append(d_l[i])
            i = nxt_l[i]
            ends.append(i)
        return times, ends

    def _run_scheduled(self) -> Generator[Any, Any, None]:
        env = self.env
        dispatch_range = self.dispatch_range
        times, self.schedule_ends = self.when_full_schedule()
        start = 0
        for d, end in zip(times, self.schedule_ends, strict=True):
            now = env.now
            if d > now:
                yield env.timeout(d - now)
            self.ptr = end
            dispatch_range(start, end)
            start = end

    def _send(self, k_now: int, due: float) -> None:
        """A vehicle leaves now with the oldest waiting containers (taking a set)."""
        ids, times = self._take(k_now)
        if self.fleet is not None:
            self.fleet.take(self.env.now, due)
        self.dispatch(ids, times)

    def _set_free_at(self) -> float:
        return -float("inf") if self.fleet is None else self.fleet.next_free()

    def _run_when_full(self) -> Generator[Any, Any, None]:
        assert isinstance(self.policy, WhenFull)
        cap, max_wait = self.capacity, self.policy.max_wait_hours
        env = self.env
        n_future = len(self._ft)
        due: float | None = None  # when the departure now waiting for a set fell due
        while True:
            now = env.now
            k_now = self._arrived_future()
            count = self.n_batched + k_now - self.ptr
            if count > 0:
                wake = now
                if count < cap:
                    need = k_now + (cap - count) - 1
                    t_full = self._ft[need] if need < n_future else float("inf")
                    wake = min(self._oldest(k_now) + max_wait, t_full)
                if wake <= now + EPS:
                    due = now if due is None else due
                    wake = self._set_free_at()
                    if wake <= now + EPS:
                        self._send(k_now, due)
                        due = None
                        continue
            else:
                wake = self._ft[k_now] if k_now < n_future else float("inf")
            yield from self._wait(wake - now)

    def _run_timetable(self) -> Generator[Any, Any, None]:
        assert self._departures is not None
        env = self.env
        while True:
            t_next = self._departures.next_after(env.now + EPS)
            yield env.timeout(t_next - env.now)
            k_now = self._arrived_future()
            waiting = self.n_batched + k_now - self.ptr > 0
            if waiting and self._set_free_at() <= env.now + EPS:  # else: no train this time
                self._send(k_now, env.now)
