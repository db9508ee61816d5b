"""Border posts as lanes served first come, first served, by the corridor's vehicles and
by background traffic alike.

A post with ``c`` lanes keeps, for each lane, the time it next falls free (a heap).
Vehicles are placed in order of arrival: one that arrives at ``t`` starts at the first
moment at or after ``t`` when a lane is free and the post is open, and holds the lane
until its work is done, the work running only while the post is open (it pauses, lane
held, from closing to reopening). This is the first-come-first-served multi-server
queue computed directly (the Kiefer–Wolfowitz recursion), so background vehicles —
hundreds a day at Torkham — cost no simulation events: they are placed in arrival order
whenever a corridor vehicle arrives, and only the corridor's vehicles wait in SimPy.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np

from corridorsim.engine.availability import Availability
from corridorsim.engine.calendar import OpeningCalendar

__all__ = ["LanePost", "Placement", "work_end"]


Hours = OpeningCalendar | Availability
"""When a post can work: its opening hours, and with its crossing's closures."""


def work_end(calendar: Hours | None, start: float, work: float) -> float:
    """When ``work`` hours started at ``start`` are done, counting open hours only."""
    if calendar is None:
        return start + work
    return calendar.work_end(start, work)


@dataclass(frozen=True)
class Placement:
    """Where a vehicle's time at a post goes (hours): waiting for a lane while the post
    is open (``queue``), outside its opening hours (``closed``) or while its crossing is
    closed (``disrupted``); working (``work``); and, holding its lane, paused outside
    opening hours (``paused``) or by a closure (``disrupted_paused``). ``end`` is when
    it leaves."""

    queue: float
    closed: float
    work: float
    paused: float
    end: float
    disrupted: float = 0.0
    disrupted_paused: float = 0.0


