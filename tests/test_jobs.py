"""How many processes a command starts when not told: the cores this process may use
(its CPU affinity, not the machine's count), and one where the work is too little to
pay for workers."""

from __future__ import annotations

import os

import pytest

from corridorsim import pools
from corridorsim.experiments import PARALLEL_FROM_SECONDS, SECONDS_PER_CONTAINER, auto_jobs


@pytest.fixture
def machine(monkeypatch):
    """A process allowed ``cores`` cores of a machine with 64."""

    def set_to(cores: int) -> None:
        monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(cores)), raising=False)
        monkeypatch.setattr(os, "cpu_count", lambda: 64)

    return set_to


@pytest.mark.parametrize("cores", [1, 2, 5])
def test_the_cores_are_those_this_process_may_use(machine, cores):
    machine(cores)
    assert pools.usable_cores() == cores
    assert auto_jobs(10) == cores


def test_one_replication_or_little_work_runs_in_one_process(machine):
    machine(8)
    assert auto_jobs(1) == 1
    enough = PARALLEL_FROM_SECONDS / SECONDS_PER_CONTAINER  # containers in all
    assert auto_jobs(10, containers=enough / 10 * 0.9) == 1
    assert auto_jobs(10, containers=enough / 10 * 1.1) == 8
    assert auto_jobs(3, containers=1e9) == 3  # never more than the replications
