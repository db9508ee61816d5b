"""What it takes: levers moved one at a time from a baseline to a stated "fixed" value,
ranked by the days they save at p90, then applied one after another in that order
(the cumulative path from the baseline to the best case), all with the same seed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import Field, PrivateAttr

from corridorsim._base import Frozen, Sources
from corridorsim.errors import CorridorSimError, Issue, ScenarioError
from corridorsim.located_yaml.diagnostics import issue_at, suggest, validate
from corridorsim.located_yaml.reader import Located, read_yaml
from corridorsim.market import RATE_PATH, Market, market_against
from corridorsim.results.stats import paired_percentile_difference
from corridorsim.scenario.builtins import builtin_folder
from corridorsim.scenario.loader import load_scenario
from corridorsim.scenario.paths import check_path
from corridorsim.sweeps import VariantError, load_variants, run_settings

__all__ = [
    "MAX_LEVERS",
    "Lever",
    "LeversFile",
    "WhatItTakes",
    "check_levers",
    "rank_levers",
    "read_levers",
]


class Lever(Frozen):
    """A change with its source: ``set`` maps dotted scenario paths to their values."""

    name: str = Field(min_length=1)
    set: dict[str, Any] = Field(min_length=1)
    source: Sources = ()
    note: str = ""


MAX_LEVERS = 60
"""Levers in one file at most: each is run alone and then on the cumulative path, so a
file of N levers runs 2N + 1 variants (at most 121)."""


class LeversFile(Frozen):
    levers: tuple[Lever, ...] = Field(min_length=1, max_length=MAX_LEVERS)
    _located: Located | None = PrivateAttr(default=None)

    def issue(self, index: int, key: str | None, message: str) -> Issue:
        """An issue placed at lever ``index``'s ``set`` entry ``key`` (or its ``set``)
        in the file it was read from."""
        path: tuple[str | int, ...] = ("levers", index, "set") + ((key,) if key else ())
        if self._located is None:
            return Issue("levers", None, None, ".".join(map(str, path)), message)
        return issue_at(self._located, path, message, at_key=key is not None)


def read_levers(path: str | Path) -> LeversFile:
    """Read a levers file (or a built-in one by name: ``western-rail``); every path is
    checked against the scenario format and every name must be new.

    Parameters
    ----------
    path : str or Path
        A levers YAML file, or a built-in one's name.

    Returns
    -------
    LeversFile
        Each lever's name, the fields it sets (in their own units) and its source.

    Raises
    ------
    ScenarioError
        Each problem at its line in the levers file.
    """
    shipped = builtin_folder() / "levers" / f"{str(path).removesuffix('.yaml')}.yaml"
    if not Path(path).exists() and Path(path).name == str(path) and shipped.is_file():
        path = shipped
    located = read_yaml(path)
    result: LeversFile = validate(LeversFile, located)
    result._located = located
    issues = []
    seen: set[str] = set()
    for i, lever in enumerate(result.levers):
        if lever.name in seen:
            message = f"the name '{lever.name}' is given to an earlier lever; give each its own"
            issues.append(issue_at(located, ("levers", i, "name"), message))
        seen.add(lever.name)
        for p in lever.set:
            try:
                check_path(p, option="set")
            except CorridorSimError as exc:
                problem = str(exc).removeprefix(f"set {p}: ")
                issues.append(result.issue(i, p, f"lever '{lever.name}': {problem}"))
    if issues:
        raise ScenarioError(issues)
    return result


def check_levers(scenario: str | Path, levers: LeversFile, flow: str | None) -> str:
    """Before anything runs: every lever makes a valid scenario of ``scenario`` (each
    problem at its line in the levers file), and ``flow`` (default: the first) is one
    of its flows; returns the flow."""
    names = [f.name for f in load_scenario(scenario).scenario.demand]
    if flow is not None and flow not in names:
        raise CorridorSimError(
            f"--flow {flow}: no such flow in {scenario}{suggest(flow, names)}; "
            f"flows: {', '.join(names)}"
        )
    try:
        load_variants(scenario, [dict(lv.set) for lv in levers.levers])
    except VariantError as exc:
        keys = list(levers.levers[exc.index].set)
        issues = []
        for field, message in exc.problems:
            key = next((k for k in keys if field == k or field.startswith(k + ".")), None)
            name = levers.levers[exc.index].name
            issues.append(levers.issue(exc.index, key, f"lever '{name}': {field}: {message}"))
        raise ScenarioError(issues) from None
    return flow or names[0]


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
    scenario: str | Path,
    levers: LeversFile,
    *,
    flow: str | None = None,
    against: Sequence[str | Path] = (),
    **run_args: Any,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each lever alone against the baseline, ranked, then the levers one after another.

    Parameters
    ----------
    scenario : str or Path
        The baseline scenario (or a built-in's name).
    levers : LeversFile
        From :func:`read_levers`.
    flow : str, optional
        The flow whose p90 ranks them (default: the scenario's first).
    against : sequence of str or Path
        Alternatives between the same places (:mod:`corridorsim.market`): each lever's
        market share and the share it gains are added (``share``, ``share_ci95``,
        ``share_gained``), and ``share_rank`` ranks the levers by share gained.
    **run_args
        Passed to :func:`corridorsim.sweeps.run_settings`: ``replications``, ``seed``,
        ``jobs``, ``horizon_days`` (days).

    Returns
    -------
    (DataFrame, DataFrame)
        One at a time: per lever its p90 and mean (days) and the days it saves at p90
        with a 95% half-width from the replication-by-replication differences (common
        random numbers keep them small), largest first; cumulative: the same figures
        as the levers are applied in that order.
    """
    base = Path(scenario)
    name = check_levers(base, levers, flow)
    market = market_against(base, name, against, "", **run_args) if against else None
    swept = run_settings(base, [{}] + [dict(lv.set) for lv in levers.levers], **run_args)
    singles = swept.table
    _no_failures(swept)
    by_variant = dict(tuple(singles.groupby("variant")))
    p90_0, mean_0, ci_0 = _p90(by_variant[0], name)
    base_reps = swept.transits(0, name)
    rows = []
    for i, lv in enumerate(levers.levers, start=1):
        p90, mean, ci = _p90(by_variant[i], name)
        # the pooled p90 saved, and its interval from leaving the same replication out
        # of both (paired): one estimator for the point and the interval
        saved, low, high = paired_percentile_difference(base_reps, swept.transits(i, name), 90)
        rows.append(
            {
                "lever": lv.name,
                "p90_days": p90,
                "saved_p90_days": saved / 24,
                "saved_p90_low_days": low / 24,
                "saved_p90_high_days": high / 24,
                "saved_p90_ci95_days": (high - low) / 48,
                "mean_days": mean,
                "mean_ci95_days": ci,
                "source": ", ".join(lv.source),
            }
        )
    if market is not None:
        _add_shares(rows, market, swept, levers, name)
    one = pd.DataFrame(rows).sort_values("saved_p90_days", ascending=False, kind="stable")
    one.insert(0, "baseline_p90_days", p90_0)
    order = [next(lv for lv in levers.levers if lv.name == n) for n in one["lever"]]
    first = {"step": 0, "lever": "baseline", "p90_days": p90_0, "mean_days": mean_0}
    path = _cumulative(base, order, name, run_args)
    return one.reset_index(drop=True), pd.DataFrame([{**first, "mean_ci95_days": ci_0}, *path])


def _add_shares(
    rows: list[dict[str, Any]], market: Market, swept: Any, levers: LeversFile, flow: str
) -> None:
    """Each lever's market share (a lever may set the flow's rate), the share it gains
    over the baseline's, and the levers' rank by share gained."""
    key = f"{RATE_PATH}.{flow}"
    assert market.rate is not None  # market_against requires it when nothing varies it
    base, _ = market.share(swept.transits(0, flow), market.rate)
    for i, (row, lv) in enumerate(zip(rows, levers.levers, strict=True), start=1):
        share, half = market.share(swept.transits(i, flow), float(lv.set.get(key, market.rate)))
        row.update(share=share, share_ci95=half, share_gained=share - base)
    ranked = sorted(range(len(rows)), key=lambda k: -rows[k]["share_gained"])
    for rank, k in enumerate(ranked, start=1):
        rows[k]["share_rank"] = rank


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
