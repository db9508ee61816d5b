"""Which route a shipper would pick: generalised cost and a multinomial logit.

For each route serving an origin–destination pair (a flow of a compared scenario)::

    generalised cost = freight cost per TEU
                       + value of time × mean transit days
                       + value of reliability × (p90 - p50 transit days)

with the value of time the goods' value per TEU times a yearly inventory carrying rate
over 365 days, and the value of reliability a ratio of it. The share of each route is
the logit ``exp(-scale × cost_i) / sum_j exp(-scale × cost_j)``; the scale comes from
a freight-rate elasticity: at equal shares, a route's share falls ``|elasticity|`` per
cent for each per cent its freight rate rises, which gives
``scale = |elasticity| / (mean freight rate × (1 - 1/J))`` for ``J`` routes.

A route whose cost is incomplete (a figure missing) has no generalised cost, and then
no share is given for its pair: a lower bound would bias the shares toward it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from corridorsim.results.stats import mean_ci95

__all__ = [
    "ChoiceParams",
    "PairChoice",
    "RouteChoice",
    "RouteOption",
    "choose",
    "generalised_cost",
    "logit_shares",
    "scale_from_elasticity",
]

DAYS_PER_YEAR = 365.0


@dataclass(frozen=True)
class ChoiceParams:
    """How a shipper weighs money, time and reliability, each with the range the
    sources give (``*_range``: low, high).

    - ``value_per_teu_usd``: $54,500, the average value of containerised trade
      (Rodrigue, S156); low $6,600, wheat at $265/t × 25 t (S157, derived; EST load).
    - ``inventory_rate_per_year``: 0.25, the rule of thumb for inventory carrying cost
      (S178); range 0.20–0.30 (S179).
    - ``reliability_ratio``: 1.0 (EST): a shipper covers the p90–p50 spread with buffer
      stock held as long as the spread, so a day of spread costs a day of holding;
      range 0.5–1.5 (EST).
    - ``elasticity``: -1.0 (EST): freight demand is inelastic except where modes
      compete, and its price elasticities vary widely with commodity and route (Oum,
      Waters and Yong's survey of 70 estimates, S180); range -0.5 to -1.5 (EST).
    """

    value_per_teu_usd: float = 54_500.0
    value_per_teu_usd_range: tuple[float, float] = (6_600.0, 54_500.0)
    inventory_rate_per_year: float = 0.25
    inventory_rate_per_year_range: tuple[float, float] = (0.20, 0.30)
    reliability_ratio: float = 1.0
    reliability_ratio_range: tuple[float, float] = (0.5, 1.5)
    elasticity: float = -1.0
    elasticity_range: tuple[float, float] = (-1.5, -0.5)

    @property
    def basis(self) -> str:
        """The generalised cost and the logit, in one line of words and figures."""
        return (
            f"generalised cost = freight + ${self.value_of_time_usd_per_teu_day:,.1f} a "
            f"TEU-day × mean days + {self.reliability_ratio:g} × that × (p90 - p50) days; "
            f"logit, freight-rate elasticity {self.elasticity:g}"
        )

    @property
    def value_of_time_usd_per_teu_day(self) -> float:
        """USD a TEU's goods cost to hold one day."""
        return self.value_per_teu_usd * self.inventory_rate_per_year / DAYS_PER_YEAR

    def corners(self) -> list[ChoiceParams]:
        """The parameters at every combination of their ranges' ends (16)."""
        ranges = (
            self.value_per_teu_usd_range,
            self.inventory_rate_per_year_range,
            self.reliability_ratio_range,
            self.elasticity_range,
        )
        return [
            replace(
                self,
                value_per_teu_usd=v,
                inventory_rate_per_year=i,
                reliability_ratio=r,
                elasticity=e,
            )
            for v, i, r, e in itertools.product(*ranges)
        ]


@dataclass(frozen=True)
class RouteOption:
    """One route serving a pair: its freight cost per TEU (``None`` if unknown), whether
    that cost is complete and what it lacks, and per replication its mean, median and
    90th percentile transit (days)."""

    scenario: str
    flow: str
    cost_usd_per_teu: float | None
    cost_complete: bool
    cost_missing: tuple[str, ...]
    mean_days: np.ndarray
    p50_days: np.ndarray
    p90_days: np.ndarray
    quoted: bool = False
    """Whether the cost is a quoted all-in rate (the flow's freight_rate_usd_per_teu)
    rather than the model's built-up cost."""

    @property
    def label(self) -> str:
        return f"{self.scenario}/{self.flow}"


def generalised_cost(
    cost_usd_per_teu: float, mean_days: float, p50_days: float, p90_days: float, p: ChoiceParams
) -> float:
    """Freight cost + value of time × mean days + value of reliability × (p90 - p50)
    days, in USD per TEU.

    Parameters
    ----------
    cost_usd_per_teu : float
        The route's freight cost, USD per TEU.
    mean_days, p50_days, p90_days : float
        Transit time, days.
    p : ChoiceParams
        The valuation.

    Returns
    -------
    float
        USD per TEU.
    """
    vot = p.value_of_time_usd_per_teu_day
    spread = max(p90_days - p50_days, 0.0)
    return cost_usd_per_teu + vot * mean_days + p.reliability_ratio * vot * spread


def logit_shares(costs: Sequence[float] | np.ndarray, scale: float) -> np.ndarray:
    """Multinomial logit shares of routes with generalised ``costs`` (USD per TEU).

    Parameters
    ----------
    costs : sequence of float
        One per route.
    scale : float
        Per USD; larger makes the cheapest route win more of the pair.

    Returns
    -------
    numpy.ndarray
        Shares (0–1) summing to 1, in the order of ``costs``.
    """
    c = np.asarray(costs, dtype=float)
    u = -scale * (c - c.min())  # shifted: the same shares, no overflow
    w = np.exp(u)
    return w / w.sum()


def scale_from_elasticity(
    rates: Sequence[float], elasticity: float, routes: int | None = None
) -> float:
    """The logit scale at which, with equal shares, a route's own freight-rate
    elasticity is ``elasticity``: ``|elasticity| / (mean rate × (1 - 1/J))``.

    Parameters
    ----------
    rates : sequence of float
        The routes' freight costs, USD per TEU (mean above zero).
    elasticity : float
        Share elasticity to a route's own freight rate (negative).
    routes : int, optional
        ``J``, the routes the shares are split between (default: as many as ``rates``).

    Returns
    -------
    float
        Per USD.
    """
    j = len(rates) if routes is None else routes
    mean = float(np.mean(rates)) if len(rates) else 0.0
    if j < 2 or mean <= 0:
        raise ValueError("a logit scale needs two or more routes with a positive mean rate")
    return abs(elasticity) / (mean * (1 - 1 / j))


@dataclass(frozen=True)
class RouteChoice:
    """One route's generalised cost (USD per TEU, at the central parameters and the
    pooled replications' means) and share: the central share, its 95% half-width
    across replications, the lowest and highest over the parameters' ranges, and the
    TEU a year it would win of the pair's market."""

    scenario: str
    flow: str
    freight_usd_per_teu: float
    quoted: bool
    generalised_cost_usd_per_teu: float
    time_cost_usd_per_teu: float
    reliability_cost_usd_per_teu: float
    share: float
    share_ci95: float | None
    share_low: float
    share_high: float
    teu_per_year: float | None


@dataclass(frozen=True)
class PairChoice:
    """The routes serving one origin–destination pair and the shipper's choice among
    them; ``routes`` is empty and ``reason`` says why when no share can be given."""

    origin: str
    destination: str
    market_teu_per_year: float | None
    routes: tuple[RouteChoice, ...] = ()
    reason: str = ""
    options: tuple[str, ...] = field(default=())


def _shares_at(
    options: Sequence[RouteOption],
    p: ChoiceParams,
    rep: int | None,
    reference: Sequence[float] | None = None,
) -> np.ndarray:
    """Shares with the parameters ``p``, from replication ``rep`` (None: the mean over
    replications), the scale set from the ``reference`` rates (default: the options')."""

    def at(a: np.ndarray) -> float:
        return float(np.nanmean(a)) if rep is None else float(a[rep])

    rates = [float(o.cost_usd_per_teu or 0.0) for o in options]
    costs = [
        generalised_cost(r, at(o.mean_days), at(o.p50_days), at(o.p90_days), p)
        for r, o in zip(rates, options, strict=True)
    ]
    ref = list(reference) if reference is not None else rates
    return logit_shares(costs, scale_from_elasticity(ref, p.elasticity, len(options)))


def _lacks(o: RouteOption) -> str:
    """What a route's cost lacks, in a few words: the first figure and how many more."""
    missing = o.cost_missing
    if not missing:
        return "a cost"
    first = missing[0].split(" (")[0]
    more = len(missing) - 1
    return first + (f" and {more} more" if more else "")


def choose(
    origin: str,
    destination: str,
    options: Sequence[RouteOption],
    p: ChoiceParams | None = None,
    market_teu_per_year: float | None = None,
    reference_rates: Sequence[float] | None = None,
) -> PairChoice:
    """The shares of the routes serving a pair.

    Parameters
    ----------
    origin, destination : str
        The pair.
    options : sequence of RouteOption
        Its routes (two or more for a choice).
    p : ChoiceParams, optional
        The valuation (the sourced defaults if omitted).
    market_teu_per_year : float, optional
        The pair's traffic, to turn shares into TEU a year.
    reference_rates : sequence of float, optional
        The freight rates the logit scale is set from (default: the options' own); a
        fixed reference keeps the scale when one option's rate is varied.

    Returns
    -------
    PairChoice
        Shares with their uncertainty, or the reason there are none.
    """
    p = p or ChoiceParams()
    labels = tuple(o.label for o in options)
    empty = PairChoice(origin, destination, market_teu_per_year, options=labels)
    if len(options) < 2:
        return replace(empty, reason="one route only: nothing to choose between")
    lacking = [o for o in options if not o.cost_complete or o.cost_usd_per_teu is None]
    if lacking:
        said = "; ".join(f"{o.label} lacks {_lacks(o)}" for o in lacking)
        return replace(
            empty,
            reason=f"no shares, as a cost is incomplete ({said}); each flow's cost_missing "
            "lists the figures, which a scenario can set",
        )
    ref = reference_rates
    central = _shares_at(options, p, None, ref)
    reps = min(len(o.mean_days) for o in options)
    per_rep = np.array([_shares_at(options, p, r, ref) for r in range(reps)])
    corners = np.array([_shares_at(options, c, None, ref) for c in p.corners()])
    vot = p.value_of_time_usd_per_teu_day
    routes = []
    for k, o in enumerate(options):
        mean, p50, p90 = (float(np.nanmean(a)) for a in (o.mean_days, o.p50_days, o.p90_days))
        half = mean_ci95(per_rep[:, k])[1] if reps >= 2 else math.nan
        routes.append(
            RouteChoice(
                scenario=o.scenario,
                flow=o.flow,
                freight_usd_per_teu=float(o.cost_usd_per_teu or 0.0),
                quoted=o.quoted,
                generalised_cost_usd_per_teu=generalised_cost(
                    float(o.cost_usd_per_teu or 0.0), mean, p50, p90, p
                ),
                time_cost_usd_per_teu=vot * mean,
                reliability_cost_usd_per_teu=p.reliability_ratio * vot * max(p90 - p50, 0.0),
                share=float(central[k]),
                share_ci95=None if math.isnan(half) else float(half),
                share_low=float(corners[:, k].min()),
                share_high=float(corners[:, k].max()),
                teu_per_year=None
                if market_teu_per_year is None
                else float(central[k]) * market_teu_per_year,
            )
        )
    return replace(empty, routes=tuple(routes))
