"""Intervals that say what they compute: a share's stays within 0–1 and keeps a width
when the replications agree; a pooled percentile's point and interval come from one
estimator; goal-seek says when the points it ran are not monotone."""

from __future__ import annotations

import math

import numpy as np
import pytest

from corridorsim.goal_seeking import _answer, parse_target
from corridorsim.results.stats import (
    paired_percentile_difference,
    percentile_ci95,
    share_ci95,
)

Z = 1.959963984540054


def wilson(k: int, n: int) -> tuple[float, float]:
    """Wilson's score interval, written out from its textbook form."""
    p = k / n
    centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
    half = Z / (1 + Z**2 / n) * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2))
    return centre - half, centre + half


def test_every_replication_at_100_percent_still_has_an_interval():
    """Before: Student t on equal shares gave 100% ± 0."""
    share, low, high = share_ci95([100, 100, 100], [100, 100, 100])
    assert share == 1.0
    assert high == 1.0
    assert low == pytest.approx(300 / (300 + Z**2))  # Wilson at p = 1
    share, low, high = share_ci95([0, 0], [50, 50])
    assert (share, low) == (0.0, 0.0)
    assert high == pytest.approx(Z**2 / (100 + Z**2))


def test_replications_that_agree_give_wilson_on_all_containers():
    share, low, high = share_ci95([30, 30], [40, 40])
    assert share == 0.75
    assert (low, high) == pytest.approx(wilson(60, 80))


def test_replications_that_differ_widen_it_by_the_design_effect():
    """Shares 0.4 and 0.6 of 100 each: between-replication variance 0.02 against a
    binomial 0.25 / 100, a design effect of 8, so Wilson on 200 / 8 = 25 containers."""
    share, low, high = share_ci95([40, 60], [100, 100])
    assert share == 0.5
    assert (low, high) == pytest.approx(wilson(12.5, 25))  # type: ignore[arg-type]
    narrow = wilson(100, 200)
    assert high - low > narrow[1] - narrow[0]


@pytest.mark.parametrize("seed", range(20))
def test_a_share_interval_never_leaves_zero_to_one(seed):
    rng = np.random.default_rng(seed)
    counts = rng.integers(1, 30, size=rng.integers(1, 6))
    within = rng.binomial(counts, rng.random())
    share, low, high = share_ci95(within, counts)
    assert 0.0 <= low <= share <= high <= 1.0


def test_the_jackknife_by_hand():
    """Three replications; the pooled p50 leaving each out: {3, 4} -> 3.5, {1, 2, 3, 4}
    without {1, 2}... worked out: values 1 2 | 3 | 4 5 6."""
    reps = [np.array([1.0, 2.0]), np.array([3.0]), np.array([4.0, 5.0, 6.0])]
    point, low, high = percentile_ci95(reps, 50)
    assert point == 3.5  # median of 1..6
    # leave-one-out medians: {3,4,5,6} 4.5, {1,2,4,5,6} 4.0, {1,2,3} 2.0
    loo = np.array([4.5, 4.0, 2.0])
    se = math.sqrt(2 / 3 * ((loo - loo.mean()) ** 2).sum())
    t = 4.302652729911275  # Student t, 2 degrees of freedom, 97.5%
    assert (low, high) == pytest.approx((3.5 - t * se, 3.5 + t * se))


def test_a_percentile_and_its_interval_are_one_estimator():
    rng = np.random.default_rng(5)
    reps = [rng.exponential(10, 300) for _ in range(6)]
    point, low, high = percentile_ci95(reps, 90)
    assert point == pytest.approx(np.percentile(np.concatenate(reps), 90))  # pooled
    assert low < point < high
    assert math.isnan(percentile_ci95(reps[:1], 90)[1])


def test_a_paired_shift_has_no_width():
    rng = np.random.default_rng(6)
    base = [rng.exponential(10, 200) for _ in range(5)]
    diff, low, high = paired_percentile_difference([x + 24 for x in base], base, 90)
    assert (diff, low, high) == pytest.approx((24.0, 24.0, 24.0))


def test_goal_seek_says_when_the_response_is_not_monotone():
    target = parse_target("p90<=100h")
    falling = [(0.0, 150.0, 2.0), (10.0, 90.0, 2.0), (5.0, 120.0, 2.0), (7.5, 99.0, 2.0)]
    r = _answer("x", target, "f", falling, fails=5.0, meets=7.5, whole=False)
    # 7.5 to the precision of its interval (± 2.5): units
    assert "is met at x = 8 and above (95% CI ± 2.5" in r.verdict
    # rising again past 7.5 by more than the half-widths: "and above" is not known
    bumpy = [(0.0, 150.0, 2.0), (10.0, 99.5, 2.0), (5.0, 120.0, 2.0), (7.5, 80.0, 2.0)]
    r = _answer("x", target, "f", bumpy, fails=5.0, meets=7.5, whole=False)
    assert "not monotone over the points run (p90 80 h at 7.5, 99.5 h at 10)" in r.verdict
    assert "and above" not in r.verdict
    # within the half-widths it is noise, not a bump
    noisy = [(0.0, 150.0, 2.0), (10.0, 81.0, 2.0), (5.0, 120.0, 2.0), (7.5, 80.0, 2.0)]
    assert "and above" in _answer("x", target, "f", noisy, 5.0, 7.5, whole=False).verdict
