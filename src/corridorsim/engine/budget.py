"""How much a run will ask of the machine, estimated from the scenario before it starts.

Containers are the unit of work and of memory: each replication simulates about
``sum(teu_per_year) × horizon`` of them, and the results hold every replication's. A
run whose estimate exceeds the memory this machine has free is refused with the fields
to change, unless the caller forces it; so a slip such as an extra zero in
``teu_per_year`` fails in a second instead of after minutes of swapping.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from corridorsim.errors import CorridorSimError
from corridorsim.scenario.loader import LoadedScenario
from corridorsim.units import HOURS_PER_DAY, HOURS_PER_YEAR
from corridorsim.wording import counted

__all__ = [
    "BYTES_PER_CONTAINER_HELD",
    "BYTES_PER_CONTAINER_RUNNING",
    "MEMORY_VARIABLE",
    "Work",
    "WorkTooLargeError",
    "available_memory",
    "check_work",
    "estimate_work",
]

BYTES_PER_CONTAINER_HELD = 500
"""Memory a delivered container takes in the results: 370 bytes measured by
``benchmarks/bench_full_corridor.py`` (README), rounded up for the summary tables."""
BYTES_PER_CONTAINER_RUNNING = 500
"""Extra memory per container while its replication runs (its events, vehicles and
stage records before they become tables): the same benchmark's peak, 540–620 MB for a
million containers, less the 370 MB held and about 150 MB of loaded libraries, rounded
up."""
BASE_BYTES = 300_000_000
"""Python, numpy, pandas, SimPy and the report libraries once loaded (EST: about 150 MB
measured, doubled for plotting)."""
SHARE_OF_FREE_MEMORY = 0.8
"""A run may plan to use at most this share of the memory free when it starts."""


@dataclass(frozen=True)
class Work:
    """The estimated size of a run."""

    containers_per_replication: float
    replications: int
    held: float | None = None
    """Containers held at the end, when not ``containers_per_replication × replications``
    (several scenarios together)."""

    @property
    def containers(self) -> float:
        """Containers held in the results at the end."""
        if self.held is not None:
            return self.held
        return self.containers_per_replication * self.replications

    @property
    def bytes(self) -> float:
        """Peak memory, estimated."""
        return (
            BASE_BYTES
            + BYTES_PER_CONTAINER_HELD * self.containers
            + BYTES_PER_CONTAINER_RUNNING * self.containers_per_replication
        )


class WorkTooLargeError(CorridorSimError, MemoryError):
    """A run would need more memory than the machine has free."""


def estimate_work(loaded: LoadedScenario, replications: int | None = None) -> Work:
    """Containers per replication (all flows over the horizon) and replications."""
    sc = loaded.scenario
    hours = sc.simulation.horizon_days * HOURS_PER_DAY
    teu = sum(f.teu for f in sc.demand)
    return Work(teu * hours / HOURS_PER_YEAR, replications or sc.simulation.replications)


MEMORY_VARIABLE = "CORRIDORSIM_MEMORY"
"""An environment variable that sets the memory a run may plan on (bytes, or with K, M
or G: ``8G``), in place of what the machine has free: for a shared machine whose free
memory says little about what a run will get, and for tests, which must not depend on
what other programs hold."""


def available_memory() -> int | None:
    """Bytes of memory a run may plan on: ``CORRIDORSIM_MEMORY`` if set, else what is
    free for a new process (``MemAvailable`` on Linux, else the physical memory), or
    None where neither can be read.

    Raises
    ------
    CorridorSimError
        If ``CORRIDORSIM_MEMORY`` is set to something that is not an amount.
    """
    given = os.environ.get(MEMORY_VARIABLE)
    if given is not None:
        return _amount(given)
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def _amount(text: str) -> int:
    units = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    number, unit = text.strip().upper().rstrip("B"), ""
    if number and number[-1] in units:
        number, unit = number[:-1], number[-1]
    try:
        value = float(number) * units[unit]
    except ValueError:
        value = float("nan")
    if not (value > 0 and value < 2**60):
        raise CorridorSimError(
            f"{MEMORY_VARIABLE}={text!r}: give the memory a run may plan on, in bytes or "
            "with K, M or G (e.g. 8G)"
        )
    return int(value)


def check_work(
    *loaded: LoadedScenario,
    replications: int | None = None,
    memory: int | None = None,
) -> Work:
    """The estimate of :func:`estimate_work` for the scenarios together (a comparison
    holds them all), after checking that it fits in ``memory`` (default:
    :func:`available_memory`).

    Raises
    ------
    WorkTooLargeError
        Naming the fields that set the size, and how to go ahead anyway.
    """
    works = [estimate_work(x, replications) for x in loaded]
    work = Work(
        max(w.containers_per_replication for w in works),
        1,
        held=sum(w.containers for w in works),
    )
    free = available_memory() if memory is None else memory
    if free is None or work.bytes <= SHARE_OF_FREE_MEMORY * free:
        return work
    sizes = "; ".join(
        f"{x.path}: demand {_big(sum(f.teu for f in x.scenario.demand))} TEU a year × "
        f"simulation.horizon_days {x.scenario.simulation.horizon_days:g} × "
        f"{counted(w.replications, 'replication')}"
        for x, w in zip(loaded, works, strict=True)
    )
    raise WorkTooLargeError(
        f"this run would simulate about {_big(work.containers)} containers ({sizes}) and "
        f"need about {work.bytes / 1e9:,.1f} GB of memory; {_whose(free)}. Lower "
        "teu_per_year, simulation.horizon_days or simulation.replications (or "
        "--horizon-days, --replications), or pass --force to run anyway"
    )


def _whose(free: float) -> str:
    if os.environ.get(MEMORY_VARIABLE) is not None:
        return f"{MEMORY_VARIABLE} allows {free / 1e9:,.2f} GB"
    return f"this machine has {free / 1e9:,.1f} GB free"


def _big(x: float) -> str:
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if x >= size:
            return f"{x / size:,.1f} {word}"
    return f"{x:,.0f}"
