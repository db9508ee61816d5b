"""Monitored resources (border posts, terminals, line sections) and closures.

Every resource keeps time-weighted integrals of its queue length and busy servers, so
utilisation and mean queue come out exactly, and a log of each change for plots.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

__all__ = ["Closure", "MonitoredResource"]


class MonitoredResource:
    """A SimPy resource with statistics. ``capacity=None`` means no limit (no queue).

    Attributes
    ----------
    name, kind : str
        Identifier and family (``border_post``, ``terminal``, ``line_section``, ``headway``).
    capacity : int or None
    """

    def __init__(self, env: simpy.Environment, name: str, kind: str, capacity: int | None):
        self.env = env
        self.name = name
        self.kind = kind
        self.capacity = capacity
        self.res = simpy.Resource(env, capacity) if capacity is not None else None
        self.busy = 0
        self.queue = 0
        self._last = 0.0
        self._start = 0.0
        self.busy_area = 0.0
        self.queue_area = 0.0
        self.served = 0
        self.wait_total = 0.0
        self.log: list[tuple[float, int, int]] = []

    def _advance(self) -> None:
        now = self.env.now
        dt = now - self._last
        if dt:
            self.busy_area += self.busy * dt
            self.queue_area += self.queue * dt
            self._last = now

    def _change(self, d_queue: int, d_busy: int) -> None:
        """Account for the time since the last change, apply it, and log the new state."""
        self._advance()
        self.queue += d_queue
        self.busy += d_busy
        self.log.append((self.env.now, self.queue, self.busy))

    def try_acquire(self) -> tuple[Any, bool]:
        """Ask for a server: ``(request, True)`` if granted at once, else
        ``(request, False)``, and the caller yields the request, then calls
        :meth:`granted` with the time it asked. (Not a generator: most requests are
        granted at once, and the process need not be suspended for them.)"""
        if self.res is None:
            self.served += 1
            self._change(0, 1)
            return None, True
        req = self.res.request()
        if req.triggered:  # SimPy already counts it among the users
            self.served += 1
            self._change(0, 1)
            return req, True
        self._change(1, 0)
        return req, False

    def granted(self, asked_at: float) -> None:
        """Account for a request that waited since ``asked_at`` and is now granted."""
        self._change(-1, 1)
        self.wait_total += self.env.now - asked_at
        self.served += 1

    def acquire(self) -> Generator[Any, Any, Any]:
        """Wait for a server; returns the request (pass it to :meth:`release`)."""
        t0 = self.env.now
        req, ok = self.try_acquire()
        if not ok:
            yield req
            self.granted(t0)
        return req

    def release(self, req: Any) -> None:
        self._change(0, -1)
        if self.res is not None:
            self.res.release(req)

    def reset_stats(self) -> None:
        """Start the statistics afresh (at the end of the warm-up)."""
        self._advance()
        self._start = self.env.now
        self.busy_area = self.queue_area = 0.0
        self.served = 0
        self.wait_total = 0.0

    def stats(self) -> dict[str, float]:
        """Utilisation, mean queue (time-weighted), served and mean wait since the reset."""
        self._advance()
        span = self.env.now - self._start
        cap = self.capacity
        return {
            "served": float(self.served),
            "mean_busy": self.busy_area / span if span > 0 else 0.0,
            "utilisation": (self.busy_area / (cap * span)) if cap and span > 0 else float("nan"),
            "mean_queue": self.queue_area / span if span > 0 else 0.0,
            "mean_wait_h": self.wait_total / self.served if self.served else 0.0,
        }


class Closure:
    """Whether a link or crossing is closed, and an event that fires when it reopens.

    Overlapping closures (a random incident during a scheduled closure) nest: the target
    reopens when the last of them ends. ``expected_end`` is the announced reopening time.
    """

    def __init__(self, env: simpy.Environment, name: str):
        self.env = env
        self.name = name
        self.depth = 0
        self.expected_end = 0.0
        self.reopened = env.event()
        self.closed_hours = 0.0
        self._since = 0.0
        self.log: list[tuple[float, float]] = []  # (start, end) of each closed spell

    @property
    def closed(self) -> bool:
        return self.depth > 0

    def close(self, until: float) -> None:
        if self.depth == 0:
            self._since = self.env.now
        self.depth += 1
        self.expected_end = max(self.expected_end, until)

    def open(self) -> None:
        self.depth -= 1
        if self.depth == 0:
            self.closed_hours += self.env.now - self._since
            self.log.append((self._since, self.env.now))
            ev, self.reopened = self.reopened, self.env.event()
            ev.succeed()
