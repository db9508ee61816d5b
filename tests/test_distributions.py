"""Distributions: analytic means against large samples, parameter checks, reproducibility."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from corridorsim.distributions import (
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    LogNormal,
    Normal,
    Triangular,
    Uniform,
)
from corridorsim.scenario.format import Dist

ADAPTER = TypeAdapter(Dist)
N = 400_000

CASES = [
    Fixed(value=6),
    Uniform(low=4.25, high=9),
    Triangular(low=2, mode=4, high=10),
    Normal(mean=10, sd=4),
    Normal(mean=1, sd=2),  # heavily truncated: mean well above 1
    LogNormal(mean=24, p90=40),
    LogNormal(mean=24, sigma=0.8),
    Exponential(mean=3),
    Gamma(shape=2, scale=1.5),
    Empirical(values=(1, 2, 10), weights=(0.5, 0.3, 0.2)),
    Empirical(values=(3, 5)),
]


@pytest.mark.parametrize("dist", CASES, ids=repr)
def test_sample_mean_matches_analytic_mean(dist):
    x = dist.sample(np.random.default_rng(7), N)
    assert x.shape == (N,)
    assert (x >= 0).all()
    se = x.std() / math.sqrt(N)
    assert abs(x.mean() - dist.mean) <= 5 * se + 1e-12


@pytest.mark.parametrize("dist", CASES, ids=repr)
def test_same_seed_same_draws_and_scalar_form(dist):
    a = dist.sample(np.random.default_rng(3), 100)
    b = dist.sample(np.random.default_rng(3), 100)
    assert np.array_equal(a, b)
    assert isinstance(dist.sample(np.random.default_rng(3)), float)


@pytest.mark.parametrize("dist", CASES, ids=repr)
def test_repr_round_trips(dist):
    ns = {
        c.__name__: c
        for c in (Fixed, Uniform, Triangular, Normal, LogNormal, Exponential, Gamma, Empirical)
    }
    assert eval(repr(dist), ns) == dist


def test_lognormal_p90_is_the_90th_percentile():
    d = LogNormal(mean=24, p90=40)
    x = d.sample(np.random.default_rng(1), N)
    assert np.percentile(x, 90) == pytest.approx(40, rel=0.01)
    assert math.exp(d.log_mu + d.log_sigma**2 / 2) == pytest.approx(24)


def test_truncated_normal_mean_is_analytic():
    # E[X | X > 0] for N(1, 2): mu + sd * phi(a) / (1 - Phi(a)), a = -0.5
    phi = math.exp(-0.125) / math.sqrt(2 * math.pi)
    big_phi = 0.5 * (1 + math.erf(-0.5 / math.sqrt(2)))
    assert Normal(mean=1, sd=2).mean == pytest.approx(1 + 2 * phi / (1 - big_phi))


def test_bare_number_is_fixed():
    assert ADAPTER.validate_python(12.5) == Fixed(value=12.5)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ({"dist": "lognormal", "mean": 24, "p90": 20}, "must exceed the mean"),
        ({"dist": "lognormal", "mean": 24, "p90": 80}, "no lognormal has that mean and p90"),
        ({"dist": "lognormal", "mean": 24}, "exactly one of p90 or sigma"),
        ({"dist": "uniform", "low": 5, "high": 1}, "at least low"),
        ({"dist": "triangular", "low": 1, "mode": 9, "high": 5}, "low <= mode <= high"),
        ({"dist": "normal", "mean": -1, "sd": 1}, "greater than 0"),
        ({"dist": "exponential", "mean": 0}, "greater than 0"),
        ({"dist": "gamma", "shape": -2, "scale": 1}, "greater than 0"),
        ({"dist": "empirical", "values": [1, 2], "weights": [1]}, "weights has 1 entries"),
        ({"dist": "empirical", "values": []}, "at least 1 item"),
        ({"dist": "fixed", "value": -3}, "greater than or equal to 0"),
        (-3, "greater than or equal to 0"),
        ({"dist": "uniform", "low": 0, "high": float("inf")}, "finite number"),
        ({"dist": "gamma", "shape": float("inf"), "scale": 1}, "finite number"),
        ({"dist": "gamma", "shape": 1e6, "scale": 1000}, "shape × scale"),
        ({"dist": "empirical", "values": [1, 2], "weights": [float("inf"), 1]}, "finite"),
        ({"dist": "empirical", "values": [1, 2], "weights": [0, 0]}, "not all be zero"),
        ({"dist": "exponential", "mean": True}, "valid number"),
        ({"dist": "lognormal", "mean": 5, "sigma": 50}, "less than or equal to 10"),
        ({"dist": "fixed", "value": float("nan")}, "finite number"),
        ({"dist": "normal", "mean": 1e9, "sd": 1}, "less than or equal to 100000"),
    ],
)
def test_impossible_parameters_are_rejected(data, text):
    with pytest.raises(ValidationError, match=text):
        ADAPTER.validate_python(data)
