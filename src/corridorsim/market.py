"""A flow's share of its market against the routes of other scenarios (the
alternatives a shipper has between the same places), for goal-seek and levers: the
alternatives run once, the flow's share is then the logit of
:mod:`corridorsim.results.choice` at each point."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from corridorsim.errors import CorridorSimError
from corridorsim.experiments import run
from corridorsim.results.choice import ChoiceParams, RouteOption, choose
from corridorsim.results.shares import route_option
from corridorsim.results.summary import summarize
from corridorsim.scenario.loader import load_scenario
from corridorsim.units import HOURS_PER_DAY

__all__ = ["RATE_PATH", "Market", "market_against"]

RATE_PATH = "freight_rates.usd_per_teu"
"""The field a flow's quoted rate is at: ``freight_rates.usd_per_teu.FLOW``."""


@dataclass(frozen=True)
class Market:
    """The flow whose share is sought, its pair, its quoted rate in the scenario (None
    when only the varied field gives it), the alternatives' routes and the valuation.
    The logit's scale is set once, from the rates the scenarios give
    (:attr:`reference_rates`), so a varied rate moves the share and not the scale."""

    flow: str
    origin: str
    destination: str
    rate: float | None
    others: tuple[RouteOption, ...]
    params: ChoiceParams

    @property
    def reference_rates(self) -> list[float]:
        """The rates the logit scale is set from, fixed whatever is varied: the
        alternatives' and, where the scenario gives one, the flow's own."""
        rates = [float(o.cost_usd_per_teu or 0.0) for o in self.others]
        return rates + ([] if self.rate is None else [self.rate])

    def rate_at(self, path: str, x: float) -> float:
        """The flow's rate at a point where ``path`` is set to ``x``."""
        if path == f"{RATE_PATH}.{self.flow}":
            return x
        assert self.rate is not None  # checked by market_against
        return self.rate

    def share(self, transits: Sequence[np.ndarray], rate: float) -> tuple[float, float | None]:
        """The flow's share and its 95% half-width across replications, given each
        replication's transit hours of the flow and its rate (USD per TEU)."""

        def per_rep(stat: Any) -> np.ndarray:
            return np.array(
                [stat(t) / HOURS_PER_DAY if len(t) else np.nan for t in transits], dtype=float
            )

        mine = RouteOption(
            scenario="this",
            flow=self.flow,
            cost_usd_per_teu=rate,
            cost_complete=True,
            cost_missing=(),
            mean_days=per_rep(np.mean),
            p50_days=per_rep(lambda t: np.percentile(t, 50)),
            p90_days=per_rep(lambda t: np.percentile(t, 90)),
            quoted=True,
        )
        if np.isnan(mine.mean_days).all():
            return float("nan"), None
        choice = choose(
            self.origin,
            self.destination,
            [mine, *self.others],
            self.params,
            reference_rates=self.reference_rates,
        )
        return choice.routes[0].share, choice.routes[0].share_ci95


def market_against(
    scenario: str | Path,
    flow: str,
    against: Sequence[str | Path],
    path: str,
    **run_args: Any,
) -> Market:
    """Run each scenario in ``against`` once and gather its routes between ``flow``'s
    places, checking that a share can be had.

    Parameters
    ----------
    scenario : str or Path
        The scenario whose flow's share is sought.
    flow : str
        That flow's name.
    against : sequence of str or Path
        The alternatives' scenario files (or built-in names).
    path : str
        The field goal-seek varies (the flow's rate may be it).
    **run_args
        ``replications``, ``seed``, ``jobs``, ``horizon_days`` for the alternatives.

    Returns
    -------
    Market
        The alternatives' routes with their transit per replication and their costs.

    Raises
    ------
    CorridorSimError
        If no alternative is given or serves the pair, an alternative's cost is
        incomplete with no quoted rate, or the flow has no rate and it is not varied.
    """
    loaded = load_scenario(scenario)
    spec = next(f for f in loaded.scenario.demand if f.name == flow)
    rate = loaded.scenario.freight_rates.usd_per_teu.get(flow)
    if rate is None and path != f"{RATE_PATH}.{flow}":
        raise CorridorSimError(
            f"a market-share target needs {flow}'s freight rate: give "
            f"{RATE_PATH}.{flow} in {Path(loaded.path).name} (with its source), or vary it"
        )
    if path.startswith(RATE_PATH) and not loaded.scenario.freight_rates.source.strip():
        raise CorridorSimError(
            f"varying {path} needs freight_rates.source in {Path(loaded.path).name}: say "
            "what the rate stands for (e.g. a tariff under study)"
        )
    if not against:
        raise CorridorSimError(
            "a market-share target needs the alternatives: --against SCENARIO [SCENARIO ...]"
        )
    kept = {k: v for k, v in run_args.items() if k in ("replications", "seed", "jobs")}
    kept["horizon_days"] = run_args.get("horizon_days")
    others = []
    for alt in against:
        res = run(alt, **kept)
        summ = summarize(res)
        for f in summ.flows:
            if (f.origin, f.destination) == (spec.origin, spec.destination) and f.delivered:
                others.append(route_option(res, f, summ.scenario))
    _check_others(others, spec.origin, spec.destination)
    params = ChoiceParams()
    if "value_usd_per_teu" in spec.model_fields_set:
        v = float(spec.value_usd_per_teu)
        params = replace(params, value_per_teu_usd=v, value_per_teu_usd_range=(v, v))
    return Market(flow, spec.origin, spec.destination, rate, tuple(others), params)


def _check_others(others: list[RouteOption], origin: str, destination: str) -> None:
    if not others:
        raise CorridorSimError(
            f"no scenario in --against delivers anything from {origin} to {destination}"
        )
    for o in others:
        if not o.cost_complete:
            raise CorridorSimError(
                f"{o.label}: its cost is incomplete and it has no quoted rate; give "
                f"{RATE_PATH}.{o.flow} in scenario {o.scenario} (with its source)"
            )
