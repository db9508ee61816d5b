"""Statistics over replications: means, shares and percentiles with 95% confidence
intervals, and paired differences between scenarios run with common random numbers.

Replications are independent; containers within one are not. So a mean's interval uses
Student's t on replication means (n - 1 degrees of freedom); a share's is a Wilson
score interval on all containers, widened by the design effect the replications show
(it stays inside [0, 1] and keeps a width when every replication gives the same share);
a pooled percentile's is a bootstrap over replications of that same pooled percentile,
so the point and its interval are one estimator.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

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
BOOTSTRAP = 1000
"""Resamples of the replications for a percentile's interval."""


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


def _pooled_percentiles(
    per_rep: Sequence[np.ndarray], q: float, multiplicity: np.ndarray
) -> np.ndarray:
    """The ``q``-th percentile (numpy's linear rule) of the replications pooled with
    each replication taken as often as ``multiplicity`` says, one row per resample."""
    values = np.concatenate(per_rep)
    labels = np.concatenate([np.full(len(x), i) for i, x in enumerate(per_rep)])
    order = np.argsort(values, kind="stable")
    values, labels = values[order], labels[order]
    out = np.empty(len(multiplicity))
    for b, times in enumerate(multiplicity):
        cum = np.cumsum(times[labels])
        total = int(cum[-1]) if len(cum) else 0
        if total == 0:
            out[b] = np.nan
            continue
        h = (total - 1) * q / 100
        lo = math.floor(h)
        i = np.searchsorted(cum, [lo, min(lo + 1, total - 1)], side="right")
        out[b] = values[i[0]] + (h - lo) * (values[i[1]] - values[i[0]])
    return out


def _resamples(n: int, rng: np.random.Generator) -> np.ndarray:
    """How often each of ``n`` replications is drawn in each bootstrap resample."""
    draws = rng.integers(0, n, size=(BOOTSTRAP, n))
    return np.stack([np.bincount(row, minlength=n) for row in draws])


def percentile_ci95(
    per_rep: Sequence[np.ndarray], q: float, rng: np.random.Generator
) -> tuple[float, float, float]:
    """The ``q``-th percentile of every replication's values pooled, and its 95%
    interval from a bootstrap over replications of that pooled percentile: ``(point,
    low, high)``. Replications with no value are left out; the interval is NaN with
    fewer than two."""
    reps = [np.asarray(x, dtype=float) for x in per_rep if len(x)]
    if not reps:
        return float("nan"), float("nan"), float("nan")
    point = float(np.percentile(np.concatenate(reps), q))
    if len(reps) < 2:
        return point, float("nan"), float("nan")
    boot = _pooled_percentiles(reps, q, _resamples(len(reps), rng))
    low, high = np.nanpercentile(boot, [2.5, 97.5])
    return point, float(low), float(high)


def paired_percentile_difference(
    other: Sequence[np.ndarray], base: Sequence[np.ndarray], q: float, rng: np.random.Generator
) -> tuple[float, float, float]:
    """Pooled ``q``-th percentile of ``other`` minus that of ``base`` and its 95%
    interval, ``(difference, low, high)``, from a bootstrap that draws the same
    replications for both (common random numbers pair them). Only replications both
    delivered in are used; the interval is NaN with fewer than two."""
    pairs = [
        (np.asarray(a, dtype=float), np.asarray(b, dtype=float))
        for a, b in zip(other, base, strict=False)
        if len(a) and len(b)
    ]
    if not pairs:
        return float("nan"), float("nan"), float("nan")
    a_reps, b_reps = [a for a, _ in pairs], [b for _, b in pairs]
    point = float(np.percentile(np.concatenate(a_reps), q)) - float(
        np.percentile(np.concatenate(b_reps), q)
    )
    if len(pairs) < 2:
        return point, float("nan"), float("nan")
    times = _resamples(len(pairs), rng)
    boot = _pooled_percentiles(a_reps, q, times) - _pooled_percentiles(b_reps, q, times)
    low, high = np.nanpercentile(boot, [2.5, 97.5])
    return point, float(low), float(high)


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
