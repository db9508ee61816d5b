"""Statistics over replications: means, shares and percentiles with 95% confidence
intervals, and paired differences between scenarios run with common random numbers.

Replications are independent; containers within one are not. So a mean's interval uses
Student's t on replication means (n - 1 degrees of freedom); a share's is a Wilson
score interval on all containers, widened by the design effect the replications show
(it stays inside [0, 1] and keeps a width when every replication gives the same share);
a pooled percentile's is the delete-one-replication jackknife of that same pooled
percentile, with Student's t, so the point and its interval are one estimator.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from scipy.special import stdtrit  # Student t quantile; scipy.stats costs 1 s to import

__all__ = [
    "mean_ci95",
    "paired_difference",
    "paired_percentile_difference",
    "percentile_ci95",
    "share_ci95",
]

Z95 = 1.959963984540054
"""The standard normal quantile for a two-sided 95% interval."""


def mean_ci95(values: Sequence[float] | np.ndarray) -> tuple[float, float]:
    """Mean and 95% half-width (Student t, n - 1 degrees of freedom) of replication values.

    NaN values (replications with no observation) are left out; the half-width is NaN
    with fewer than two values, and both are NaN with none.
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return float("nan"), float("nan")
    mean = float(x.mean())
    if n < 2:
        return mean, float("nan")
    half = float(stdtrit(n - 1, 0.975) * x.std(ddof=1) / math.sqrt(n))
    return mean, half


def share_ci95(
    within: Sequence[int] | np.ndarray, counts: Sequence[int] | np.ndarray
) -> tuple[float, float, float]:
    """The share of all containers within a target, and its 95% interval ``(share, low,
    high)``, from each replication's containers ``within`` it of its ``counts``.

    A Wilson score interval on the pooled share, with the number of containers divided
    by the design effect: how much more the replications' shares vary than a binomial
    share of their size would (at least 1; 1 with one replication, which cannot show
    it). The bounds stay within [0, 1]; all NaN without containers.
    """
    k = np.asarray(within, dtype=float)
    m = np.asarray(counts, dtype=float)
    keep = m > 0
    k, m = k[keep], m[keep]
    n = float(m.sum())
    if n == 0:
        return float("nan"), float("nan"), float("nan")
    p = float(k.sum()) / n
    deff = 1.0
    if len(m) > 1 and 0 < p < 1:
        between = float(np.var(k / m, ddof=1))
        deff = max(1.0, between / (p * (1 - p) / float(m.mean())))
    n_eff = n / deff
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n_eff)) / (1 + z2 / n_eff)
    half = Z95 / (1 + z2 / n_eff) * math.sqrt(p * (1 - p) / n_eff + z2 / (4 * n_eff * n_eff))
    low = 0.0 if p == 0 else max(0.0, centre - half)
    high = 1.0 if p == 1 else min(1.0, centre + half)
    return p, low, high


def _jackknife(
    values: Sequence[np.ndarray], statistic: Callable[[list[int]], float]
) -> tuple[float, float]:
    """Half-width of a 95% interval for ``statistic`` of all replications, by the
    delete-one-replication jackknife with Student's t (n - 1 degrees of freedom):
    replications are the independent units, containers within one are not."""
    n = len(values)
    everyone = list(range(n))
    leave_out = np.array([statistic([j for j in everyone if j != i]) for i in everyone])
    se = math.sqrt((n - 1) / n * float(((leave_out - leave_out.mean()) ** 2).sum()))
    return float(stdtrit(n - 1, 0.975)) * se, se


def percentile_ci95(per_rep: Sequence[np.ndarray], q: float) -> tuple[float, float, float]:
    """The ``q``-th percentile of every replication's values pooled, and its 95%
    interval ``(point, low, high)``: the delete-one-replication jackknife of that same
    pooled percentile, with Student's t. Replications with no value are left out; the
    interval is NaN with fewer than two."""
    reps = [np.asarray(x, dtype=float) for x in per_rep if len(x)]
    if not reps:
        return float("nan"), float("nan"), float("nan")

    def pooled(which: list[int]) -> float:
        return float(np.percentile(np.concatenate([reps[i] for i in which]), q))

    point = pooled(list(range(len(reps))))
    if len(reps) < 2:
        return point, float("nan"), float("nan")
    half, _ = _jackknife(reps, pooled)
    return point, point - half, point + half


def paired_percentile_difference(
    other: Sequence[np.ndarray], base: Sequence[np.ndarray], q: float
) -> tuple[float, float, float]:
    """Pooled ``q``-th percentile of ``other`` minus that of ``base`` and its 95%
    interval, ``(difference, low, high)``: the jackknife leaves the same replication out
    of both (common random numbers pair them). Only replications both delivered in are
    used; the interval is NaN with fewer than two."""
    pairs = [
        (np.asarray(a, dtype=float), np.asarray(b, dtype=float))
        for a, b in zip(other, base, strict=False)
        if len(a) and len(b)
    ]
    if not pairs:
        return float("nan"), float("nan"), float("nan")

    def difference(which: list[int]) -> float:
        a = np.concatenate([pairs[i][0] for i in which])
        b = np.concatenate([pairs[i][1] for i in which])
        return float(np.percentile(a, q)) - float(np.percentile(b, q))

    point = difference(list(range(len(pairs))))
    if len(pairs) < 2:
        return point, float("nan"), float("nan")
    half, _ = _jackknife([a for a, _ in pairs], difference)
    return point, point - half, point + half


def paired_difference(
    other: Sequence[float] | np.ndarray, base: Sequence[float] | np.ndarray
) -> tuple[float, float]:
    """Mean of ``other - base`` replication by replication, and its 95% half-width.

    With common random numbers replication ``r`` of both scenarios saw the same arrivals,
    so the interval of the difference is much narrower than either scenario's alone.
    Only the replications both have are paired.
    """
    a, b = np.asarray(other, dtype=float), np.asarray(base, dtype=float)
    n = min(len(a), len(b))
    return mean_ci95(a[:n] - b[:n])
