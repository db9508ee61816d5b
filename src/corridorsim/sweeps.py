"""Parameter sweeps: the same scenario run with one or more fields set to each of a
list of values (every combination), all with the same seed, so that variants differ by
the parameters and not by their random draws (common random numbers).

A variant is a small scenario file that ``extends`` the original and sets the fields, so
it is read, validated and checked exactly as a user's own file would be.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from corridorsim.batch import Batch, run_batch
from corridorsim.engine.plan import Plan
from corridorsim.errors import CorridorSimError, ScenarioError
from corridorsim.located_yaml.reader import CHOICES
from corridorsim.results.stats import mean_ci95, share_ci95
from corridorsim.scenario.loader import LoadedScenario, load_scenario
from corridorsim.scenario.paths import check_path, is_integer

__all__ = [
    "MAX_VARIANTS",
    "Swept",
    "Vary",
    "grid_settings",
    "lhs_settings",
    "load_variants",
    "parse_vary",
    "run_settings",
    "sweep",
]

MAX_VARIANTS = 200
"""More variants than this in one sweep is refused (a typo in LO:HI:N is likelier)."""

Vary = tuple[str, tuple[Any, ...]]
"""A field's dotted path and the values it takes."""


def parse_vary(text: str, design: str = "grid") -> Vary:
    """``PATH=V1,V2,...`` or ``PATH=LO:HI:N`` (N evenly spaced values) to a :data:`Vary`;
    for a Latin hypercube (``design="lhs"``) also ``PATH=LO:HI``, the range to draw
    from. The path is checked against the scenario format."""
    path, sep, values = text.partition("=")
    path = path.strip()
    if not sep or not path or not values.strip():
        raise CorridorSimError(f"--vary {text!r}: write PATH=V1,V2,... or PATH=LO:HI:N")
    check_path(path)
    if ":" in values:
        return path, _span(text, values, design)
    return path, tuple(yaml.safe_load(v.strip()) for v in values.split(","))


def _span(text: str, values: str, design: str) -> tuple[float, ...]:
    parts = [v.strip() for v in values.split(":")]
    if len(parts) == 2 and design == "lhs":
        parts.append("2")
    if len(parts) != 3 or "," in values:
        raise CorridorSimError(
            f"--vary {text!r}: write PATH=LO:HI:N for N evenly spaced values"
            + (" (or PATH=LO:HI with --design lhs)" if design == "grid" else "")
        )
    try:
        lo, hi, count = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise CorridorSimError(f"--vary {text!r}: LO:HI:N needs two numbers and a count") from None
    if count < 2:
        raise CorridorSimError(f"--vary {text!r}: N must be at least 2")
    if not (np.isfinite(lo) and np.isfinite(hi)) or lo >= hi:
        raise CorridorSimError(f"--vary {text!r}: LO must be a finite number below HI")
    return tuple(round(float(v), 10) for v in np.linspace(lo, hi, count))


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


def grid_settings(varies: Sequence[Vary]) -> list[dict[str, Any]]:
    """Every combination of the values in ``varies`` (a full factorial grid)."""
    settings = [
        dict(zip([p for p, _ in varies], combo, strict=True))
        for combo in itertools.product(*(v for _, v in varies))
    ]
    if len(settings) > MAX_VARIANTS:
        raise CorridorSimError(f"{len(settings)} variants: at most {MAX_VARIANTS} in one sweep")
    return settings


def lhs_settings(
    varies: Sequence[Vary], samples: int, rng: np.random.Generator
) -> list[dict[str, Any]]:
    """``samples`` points of a Latin hypercube over ``varies``: a field given as a range
    (``LO:HI:N`` or two numbers) is drawn across ``[LO, HI]`` (whole numbers where the
    field takes them), one given as a list takes its values in equal strata. Each
    field's range is cut into ``samples`` equal strata and every stratum is used once."""
    from scipy.stats import qmc  # only a Latin-hypercube sweep pays for importing it

    if not 2 <= samples <= MAX_VARIANTS:
        raise CorridorSimError(f"--samples {samples}: give 2 to {MAX_VARIANTS}")
    unit = qmc.LatinHypercube(d=len(varies), rng=rng).random(samples)
    settings: list[dict[str, Any]] = [{} for _ in range(samples)]
    for j, (path, values) in enumerate(varies):
        numeric = len(values) > 1 and all(_is_number(v) for v in values)
        whole = is_integer(check_path(path))
        lo, hi = (min(values), max(values)) if numeric else (0, 0)
        for i, u in enumerate(unit[:, j]):
            if not numeric:
                value = values[min(int(u * len(values)), len(values) - 1)]
            elif whole:
                value = int(lo + min(int(u * (hi - lo + 1)), hi - lo))
            else:
                value = round(float(lo + u * (hi - lo)), 6)
            settings[i][path] = value
    return settings


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


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
) -> Swept:
    """Run ``base`` with each setting (dotted path -> value; ``{}`` is the base itself),
    all with the same seed and replications, every run a task of one batch
    (:func:`corridorsim.batch.run_batch`: ``jobs`` processes or a Dask ``scheduler``,
    finished runs kept in ``cache``)."""
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
    "share_ci95",
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
        shown = ", ".join(f"{p}={v}" for p, v in setting.items())
        problems = "; ".join(f"{issue.field}: {issue.message}" for issue in exc.issues)
        raise CorridorSimError(f"variant {shown}: {problems}") from None
    return with_settings(loaded, horizon_days=horizon_days)


def _rows(
    i: int, setting: dict[str, Any], loaded: LoadedScenario, batch: Batch
) -> list[dict[str, Any]]:
    runs = batch.transits[i]
    errors = [e for v, _, e in batch.failures if v == i]
    target = loaded.scenario.target.hours
    # the cost of each flow's main route, known without simulating (where disruptions
    # reroute some containers, run's summary gives the mean over those delivered)
    plan = Plan.build(loaded)
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
    shares = [float((x <= target_hours).mean()) if len(x) else np.nan for x in per_rep]
    mean, half = mean_ci95(means)
    share, share_half = share_ci95(shares)
    return {
        "teu_delivered": float(np.mean([len(x) for x in per_rep])),
        "mean_days": mean / 24,
        "mean_ci95_days": half / 24,
        "p90_days": _percentile(np.concatenate(per_rep), 90) / 24,
        "share_within_target": share,
        "share_ci95": share_half,
    }
