"""Where a batch's runs are done: in this process, on forked worker processes, or on a
Dask cluster. Each task is one replication of one variant and returns only what a
sweep reads; a run that raises comes back as its error, and the others go on.

A worker process that dies in the middle of a run (killed, out of memory, a crash in
a library) takes nothing else with it: the runs that were started and not finished
are each run again alone, in a process of their own, so the one that kills its worker
is found and recorded as failed after :data:`POOL_STARTS` tries, and every other run
finishes. On Dask, the scheduler reruns a dead worker's tasks itself and reports one
that killed its workers each time (``KilledWorker``), which is recorded likewise."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import as_completed
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from corridorsim.engine.plan import Plan
from corridorsim.errors import CorridorSimError
from corridorsim.experiments import run_replication
from corridorsim.pools import forking, process_context, task_executor

__all__ = [
    "POOL_STARTS",
    "Task",
    "Transits",
    "checked_address",
    "dask_task",
    "flow_transits",
    "run_tasks",
]

Transits = dict[str, np.ndarray]
"""Per flow, the transit hours of containers created after the warm-up and delivered."""

Task = tuple[int, int, int]
"""(variant, replication, seed)."""

Outcome = tuple[int, int, Any]
"""(variant, replication, transits or the error as text)."""

POOL_STARTS = 3
"""Tries a run gets in a process of its own after a worker died during it."""


def flow_transits(plan: Plan, replication: int, seed: int) -> Transits:
    """Run one replication and keep, per flow, the transit hours a sweep reads."""
    c = run_replication(plan, replication, seed).tables["containers"]
    c = c[c["after_warmup"] & c["delivered"]]
    flows = c["flow"].astype(str).to_numpy()
    hours = c["transit_h"].to_numpy(dtype=float)
    return {f.name: hours[flows == f.name].copy() for f in plan.loaded.scenario.demand}


def _attempt(plan: Plan, replication: int, seed: int) -> Transits | str:
    try:
        return flow_transits(plan, replication, seed)
    except Exception as exc:  # recorded with the run; the other runs go on
        return f"{type(exc).__name__}: {exc}"


# --- in worker processes ---------------------------------------------------------------

_PLANS: list[Plan] = []
"""The plans a worker process runs, set once when it starts (tasks carry only numbers)."""
_STARTED: list[Any] = []
"""Shared with the parent: ``_STARTED[0][i]`` is set when task ``i`` starts."""


def _set_plans(plans: Sequence[Plan], started: Any) -> None:
    _PLANS[:] = list(plans)
    _STARTED[:] = [started]


def _pool_task(numbered: tuple[int, Task]) -> tuple[int, Outcome]:
    i, (v, r, seed) = numbered
    _STARTED[0][i] = 1
    return i, (v, r, _attempt(_PLANS[v], r, seed))


def dask_task(plan: Plan, variant: int, replication: int, seed: int) -> Outcome:
    """One run on a Dask worker (module level, so the worker imports it by name)."""
    return variant, replication, _attempt(plan, replication, seed)


def _serial(plans: Sequence[Plan], tasks: Sequence[Task]) -> Iterator[Outcome]:
    for v, r, seed in tasks:
        yield v, r, _attempt(plans[v], r, seed)


class _WorkerDiedError(Exception):
    def __init__(self, unfinished: list[int]):
        self.unfinished = unfinished


def _pool(
    plans: Sequence[Plan], tasks: Sequence[Task], jobs: int, meanwhile: Callable[[], None]
) -> Iterator[Outcome]:
    """The tasks on ``jobs`` worker processes, as they finish. When a worker dies, the
    tasks that had started and not finished are each run alone (one of them killed
    it), and the rest go on a new pool; every round finishes or isolates at least one
    task, so this ends."""
    context = process_context()
    remaining = list(range(len(tasks)))
    also = [meanwhile]  # the first pool only
    while remaining:
        started = context.Array("b", len(tasks), lock=False)
        try:
            pool = _pool_once(plans, tasks, remaining, jobs, context, started, also)
            for i, outcome in pool:
                remaining.remove(i)
                yield outcome
        except _WorkerDiedError as died:
            suspects = [i for i in died.unfinished if started[i]] or died.unfinished[:1]
            for i in suspects:
                remaining.remove(i)
                yield _alone(plans, tasks[i], context)


def _pool_once(
    plans: Sequence[Plan],
    tasks: Sequence[Task],
    which: Sequence[int],
    jobs: int,
    context: BaseContext,
    started: Any,
    meanwhile: list[Callable[[], None]],
) -> Iterator[tuple[int, Outcome]]:
    """Tasks ``which`` on one pool: ``(number, outcome)`` as each finishes, then
    :class:`_WorkerDiedError` naming the unfinished ones if a worker died. The
    callables in ``meanwhile`` are taken out and run once the tasks are submitted."""
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking with threads may deadlock; the workers only
        # simulate, taking no lock another thread could hold
        warnings.filterwarnings("ignore", ".*multi-threaded.*fork", DeprecationWarning)
        taken: set[int] = set()
        try:
            with task_executor(
                min(jobs, len(which)), context, _set_plans, (list(plans), started)
            ) as executor:
                with forking():
                    futures = [executor.submit(_pool_task, (i, tasks[i])) for i in which]
                while meanwhile:
                    meanwhile.pop()()
                for future in as_completed(futures):
                    i, outcome = future.result()
                    taken.add(i)
                    yield i, outcome
        except BrokenProcessPool:
            raise _WorkerDiedError([i for i in which if i not in taken]) from None


def _alone(plans: Sequence[Plan], task: Task, context: BaseContext) -> Outcome:
    """One task in a process of its own, up to :data:`POOL_STARTS` times."""
    v, r, _ = task
    started = context.Array("b", 1, lock=False)
    for _ in range(POOL_STARTS):
        try:
            with task_executor(1, context, _set_plans, (list(plans), started)) as executor:
                with forking():
                    future = executor.submit(_pool_task, (0, task))
                return future.result()[1]
        except BrokenProcessPool:
            continue
    return v, r, f"WorkerDied: the process running it died, {POOL_STARTS} times"


# --- on a Dask cluster -------------------------------------------------------------------


def checked_address(address: str) -> str:
    """A Dask scheduler's address, ``tcp://HOST:PORT`` (or ``tls://``), or a
    :class:`CorridorSimError` saying how to write one."""
    try:
        parts = urlsplit(address)
        port = parts.port
        ok = (
            parts.scheme in ("tcp", "tls")
            and bool(parts.hostname)
            and port is not None
            and parts.path in ("", "/")
            and not (parts.query or parts.fragment)
        )
    except ValueError:
        ok = False
    if not ok:
        raise CorridorSimError(
            f"--scheduler {address}: give a Dask scheduler's address, tcp://HOST:PORT "
            "(or tls://HOST:PORT), e.g. tcp://10.0.0.5:8786"
        )
    return address


def _dask(plans: Sequence[Plan], tasks: Sequence[Task], address: str) -> Iterator[Outcome]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise CorridorSimError('--scheduler needs Dask: pip install "corridorsim[dask]"') from None
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise CorridorSimError(f"--scheduler {address}: cannot connect ({exc})") from None
    except Exception:  # e.g. a web server's reply read as Dask's: a huge message length
        raise CorridorSimError(
            f"--scheduler {address}: something answered there, but not a Dask scheduler"
        ) from None
    try:
        used = sorted({v for v, _, _ in tasks})
        shared = dict(
            zip(used, client.scatter([plans[v] for v in used], broadcast=True), strict=True)
        )
        futures = {
            client.submit(dask_task, shared[v], v, r, seed, pure=False): (v, r)
            for v, r, seed in tasks
        }
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # e.g. KilledWorker: its workers died each time
                v, r = futures[future]
                yield v, r, f"{type(exc).__name__}: {exc}"
    finally:
        client.close()


def run_tasks(
    plans: Sequence[Plan],
    tasks: Sequence[Task],
    *,
    jobs: int,
    scheduler: str | None,
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[Outcome]:
    """Each task's outcome as it finishes: on the Dask ``scheduler`` if given, else on
    ``jobs`` worker processes, else here. ``meanwhile`` runs once in this process: once
    the worker processes have their tasks, or first (on Dask or here)."""
    also = meanwhile or (lambda: None)
    if jobs > 1 and len(tasks) > 1 and scheduler is None:
        return _pool(plans, tasks, jobs, also)
    also()
    if scheduler is not None:
        return _dask(plans, tasks, checked_address(scheduler))
    return _serial(plans, tasks)
