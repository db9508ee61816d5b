"""Fitting the closure process to the observed record (``corridorsim calibrate-closures``).

Closures of one crossing and joint closures of several are counted over the record's
window as Poisson rates per year. Durations (days) are pooled over all closures, too few
for one crossing alone, and fitted as a lognormal by maximum likelihood, a closure still
going on when the record ends counting as at least as long as it has lasted (censored).
A second fit on the years before the record's ``held_out_from`` date is scored against
the closures after it, which it never saw.
"""

from __future__ import annotations

import datetime as dt
import math

import yaml

from corridorsim.network.closures import (
    CalibratedClosures,
    ClosureFit,
    ClosureRecord,
    Duration,
)

__all__ = ["LONG_CLOSURE_DAYS", "calibrate_closures", "fit_closures", "held_out_score", "to_yaml"]

YEAR_DAYS = 365.25
LONG_CLOSURE_DAYS = 100.0
"""What counts as a long closure in the held-out score (days)."""


def _days(a: dt.date, b: dt.date) -> float:
    return float((b - a).days)


def _lognormal_mle(done: list[float], ongoing: list[float]) -> tuple[float, float]:
    """(mu, sigma) of log durations maximising the likelihood of the finished closures
    and the survival of the ongoing ones."""
    from scipy.optimize import minimize  # only calibration needs scipy
    from scipy.stats import norm

    def nll(p: list[float]) -> float:
        mu, sigma = p[0], math.exp(p[1])
        ll = sum(norm.logpdf(math.log(d), mu, sigma) - math.log(d) for d in done)
        ll += sum(norm.logsf(math.log(d), mu, sigma) for d in ongoing)
        return -float(ll)

    logs = [math.log(d) for d in done]
    mu0 = sum(logs) / len(logs)
    sd0 = max(math.sqrt(sum((x - mu0) ** 2 for x in logs) / len(logs)), 0.1)
    res = minimize(
        nll, [mu0, math.log(sd0)], method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-10}
    )
    return float(res.x[0]), float(math.exp(res.x[1]))


def fit_closures(record: ClosureRecord, start: dt.date, end: dt.date) -> ClosureFit:
    """The closure process fitted to the closures that began in ``[start, end)``."""
    events = [e for e in record.events if start <= e.start < end]
    years = _days(start, end) / YEAR_DAYS
    crossings = sorted({c for e in record.events for c in e.crossings})
    joint = tuple(sorted({c for e in record.events if len(e.crossings) > 1 for c in e.crossings}))
    alone = {c: sum(1 for e in events if e.crossings == (c,)) / years for c in crossings}
    n_joint = sum(1 for e in events if len(e.crossings) > 1)
    done, ongoing = [], []
    for e in events:
        if e.end is not None and e.end <= end:
            done.append(_days(e.start, e.end))
        else:
            ongoing.append(_days(e.start, min(e.end or end, end)))
    mu, sigma = _lognormal_mle(done, ongoing)
    return ClosureFit(
        fitted_from=start,
        fitted_to=end,
        events=len(events),
        rate_per_year={c: round(r, 6) for c, r in alone.items()},
        joint=joint,
        joint_rate_per_year=round(n_joint / years, 6),
        duration=Duration(mean_days=round(math.exp(mu + sigma**2 / 2), 6), sigma=round(sigma, 6)),
        note=f"{len(done)} closures ended, {len(ongoing)} still going on at the end",
    )


def _closed_days(record: ClosureRecord, crossing: str, start: dt.date, end: dt.date) -> float:
    total = 0.0
    for e in record.events:
        if crossing in e.crossings:
            a, b = max(e.start, start), min(e.end or end, end)
            total += max(_days(a, b), 0.0)
    return total


def held_out_score(record: ClosureRecord, earlier: ClosureFit) -> dict[str, float]:
    """What the earlier fit expects after ``held_out_from`` against what happened: days
    closed a year per crossing, and long closures (of :data:`LONG_CLOSURE_DAYS` or more)
    starting a year."""
    from scipy.stats import norm

    start, end = record.held_out_from, record.window.end
    years = _days(start, end) / YEAR_DAYS
    d = earlier.duration
    mu = math.log(d.mean_days) - d.sigma**2 / 2
    p_long = float(norm.sf(math.log(LONG_CLOSURE_DAYS), mu, d.sigma))
    out: dict[str, float] = {"held_out_years": round(years, 3)}
    for c, own in earlier.rate_per_year.items():
        rate = own + (earlier.joint_rate_per_year if c in earlier.joint else 0.0)
        out[f"{c}_closed_days_per_year_expected"] = round(rate * d.mean_days, 3)
        out[f"{c}_closed_days_per_year_observed"] = round(
            _closed_days(record, c, start, end) / years, 3
        )
    total_rate = sum(earlier.rate_per_year.values()) + earlier.joint_rate_per_year
    out["long_closures_per_year_expected"] = round(total_rate * p_long, 4)
    long_seen = sum(
        1
        for e in record.events
        if e.start >= start and _days(e.start, min(e.end or end, end)) >= LONG_CLOSURE_DAYS
    )
    out["long_closures_per_year_observed"] = round(long_seen / years, 4)
    return out


def calibrate_closures(record: ClosureRecord) -> CalibratedClosures:
    """The fit on the whole record, and the earlier fit with its held-out score."""
    w = record.window
    earlier = fit_closures(record, w.start, record.held_out_from)
    return CalibratedClosures(
        fit=fit_closures(record, w.start, w.end),
        earlier_fit=earlier,
        held_out=held_out_score(record, earlier),
    )


def to_yaml(cal: CalibratedClosures) -> str:
    """The calibrated-closures file's text."""
    head = (
        "# Written by `corridorsim calibrate-closures` from closure_record.yaml: do not\n"
        "# edit by hand. `fit` is what scenarios use (disruptions.observed_closures);\n"
        "# `earlier_fit` saw only the years before the record's held_out_from date, and\n"
        "# `held_out` scores it against what happened after.\n"
    )
    body = yaml.safe_dump(cal.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
    return head + body
