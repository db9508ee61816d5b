"""Check that a change leaves results unchanged: run scenarios through the command line
and compare every table and ``summary.json`` with a snapshot taken before the change.

    python scripts/same_outputs.py snapshot DIR     # before the change
    python scripts/same_outputs.py check DIR        # after: compares with DIR

It goes through ``corridorsim run`` (the interface that outlives refactoring), so one
script serves both sides. Tables are compared by value (column by column, NaN equal to
NaN); columns added by the change are listed, not failed; the vehicle table may be
called ``trains.csv`` (before) or ``vehicles.csv`` (after). ``summary.json`` is compared
field by field, except ``files`` (the list of files written) and the version.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

SCENARIOS = [
    "default",
    "security-disruptions-rerouting",
    "khaf-herat",
    "design-capacity-20mt",
    "today-road-tir-closures",
    "uap-eastern",
    "western-rail-no-gauge-break",
    "western-rail-phase1",
]
ROOT = Path(__file__).resolve().parent.parent
IGNORED_SUMMARY_KEYS = {"files", "corridorsim_version"}


def _run(name: str, out: Path) -> None:
    args = ["corridorsim", "run", str(ROOT / "scenarios" / f"{name}.yaml"), "--out", str(out)]
    args += ["--replications", "3", "--seed", "7", "--horizon-days", "200", "--quiet"]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def _tables(folder: Path) -> dict[str, pd.DataFrame]:
    out = {"containers": pd.read_parquet(folder / "containers.parquet")}
    vehicles = folder / "vehicles.csv"
    out["vehicles"] = pd.read_csv(vehicles if vehicles.is_file() else folder / "trains.csv")
    for p in sorted((folder / "data").glob("*.parquet")):
        out[p.stem] = pd.read_parquet(p)
    return out


def snapshot(dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for name in SCENARIOS:
        _run(name, dest / name)
        print(f"snapshot {name}")


def _same_column(a: pd.Series, b: pd.Series) -> bool:
    if len(a) != len(b):
        return False
    if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
        x, y = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
        return bool(np.array_equal(x, y, equal_nan=True))
    return bool((a.astype(str).to_numpy() == b.astype(str).to_numpy()).all())


def _diff_json(a: object, b: object, path: str, out: list[str]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if not path and k in IGNORED_SUMMARY_KEYS:
                continue
            if k not in b:
                out.append(f"{path}.{k}: missing after")
            elif k not in a:
                out.append(f"{path}.{k}: added")
            else:
                _diff_json(a[k], b[k], f"{path}.{k}", out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _diff_json(x, y, f"{path}[{i}]", out)
    elif a != b:
        out.append(f"{path}: {a!r} -> {b!r}")


def check(before: Path) -> int:
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in SCENARIOS:
            after = Path(tmp) / name
            _run(name, after)
            problems: list[str] = []
            added: list[str] = []
            old, new = _tables(before / name), _tables(after)
            for table, df in old.items():
                if table not in new:
                    problems.append(f"table {table} missing")
                    continue
                nd = new[table]
                added += [f"{table}.{c}" for c in nd.columns if c not in df.columns]
                for col in df.columns:
                    if col not in nd.columns:
                        problems.append(f"{table}.{col} missing")
                    elif not _same_column(df[col], nd[col]):
                        problems.append(f"{table}.{col} differs")
            s_old = json.loads((before / name / "summary.json").read_text())
            s_new = json.loads((after / "summary.json").read_text())
            diffs: list[str] = []
            _diff_json(s_old, s_new, "", diffs)
            problems += [f"summary{d}" for d in diffs if not d.endswith(": added")]
            added += [f"summary{d.removesuffix(': added')}" for d in diffs if d.endswith(": added")]
            status = "same" if not problems else "DIFFERENT"
            print(f"{name}: {status}" + (f" (added: {', '.join(added)})" if added else ""))
            for p in problems:
                print(f"    {p}")
            bad += bool(problems)
    return 1 if bad else 0


if __name__ == "__main__":
    verb, folder = sys.argv[1], Path(sys.argv[2])
    if verb == "snapshot":
        snapshot(folder)
    else:
        sys.exit(check(folder))
