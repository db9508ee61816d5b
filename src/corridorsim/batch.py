"""Many runs at once: every replication of every variant of a sweep is one task, run in
this process, on a pool of forked worker processes, or on a Dask cluster, with the same
results whichever runs it (each replication has its own seed streams).

A task returns only what a sweep reads: the transit hours of the containers each flow
delivered after the warm-up. Finished runs are kept in a cache folder under a key of
(the resolved scenario, seed, replication, and the code and library versions that run
it), written whole or not at all, so an interrupted sweep run again repeats none of
them. A run that raises is recorded with its error and the others go on.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from corridorsim.engine.plan import Plan
from corridorsim.errors import CorridorSimError
from corridorsim.experiments import run_replication, with_settings
from corridorsim.fingerprint import environment
from corridorsim.pools import process_context, worker_pool
from corridorsim.scenario.loader import LoadedScenario
from corridorsim.scenario.resolved import scenario_hash

__all__ = ["Batch", "RunCache", "flow_transits", "run_batch", "run_keys"]

Transits = dict[str, np.ndarray]
"""Per flow, the transit hours of containers created after the warm-up and delivered."""

Task = tuple[int, int, int]
"""(variant, replication, seed)."""


def flow_transits(plan: Plan, replication: int, seed: int) -> Transits:
    """Run one replication and keep, per flow, the transit hours a sweep reads."""
    c = run_replication(plan, replication, seed).tables["containers"]
    c = c[c["after_warmup"] & c["delivered"]]
    flows = c["flow"].astype(str).to_numpy()
    hours = c["transit_h"].to_numpy(dtype=float)
    return {f.name: hours[flows == f.name].copy() for f in plan.loaded.scenario.demand}


def run_keys(loaded: LoadedScenario, seed: int, replications: int) -> list[str]:
    """The cache keys of a scenario's runs: the scenario as resolved with its network
    (its name and number of replications aside, which change nothing in a replication;
    hashed once), the seed, the replication, and the code, data files and library
    versions that run it (:func:`corridorsim.fingerprint.environment`)."""
    same = with_settings(loaded, replications=1)
    same = replace(same, scenario=same.scenario.model_copy(update={"name": "run"}))
    resolved = scenario_hash(same)
    env = environment()
    return [
        hashlib.sha256(json.dumps([resolved, seed, r, env]).encode()).hexdigest()[:32]
        for r in range(replications)
    ]


class RunCache:
    """Finished runs in a folder, one ``KEY.npz`` each, written to a temporary name and
    renamed so a file is whole or absent. ``None`` keeps nothing.

    A file holds the flows' names (``names``) and their transit hours (``t0``, ``t1``...
    in that order), so no flow's name can clash with numpy's own arguments. A file that
    is damaged, truncated, of another format, or for other flows is treated as absent
    (the run is done again and the file replaced)."""

    def __init__(self, folder: Path | None):
        if folder is not None and folder.is_symlink():
            raise CorridorSimError(
                f"{folder} is a symbolic link; the finished runs are not kept through links: "
                "remove it, or choose another --out"
            )
        self.folder = folder

    def get(self, key: str, flows: Sequence[str]) -> Transits | None:
        if self.folder is None or (self.folder / f"{key}.npz").is_symlink():
            return None
        try:
            return _read_transits(self.folder / f"{key}.npz", flows)
        except (OSError, ValueError, KeyError, EOFError, TypeError, zipfile.BadZipFile):
            return None

    def put(self, key: str, transits: Transits) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        names = list(transits)
        arrays: dict[str, Any] = {
            f"t{i}": np.asarray(transits[n], dtype=float) for i, n in enumerate(names)
        }
        arrays["names"] = np.array(names, dtype=str)
        fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".partial", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, **arrays)
            os.replace(tmp, self.folder / f"{key}.npz")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _read_transits(path: Path, flows: Sequence[str]) -> Transits | None:
    """The transit hours kept in ``path``, or None unless it is a whole cache file for
    exactly ``flows``."""
    with open(path, "rb") as fh:  # a link, a folder or a missing file: OSError
        if not zipfile.is_zipfile(fh):
            return None
        fh.seek(0)
        with np.load(fh, allow_pickle=False) as data:
            if sorted(data.files) != sorted(["names", *(f"t{i}" for i in range(len(flows)))]):
                return None
            names = data["names"]
            if names.dtype.kind != "U" or names.tolist() != list(flows):
                return None
            out = {}
            for i, name in enumerate(flows):
                hours = data[f"t{i}"]
                if hours.ndim != 1 or hours.dtype != np.float64:
                    return None
                out[name] = hours
            return out


@dataclass
class Batch:
    """What a batch gave: ``transits[variant][replication]`` (None where the run failed),
    the failures ``(variant, replication, error)``, and how many runs were taken from
    the cache and how many were run."""

    transits: list[list[Transits | None]]
    failures: list[tuple[int, int, str]] = field(default_factory=list)
    reused: int = 0
    ran: int = 0


Progress = Callable[[int, int], None]

_PLANS: list[Plan] = []
"""The plans a worker process runs, set once when it starts (tasks carry only numbers)."""


def _set_plans(plans: Sequence[Plan]) -> None:
    _PLANS[:] = list(plans)


def _attempt(plan: Plan, replication: int, seed: int) -> Transits | str:
    try:
        return flow_transits(plan, replication, seed)
    except Exception as exc:  # recorded with the run; the other runs go on
        return f"{type(exc).__name__}: {exc}"


def _pool_task(task: Task) -> tuple[int, int, Transits | str]:
    v, r, seed = task
    return v, r, _attempt(_PLANS[v], r, seed)


def dask_task(plan: Plan, variant: int, replication: int, seed: int) -> tuple[int, int, Any]:
    """One run on a Dask worker (module level, so the worker imports it by name)."""
    return variant, replication, _attempt(plan, replication, seed)


def _serial(plans: Sequence[Plan], tasks: Sequence[Task]) -> Iterator[tuple[int, int, Any]]:
    for v, r, seed in tasks:
        yield v, r, _attempt(plans[v], r, seed)


def _pool(
    plans: Sequence[Plan], tasks: Sequence[Task], jobs: int
) -> Iterator[tuple[int, int, Any]]:
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking with threads may deadlock; the workers only
        # simulate, taking no lock another thread could hold
        warnings.filterwarnings("ignore", ".*multi-threaded.*fork", DeprecationWarning)
        with worker_pool(jobs, process_context(), _set_plans, (list(plans),)) as pool:
            yield from pool.imap_unordered(_pool_task, tasks)


def _dask(
    plans: Sequence[Plan], tasks: Sequence[Task], address: str
) -> Iterator[tuple[int, int, Any]]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise CorridorSimError('--scheduler needs Dask: pip install "corridorsim[dask]"') from None
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise CorridorSimError(f"--scheduler {address}: cannot connect ({exc})") from None
    try:
        used = sorted({v for v, _, _ in tasks})
        shared = dict(
            zip(used, client.scatter([plans[v] for v in used], broadcast=True), strict=True)
        )
        futures = [
            client.submit(dask_task, shared[v], v, r, seed, pure=False) for v, r, seed in tasks
        ]
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.close()


def run_batch(
    variants: Sequence[LoadedScenario],
    *,
    replications: int,
    seed: int,
    jobs: int = 1,
    scheduler: str | None = None,
    cache: Path | None = None,
    progress: Progress | None = None,
) -> Batch:
    """Run ``replications`` of every variant with ``seed``: in this process (``jobs``
    1), on ``jobs`` worker processes, or on the Dask scheduler at ``scheduler``; runs
    found in ``cache`` are not run again, and each new one is added to it as it
    finishes (so an interrupted batch keeps what it finished)."""
    store = RunCache(cache)
    plans = [Plan.build(with_settings(v, replications=replications, seed=seed)) for v in variants]
    keys = [run_keys(v, seed, replications) for v in variants]
    batch = Batch([[None] * replications for _ in variants])
    tasks: list[Task] = []
    for v in range(len(variants)):
        flows = [f.name for f in variants[v].scenario.demand]
        for r in range(replications):
            found = store.get(keys[v][r], flows)
            if found is None:
                tasks.append((v, r, seed))
            else:
                batch.transits[v][r] = found
                batch.reused += 1
    total = len(variants) * replications
    if progress is not None:
        progress(batch.reused, total)
    if scheduler is not None:
        results = _dask(plans, tasks, scheduler)
    elif jobs > 1 and len(tasks) > 1:
        results = _pool(plans, tasks, min(jobs, len(tasks)))
    else:
        results = _serial(plans, tasks)
    for v, r, outcome in results:
        batch.ran += 1
        if isinstance(outcome, str):
            batch.failures.append((v, r, outcome))
        else:
            batch.transits[v][r] = outcome
            store.put(keys[v][r], outcome)
        if progress is not None:
            progress(batch.reused + batch.ran, total)
    batch.failures.sort()
    return batch
