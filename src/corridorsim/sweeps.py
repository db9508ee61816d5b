"""Parameter sweeps: the same scenario run with one or more fields set to each of a
list of values (every combination), all with the same seed, so that variants differ by
the parameters and not by their random draws (common random numbers).

A variant is a small scenario file that ``extends`` the original and sets the fields, so
it is read, validated and checked exactly as a user's own file would be.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from corridorsim.batch import Batch, run_batch
from corridorsim.engine.loads import offered_loads
from corridorsim.engine.plan import Plan
from corridorsim.errors import CorridorSimError, ScenarioError
from corridorsim.located_yaml.reader import CHOICES
from corridorsim.results.stats import mean_ci95, share_ci95
from corridorsim.scenario.loader import LoadedScenario, load_scenario
from corridorsim.vary import MAX_VARIANTS, Vary, grid_settings, lhs_settings, parse_vary

__all__ = [
    "MAX_VARIANTS",
    "Swept",
    "VariantError",
    "Vary",
    "grid_settings",
    "lhs_settings",
    "load_variants",
    "parse_vary",
    "run_settings",
    "sweep",
]


def _variant_file(
    base: Path, resolved: dict[str, Any], folder: Path, i: int, setting: dict[str, Any]
) -> Path:
    """A file extending ``base`` that sets the varied fields and nothing else: what the
    base leaves unset stays unset (so defaults, calibrated posts and derived lanes are
    the base's). A field inside a choice (a departure policy, a distribution) is
    written with the choice the base makes (from ``resolved``, the base as run), so it
    merges into the base's mapping and keeps its siblings."""
    data: dict[str, Any] = {"extends": str(base.resolve()), "name": f"{base.stem}-variant-{i}"}
    for path, value in setting.items():
        _set(data, path, value, resolved)
    out = folder / f"variant-{i}.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return out


def _set(data: dict[str, Any], path: str, value: Any, resolved: Any) -> None:
    """Set ``path`` in ``data`` to ``value`` (a mapping replaces what was there), making
    the mappings on the way; each made where ``resolved`` has a choice (``policy``,
    ``dist``) carries that choice."""
    parts = path.split(".")
    for part in parts[:-1]:
        resolved = resolved.get(part) if isinstance(resolved, dict) else None
        if not isinstance(data.get(part), dict):
            data[part] = {}
        data = data[part]
        if isinstance(resolved, dict):
            for key in CHOICES:
                if key in resolved:
                    data.setdefault(key, resolved[key])
    data[parts[-1]] = value


def sweep(
    scenario: str | Path,
    varies: Sequence[Vary],
    *,
    design: str = "grid",
    samples: int = 20,
    design_rng: np.random.Generator | None = None,
    **run_args: Any,
) -> Swept:
    """Run ``scenario`` with the fields in ``varies`` set to every combination of their
    values (``design="grid"``) or to ``samples`` points of a Latin hypercube
    (``design="lhs"``, drawn with ``design_rng``); every variant with the same seed.
    ``run_args`` go to :func:`run_settings`.

    Parameters
    ----------
    scenario : str or Path
        The base scenario (or a built-in's name).
    varies : sequence of Vary
        From :func:`corridorsim.vary.parse_vary`: each field and its values, in the
        field's own unit.
    design : str
        ``grid`` or ``lhs``.
    samples : int
        Points of a Latin hypercube.
    design_rng : numpy Generator, optional
        Draws the hypercube (seeded by the caller for the same points).
    **run_args
        ``replications``, ``seed``, ``jobs``, ``horizon_days`` (days), and a Dask
        ``scheduler``.

    Returns
    -------
    Swept
        ``table``: per variant and flow the values set, mean and p90 transit (days)
        with 95% intervals, the share within the target, the route cost (USD per TEU),
        the peak offered load and the resource it saturates, failed runs; and each
        run's transit hours.

    Raises
    ------
    CorridorSimError
        If a variant's values make an invalid scenario (naming the variant), or there are
        more than :data:`MAX_VARIANTS`.
    """
    if design == "grid":
        settings = grid_settings(varies)
    elif design == "lhs":
        settings = lhs_settings(varies, samples, design_rng or np.random.default_rng(0))
    else:
        raise CorridorSimError(f"--design {design}: choose grid or lhs")
    return run_settings(scenario, settings, **run_args)


@dataclass(frozen=True)
class Swept:
    """A sweep's answer: ``table`` (one row per variant and flow: the values set, then
    transit days, mean with its 95% half-width, and p90, the share within the target
    with its 95% half-width, and ``failed_runs`` with the first ``error``), the
    ``settings`` run, and the ``batch`` (each replication's transit hours, failures,
    runs reused from the cache)."""

    table: pd.DataFrame
    settings: tuple[dict[str, Any], ...]
    batch: Batch

    def per_replication(self, variant: int, flow: str, q: float = 90) -> np.ndarray:
        """Each replication's ``q``-th percentile of transit hours for ``flow``."""
        runs = self.batch.transits[variant]
        return np.array([_percentile(t[flow], q) if t is not None else np.nan for t in runs])

    def transits(self, variant: int, flow: str) -> list[np.ndarray]:
        """Each replication's transit hours for ``flow`` (empty where a run failed)."""
        return [t[flow] if t is not None else np.empty(0) for t in self.batch.transits[variant]]


def _percentile(x: np.ndarray, q: float) -> float:
    return float(np.percentile(x, q)) if len(x) else float("nan")


def run_settings(
    base: str | Path,
    settings: Sequence[dict[str, Any]],
    *,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    horizon_days: float | None = None,
    scheduler: str | None = None,
    cache: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> Swept:
    """Run ``base`` with each setting (dotted path -> value; ``{}`` is the base itself),
    all with the same seed and replications, every run a task of one batch
    (:func:`corridorsim.batch.run_batch`: ``jobs`` processes or a Dask ``scheduler``,
    finished runs kept in ``cache``; ``meanwhile`` runs here while they simulate)."""
    base = Path(base)
    sim = load_scenario(base).scenario.simulation
    variants = load_variants(base, settings, horizon_days=horizon_days)
    batch = run_batch(
        variants,
        replications=replications or sim.replications,
        seed=sim.seed if seed is None else seed,
        jobs=jobs,
        scheduler=scheduler,
        cache=cache,
        progress=progress,
        meanwhile=meanwhile,
    )
    rows = []
    for i, (setting, loaded) in enumerate(zip(settings, variants, strict=True)):
        rows += _rows(i, setting, loaded, batch)
    table = pd.DataFrame(rows)
    for col in NUMBERS:  # missing figures (one replication: no CI) are NaN, not None
        table[col] = pd.to_numeric(table[col], errors="coerce").astype(float)
    return Swept(table, tuple(settings), batch)


def load_variants(
    base: str | Path, settings: Sequence[dict[str, Any]], *, horizon_days: float | None = None
) -> list[LoadedScenario]:
    """``base`` with each setting applied (dotted path -> value; ``{}`` is the base
    itself), each read and checked as a user's file that ``extends`` the base and sets
    those fields only.

    Raises
    ------
    CorridorSimError
        If a setting makes an invalid scenario (naming the setting and the problem).
    """
    base = Path(base)
    resolved = load_scenario(base).scenario.model_dump(mode="json", by_alias=True)
    with tempfile.TemporaryDirectory(prefix="corridorsim-sweep-") as tmp:
        return [
            _load_variant(base, resolved, Path(tmp), i, setting, horizon_days)
            for i, setting in enumerate(settings)
        ]


NUMBERS = (
    "teu_delivered",
    "mean_days",
    "mean_ci95_days",
    "p90_days",
    "share_within_target",
    "share_ci95_low",
    "share_ci95_high",
    "route_cost_usd_per_teu",
)


def _load_variant(
    base: Path,
    resolved: dict[str, Any],
    folder: Path,
    i: int,
    setting: dict[str, Any],
    horizon_days: float | None,
) -> LoadedScenario:
    from corridorsim.experiments import with_settings

    try:
        loaded = load_scenario(_variant_file(base, resolved, folder, i, setting))
    except ScenarioError as exc:
        raise VariantError(i, setting, [(x.field, x.message) for x in exc.issues]) from None
    return with_settings(loaded, horizon_days=horizon_days)


class VariantError(CorridorSimError):
    """A variant whose values make an invalid scenario: its number, its setting and the
    problems found, each ``(field, message)``."""

    def __init__(self, index: int, setting: dict[str, Any], problems: list[tuple[str, str]]):
        self.index, self.setting, self.problems = index, setting, problems
        shown = ", ".join(f"{p}={v}" for p, v in setting.items())
        listed = "; ".join(f"{field}: {message}" for field, message in problems)
        super().__init__(f"variant {shown}: {listed}")


def _rows(
    i: int, setting: dict[str, Any], loaded: LoadedScenario, batch: Batch
) -> list[dict[str, Any]]:
    runs = batch.transits[i]
    errors = [e for v, _, e in batch.failures if v == i]
    target = loaded.scenario.target.hours
    # the cost of each flow's main route, known without simulating (where disruptions
    # reroute some containers, run's summary gives the mean over those delivered)
    plan = Plan.build(loaded)
    # the most loaded resource, from demand and background traffic alone: over 1, its
    # queue grows for as long as the run lasts, and the point's figures are the run's
    loads = offered_loads(plan)
    peak = loads[0] if loads else None
    out = []
    for fi, f in enumerate(loaded.scenario.demand):
        row: dict[str, Any] = {
            "variant": i,
            **setting,
            "flow": f.name,
            "origin": f.origin,
            "destination": f.destination,
        }
        row.update(_kpis([] if errors else [t[f.name] for t in runs if t is not None], target))
        cost = plan.routes[plan.flow_routes[fi][0]].cost
        row["route_cost_usd_per_teu"] = cost.usd
        row["route_cost_complete"] = cost.complete
        row["peak_load"] = peak.load if peak is not None else float("nan")
        row["saturated"] = peak.name if peak is not None and peak.load > 1 else ""
        row["failed_runs"] = len(errors)
        row["error"] = errors[0] if errors else ""
        out.append(row)
    return out


def _kpis(per_rep: list[np.ndarray], target_hours: float) -> dict[str, float]:
    """The figures :func:`corridorsim.results.kpis.flow_kpis` gives, from each
    replication's transit hours (a replication that delivered nothing is missing from
    the means and shares, and counts as zero TEU)."""
    if not per_rep:
        return dict.fromkeys(NUMBERS, float("nan"))
    means = [float(x.mean()) if len(x) else np.nan for x in per_rep]
    within = [int((x <= target_hours).sum()) for x in per_rep]
    mean, half = mean_ci95(means)
    share, share_low, share_high = share_ci95(within, [len(x) for x in per_rep])
    return {
        "teu_delivered": float(np.mean([len(x) for x in per_rep])),
        "mean_days": mean / 24,
        "mean_ci95_days": half / 24,
        "p90_days": _percentile(np.concatenate(per_rep), 90) / 24,
        "share_within_target": share,
        "share_ci95_low": share_low,
        "share_ci95_high": share_high,
    }
