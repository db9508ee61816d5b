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


INTERRUPTED = """
import multiprocessing, os, threading
import corridorsim.pools as pools

from multiprocessing.pool import Pool

never = threading.Event()
# terminating in order gets as far as the queues' locks and waits there for ever
Pool._help_stuff_finish = staticmethod(lambda *args: never.wait())
pools.STOP_SECONDS = 0.5
before = set(multiprocessing.active_children())
seen = []
try:
    with pools.worker_pool(2, pools.process_context()) as pool:
        assert pool.map(abs, [-1, -2]) == [1, 2]
        seen.append(set(multiprocessing.active_children()) - before)
        raise KeyboardInterrupt
except KeyboardInterrupt:
    (workers,) = seen
    print(len(workers), sum(p.is_alive() for p in workers), flush=True)
os._exit(0)  # as the command line leaves: the stuck thread is not waited for
"""


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked"
)
def test_an_interrupted_pool_whose_terminate_hangs_has_its_workers_killed():
    """If stopping the pool in order never ends (a worker holding a queue's lock, in the
    middle of a large result nobody reads), the workers are killed after STOP_SECONDS
    and the interruption goes on: nothing is left running. Run in a process of its own,
    as the command line runs, so the stuck pool dies with it."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", INTERRUPTED], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2", "0"]  # two workers, none alive
