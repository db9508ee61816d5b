"""Train sets of a rail service: a train leaves only when a set is there, and the set is
away for the service's turnaround.

A :class:`Fleet` is plain bookkeeping (no SimPy process): a heap of the times its sets
are free again. The consolidation queue asks it when the next set is free, takes one as
a train leaves, and the fleet keeps what its statistics need.
"""

from __future__ import annotations

import heapq

import numpy as np

from corridorsim.engine.resources import ResourceId

__all__ = ["Fleet"]


class Fleet:
    """``sets`` train sets, each away for ``turnaround_hours`` after a departure.

    Parameters
    ----------
    rid : ResourceId
        Its row in the resources table (kind ``fleet``).
    sets : int
    turnaround_hours : float
    """

    def __init__(self, rid: ResourceId, sets: int, turnaround_hours: float):
        self.id = rid
        self.sets = int(sets)
        self.turnaround = float(turnaround_hours)
        self._free = [0.0] * self.sets  # a heap of the times each set is free
        self.departures: list[float] = []
        self.held: list[float] = []  # hours each departure waited for a set

    def next_free(self) -> float:
        """When the first set is (or was) free."""
        return self._free[0]

    def take(self, now: float, due: float) -> None:
        """A train leaves at ``now`` with a set that is free; it was due at ``due``."""
        free = heapq.heappop(self._free)
        assert free <= now + 1e-9, "no set is free"
        heapq.heappush(self._free, now + self.turnaround)
        self.departures.append(now)
        self.held.append(max(now - due, 0.0))

    def stats(self, warmup: float, now: float) -> dict[str, float]:
        """Departures, mean sets away and their share (utilisation), and the mean hours a
        departure waited for a set, over ``[warmup, now]``."""
        dep = np.array(self.departures)
        held = np.array(self.held)
        after = dep >= warmup
        span = max(now - warmup, 1e-9)
        # each departure keeps a set away for the turnaround: its overlap with the span
        away = np.clip(np.minimum(dep + self.turnaround, now) - np.maximum(dep, warmup), 0, None)
        busy = float(away.sum()) / span
        return {
            "served": float(after.sum()),
            "mean_busy": busy,
            "utilisation": busy / self.sets,
            "mean_queue": 0.0,
            "mean_wait_h": float(held[after].mean()) if after.any() else 0.0,
        }

    def states(self) -> np.ndarray:
        """The resources' log: a row ``(time h, 0, sets away)`` at each departure."""
        if not self.departures:
            return np.empty((0, 3))
        dep = np.array(self.departures)  # in time order, and so are their returns
        away = np.arange(1, len(dep) + 1) - np.searchsorted(dep + self.turnaround, dep, "right")
        return np.column_stack([dep, np.zeros(len(dep)), away])
