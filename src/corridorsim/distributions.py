"""Uncertain quantities: small frozen strategy objects with an analytic mean.

Every distribution samples from a :class:`numpy.random.Generator` that the caller
passes in (corridorsim never touches global random state) and has a ``mean``
computed in closed form, which route queries use as the expected value.
In scenario files a distribution is written as a mapping with a ``dist`` key,
``{dist: lognormal, mean: 24, p90: 54}``, or as a bare number for a fixed value.
All values are in the unit of the field that holds them (usually hours).
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from corridorsim.quantities import MAX_DIST_PARAMETER, MAX_HOURS, Number

if TYPE_CHECKING:  # numpy is imported where values are drawn: validating needs none
    import numpy as np

__all__ = [
    "Distribution",
    "Empirical",
    "Exponential",
    "Fixed",
    "Gamma",
    "LogNormal",
    "Normal",
    "Triangular",
    "Uniform",
    "coerce_distribution",
]

_Z90 = NormalDist().inv_cdf(0.9)  # 1.2815515655446004


Value = Annotated[Number, Field(ge=0, le=MAX_HOURS)]
"""A value a distribution takes or is centred on: zero or more, and bounded (see
:mod:`corridorsim.quantities`)."""
Spread = Annotated[Number, Field(gt=0, le=MAX_HOURS)]


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @property
    def mean(self) -> float:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        """Draw ``size`` values (a float when ``size`` is None) from ``rng``."""
        raise NotImplementedError  # pragma: no cover

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.model_dump(exclude={"dist"}).items())
        return f"{type(self).__name__}({args})"

    def __str__(self) -> str:
        return repr(self)


def _out(values: np.ndarray, size: int | None) -> Any:
    return float(values[0]) if size is None else values


class Fixed(_Dist):
    """A constant: ``{dist: fixed, value: 6}`` or just ``6``."""

    dist: Literal["fixed"] = "fixed"
    value: Value

    @property
    def mean(self) -> float:
        return self.value

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        import numpy as np

        return self.value if size is None else np.full(size, self.value)


class Uniform(_Dist):
    """Uniform on ``[low, high]``."""

    dist: Literal["uniform"] = "uniform"
    low: Value
    high: Value

    @model_validator(mode="after")
    def _order(self) -> Self:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) must be at least low ({self.low})")
        return self

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        return _out(rng.uniform(self.low, self.high, 1 if size is None else size), size)


class Triangular(_Dist):
    """Triangular with ``low <= mode <= high``."""

    dist: Literal["triangular"] = "triangular"
    low: Value
    mode: Value
    high: Value

    @model_validator(mode="after")
    def _order(self) -> Self:
        if not self.low <= self.mode <= self.high:
            raise ValueError(
                f"needs low <= mode <= high (got low={self.low}, mode={self.mode}, "
                f"high={self.high})"
            )
        return self

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        import numpy as np

        n = 1 if size is None else size
        if self.low == self.high:
            return _out(np.full(n, self.low), size)
        return _out(rng.triangular(self.low, self.mode, self.high, n), size)


class Normal(_Dist):
    """Normal with ``mean`` and ``sd``, truncated at zero (a time cannot be negative).

    ``mean`` in the file is the mean *before* truncation; the ``mean`` property is
    the mean of the truncated distribution.
    """

    dist: Literal["normal"] = "normal"
    mu: Spread = Field(alias="mean")
    sd: Spread

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )

    @property
    def mean(self) -> float:
        a = -self.mu / self.sd
        std = NormalDist()
        return self.mu + self.sd * std.pdf(a) / (1.0 - std.cdf(a))

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        n = 1 if size is None else size
        out = rng.normal(self.mu, self.sd, n)
        bad = out < 0
        # Rejection: with mu > 0 at least half of the draws are accepted each round.
        while bad.any():
            out[bad] = rng.normal(self.mu, self.sd, int(bad.sum()))
            bad = out < 0
        return _out(out, size)

    def __repr__(self) -> str:
        return f"Normal(mean={self.mu!r}, sd={self.sd!r})"


class LogNormal(_Dist):
    """Lognormal given by its ``mean`` and either its ``p90`` or its log-scale ``sigma``.

    With ``p90`` the log-scale sigma solves ``ln(p90/mean) = z90*sigma - sigma**2/2``
    (the smaller root). That has a solution only when ``mean < p90 <= mean*exp(z90**2/2)``
    (about 2.27 times the mean); outside it no lognormal has that mean and p90.
    """

    dist: Literal["lognormal"] = "lognormal"
    mu_: Spread = Field(alias="mean")
    p90: Spread | None = None
    sigma: Annotated[Number, Field(gt=0, le=10)] | None = Field(
        default=None, description="log-scale sigma; 10 already spans e^±10 around the median"
    )

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )

    @model_validator(mode="after")
    def _solve(self) -> Self:
        if (self.p90 is None) == (self.sigma is None):
            raise ValueError("give exactly one of p90 or sigma beside mean")
        if self.p90 is not None:
            if self.p90 <= self.mu_:
                raise ValueError(
                    f"p90 ({self.p90}) must exceed the mean ({self.mu_}): a lognormal is "
                    "skewed to the right"
                )
            limit = self.mu_ * math.exp(_Z90**2 / 2)
            if self.p90 > limit:
                raise ValueError(
                    f"p90 ({self.p90}) is too far above the mean ({self.mu_}): no lognormal "
                    f"has that mean and p90 (p90 must be at most {limit:.4g}); give sigma instead"
                )
        return self

    @property
    def log_sigma(self) -> float:
        """The sigma of the underlying normal."""
        if self.sigma is not None:
            return self.sigma
        assert self.p90 is not None
        d = math.log(self.p90 / self.mu_)
        return _Z90 - math.sqrt(max(_Z90**2 - 2 * d, 0.0))

    @property
    def log_mu(self) -> float:
        """The mu of the underlying normal."""
        return math.log(self.mu_) - self.log_sigma**2 / 2

    @property
    def mean(self) -> float:
        return self.mu_

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        n = 1 if size is None else size
        return _out(rng.lognormal(self.log_mu, self.log_sigma, n), size)

    def __repr__(self) -> str:
        extra = f"p90={self.p90!r}" if self.p90 is not None else f"sigma={self.sigma!r}"
        return f"LogNormal(mean={self.mu_!r}, {extra})"


class Exponential(_Dist):
    """Exponential with the given ``mean``."""

    dist: Literal["exponential"] = "exponential"
    mu: Spread = Field(alias="mean")

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )

    @property
    def mean(self) -> float:
        return self.mu

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        return _out(rng.exponential(self.mu, 1 if size is None else size), size)

    def __repr__(self) -> str:
        return f"Exponential(mean={self.mu!r})"


class Gamma(_Dist):
    """Gamma with ``shape`` (k) and ``scale`` (theta); mean ``k*theta``."""

    dist: Literal["gamma"] = "gamma"
    shape: Annotated[Number, Field(gt=0, le=MAX_DIST_PARAMETER)]
    scale: Spread

    @model_validator(mode="after")
    def _bounded_mean(self) -> Self:
        if self.shape * self.scale > MAX_HOURS:
            raise ValueError(
                f"the mean shape × scale ({self.shape * self.scale:g}) is over {MAX_HOURS:g}"
            )
        return self

    @property
    def mean(self) -> float:
        return self.shape * self.scale

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        return _out(rng.gamma(self.shape, self.scale, 1 if size is None else size), size)


class Empirical(_Dist):
    """Observed values, drawn with equal or given ``weights``."""

    dist: Literal["empirical"] = "empirical"
    values: tuple[Value, ...] = Field(min_length=1, max_length=100_000)
    weights: tuple[Annotated[Number, Field(ge=0, le=MAX_DIST_PARAMETER)], ...] | None = None

    @model_validator(mode="after")
    def _weights(self) -> Self:
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(
                    f"weights has {len(self.weights)} entries but values has {len(self.values)}"
                )
            if sum(self.weights) <= 0:
                raise ValueError("weights must not all be zero")
        return self

    def _p(self) -> np.ndarray | None:
        import numpy as np

        if self.weights is None:
            return None
        w = np.asarray(self.weights, dtype=float)
        return w / w.sum()

    @property
    def mean(self) -> float:
        import numpy as np

        p = self._p()
        v = np.asarray(self.values, dtype=float)
        return float(v.mean() if p is None else v @ p)

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        import numpy as np

        n = 1 if size is None else size
        return _out(rng.choice(np.asarray(self.values, dtype=float), n, p=self._p()), size)


def coerce_distribution(value: Any) -> Any:
    """Let a bare number stand for ``{dist: fixed, value: number}``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"dist": "fixed", "value": value}
    return value


Distribution = Annotated[
    Fixed | Uniform | Triangular | Normal | LogNormal | Exponential | Gamma | Empirical,
    Field(discriminator="dist"),
]
"""Any distribution, chosen in a file by its ``dist`` key."""