@dataclass
class LanePost:
    """One post's lanes (``lanes=None``: no limit, so no queue) and opening hours.

    Background vehicles arrive at the first post of a crossing at the times in
    ``background_arrivals``; when placed there, each is handed on to the ``downstream``
    post (the entry post after the exit), ``downstream_hours`` later. A post's
    ``background_work`` gives the work of its background vehicles, in turn.
    """

    lanes: int | None
    calendar: Hours | None
    background_arrivals: np.ndarray = field(default_factory=lambda: np.empty(0))
    background_work: np.ndarray = field(default_factory=lambda: np.empty(0))
    background_clearance: np.ndarray = field(default_factory=lambda: np.empty(0))
    """Hours of clearance (holding no lane) each background vehicle spends here before
    it joins the queue for a lane, in turn; empty: none."""
    downstream: LanePost | None = None
    downstream_hours: float = 0.0
    upstream: LanePost | None = None
    log: list[float] = field(default_factory=list)
    """Flat ``(arrival, start, end, background)`` per vehicle placed (background 1.0
    for a background vehicle, 0.0 for the corridor's)."""
    backlog_cap: float = math.inf
    """Background vehicles that join the queue while the crossing is closed, at most, in
    each closed spell; those arriving after them stay away (``turned_away``)."""
    turned_away: int = 0
    crossings: list[float] = field(default_factory=list)
    """Flat ``(arrival at the first post, end here)`` per background vehicle that ends
    its crossing here: the CPMM time to cross (TFI1)."""
    _free: list[float] = field(default_factory=list)
    _next: int = 0
    _worked: int = 0
    _cleared: int = 0
    _pending: list[tuple[float, float]] = field(default_factory=list)
    _joined: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.lanes is not None:
            self._free = [0.0] * self.lanes

    def _place(self, arrival: float, work: float, background: float) -> tuple[float, float]:
        cal = self.calendar
        if self.lanes is None:
            start = arrival
        else:
            free = self._free[0]
            start = arrival if arrival > free else free
        if cal is not None:
            start = cal.next_open(start)
        end = work_end(cal, start, work)
        if self.lanes is not None:
            heapq.heapreplace(self._free, end)
        self.log += (arrival, start, end, background)
        return start, end

    def _background_work(self) -> float:
        w = self.background_work
        k = self._worked
        self._worked += 1
        return float(w[k % len(w)]) if len(w) else 0.0

    def _clearance(self) -> float:
        c = self.background_clearance
        if not len(c):
            return 0.0
        k = self._cleared
        self._cleared += 1
        return float(c[k % len(c)])

    def advance(self, t: float) -> None:
        """Place every background vehicle that arrives here before ``t``."""
        if self.upstream is not None:
            self.upstream.advance(t)  # every vehicle handed on before t is known now
        arrivals = self.background_arrivals
        n, k = len(arrivals), self._next
        pending = self._pending
        while True:
            own = arrivals[k] if k < n else math.inf
            handed = pending[0][0] if pending else math.inf
            if own >= t and handed >= t:
                break
            if own <= handed:
                arrival, first = float(own), float(own)
                k += 1
                if self._stays_away(arrival):
                    continue
                cleared = self._clearance()
                if cleared > 0:  # joins the queue for a lane once cleared
                    heapq.heappush(pending, (arrival + cleared, first))
                    continue
            else:
                arrival, first = heapq.heappop(pending)
            _, end = self._place(arrival, self._background_work(), 1.0)
            down = self.downstream
            if down is not None:
                reach = end + self.downstream_hours + down._clearance()
                heapq.heappush(down._pending, (reach, first))
            else:
                self.crossings += (first, end)
        self._next = k

    def _stays_away(self, arrival: float) -> bool:
        """Whether a background vehicle arriving while the crossing is closed finds the
        backlog full (:attr:`backlog_cap`) and stays away."""
        cal = self.calendar
        if self.backlog_cap == math.inf or not isinstance(cal, Availability):
            return False
        spell = cal.spell_at(arrival)
        if spell < 0:
            return False
        joined = self._joined.get(spell, 0)
        if joined >= self.backlog_cap:
            self.turned_away += 1
            return True
        self._joined[spell] = joined + 1
        return False

    def serve(self, arrival: float, work: float) -> Placement:
        """Place a corridor vehicle arriving at ``arrival`` (now), after every background
        vehicle that arrived before it."""
        self.advance(arrival)
        start, end = self._place(arrival, work, 0.0)
        cal = self.calendar
        if cal is None:
            return Placement(start - arrival, 0.0, work, end - start - work, end)
        closed, disrupted = cal.split_closed(arrival, start)
        paused, disrupted_paused = cal.split_closed(start, end)
        queue = start - arrival - closed - disrupted
        return Placement(queue, closed, work, paused, end, disrupted, disrupted_paused)

    # --- statistics ----------------------------------------------------------------------

    def records(self) -> np.ndarray:
        """Every vehicle placed: rows ``(arrival, start, end, background)``."""
        return np.array(self.log, dtype=float).reshape(-1, 4)

    def stats(self, since: float, now: float) -> dict[str, float]:
        """Over ``[since, now)``: vehicles that started (``served``), mean busy lanes and
        utilisation (a lane paused by a closing counts as busy: it is held), the
        time-weighted mean queue and the mean wait of those served."""
        r = self.records()
        a, s, e = r[:, 0], r[:, 1], r[:, 2]
        span = now - since
        started = (s >= since) & (s < now)
        served = int(np.count_nonzero(started))
        busy = float(np.clip(np.minimum(e, now) - np.maximum(s, since), 0.0, None).sum())
        queued = float(np.clip(np.minimum(s, now) - np.maximum(a, since), 0.0, None).sum())
        lanes = self.lanes
        return {
            "served": float(served),
            "mean_busy": busy / span if span > 0 else 0.0,
            "utilisation": busy / (lanes * span) if lanes and span > 0 else float("nan"),
            "mean_queue": queued / span if span > 0 else 0.0,
            "mean_wait_h": float((s - a)[started].mean()) if served else 0.0,
        }

    def states(self, now: float, exact_up_to: int = 20_000) -> np.ndarray:
        """Rows ``(time, queue, busy)``: after every change while there are few vehicles,
        else every hour (background traffic makes hundreds of changes a day)."""
        r = self.records()
        r = r[r[:, 0] <= now]
        a, s, e = r[:, 0], np.minimum(r[:, 1], now), np.minimum(r[:, 2], now)
        if len(r) <= exact_up_to:
            t = np.concatenate((a, s, e))
            dq = np.concatenate((np.ones(len(a)), -np.ones(len(s)), np.zeros(len(e))))
            db = np.concatenate((np.zeros(len(a)), np.ones(len(s)), -np.ones(len(e))))
            order = np.argsort(t, kind="stable")
            return np.column_stack((t[order], np.cumsum(dq[order]), np.cumsum(db[order])))
        grid = np.arange(0.0, now, 1.0)
        a, s, e = np.sort(a), np.sort(s), np.sort(e)
        n_a = np.searchsorted(a, grid, side="right")
        n_s = np.searchsorted(s, grid, side="right")
        n_e = np.searchsorted(e, grid, side="right")
        return np.column_stack((grid, n_a - n_s, n_s - n_e)).astype(float)
