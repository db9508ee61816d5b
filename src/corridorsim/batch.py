"""Many runs at once: every replication of every variant of a sweep is one task, run in
this process, on a pool of forked worker processes, or on a Dask cluster, with the same
results whichever runs it (each replication has its own seed streams).

A task returns only what a sweep reads: the transit hours of the containers each flow
delivered after the warm-up (:mod:`corridorsim.workers` runs them). Finished runs are
kept in a cache folder under a key of (the resolved scenario, seed, replication, and
the code and library versions that run it), written whole or not at all, so an
interrupted sweep run again repeats none of them. A run that raises is recorded with
its error and the others go on.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from corridorsim.engine.plan import Plan
from corridorsim.errors import CorridorSimError
from corridorsim.experiments import with_settings
from corridorsim.fingerprint import environment
from corridorsim.scenario.loader import LoadedScenario
from corridorsim.scenario.resolved import scenario_hash
from corridorsim.workers import Task, Transits, checked_address, flow_transits, run_tasks

__all__ = [
    "Batch",
    "RunCache",
    "checked_address",
    "flow_transits",
    "run_batch",
    "run_keys",
]


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


def run_batch(
    variants: Sequence[LoadedScenario],
    *,
    replications: int,
    seed: int,
    jobs: int = 1,
    scheduler: str | None = None,
    cache: Path | None = None,
    progress: Progress | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> Batch:
    """Run ``replications`` of every variant with ``seed``: in this process (``jobs``
    1), on ``jobs`` worker processes, or on the Dask scheduler at ``scheduler``; runs
    found in ``cache`` are not run again, and each new one is added to it as it
    finishes (so an interrupted batch keeps what it finished). ``meanwhile`` runs once
    here while the workers start on their runs (e.g. imports the caller needs after)."""
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
    results = run_tasks(plans, tasks, jobs=jobs, scheduler=scheduler, meanwhile=meanwhile)
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
