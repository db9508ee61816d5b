"""Running scenarios: replications (serial or in parallel), their combined tables, and
comparisons of scenarios with common random numbers.

Each replication has its own seed streams (see :mod:`corridorsim.engine.streams`), so the
results do not depend on how replications are spread over processes: serial and
parallel runs give identical tables.
"""

from __future__ import annotations

import multiprocessing
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from corridorsim.engine.budget import check_work
from corridorsim.engine.model import CorridorModel
from corridorsim.engine.plan import Plan
from corridorsim.errors import CorridorSimError
from corridorsim.pools import process_context, usable_cores, worker_pool
from corridorsim.results.records import build_records
from corridorsim.results.tables import Results, RunRecords, combine
from corridorsim.scenario.format import Simulation
from corridorsim.scenario.loader import LoadedScenario, load_scenario

if TYPE_CHECKING:  # imported where used: ``run`` needs neither (nor scipy with them)
    from corridorsim.results.comparison import Comparison

__all__ = [
    "Results",
    "combine",
    "compare",
    "precise_enough",
    "run",
    "run_auto",
    "run_replication",
    "with_settings",
]


def with_settings(
    loaded: LoadedScenario,
    *,
    horizon_days: float | None = None,
    warmup_days: float | None = None,
    replications: int | None = None,
    seed: int | None = None,
) -> LoadedScenario:
    """A copy of ``loaded`` with simulation settings changed (and checked).

    Parameters
    ----------
    loaded : LoadedScenario
        From :func:`load_scenario`.
    horizon_days, warmup_days : float, optional
        Days simulated, and the first days left out of the statistics.
    replications : int, optional
    seed : int, optional

    Returns
    -------
    LoadedScenario
        The same scenario with those settings; the rest unchanged.

    Raises
    ------
    CorridorSimError
        If the settings are inconsistent (e.g. a warm-up longer than the horizon).
    """
    sim = loaded.scenario.simulation
    update = {
        k: v
        for k, v in {
            "horizon_days": horizon_days,
            "warmup_days": warmup_days,
            "replications": replications,
            "seed": seed,
        }.items()
        if v is not None
    }
    if not update:
        return loaded
    try:
        new = Simulation.model_validate({**sim.model_dump(), **update})
    except ValidationError as exc:
        msgs = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'simulation'}: "
            + str(e["msg"]).removeprefix("Value error, ")
            + ("" if e["type"].startswith("value_error") else f" (got {e['input']!r})")
            for e in exc.errors()
        )
        raise CorridorSimError(f"simulation settings: {msgs}") from None
    scenario = loaded.scenario.model_copy(update={"simulation": new})
    return replace(loaded, scenario=scenario)


def run_replication(plan: Plan, replication: int, seed: int) -> RunRecords:
    """Run one replication of ``plan`` and build its tables."""
    return build_records(CorridorModel(plan, replication=replication, seed=seed).run())


def _run_one(args: tuple[Plan, int, int]) -> tuple[int, RunRecords]:
    return args[1], run_replication(*args)


_WORKER_PLAN: list[Plan] = []
"""The plan a worker process runs, sent once when it starts (tasks carry only numbers)."""


SECONDS_PER_CONTAINER = 6e-6
"""Simulation time per container, one process (measured on the default scenario: 0.52–0.60
s for 10 replications of 9,524 containers, 2-core machine, 4 December 2026)."""
PARALLEL_FROM_SECONDS = 0.2
"""Below this much estimated simulation, one process: starting and gathering workers
would cost about as much as it saves."""


def auto_jobs(replications: int, containers: float | None = None) -> int:
    """Processes for ``replications`` (of ``containers`` each, where known) when the
    user names none: the cores this process may use (:func:`corridorsim.pools.usable_cores`,
    up to 8) where workers are forked, there is more than one replication and enough
    work to pay for them; else one."""
    if replications < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    little = containers is not None and (
        containers * replications * SECONDS_PER_CONTAINER < PARALLEL_FROM_SECONDS
    )
    if little:
        return 1
    return max(1, min(usable_cores(), 8, replications))


