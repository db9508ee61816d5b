"""Worker pools: forked workers share the parent's memory without its garbage collector
walking (and so copying) it, and the parent's collector is left as it was."""

from __future__ import annotations

import gc
import multiprocessing

import pytest

from corridorsim.pools import forking, process_context, worker_pool


def _frozen_in_worker(_: int) -> int:
    return gc.get_freeze_count()


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked"
)
def test_forked_workers_hold_the_parents_objects_frozen_and_the_parent_does_not():
    assert gc.get_freeze_count() == 0
    with worker_pool(2, process_context()) as pool:
        assert gc.get_freeze_count() == 0  # unfrozen here once the workers started
        frozen = pool.map(_frozen_in_worker, range(2))
    assert min(frozen) > 10_000  # every object the parent held when it forked


def _start_and_fail() -> None:
    with forking():
        assert gc.get_freeze_count() > 0
        raise RuntimeError("could not start")


def test_forking_unfreezes_even_when_starting_fails():
    with pytest.raises(RuntimeError, match="could not start"):
        _start_and_fail()
    assert gc.get_freeze_count() == 0
