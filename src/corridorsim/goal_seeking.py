"""Goal seeking: the value of one scenario field at which a flow meets a target, found by
bisection on a response taken to be monotone, each point run with the same seed and
replications (:func:`corridorsim.sweeps.sweep`)."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from corridorsim.errors import CorridorSimError
from corridorsim.located_yaml.diagnostics import suggest
from corridorsim.market import Market, market_against
from corridorsim.results.stats import percentile_ci95
from corridorsim.scenario.loader import load_scenario
from corridorsim.scenario.paths import check_path, is_integer
from corridorsim.sweeps import Swept, sweep

__all__ = ["MAX_STEPS", "GoalSeek", "Target", "at_precision", "goal_seek", "parse_target"]

_TARGET = re.compile(
    r"^\s*(p90|mean|share|market)\s*(<=|>=)\s*(\d+(?:\.\d+)?|\.\d+)\s*(h|d|%)?\s*$"
)


@dataclass(frozen=True)
class Target:
    """``metric`` (``p90`` or ``mean`` transit in hours, ``share`` within the
    scenario's target, or ``market``, the flow's share of its market against the
    alternatives, fractions) ``op`` (``<=`` or ``>=``) ``value``."""

    metric: str
    op: str
    value: float
    text: str
    unit: str = "h"
    """The unit the target was written in (``h``, ``d``, ``%`` or ``""`` for a
    fraction): figures are shown in it."""

    def met(self, x: float) -> bool:
        return x <= self.value if self.op == "<=" else x >= self.value

    def shown(self, x: float, half: float | None = None) -> str:
        """``x`` (hours, or a fraction for a share) and its 95% half-width in the
        target's unit, at the precision the half-width allows."""
        factor = {"d": 1 / 24, "%": 100.0}.get(self.unit, 1.0)
        label = {"d": " days", "h": " h", "%": "%"}.get(self.unit, "")
        if half is None:
            return f"{at_precision(x * factor, None)}{label}"
        return f"{at_precision(x * factor, half * factor)}{label} ± {half * factor:.2g}"


def at_precision(x: float, half: float | None) -> str:
    """``x`` written to the decimal place of the first significant digit of its 95%
    half-width ``half`` (four significant digits when that is unknown or zero): what
    the interval allows, no more."""
    if half is None or not half > 0 or not math.isfinite(half):
        return f"{x:.4g}"
    decimals = max(0, -math.floor(math.log10(half)))
    return f"{round(x, decimals):.{decimals}f}"


def parse_target(text: str) -> Target:
    """A goal-seek target from its text.

    Parameters
    ----------
    text : str
        ``p90<=120h``, ``mean<=5d``, ``share>=80%`` (or ``share>=0.8``), ``market>=50%``:
        the p90 or mean transit time in hours (``h``) or days (``d``), the share
        delivered within the scenario's target, or the flow's share of its market
        against the alternatives (:mod:`corridorsim.market`).

    Returns
    -------
    Target
        Its value in hours (a fraction for a share), and the unit it was written in,
        in which figures are shown.

    Raises
    ------
    CorridorSimError
        If the text is not one of those forms, or a value is out of range.
    """
    m = _TARGET.match(text)
    if m is None:
        raise CorridorSimError(
            f"--target {text!r}: write p90<=120h, mean<=5d, share>=80% or market>=50% (h or "
            "d for hours or days; % or a fraction for a share)"
        )
    metric, op, number, unit = m.groups()
    value = float(number)
    if metric in ("share", "market"):
        if unit in ("h", "d"):
            raise CorridorSimError(f"--target {text!r}: a share takes % or a fraction")
        value = value / 100 if unit == "%" else value
        if value > 1:
            raise CorridorSimError(
                f"--target {text!r}: a share is at most 100% (or 1 as a fraction)"
            )
    else:
        if unit not in ("h", "d"):
            raise CorridorSimError(f"--target {text!r}: give the unit, h or d")
        value = value * 24 if unit == "d" else value
        if value <= 0:
            raise CorridorSimError(f"--target {text!r}: a transit time target is above zero")
    return Target(metric, op, value, text, unit or "")


