"""The shipper's choice among compared scenarios: every flow of every scenario that
serves an origin–destination pair is a route option for that pair
(:mod:`corridorsim.results.choice`), with its transit per replication and its cost."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from corridorsim.results.choice import ChoiceParams, PairChoice, RouteOption, choose
from corridorsim.results.summary import FlowSummary, Summary
from corridorsim.results.tables import Results
from corridorsim.units import HOURS_PER_DAY

__all__ = ["pair_choices", "route_option"]


def route_option(results: Results, f: FlowSummary, scenario: str) -> RouteOption:
    """Flow ``f`` of ``results`` as a route option: its mean, median and 90th
    percentile transit per replication (NaN where a replication delivered none), and its
    cost: the flow's quoted rate if it gives one, else the model's built-up cost."""
    d = results.delivered
    days = d.loc[d["flow"] == f.flow, ["replication", "transit_h"]]
    g = days.groupby("replication")["transit_h"]
    reps = range(results.replications)

    def per_rep(stat: str | float) -> np.ndarray:
        out = g.mean() if stat == "mean" else g.quantile(float(stat))
        return out.reindex(reps).to_numpy(dtype=float) / HOURS_PER_DAY

    rate = results.loaded.scenario.freight_rates.usd_per_teu.get(f.flow)
    return RouteOption(
        scenario=scenario,
        flow=f.flow,
        cost_usd_per_teu=f.cost_usd_per_teu if rate is None else float(rate),
        cost_complete=bool(f.cost_complete) or rate is not None,
        cost_missing=tuple(f.cost_missing) if rate is None else (),
        mean_days=per_rep("mean"),
        p50_days=per_rep(0.5),
        p90_days=per_rep(0.9),
        quoted=rate is not None,
    )


def pair_choices(
    results: Sequence[Results],
    summaries: Sequence[Summary],
    pairs: Sequence[tuple[str, str]],
    params: ChoiceParams | None = None,
) -> tuple[PairChoice, ...]:
    """For each pair, the shares of the delivered flows of every scenario serving it;
    the market is the first scenario's demand on the pair (TEU a year)."""
    out = []
    base = params or ChoiceParams()
    for origin, destination in pairs:
        options = []
        for res, summ in zip(results, summaries, strict=True):
            for f in summ.flows:
                if (f.origin, f.destination) == (origin, destination) and f.delivered:
                    options.append(route_option(res, f, summ.scenario))
        p = _valued(base, results[0], origin, destination)
        out.append(
            choose(origin, destination, options, p, _market(summaries[0], origin, destination))
        )
    return tuple(out)


def _valued(p: ChoiceParams, results: Results, origin: str, destination: str) -> ChoiceParams:
    """The valuation with the pair's goods value per TEU where the first scenario's flow
    states one (its range then that value alone); else ``p`` as it is."""
    values = {
        f.value_usd_per_teu
        for f in results.loaded.scenario.demand
        if (f.origin, f.destination) == (origin, destination)
        and "value_usd_per_teu" in f.model_fields_set
    }
    if len(values) != 1:
        return p
    (v,) = values
    return replace(p, value_per_teu_usd=float(v), value_per_teu_usd_range=(float(v), float(v)))


def _market(summary: Summary, origin: str, destination: str) -> float | None:
    """The summary's demand on the pair, TEU a year (None if it has no such flow)."""
    on_pair = {f.flow for f in summary.flows if (f.origin, f.destination) == (origin, destination)}
    teu = [
        t.demand_teu_per_year
        for t in summary.throughput.flows
        if t.flow in on_pair and t.demand_teu_per_year is not None
    ]
    return float(sum(teu)) if teu else None
