"""Saving a run's tables and its resolved scenario, and loading them back.

``corridorsim plot RESULTS_DIR`` redraws every plot from a results folder alone: the
folder keeps the resolved scenario (``extends`` merged, the network with the scenario's
changes applied, in ``data/``) and every table of :data:`~corridorsim.results.tables.TABLES`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import yaml

from corridorsim.engine.plan import Plan
from corridorsim.errors import CorridorSimError
from corridorsim.results.tables import CATEGORIES, TABLES, Results, Table
from corridorsim.scenario.loader import load_scenario
from corridorsim.scenario.resolved import resolved_scenario

__all__ = ["load_results", "save_results"]

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when installed: 5x faster


def _yaml(data: object) -> str:
    """``data`` as YAML, in the order given (the same text from libyaml or without)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def _write(df: pd.DataFrame, t: Table, folder: Path) -> str:
    name = f"{t.file}.csv" if t.csv else f"{t.file}.parquet"
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if t.csv:
        df.to_csv(path, index=False)
    else:
        df.to_parquet(path, index=False)
    return name


def _read(t: Table, folder: Path) -> pd.DataFrame:
    stems = [t.file] + ([str(Path(t.file).parent / t.legacy_file)] if t.legacy_file else [])
    for stem in stems:
        for suffix, reader in ((".parquet", pd.read_parquet), (".csv", pd.read_csv)):
            path = folder / f"{stem}{suffix}"
            if path.is_file():
                try:
                    df = reader(path)
                except (OSError, ValueError) as exc:  # truncated, not Parquet, not CSV
                    raise _damaged(path, str(exc).splitlines()[0] if str(exc) else "") from None
                if not set(t.names) & set(df.columns):
                    raise _damaged(path, f"none of the columns of the {t.name} table")
                # a folder from an earlier version may lack columns added since; a
                # breakdown category it lacks had no time booked to it then
                missing = [c for c in t.names if c not in df.columns]
                df = df.reindex(columns=t.names)
                for c in missing:
                    if c.endswith("_h") and c.removesuffix("_h") in CATEGORIES:
                        df[c] = 0.0
                return df
    raise CorridorSimError(
        f"{folder / t.file}.{'csv' if t.csv else 'parquet'} is missing: not a complete "
        "results folder; run the scenario again"
    )


def _damaged(path: Path, problem: str) -> CorridorSimError:
    return CorridorSimError(
        f"{path}: cannot be read ({problem or 'damaged'}); run the scenario again"
    )


def _read_meta(path: Path) -> dict[str, int]:
    """``data/meta.json``: the seed, replications and stage records of the run."""
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise _damaged(path, "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise _damaged(path, f"not JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(meta, dict):
        raise _damaged(path, "not a JSON object")
    for key, least in (("seed", 0), ("replications", 1)):
        value = meta.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise _damaged(path, f"'{key}' must be a whole number of at least {least}")
    records = meta.get("stage_records", meta.get("events", 0))
    if isinstance(records, bool) or not isinstance(records, int):
        raise _damaged(path, "'stage_records' must be a whole number")
    return {"seed": meta["seed"], "replications": meta["replications"], "stage_records": records}


def save_results(results: Results, folder: Path, *, csv: bool = False) -> list[str]:
    """Write every table and ``data/`` (resolved scenario and network, run settings)
    into ``folder``; returns the files written, relative to it. With ``csv``, the
    container table is also written as ``containers.csv`` (for spreadsheets)."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    scenario, network = resolved_scenario(results.loaded)
    header = "# The scenario as run (resolved by corridorsim; see summary.json)\n"
    (data / "scenario.yaml").write_text(header + _yaml(scenario), encoding="utf-8")
    (data / "network.yaml").write_text(
        "# The network as run, with the scenario's changes applied\n" + _yaml(network),
        encoding="utf-8",
    )
    meta = {
        "seed": results.seed,
        "replications": results.replications,
        "stage_records": results.stage_records,
    }
    (data / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    names = [_write(results.tables[t.name], t, folder) for t in TABLES]
    if csv:
        results.containers.to_csv(folder / "containers.csv", index=False)
        names.append("containers.csv")
    return [*names, "data/scenario.yaml", "data/network.yaml", "data/meta.json"]


def load_results(folder: str | Path) -> Results:
    """Rebuild :class:`~corridorsim.results.tables.Results` from a folder written by
    ``corridorsim run`` (also one written before ``trains.csv`` became ``vehicles.csv``).

    Parameters
    ----------
    folder : str or Path
        A folder written by ``corridorsim run`` (``--out``).

    Returns
    -------
    Results
        The run's tables (times in hours, costs in USD per TEU) and its scenario.

    Raises
    ------
    CorridorSimError
        If the folder is not a complete results folder.
    """
    folder = Path(folder)
    if not folder.is_dir():
        problem = "is not a folder" if folder.exists() else "no such folder"
        raise CorridorSimError(f"{folder}: {problem}; give a folder written by corridorsim run")
    data = folder / "data"
    for name in ("scenario.yaml", "meta.json"):
        if not (data / name).is_file():
            raise CorridorSimError(
                f"{folder} is not a results folder of corridorsim run (data/{name} is missing)"
            )
    loaded = load_scenario(data / "scenario.yaml")
    meta = _read_meta(data / "meta.json")
    return Results(
        loaded=loaded,
        seed=meta["seed"],
        replications=meta["replications"],
        plan=Plan.build(loaded),
        tables={t.name: _read(t, folder) for t in TABLES},
        stage_records=meta["stage_records"],
    )