@dataclass(frozen=True)
class GoalSeek:
    """The answer: ``value`` (None when the target is out of reach in the range), the
    bracket ``[fails, meets]`` it lies in, every point run ``(x, metric, half-width)``
    and ``value_ci95``, the 95% half-width of the value: the metric's half-width at the
    answer over the response's local slope (None when either is unknown), never less
    than the bracket's width."""

    path: str
    target: Target
    flow: str
    value: float | None
    fails: float | None
    meets: float | None
    points: list[tuple[float, float, float | None]] = field(default_factory=list)
    verdict: str = ""
    value_ci95: float | None = None
    saturated: dict[float, str] = field(default_factory=dict)
    """The points at which a resource is loaded beyond its capacity (its name): their
    figures are the run's, growing with its length, not a steady state."""


def _metric(
    swept: Swept, row: Any, target: Target, market: tuple[Market, str, float] | None = None
) -> tuple[float, float | None]:
    """The metric at a point and its 95% half-width, each by the estimator of the point:
    the share of all containers (Wilson interval), the mean of replication means
    (Student t), the pooled p90 (jackknife over replications, Student t), the market
    share (Student t over the replications' shares)."""
    if target.metric == "market":
        assert market is not None
        m, path, x = market
        return m.share(swept.transits(0, str(row["flow"])), m.rate_at(path, x))
    if target.metric == "share":
        low, high = float(row["share_ci95_low"]), float(row["share_ci95_high"])
        return float(row["share_within_target"]), _nan_none((high - low) / 2)
    if target.metric == "mean":
        return 24 * float(row["mean_days"]), _nan_none(24 * row["mean_ci95_days"])
    p90, low, high = percentile_ci95(swept.transits(0, str(row["flow"])), 90)
    return p90, _nan_none((high - low) / 2)


def _value_ci(
    points: list[tuple[float, float, float | None]], meets: float, fails: float
) -> float | None:
    """The metric's half-width at ``meets`` over the least-squares slope of the four
    points nearest it, at least the bracket's width."""
    near = sorted(points, key=lambda p: abs(p[0] - meets))[:4]
    half = next((h for x, _, h in near if x == meets), None)
    xs = np.array([p[0] for p in near])
    ys = np.array([p[1] for p in near])
    if half is None or len(set(xs)) < 2 or not np.isfinite(ys).all():
        return None
    slope = float(np.polyfit(xs, ys, 1)[0])
    if slope == 0:
        return None
    return max(half / abs(slope), abs(fails - meets))


def _nan_none(x: float) -> float | None:
    return None if x != x else float(x)


MAX_STEPS = 30
"""Halvings of a goal-seek's range at most: 30 narrow it a billion-fold."""


def goal_seek(
    scenario: str | Path,
    path: str,
    lo: float,
    hi: float,
    target: Target,
    *,
    flow: str | None = None,
    steps: int = 8,
    against: Sequence[str | Path] = (),
    **run_args: Any,
) -> GoalSeek:
    """Bisect ``[lo, hi]`` for the value of ``path`` at which ``flow`` meets ``target``.

    The flow, the steps and the range are checked before anything runs; every point
    runs with the same seed; the verdict says when the points measured do not respond
    monotonically.

    Parameters
    ----------
    scenario : str or Path
        The scenario file (or a built-in's name).
    path : str
        The field to vary, dotted (``ports.dwell_hours.KHI``), in the field's own unit.
    lo, hi : float
        The range searched, in the field's unit; whole numbers where the field takes them.
    target : Target
        From :func:`parse_target` (``p90<=5d``).
    flow : str, optional
        The flow that must meet it (default: the scenario's first).
    steps : int
        Halvings of the range after its two ends (over whole numbers, stopping when the
        bracket is two neighbours).
    against : sequence of str or Path
        For a ``market`` target: the alternatives' scenarios, run once
        (:func:`corridorsim.market.market_against`).
    **run_args
        Passed to :func:`corridorsim.sweeps.sweep`: ``replications``, ``seed``,
        ``jobs``, ``horizon_days`` (days).

    Returns
    -------
    GoalSeek
        ``value`` (the field's value that meets the target, None if none in the range),
        the bracket, every point ``(value, metric in hours or a fraction, 95%
        half-width)``, ``value_ci95`` (in the field's unit), the points that saturate a
        resource, and the verdict in words.
    """
    whole = is_integer(check_path(path))
    lo, hi = _checked_range(path, lo, hi, steps, whole)
    name = _flow_name(scenario, flow)
    points: list[tuple[float, float, float | None]] = []
    saturated: dict[float, str] = {}
    market = (
        market_against(scenario, name, against, path, **run_args)
        if target.metric == "market"
        else None
    )

    def measure(x: float) -> bool:
        swept = sweep(scenario, [(path, (x,))], **run_args)
        rows = swept.table[swept.table["flow"] == name]
        at = None if market is None else (market, path, x)
        value, half = _metric(swept, rows.iloc[0], target, at)
        points.append((x, value, half))
        if rows.iloc[0]["saturated"]:
            saturated[x] = str(rows.iloc[0]["saturated"])
        return target.met(value)

    at_lo, at_hi = measure(lo), measure(hi)
    if at_lo == at_hi:
        where = "everywhere" if at_lo else "nowhere"
        verdict = f"the target {target.text} is met {where} in {path} = {lo:g} to {hi:g}" + (
            "" if at_lo else ": out of reach within the range"
        )
        verdict += " (at both ends; the points between were not run)"
        return GoalSeek(
            path, target, name, lo if at_lo else None, None, None, points, verdict, None, saturated
        )
    fails, meets = (lo, hi) if at_hi else (hi, lo)
    for _ in range(steps):
        if whole and abs(fails - meets) <= 1:
            break
        mid = (fails + meets) // 2 if whole else (fails + meets) / 2
        if measure(mid):
            meets = mid
        else:
            fails = mid
    answer = _answer(path, target, name, points, fails, meets, whole)
    return replace(answer, saturated=saturated)


