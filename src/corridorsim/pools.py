"""Process pools that stop at once when interrupted.

A pool from :func:`worker_pool` runs tasks in worker processes that ignore Ctrl-C (the
parent decides what an interruption means). If the block using the pool ends in any
exception, Ctrl-C or ``SIGTERM`` included, queued tasks are dropped and the workers are
terminated before the exception goes on, so nothing is left running: not the workers,
and not multiprocessing's resource tracker, which exits when they have.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.context import BaseContext
from multiprocessing.pool import Pool
from typing import Any

__all__ = ["forking", "process_context", "task_executor", "usable_cores", "worker_pool"]


def _start_worker(setup: Callable[..., None] | None, args: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's Ctrl-C reaches every process
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker inherits the parent's
    if setup is not None:
        setup(*args)


def usable_cores() -> int:
    """Cores this process may use (its CPU affinity, which a container or ``taskset``
    may hold below the machine's count), at least 1.

    Not less the machine's load: measured with two CPU-bound programs beside it on 2
    cores (4 December 2026), ``corridorsim run`` took 6.6 s on 2 processes and 8.9 s on
    one (medians of 3): the system shares the cores among processes, so a run with more
    of them gets more of the machine."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def process_context() -> BaseContext:
    """Fork where the platform can (workers start in milliseconds and share what is
    already imported), else spawn. Replications depend only on their seeds, so the
    results are the same either way."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


@contextmanager
def forking() -> Iterator[None]:
    """Start forked processes inside this block: what this process holds is moved out
    of the garbage collector's reach while they start (:func:`gc.freeze`), so a
    collection in a child never walks, and so never copies, the memory it shares with
    this one; this process's collector has it back afterwards."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def worker_pool(
    processes: int,
    context: BaseContext,
    setup: Callable[..., None] | None = None,
    setup_args: tuple[Any, ...] = (),
) -> Iterator[Pool]:
    """A :class:`multiprocessing.pool.Pool` of ``processes`` workers started by
    ``context``, each running ``setup(*setup_args)`` first (send large shared inputs
    there, once per worker, and keep tasks small: a task queue full of large tasks can
    hold up the pool's shutdown); closed and joined on success, terminated on any
    exception."""
    before = set(multiprocessing.active_children())
    pool: Pool | None = None
    try:
        with forking():
            pool = context.Pool(processes, initializer=_start_worker, initargs=(setup, setup_args))
        yield pool
    except BaseException:
        workers = set(multiprocessing.active_children()) - before
        if pool is not None:
            _stop(pool, workers)
        else:  # interrupted while the workers were being started
            _kill(workers)
        raise
    pool.close()
    pool.join()


STOP_SECONDS = 5.0
"""How long an interrupted pool may take to stop in order before its workers are
killed."""


def _stop(pool: Pool, workers: set[Any]) -> None:
    """Terminate ``pool`` and join it, in a thread; if that has not finished within
    :data:`STOP_SECONDS`, kill ``workers`` and leave the thread behind (a daemon: the
    process is ending). ``Pool.terminate`` takes the locks of the pool's queues, and a
    worker in the middle of sending a large result holds one while nobody reads it any
    more, so terminating in order can wait for ever."""
    stopper = threading.Thread(target=_terminate_and_join, args=(pool,), daemon=True)
    stopper.start()
    stopper.join(STOP_SECONDS)
    if stopper.is_alive():
        _kill(workers)


def _terminate_and_join(pool: Pool) -> None:
    pool.terminate()
    pool.join()


def _kill(workers: set[Any]) -> None:
    for p in workers:
        p.kill()
        p.join()


@contextmanager
def task_executor(
    processes: int,
    context: BaseContext,
    setup: Callable[..., None] | None = None,
    setup_args: tuple[Any, ...] = (),
) -> Iterator[ProcessPoolExecutor]:
    """A :class:`concurrent.futures.ProcessPoolExecutor` of ``processes`` workers, each
    running ``setup(*setup_args)`` first. Unlike a :func:`worker_pool`, it notices a
    worker that dies in the middle of a task: every task not finished then raises
    ``BrokenProcessPool``, so the caller can run them again. Submit the first task
    inside :func:`forking` (forked workers start then). On any exception the workers
    are killed before it goes on; on success they are joined."""
    before = set(multiprocessing.active_children())
    executor = ProcessPoolExecutor(
        processes, mp_context=context, initializer=_start_worker, initargs=(setup, setup_args)
    )
    try:
        yield executor
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        _kill(set(multiprocessing.active_children()) - before)
        raise
    executor.shutdown(wait=True)
