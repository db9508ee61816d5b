"""What it takes: levers moved one at a time from a baseline to a stated "fixed" value,
ranked by the days they save at p90, then applied one after another in that order
(the cumulative path from the baseline to the best case), all with the same seed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import Field

from corridorsim._base import Frozen, Sources
from corridorsim.errors import CorridorSimError
from corridorsim.located_yaml.diagnostics import validate
from corridorsim.located_yaml.reader import read_yaml
from corridorsim.results.stats import paired_difference
from corridorsim.scenario.builtins import builtin_folder
from corridorsim.scenario.paths import check_path
from corridorsim.sweeps import run_settings

__all__ = ["Lever", "LeversFile", "WhatItTakes", "rank_levers", "read_levers"]


class Lever(Frozen):
    """A change with its source: ``set`` maps dotted scenario paths to their values."""

    name: str = Field(min_length=1)
    set: dict[str, Any] = Field(min_length=1)
    source: Sources = ()
    note: str = ""


class LeversFile(Frozen):
    levers: tuple[Lever, ...] = Field(min_length=1)


def read_levers(path: str | Path) -> LeversFile:
    """Read a levers file (or a built-in one by name: ``western-rail``); every path is
    checked against the scenario format."""
    shipped = builtin_folder() / "levers" / f"{str(path).removesuffix('.yaml')}.yaml"
    if not Path(path).exists() and Path(path).name == str(path) and shipped.is_file():
        path = shipped
    result: LeversFile = validate(LeversFile, read_yaml(path))
    for lever in result.levers:
        for p in lever.set:
            try:
                check_path(p)
            except CorridorSimError as exc:
                raise CorridorSimError(f"{path}: lever '{lever.name}': {exc}") from None
    return result


def _no_failures(swept: Any) -> None:
    if swept.batch.failures:
        v, r, error = swept.batch.failures[0]
        raise CorridorSimError(
            f"{len(swept.batch.failures)} runs failed, the first (variant {v}, replication "
            f"{r}): {error}"
        )


def _p90(table: pd.DataFrame, flow: str) -> tuple[float, float, float]:
    row = table[table["flow"] == flow].iloc[0]
    return float(row["p90_days"]), float(row["mean_days"]), float(row["mean_ci95_days"])


def rank_levers(
    scenario: str | Path, levers: LeversFile, *, flow: str | None = None, **run_args: Any
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(one at a time, cumulative)``: each lever alone against the baseline (p90 and
    mean days, days saved at p90 with a 95% half-width from the replication-by-
    replication differences in p90, which common random numbers keep small), ranked;
    then the levers applied cumulatively in that order. ``run_args`` go to
    :func:`corridorsim.sweeps.run_settings`."""
    base = Path(scenario)
    swept = run_settings(base, [{}] + [dict(lv.set) for lv in levers.levers], **run_args)
    singles = swept.table
    _no_failures(swept)
    name = flow or str(singles["flow"].iloc[0])
    if name not in set(singles["flow"]):
        raise CorridorSimError(
            f"--flow {flow}: no such flow; flows: {', '.join(set(singles['flow']))}"
        )
    by_variant = dict(tuple(singles.groupby("variant")))
    p90_0, mean_0, ci_0 = _p90(by_variant[0], name)
    base_reps = swept.per_replication(0, name)
    rows = []
    for i, lv in enumerate(levers.levers, start=1):
        p90, mean, ci = _p90(by_variant[i], name)
        _, saved_half = paired_difference(base_reps, swept.per_replication(i, name))
        rows.append(
            {
                "lever": lv.name,
                "p90_days": p90,
                "saved_p90_days": p90_0 - p90,
                "saved_p90_ci95_days": saved_half / 24,
                "mean_days": mean,
                "mean_ci95_days": ci,
                "source": ", ".join(lv.source),
            }
        )
    one = pd.DataFrame(rows).sort_values("saved_p90_days", ascending=False, kind="stable")
    one.insert(0, "baseline_p90_days", p90_0)
    order = [next(lv for lv in levers.levers if lv.name == n) for n in one["lever"]]
    first = {"step": 0, "lever": "baseline", "p90_days": p90_0, "mean_days": mean_0}
    path = _cumulative(base, order, name, run_args)
    return one.reset_index(drop=True), pd.DataFrame([{**first, "mean_ci95_days": ci_0}, *path])


def _cumulative(
    base: Path, order: list[Lever], flow: str, run_args: dict[str, Any]
) -> list[dict[str, Any]]:
    """The levers applied one after another in ``order``: p90 and mean at each step."""
    sets: list[dict[str, Any]] = []
    merged: dict[str, Any] = {}
    for lv in order:
        merged = {**merged, **lv.set}
        sets.append(dict(merged))
    swept = run_settings(base, sets, **run_args)
    _no_failures(swept)
    cum = swept.table
    path = []
    for k, lv in enumerate(order):
        p90, mean, ci = _p90(cum[cum["variant"] == k], flow)
        path.append(
            {
                "step": k + 1,
                "lever": f"+ {lv.name}",
                "p90_days": p90,
                "mean_days": mean,
                "mean_ci95_days": ci,
            }
        )
    return path


@dataclass(frozen=True)
class WhatItTakes:
    """The levers ranked for one flow of a scenario that misses its target: the tables
    of :func:`rank_levers`, for a run report."""

    flow: str
    levers_file: str
    target_hours: float
    one: pd.DataFrame
    path: pd.DataFrame

    def reached_at(self) -> int | None:
        """The first step of the cumulative path whose p90 meets the target, if any."""
        ok = self.path[self.path["p90_days"] <= self.target_hours / 24]
        return None if ok.empty else int(ok["step"].iloc[0])

    def conclusion(self) -> str:
        """One sentence: where the levers, one after another, take the p90."""
        first, last = self.path.iloc[0], self.path.iloc[-1]
        target = self.target_hours / 24
        text = (
            f"Applied one after another, largest first, the levers take {self.flow}'s p90 "
            f"from {first['p90_days']:.1f} to {last['p90_days']:.1f} days"
        )
        step = self.reached_at()
        if step is None:
            short = last["p90_days"] - target
            return f"{text}: the target of {target:g} days is not reached ({short:.1f} days short)."
        lever = str(self.path.loc[self.path["step"] == step, "lever"].iloc[0]).lstrip("+ ")
        return f"{text}; the target of {target:g} days is met from step {step} ({lever})."
