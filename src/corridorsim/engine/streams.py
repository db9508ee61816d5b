"""Named random streams: one independent generator per stochastic source.

Each stream is seeded from the scenario seed, the replication number and a stable hash
of its name, so a stream's draws do not depend on which other streams exist. Two
scenarios run with the same seed therefore see the same container arrivals for a flow
of the same name (common random numbers), even if their borders or routes differ.
"""

from __future__ import annotations

import hashlib

import numpy as np

__all__ = ["Streams"]


def _name_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "little")


class Streams:
    """Generators for one replication, created on first use and cached by name.

    Parameters
    ----------
    seed : int
        The scenario seed.
    replication : int
        The replication number (0, 1, ...).
    """

    def __init__(self, seed: int, replication: int):
        self.seed = int(seed)
        self.replication = int(replication)
        self._cache: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        gen = self._cache.get(name)
        if gen is None:
            ss = np.random.SeedSequence(
                entropy=self.seed, spawn_key=(self.replication, _name_key(name))
            )
            gen = np.random.Generator(np.random.PCG64(ss))
            self._cache[name] = gen
        return gen

    @property
    def names(self) -> list[str]:
        """The streams used so far, sorted."""
        return sorted(self._cache)
