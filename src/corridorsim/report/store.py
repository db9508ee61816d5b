"""Saving a run's raw tables and its resolved scenario, and loading them back.

``corridorsim plot RESULTS_DIR`` redraws every plot from a results folder alone: the
folder keeps the resolved scenario (``extends`` merged, the network with the scenario's
changes applied, in ``data/``) and every table the plots read.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import yaml

from corridorsim.engine import Plan
from corridorsim.errors import CorridorSimError
from corridorsim.experiments import Results
from corridorsim.results.summary import resolved_scenario
from corridorsim.scenario.loader import load_scenario

__all__ = ["load_results", "save_results"]

_TABLES = (
    "resources",
    "resource_log",
    "closures",
    "flow_places",
    "passages",
    "stages",
    "boardings",
)


def _parquet() -> bool:
    return importlib.util.find_spec("pyarrow") is not None


def _write(df: pd.DataFrame, stem: Path) -> str:
    if _parquet():
        df.to_parquet(stem.with_suffix(".parquet"), index=False)
        return stem.with_suffix(".parquet").name
    df.to_csv(stem.with_suffix(".csv"), index=False)
    return stem.with_suffix(".csv").name


def _read(stem: Path) -> pd.DataFrame:
    if stem.with_suffix(".parquet").is_file():
        return pd.read_parquet(stem.with_suffix(".parquet"))
    if stem.with_suffix(".csv").is_file():
        return pd.read_csv(stem.with_suffix(".csv"))
    raise CorridorSimError(
        f"{stem}.parquet (or .csv) is missing: not a complete results "
        "folder; run the scenario again"
    )


def save_results(results: Results, folder: Path) -> list[str]:
    """Write ``data/`` (resolved scenario, network and raw tables) into ``folder``."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    scenario, network = resolved_scenario(results)
    header = "# The scenario as run (resolved by corridorsim; see summary.json)\n"
    (data / "scenario.yaml").write_text(
        header + yaml.safe_dump(scenario, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    (data / "network.yaml").write_text(
        "# The network as run, with the scenario's changes applied\n"
        + yaml.safe_dump(network, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    (data / "meta.json").write_text(
        json.dumps(
            {"seed": results.seed, "replications": results.replications, "events": results.events}
        ),
        encoding="utf-8",
    )
    names = ["data/scenario.yaml", "data/network.yaml", "data/meta.json"]
    for table in _TABLES:
        names.append("data/" + _write(getattr(results, table), data / table))
    return names


def load_results(folder: str | Path) -> Results:
    """Rebuild :class:`Results` from a folder written by ``corridorsim run``.

    Raises
    ------
    CorridorSimError
        If the folder is not a complete results folder.
    """
    folder = Path(folder)
    data = folder / "data"
    if not (data / "scenario.yaml").is_file() or not (data / "meta.json").is_file():
        raise CorridorSimError(
            f"{folder} is not a results folder of corridorsim run (data/scenario.yaml is missing)"
        )
    loaded = load_scenario(data / "scenario.yaml")
    meta = json.loads((data / "meta.json").read_text(encoding="utf-8"))
    containers = _read(folder / "containers")
    vehicles = pd.read_csv(folder / "trains.csv")
    tables = {t: _read(data / t) for t in _TABLES}
    return Results(
        loaded=loaded,
        seed=meta["seed"],
        replications=meta["replications"],
        containers=containers,
        vehicles=vehicles,
        plan=Plan.build(loaded),
        events=meta["events"],
        **tables,
    )
