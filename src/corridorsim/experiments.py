"""Running scenarios: replications (serial or in parallel) and their combined tables.

Each replication has its own seed streams (see :mod:`corridorsim.engine.streams`), so the
results do not depend on how replications are spread over processes: serial and
parallel runs give identical tables.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from corridorsim.engine import CorridorModel, Plan, RunRecords
from corridorsim.errors import CorridorSimError
from corridorsim.scenario.loader import LoadedScenario, load_scenario
from corridorsim.scenario.schema import Simulation

__all__ = [
    "Results",
    "combine",
    "precise_enough",
    "run",
    "run_auto",
    "run_replication",
    "with_settings",
]


@dataclass
class Results:
    """The tables of all replications of one scenario (times in hours).

    Attributes
    ----------
    loaded : LoadedScenario
    seed, replications : int
    containers : DataFrame
        One row per container (TEU): flow, route, created/departed/delivered hours,
        transit hours and its breakdown (``consolidation_h`` ... ``disruption_h``),
        ``cost_usd``, ``after_warmup``, ``delivered``.
    vehicles : DataFrame
        One row per train or truck and segment.
    resources : DataFrame
        Per border post, terminal and line section: utilisation, mean queue, waits.
    resource_log : DataFrame
        Queue length and busy servers at every change, for plots.
    closures : DataFrame
        Every closed spell of a link or crossing.
    flow_places : DataFrame
        Per replication, flow, place (see ``plan.places``) and category: hours summed
        over the flow's containers created after the warm-up and delivered.
    passages : DataFrame
        Hours each vehicle took to cross each border (CPMM TFI1), after the warm-up.
    stages : DataFrame
        Every timed step of every vehicle: category (index into ``CATEGORIES``), place
        (index into ``plan.places``), hours and end time.
    boardings : DataFrame
        For a sample of containers per flow: the vehicles that carried them and when
        each entered the queue for it (for time–distance charts).
    plan : Plan
        Routes, segments and places the engine ran.
    """

    loaded: LoadedScenario
    seed: int
    replications: int
    containers: pd.DataFrame
    vehicles: pd.DataFrame
    resources: pd.DataFrame
    resource_log: pd.DataFrame
    closures: pd.DataFrame
    flow_places: pd.DataFrame
    passages: pd.DataFrame
    stages: pd.DataFrame
    boardings: pd.DataFrame
    plan: Plan
    events: int

    @property
    def delivered(self) -> pd.DataFrame:
        """Containers created after the warm-up and delivered before the horizon."""
        c = self.containers
        return c[c["after_warmup"] & c["delivered"]]


def with_settings(
    loaded: LoadedScenario,
    *,
    horizon_days: float | None = None,
    warmup_days: float | None = None,
    replications: int | None = None,
    seed: int | None = None,
) -> LoadedScenario:
    """A copy of ``loaded`` with simulation settings changed (and checked).

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
        msgs = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        raise CorridorSimError(f"simulation settings: {msgs}") from None
    scenario = loaded.scenario.model_copy(update={"simulation": new})
    return replace(loaded, scenario=scenario)


def run_replication(plan: Plan, replication: int, seed: int) -> RunRecords:
    """Run one replication of ``plan``."""
    return CorridorModel(plan, replication=replication, seed=seed).run()


def _run_one(args: tuple[Plan, int, int]) -> RunRecords:
    return run_replication(*args)


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
) -> list[RunRecords]:
    tasks = [(plan, r, seed) for r in indices]
    out: dict[int, RunRecords] = {}
    if jobs > 1 and len(tasks) > 1:
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=ctx) as pool:
            futures = {pool.submit(_run_one, t): t[1] for t in tasks}
            for fut in as_completed(futures):
                out[futures[fut]] = fut.result()
                if progress is not None:
                    progress(done0 + len(out), total)
    else:
        for t in tasks:
            out[t[1]] = _run_one(t)
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
) -> Results:
    """Run a scenario's replications and combine their tables.

    Parameters
    ----------
    scenario : LoadedScenario, path or None
        A loaded scenario, a scenario file, or None for the built-in default.
    replications, seed, horizon_days : optional
        Override the scenario's ``simulation`` settings.
    jobs : int
        Processes to use; results are identical for any value. Processes are spawned, so
        a script that uses ``jobs > 1`` calls this under ``if __name__ == "__main__":``
        (notebooks and the command line need nothing).
    progress : callable, optional
        ``progress(done, total)`` after each replication.
    """
    loaded = scenario if isinstance(scenario, LoadedScenario) else load_scenario(scenario)
    loaded = with_settings(loaded, horizon_days=horizon_days, replications=replications, seed=seed)
    sim = loaded.scenario.simulation
    plan = Plan.build(loaded)
    indices = list(range(sim.replications))
    records = _execute(plan, sim.seed, indices, jobs, progress, len(indices))
    return combine(plan, sim.seed, records)


def precise_enough(results: Results, rel: float) -> bool:
    """Whether every flow's 95% CI half-width of mean transit is under ``rel`` × mean."""
    from corridorsim.results.kpis import mean_ci95

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
) -> tuple[Results, bool]:
    """Add replications until every flow's 95% CI half-width of mean transit is under
    ``rel`` of the mean, or ``cap`` replications ran.

    Returns the results and whether the precision was reached.
    """
    loaded = scenario if isinstance(scenario, LoadedScenario) else load_scenario(scenario)
    loaded = with_settings(loaded, horizon_days=horizon_days, seed=seed)
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


def combine(plan: Plan, seed: int, records: Sequence[RunRecords]) -> Results:
    """Join the records of replications into one :class:`Results`."""

    def cat(name: str) -> pd.DataFrame:
        return pd.concat([getattr(r, name) for r in records], ignore_index=True)

    return Results(
        loaded=plan.loaded,
        seed=seed,
        replications=len(records),
        containers=cat("containers"),
        vehicles=cat("vehicles"),
        resources=cat("resources"),
        resource_log=cat("resource_log"),
        closures=cat("closures"),
        flow_places=cat("flow_places"),
        passages=cat("passages"),
        stages=cat("stages"),
        boardings=cat("boardings"),
        plan=plan,
        events=sum(r.events for r in records),
    )
