"""Process pools that stop at once when interrupted.

A pool from :func:`worker_pool` runs tasks in worker processes that ignore Ctrl-C (the
parent decides what an interruption means). If the block using the pool ends in any
exception, Ctrl-C or ``SIGTERM`` included, queued tasks are dropped and the workers are
terminated before the exception goes on, so nothing is left running: not the workers,
and not multiprocessing's resource tracker, which exits when they have.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.context import BaseContext
from multiprocessing.pool import Pool

__all__ = ["worker_pool"]


def _worker_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's Ctrl-C reaches every process
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker inherits the parent's


@contextmanager
def worker_pool(processes: int, context: BaseContext) -> Iterator[Pool]:
    """A :class:`multiprocessing.pool.Pool` of ``processes`` workers started by
    ``context``; closed and joined on success, terminated on any exception."""
    before = set(multiprocessing.active_children())
    pool: Pool | None = None
    try:
        pool = context.Pool(processes, initializer=_worker_signals)
        yield pool
    except BaseException:
        if pool is not None:
            pool.terminate()
            pool.join()
        else:  # interrupted while the workers were being started
            for p in set(multiprocessing.active_children()) - before:
                p.kill()
                p.join()
        raise
    pool.close()
    pool.join()
