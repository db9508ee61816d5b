"""Statistics over replications: means and shares with 95% confidence intervals, and
paired differences between scenarios run with common random numbers.

Replications are independent; containers within one are not. So intervals use
Student's t on replication means (n - 1 degrees of freedom).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.special import stdtrit  # Student t quantile; scipy.stats costs 1 s to import

__all__ = ["mean_ci95", "paired_difference", "share_ci95"]


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


def share_ci95(per_replication_shares: Sequence[float] | np.ndarray) -> tuple[float, float]:
    """Mean share and 95% half-width across replications (same method as :func:`mean_ci95`)."""
    return mean_ci95(per_replication_shares)


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
