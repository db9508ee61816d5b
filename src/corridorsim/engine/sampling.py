"""Drawing from a distribution in blocks: one numpy call per block, not per draw.

A :class:`Sampler` keeps a buffer of draws from its own stream and hands them out in
order, so the sequence of values is the same as drawing one at a time from that stream
in blocks: results stay reproducible and independent of other streams.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["Sampler", "arrival_times"]

BLOCK = 1024


class Sampler:
    """Successive draws of ``dist`` from ``rng``, times ``factor``; constant
    distributions cost nothing."""

    __slots__ = ("_buf", "_dist", "_factor", "_i", "_rng", "constant")

    def __init__(self, dist: Any, rng: np.random.Generator, factor: float = 1.0):
        self._dist = dist
        self._rng = rng
        self._factor = factor
        self._buf: list[float] = []
        self._i = 0
        fixed = getattr(dist, "dist", None) == "fixed"
        self.constant: float | None = float(dist.value) * factor if fixed else None

    def __call__(self) -> float:
        if self.constant is not None:
            return self.constant
        if self._i >= len(self._buf):
            draws = self._dist.sample(self._rng, BLOCK)
            self._buf = (draws * self._factor if self._factor != 1.0 else draws).tolist()
            self._i = 0
        x = self._buf[self._i]
        self._i += 1
        return x


def arrival_times(
    rate: float, start: float, horizon: float, arrivals: str, rng: np.random.Generator
) -> np.ndarray:
    """Arrival times (hours) in ``[start, horizon)`` at ``rate`` an hour: a fixed
    schedule, or a Poisson process drawn in chunks from ``rng``."""
    span = horizon - start
    if span <= 0:
        return np.empty(0)
    if arrivals == "schedule":
        n = int(np.ceil(span * rate - 1e-9))
        t = start + np.arange(n) / rate
    else:
        parts = []
        last = start
        chunk = int(span * rate * 1.1) + 16
        while last < horizon:
            c = last + np.cumsum(rng.exponential(1.0 / rate, chunk))
            parts.append(c)
            last = float(c[-1])
        t = np.concatenate(parts)
    return t[t < horizon]