def _set_plan(plan: Plan) -> None:
    _WORKER_PLAN[:] = [plan]


def _run_in_worker(args: tuple[int, int]) -> tuple[int, RunRecords]:
    replication, seed = args
    return replication, run_replication(_WORKER_PLAN[0], replication, seed)


Progress = Callable[[int, int], None]
"""``progress(done, total)``, called after each replication."""


def _execute(
    plan: Plan,
    seed: int,
    indices: Sequence[int],
    jobs: int,
    progress: Progress | None,
    total: int,
    done0: int = 0,
    meanwhile: Callable[[], None] | None = None,
) -> list[RunRecords]:
    tasks = [(plan, r, seed) for r in indices]
    out: dict[int, RunRecords] = {}
    also = meanwhile or (lambda: None)
    if jobs > 1 and len(tasks) > 1:
        ctx = process_context()
        small = [(r, seed) for r in indices]
        with warnings.catch_warnings():
            # Python 3.12+ warns that forking with threads may deadlock; the workers only
            # simulate and build tables, taking no lock another thread could hold
            warnings.filterwarnings("ignore", ".*multi-threaded.*fork", DeprecationWarning)
            with worker_pool(min(jobs, len(tasks)), ctx, _set_plan, (plan,)) as pool:
                running = pool.imap_unordered(_run_in_worker, small)
                also()  # here, while the workers simulate
                for r, records in running:
                    out[r] = records
                    if progress is not None:
                        progress(done0 + len(out), total)
    else:
        also()
        for t in tasks:
            r, out[r] = _run_one(t)
            if progress is not None:
                progress(done0 + len(out), total)
    return [out[r] for r in indices]


def run(
    scenario: LoadedScenario | str | Path | None = None,
    *,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    horizon_days: float | None = None,
    progress: Progress | None = None,
    force: bool = False,
    meanwhile: Callable[[], None] | None = None,
) -> Results:
    """Run a scenario's replications and combine their tables.

    Parameters
    ----------
    scenario : LoadedScenario, path or None
        A loaded scenario, a scenario file, or None for the built-in default.
    replications, seed, horizon_days : optional
        Override the scenario's ``simulation`` settings.
    jobs : int
        Processes to use; results are identical for any value. Where the platform forks
        (Linux) the workers are forked; elsewhere they are spawned, and a script that
        uses ``jobs > 1`` calls this under ``if __name__ == "__main__":`` (notebooks and
        the command line need nothing).
    progress : callable, optional
        ``progress(done, total)`` after each replication.
    force : bool
        Run even when the estimated memory exceeds what the machine has free.
    meanwhile : callable, optional
        Called once in this process while worker processes simulate (with one process,
        before the first replication): work that needs no results, such as imports.

    Returns
    -------
    Results
        Every table of every replication (times in hours, costs in USD per TEU); see
        :data:`corridorsim.results.tables.TABLES`.

    Raises
    ------
    ScenarioError
        If the scenario file is bad (each problem at its file, line and field).
    CorridorSimError
        If the settings are inconsistent (e.g. a warm-up longer than the horizon), or
        (:class:`~corridorsim.engine.budget.WorkTooLargeError`) the run would not fit in memory.

    Examples
    --------
    >>> res = run("scenarios/default.yaml", replications=3, seed=1)  # doctest: +SKIP
    >>> res.delivered.groupby("flow")["transit_h"].quantile(0.9) / 24  # doctest: +SKIP
    """
    loaded = with_settings(
        _loaded(scenario), horizon_days=horizon_days, replications=replications, seed=seed
    )
    if not force:
        check_work(loaded)
    sim = loaded.scenario.simulation
    plan = Plan.build(loaded)
    indices = list(range(sim.replications))
    records = _execute(plan, sim.seed, indices, jobs, progress, len(indices), 0, meanwhile)
    return combine(plan, sim.seed, records)


