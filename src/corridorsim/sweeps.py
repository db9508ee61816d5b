"""Parameter sweeps: the same scenario run with one or more fields set to each of a
list of values (every combination), all with the same seed, so that variants differ by
the parameters and not by their random draws (common random numbers).

A variant is a small scenario file that ``extends`` the original and sets the fields, so
it is read, validated and checked exactly as a user's own file would be.
"""

from __future__ import annotations

import copy
import itertools
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from corridorsim.errors import CorridorSimError, ScenarioError
from corridorsim.experiments import run
from corridorsim.results.summary import summarize
from corridorsim.scenario.loader import load_scenario
from corridorsim.scenario.paths import check_path

__all__ = ["MAX_VARIANTS", "Vary", "parse_vary", "run_settings", "sweep"]

MAX_VARIANTS = 200
"""More variants than this in one sweep is refused (a typo in LO:HI:N is likelier)."""

Vary = tuple[str, tuple[Any, ...]]
"""A field's dotted path and the values it takes."""


def parse_vary(text: str) -> Vary:
    """``PATH=V1,V2,...`` or ``PATH=LO:HI:N`` (N evenly spaced values) to a :data:`Vary`;
    the path is checked against the scenario format."""
    path, sep, values = text.partition("=")
    path = path.strip()
    if not sep or not path or not values.strip():
        raise CorridorSimError(f"--vary {text!r}: write PATH=V1,V2,... or PATH=LO:HI:N")
    check_path(path)
    if values.count(":") == 2 and "," not in values:
        lo, hi, n = (v.strip() for v in values.split(":"))
        try:
            count = int(n)
            grid = np.linspace(float(lo), float(hi), count)
        except ValueError:
            raise CorridorSimError(
                f"--vary {text!r}: LO:HI:N needs two numbers and a count"
            ) from None
        if count < 2:
            raise CorridorSimError(f"--vary {text!r}: N must be at least 2")
        return path, tuple(round(float(v), 10) for v in grid)
    return path, tuple(yaml.safe_load(v.strip()) for v in values.split(","))


def _variant_file(
    base: Path, resolved: dict[str, Any], folder: Path, i: int, setting: dict[str, Any]
) -> Path:
    """A file extending ``base`` whose sections holding the varied fields are written out
    whole (from ``resolved``, the base as run) with the values set: a field inside a
    choice (a departure policy, a distribution) keeps its siblings."""
    data: dict[str, Any] = {"extends": str(base.resolve()), "name": f"{base.stem}-variant-{i}"}
    for path, value in setting.items():
        top = path.split(".")[0]
        if top not in data and isinstance(resolved.get(top), dict):
            data[top] = copy.deepcopy(resolved[top])
        _set(data, path, value)
    out = folder / f"variant-{i}.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return out


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``path`` in ``data`` to ``value`` (a mapping replaces what was there),
    making the mappings on the way."""
    parts = path.split(".")
    for part in parts[:-1]:
        if not isinstance(data.get(part), dict):
            data[part] = {}
        data = data[part]
    data[parts[-1]] = value


def sweep(
    scenario: str | Path,
    varies: Sequence[Vary],
    *,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    horizon_days: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Run every combination of the values in ``varies``; one row per variant and flow:
    the values set, then transit (days: mean with its 95% half-width, p90) and the share
    within the target with its 95% half-width. Every variant uses the same seed.

    Raises
    ------
    CorridorSimError
        If a variant's values make an invalid scenario (naming the variant), or there are
        more than :data:`MAX_VARIANTS`.
    """
    base = Path(scenario)
    settings = [
        dict(zip([p for p, _ in varies], combo, strict=True))
        for combo in itertools.product(*(v for _, v in varies))
    ]
    if len(settings) > MAX_VARIANTS:
        raise CorridorSimError(f"{len(settings)} variants: at most {MAX_VARIANTS} in one sweep")
    return run_settings(
        base,
        settings,
        replications=replications,
        seed=seed,
        jobs=jobs,
        horizon_days=horizon_days,
        progress=progress,
    )


def run_settings(
    base: str | Path,
    settings: Sequence[dict[str, Any]],
    *,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    horizon_days: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Run ``base`` with each setting (dotted path -> value; ``{}`` is the base itself),
    all with the same seed: the table :func:`sweep` describes."""
    base = Path(base)
    base_scenario = load_scenario(base).scenario
    common_seed = seed if seed is not None else base_scenario.simulation.seed
    resolved = base_scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    resolved.pop("network", None)  # network changes stay in the base file (paths resolve there)
    rows = []
    with tempfile.TemporaryDirectory(prefix="corridorsim-sweep-") as tmp:
        for i, setting in enumerate(settings):
            loaded = _load_variant(base, resolved, Path(tmp), i, setting)
            res = run(
                loaded,
                replications=replications,
                seed=common_seed,
                jobs=jobs,
                horizon_days=horizon_days,
            )
            rows += _rows(i, setting, summarize(res))
            if progress is not None:
                progress(i + 1, len(settings))
    table = pd.DataFrame(rows)
    for col in NUMBERS:  # missing figures (one replication: no CI) are NaN, not None
        table[col] = pd.to_numeric(table[col], errors="coerce").astype(float)
    return table


NUMBERS = (
    "teu_delivered",
    "mean_days",
    "mean_ci95_days",
    "p90_days",
    "share_within_target",
    "share_ci95",
)


def _load_variant(
    base: Path, resolved: dict[str, Any], folder: Path, i: int, setting: dict[str, Any]
) -> Any:
    try:
        return load_scenario(_variant_file(base, resolved, folder, i, setting))
    except ScenarioError as exc:
        shown = ", ".join(f"{p}={v}" for p, v in setting.items())
        problems = "; ".join(f"{issue.field}: {issue.message}" for issue in exc.issues)
        raise CorridorSimError(f"variant {shown}: {problems}") from None


def _rows(i: int, setting: dict[str, Any], summary: Any) -> list[dict[str, Any]]:
    out = []
    for f in summary.flows:
        t, share = f.transit_hours, f.share_within_target
        out.append(
            {
                "variant": i,
                **setting,
                "flow": f.flow,
                "origin": f.origin,
                "destination": f.destination,
                "teu_delivered": f.teu_delivered,
                "mean_days": None if t is None else t.mean / 24,
                "mean_ci95_days": None if t is None or t.mean_ci95 is None else t.mean_ci95 / 24,
                "p90_days": None if t is None else t.p90 / 24,
                "share_within_target": None if share is None else share.mean,
                "share_ci95": None if share is None else share.ci95,
            }
        )
    return out
