"""Monitored resources (border posts, terminals, line sections) and closures.

Every resource logs each change of its queue length and busy servers, so utilisation
and the time-weighted mean queue come out exactly, and the same log gives the series for
plots.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

__all__ = ["Closure", "MonitoredResource", "ResourceId"]


@dataclass(frozen=True)
class ResourceId:
    """What a resource is, as fields (the resources table has one column per field, so
    nothing downstream parses a name).

    Attributes
    ----------
    kind : str
        ``border_post``, ``terminal``, ``line_section``, ``headway`` or ``fleet`` (a rail
        service's train sets: ``mode``, ``node`` where it starts, ``link`` FROM-TO).
    crossing, mode, country, role : str, optional
        For a border post: its crossing, mode, the country it belongs to and its role
        (``exit`` or ``entry``). For a terminal: its country and its kind of facility
        (``gauge`` or ``intermodal``) as the role.
    direction : str, optional
        For a border post: the traffic it handles, ``"FROM-TO"`` (country codes).
    node : str, optional
        A terminal's node, or where a headway's trains start.
    link : str, optional
        A line section's or headway's link.
    """

    kind: str
    crossing: str | None = None
    mode: str | None = None
    country: str | None = None
    role: str | None = None
    direction: str | None = None
    node: str | None = None
    link: str | None = None

    @property
    def name(self) -> str:
        """A name for people (tables and plots), e.g. ``post chaman/rail/PK/exit``."""
        if self.kind == "border_post":
            return f"post {self.crossing}/{self.mode}/{self.country}/{self.role}"
        if self.kind == "terminal":
            return f"terminal {self.node}/{self.role}"
        if self.kind == "line_section":
            return f"section {self.link}"
        if self.kind == "fleet":
            return f"train sets {self.link}"
        return f"headway {self.link} from {self.node}"


ASK, GRANT, ACQUIRE, RELEASE = range(4)
"""Changes of a resource: a request queues, a queued request is granted, a request is
granted at once, a server is released."""
_DQ = np.array([1.0, -1.0, 0.0, 0.0])  # change in the queue, by kind of change
_DB = np.array([0.0, 1.0, 1.0, -1.0])  # change in busy servers


class MonitoredResource:
    """A SimPy resource with statistics. ``capacity=None`` means no limit (no queue).

    Each change appends ``(time, kind of change)`` to a flat list (no arithmetic while
    the simulation runs; the kinds are ``ASK``, ``GRANT``, ``ACQUIRE`` and ``RELEASE``);
    the queue/busy series for plots, utilisation and the time-weighted queue are
    worked out from it with numpy when asked for.

    Attributes
    ----------
    id : ResourceId
        What the resource is; ``name`` and ``kind`` are read from it.
    capacity : int or None
    """

    __slots__ = (
        "_cache",
        "_log",
        "_start",
        "_start_at",
        "capacity",
        "env",
        "id",
        "kind",
        "name",
        "res",
        "wait_total",
    )

    def __init__(self, env: simpy.Environment, rid: ResourceId, capacity: int | None):
        self.env = env
        self.id = rid
        self.name = rid.name
        self.kind = rid.kind
        self.capacity = capacity
        self.res = simpy.Resource(env, capacity) if capacity is not None else None
        self._log: list[float] = []  # flat (time, kind of change) pairs
        self._start = 0.0  # statistics start here (the end of the warm-up) ...
        self._start_at = 0  # ... which is this many log entries in
        self.wait_total = 0.0
        self._cache: np.ndarray | None = None

    def try_acquire(self) -> tuple[Any, bool]:
        """Ask for a server: ``(request, True)`` if granted at once, else
        ``(request, False)``, and the caller yields the request, then calls
        :meth:`granted` with the time it asked. (Not a generator: most requests are
        granted at once, and the process need not be suspended for them.)"""
        res = self.res
        if res is None:
            self._log.extend((self.env.now, ACQUIRE))
            return None, True
        req = res.request()
        if req.triggered:  # SimPy already counts it among the users
            self._log.extend((self.env.now, ACQUIRE))
            return req, True
        self._log.extend((self.env.now, ASK))
        return req, False

    def granted(self, asked_at: float) -> None:
        """Account for a request that waited since ``asked_at`` and is now granted."""
        now = self.env.now
        self._log.extend((now, GRANT))
        self.wait_total += now - asked_at

    def acquire(self) -> Generator[Any, Any, Any]:
        """Wait for a server; returns the request (pass it to :meth:`release`)."""
        t0 = self.env.now
        req, ok = self.try_acquire()
        if not ok:
            yield req
            self.granted(t0)
        return req

    def release(self, req: Any) -> None:
        self._log.extend((self.env.now, RELEASE))
        if self.res is not None:
            self.res.release(req)

    def reset_stats(self) -> None:
        """Start the statistics afresh (at the end of the warm-up)."""
        self._start = self.env.now
        self._start_at = len(self._log) // 2
        self.wait_total = 0.0

    def states(self) -> np.ndarray:
        """The log as states: one row ``(time, queue, busy)`` after each change."""
        if self._cache is None or len(self._cache) * 2 != len(self._log):
            log = np.array(self._log, dtype=float).reshape(-1, 2)
            kind = log[:, 1].astype(np.intp)
            self._cache = np.column_stack((log[:, 0], np.cumsum(_DQ[kind]), np.cumsum(_DB[kind])))
        return self._cache

    def stats(self) -> dict[str, float]:
        """Utilisation, mean queue (time-weighted), served and mean wait since the reset."""
        states = self.states()
        now = self.env.now
        span = now - self._start
        before, after = states[: self._start_at], states[self._start_at :]
        # the state holds from each change to the next; the first piece starts at the
        # reset with the state the log had reached then
        t = np.concatenate(([self._start], after[:, 0], [now]))
        q0, b0 = (before[-1, 1], before[-1, 2]) if len(before) else (0.0, 0.0)
        q = np.concatenate(([q0], after[:, 1]))
        b = np.concatenate(([b0], after[:, 2]))
        dt = np.diff(t)
        # grants since the reset: the busy count goes up
        served = float(np.count_nonzero(np.diff(states[:, 2], prepend=0.0)[self._start_at :] > 0))
        busy_area = float(b @ dt)
        queue_area = float(q @ dt)
        cap = self.capacity
        return {
            "served": served,
            "mean_busy": busy_area / span if span > 0 else 0.0,
            "utilisation": (busy_area / (cap * span)) if cap and span > 0 else float("nan"),
            "mean_queue": queue_area / span if span > 0 else 0.0,
            "mean_wait_h": self.wait_total / served if served else 0.0,
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
        self.spells: list[tuple[float, float]] = []
        """Every spell it will be closed, drawn before the run (they may overlap)."""

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