def _checked_range(path: str, lo: float, hi: float, steps: int, whole: bool) -> tuple[float, float]:
    if not 1 <= steps <= MAX_STEPS:
        raise CorridorSimError(
            f"--steps {steps}: give 1 to {MAX_STEPS} (each halves the range: "
            f"{MAX_STEPS} narrow it a billion-fold)"
        )
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo >= hi:
        raise CorridorSimError(f"--vary {path}={lo:g}:{hi:g}: LO must be a finite number below HI")
    if whole:
        if not (float(lo).is_integer() and float(hi).is_integer()):
            raise CorridorSimError(
                f"--vary {path}={lo:g}:{hi:g}: the field takes whole numbers; give whole ends"
            )
        return int(lo), int(hi)
    return lo, hi


def _flow_name(scenario: str | Path, flow: str | None) -> str:
    """The flow to meet the target, checked against the scenario before any run."""
    demand = load_scenario(scenario).scenario.demand
    names = [f.name for f in demand]
    if flow is None:
        return names[0]
    if flow not in names:
        raise CorridorSimError(
            f"--flow {flow}: no such flow in {scenario}{suggest(flow, names)}; "
            f"flows: {', '.join(names)}"
        )
    return flow


def _against_the_trend(
    points: list[tuple[float, float, float | None]],
) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """Two neighbouring points (in order of the field's value) whose metric moves
    against the response's overall direction by more than their 95% half-widths
    together (by anything, where those are unknown); None if there are none."""
    ordered = sorted(p for p in points if p[1] == p[1])
    if len(ordered) < 3:
        return None
    trend = np.sign(ordered[-1][1] - ordered[0][1])
    for (x0, y0, h0), (x1, y1, h1) in itertools.pairwise(ordered):
        if trend * (y1 - y0) < -((h0 or 0.0) + (h1 or 0.0)):
            return (x0, y0), (x1, y1)
    return None


def _answer(
    path: str,
    target: Target,
    name: str,
    points: list[tuple[float, float, float | None]],
    fails: float,
    meets: float,
    whole: bool,
) -> GoalSeek:
    ci = _value_ci(points, meets, fails)
    shown = "" if ci is None else f" (95% CI ± {ci:.2g}, from the replications' spread)"
    answer = at_precision(meets, ci)
    kind = " (whole numbers: bisected over integers)" if whole else ""
    bump = _against_the_trend(points)
    if bump is None:
        side = "and below" if meets < fails else "and above"
        verdict = (
            f"{target.text} is met at {path} = {answer} {side}{shown}, not at "
            f"{fails:.4g}{kind}; every point run with the same seed"
        )
    else:
        (x0, y0), (x1, y1) = bump
        verdict = (
            f"{target.text} is met at {path} = {answer} and not at {fails:.4g}{shown}"
            f"{kind}; but the response is not monotone over the points run ({target.metric} "
            f"{target.shown(y0)} at {x0:g}, {target.shown(y1)} at {x1:g}), so values beyond "
            "these two may go either way: run a sweep over the range to see it"
        )
    return GoalSeek(path, target, name, meets, fails, meets, points, verdict, ci)