def precise_enough(results: Results, rel: float) -> bool:
    """Whether every flow's 95% CI half-width of mean transit is under ``rel`` × mean."""
    from corridorsim.results.stats import mean_ci95

    d = results.delivered
    if d.empty:
        return False
    reps = range(results.replications)
    for flow in results.loaded.scenario.demand:
        per_rep = d[d["flow"] == flow.name].groupby("replication")["transit_h"].mean()
        mean, half = mean_ci95(per_rep.reindex(reps).to_numpy())
        if not (half <= rel * mean):  # NaN (too few replications) is not precise
            return False
    return True


def run_auto(
    scenario: LoadedScenario | str | Path | None = None,
    *,
    rel: float = 0.02,
    start: int = 5,
    step: int = 5,
    cap: int = 100,
    seed: int | None = None,
    jobs: int = 1,
    horizon_days: float | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> tuple[Results, bool]:
    """Add replications until every flow's 95% CI half-width of mean transit is under
    ``rel`` of the mean, or ``cap`` replications ran.

    Returns the results and whether the precision was reached. Unless ``force``, refuses
    (:class:`~corridorsim.engine.budget.WorkTooLargeError`) when ``cap`` replications would not
    fit in memory.
    """
    loaded = with_settings(_loaded(scenario), horizon_days=horizon_days, seed=seed)
    if not force:
        check_work(loaded, replications=cap)
    sim = loaded.scenario.simulation
    plan = Plan.build(loaded)
    records: list[RunRecords] = []
    batch = min(start, cap)
    while True:
        indices = list(range(len(records), len(records) + batch))
        records += _execute(plan, sim.seed, indices, jobs, progress, cap, len(records))
        results = combine(plan, sim.seed, records)
        if precise_enough(results, rel):
            return results, True
        if len(records) >= cap:
            return results, False
        batch = min(step, cap - len(records))


def _loaded(scenario: LoadedScenario | str | Path | None) -> LoadedScenario:
    return scenario if isinstance(scenario, LoadedScenario) else load_scenario(scenario)


def compare(
    scenarios: Sequence[LoadedScenario | str | Path],
    *,
    seed: int | None = None,
    replications: int | None = None,
    jobs: int = 1,
    horizon_days: float | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    force: bool = False,
) -> Comparison:
    """Run scenarios with common random numbers and compare them with the first.

    Every scenario runs with the same seed and number of replications (the first
    scenario's unless given), so replication ``r`` of each sees the same arrivals for
    flows of the same name, and differences are paired replication by replication.

    Parameters
    ----------
    scenarios : sequence of LoadedScenario or path
        Two or more, with different names; the first is the baseline.
    seed, replications, horizon_days : optional
        Override the settings for all of them.
    jobs : int
        Processes to use (results do not depend on it).
    progress : callable, optional
        ``progress(scenario name, replications done, total)`` after each replication.
    force : bool
        Run even when all the scenarios' results together would not fit in memory.

    Returns
    -------
    Comparison
        Results, summaries and paired differences (see
        :class:`~corridorsim.results.comparison.Comparison`).

    Raises
    ------
    CorridorSimError
        With fewer than two scenarios, or two of the same name.
    """
    if len(scenarios) < 2:
        raise CorridorSimError("compare needs at least two scenario files")
    loaded = [_loaded(s) for s in scenarios]
    names = [x.scenario.name for x in loaded]
    if len(set(names)) != len(names):
        raise CorridorSimError(f"scenario names must differ to compare them (got {names})")
    first = loaded[0].scenario.simulation
    seed = first.seed if seed is None else seed
    reps = replications or first.replications
    if not force:
        check_work(
            *(with_settings(x, horizon_days=horizon_days) for x in loaded), replications=reps
        )
    all_results = []
    for ls in loaded:
        name = ls.scenario.name
        bar = None if progress is None else (lambda d, t, n=name: progress(n, d, t))
        all_results.append(
            run(
                ls,
                seed=seed,
                replications=reps,
                horizon_days=horizon_days,
                jobs=jobs,
                progress=bar,
                force=True,  # checked above, for all of them together
            )
        )
    from corridorsim.results.comparison import compare_results

    return compare_results(all_results)
