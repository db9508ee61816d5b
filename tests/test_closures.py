"""Closures as observed: the record, the fitted process (rates, censored lognormal
durations, joint closures), its held-out score, and the engine drawing from it."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import numpy as np
import pytest

from corridorsim.closures import calibrate_closures, fit_closures, held_out_score
from corridorsim.experiments import run
from corridorsim.network.closures import (
    ClosureRecord,
    builtin_closure_fit,
    builtin_closure_record,
)

D = dt.date


START, END, HELD = D(2000, 1, 1), D(2010, 1, 1), D(2008, 1, 1)


def record(events):
    return ClosureRecord.model_validate(
        {
            "window": {"start": START, "end": END},
            "held_out_from": HELD,
            "events": [
                {"crossings": c, "start": a, "end": b, "source": ["S1"]} for c, a, b in events
            ],
        }
    )


def test_rates_and_durations_by_hand():
    r = record(
        [
            (["x"], D(2001, 1, 1), D(2001, 1, 5)),  # 4 days
            (["x"], D(2003, 1, 1), D(2003, 1, 17)),  # 16 days
            (["y"], D(2004, 1, 1), D(2004, 1, 9)),  # 8 days
            (["x", "y"], D(2005, 1, 1), D(2005, 1, 9)),  # 8 days, both
        ]
    )
    f = fit_closures(r, D(2000, 1, 1), D(2010, 1, 1))
    years = (D(2010, 1, 1) - D(2000, 1, 1)).days / 365.25
    assert f.rate_per_year == {
        "x": pytest.approx(2 / years, abs=1e-6),  # rates are stored to 6 places
        "y": pytest.approx(1 / years, abs=1e-6),
    }
    assert f.joint == ("x", "y")
    assert f.joint_rate_per_year == pytest.approx(1 / years, abs=1e-6)
    logs = np.log([4, 16, 8, 8])
    mu, sigma = logs.mean(), logs.std()  # the lognormal MLE without censoring
    assert f.duration.sigma == pytest.approx(sigma, rel=1e-4)
    assert f.duration.mean_days == pytest.approx(math.exp(mu + sigma**2 / 2), rel=1e-4)


def test_a_closure_still_going_on_lengthens_the_fitted_durations():
    done = [(["x"], D(2001, 1, 1), D(2001, 1, 5)), (["x"], D(2003, 1, 1), D(2003, 1, 17))]
    finished = fit_closures(
        record([*done, (["x"], D(2009, 12, 1), D(2009, 12, 20))]), D(2000, 1, 1), D(2010, 1, 1)
    )
    ongoing = fit_closures(
        record([*done, (["x"], D(2009, 12, 1), None)]), D(2000, 1, 1), D(2010, 1, 1)
    )
    assert ongoing.duration.mean_days > finished.duration.mean_days


def test_held_out_score_by_hand():
    r = record(
        [
            (["x"], D(2001, 1, 1), D(2001, 1, 11)),
            (["x"], D(2004, 1, 1), D(2004, 1, 31)),
            (["x"], D(2008, 6, 1), D(2008, 6, 11)),  # after held_out_from: 10 days
        ]
    )
    earlier = fit_closures(r, D(2000, 1, 1), D(2008, 1, 1))
    s = held_out_score(r, earlier)
    years = (D(2010, 1, 1) - D(2008, 1, 1)).days / 365.25
    assert s["x_closed_days_per_year_observed"] == pytest.approx(10 / years, rel=1e-3)
    expected = earlier.rate_per_year["x"] * earlier.duration.mean_days
    assert s["x_closed_days_per_year_expected"] == pytest.approx(expected, rel=1e-3)


def test_the_shipped_fit_is_reproduced_and_scored_on_what_it_did_not_see(cli):
    res = cli("calibrate-closures", "--check")
    assert res.returncode == 0, res.stderr
    cal = calibrate_closures(builtin_closure_record())
    assert cal == builtin_closure_fit()
    assert cal.earlier_fit.fitted_to == builtin_closure_record().held_out_from
    assert cal.fit.events == len(builtin_closure_record().events)
    # the years before 2025 did not foresee 2025-26: reported, not tuned away
    assert (
        cal.held_out["chaman_closed_days_per_year_observed"]
        > 10 * cal.held_out["chaman_closed_days_per_year_expected"]
    )


def test_the_engine_draws_observed_closures_at_the_fitted_rates(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: s\ndemand:\n  - {origin: KHI, destination: TAS, teu_per_year: 2, modes: [road]}\n"
        "disruptions: {observed_closures: [torkham, chaman]}\n"
        "borders: {background_scale: 0}\n"
        "simulation: {horizon_days: 36500, warmup_days: 0, replications: 1}\n",
        encoding="utf-8",
    )
    res = run(path)
    c = res.closures
    fit = builtin_closure_fit().fit
    for cid in ("torkham", "chaman"):
        n = int((c["target"] == cid).sum())
        expected = (fit.rate_per_year[cid] + fit.joint_rate_per_year) * 100
        assert abs(n - expected) < 4 * math.sqrt(expected), (cid, n, expected)
    # a joint closure closes both at once: some spells start at the same time at both
    t = set(c[c["target"] == "torkham"]["start_h"].round(6))
    ch = set(c[c["target"] == "chaman"]["start_h"].round(6))
    both = len(t & ch)
    assert abs(both - fit.joint_rate_per_year * 100) < 4 * math.sqrt(fit.joint_rate_per_year * 100)
    days = (c["end_h"] - c["start_h"]) / 24
    assert days.mean() == pytest.approx(fit.duration.mean_days, rel=0.35)


def test_an_unknown_crossing_is_refused_with_its_line(cli, tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: s\ndemand:\n  - {origin: KHI, destination: TAS, teu_per_year: 2, modes: [road]}\n"
        "disruptions: {observed_closures: [torkam]}\n",
        encoding="utf-8",
    )
    res = cli("validate", str(path))
    assert res.returncode == 2
    assert "s.yaml:4" in res.stderr
    assert "no observed closure record for 'torkam'; did you mean 'torkham'" in res.stderr


def test_the_closure_record_chooses_the_fit_the_closures_follow(monkeypatch):
    """``closure_record: "2016-2024"`` draws from the fit before 2025 (here made to close
    Chaman never), the default from the whole record's (here made to close it often)."""
    from corridorsim.engine import disruptions
    from corridorsim.experiments import with_settings
    from corridorsim.scenario import load_scenario

    real = disruptions.builtin_closure_fit()
    short = real.fit.duration.model_copy(update={"mean_days": 1.0})
    often = real.fit.model_copy(update={"rate_per_year": {"chaman": 20.0}, "duration": short})
    never = real.earlier_fit.model_copy(
        update={"rate_per_year": {"chaman": 0.0}, "joint_rate_per_year": 0.0}
    )
    fitted = real.model_copy(update={"fit": often, "earlier_fit": never})
    monkeypatch.setattr(disruptions, "builtin_closure_fit", lambda: fitted)
    loaded = with_settings(
        load_scenario("western-rail-closures-2016-2024"), replications=1, horizon_days=120
    )
    assert run(loaded).closures.empty
    whole = loaded.scenario.disruptions.model_copy(update={"closure_record": "2016-2026"})
    again = replace(loaded, scenario=loaded.scenario.model_copy(update={"disruptions": whole}))
    assert (run(again).closures["target"] == "chaman").sum() >= 3
