"""The route-choice model: generalised cost and logit shares against hand
calculations, the scale's elasticity checked by finite differences, monotone response,
and no shares where a cost is incomplete."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from corridorsim.results.choice import (
    ChoiceParams,
    RouteOption,
    choose,
    generalised_cost,
    logit_shares,
    scale_from_elasticity,
)


def option(name: str, cost: float | None, days: float, spread: float = 2.0, reps: int = 4):
    """A route whose replications all give ``days`` mean and median, p90 ``spread`` more."""
    d = np.full(reps, days)
    return RouteOption(
        scenario=name,
        flow="f",
        cost_usd_per_teu=cost,
        cost_complete=cost is not None,
        cost_missing=() if cost is not None else ("the port handling charge at KHI",),
        mean_days=d,
        p50_days=d,
        p90_days=d + spread,
    )


def test_generalised_cost_by_hand():
    p = ChoiceParams()
    # 54,500 USD × 0.25 a year / 365 days = 37.3288 USD a TEU-day
    vot = 54_500 * 0.25 / 365
    assert generalised_cost(3000, 10, 9, 14, p) == pytest.approx(3000 + 10 * vot + 5 * vot)
    assert generalised_cost(3000, 10, 9, 14, p) == pytest.approx(3559.93, abs=0.01)


def test_logit_shares_by_hand():
    shares = logit_shares([1000, 2000], 0.001)
    assert shares[0] == pytest.approx(1 / (1 + math.exp(-1)))
    assert shares.sum() == pytest.approx(1)
    three = logit_shares([0, 0, 500], 0.002)
    w = [1, 1, math.exp(-1)]
    assert three == pytest.approx([x / sum(w) for x in w])


def test_huge_costs_do_not_overflow():
    shares = logit_shares([1e6, 1e6 + 1e5], 0.01)
    assert shares[0] == pytest.approx(1.0)
    assert np.isfinite(shares).all()


def test_the_scale_gives_the_stated_elasticity_at_equal_shares():
    """Raise one of two equal routes' freight rate by 0.1%: its share falls by
    |elasticity| × 0.1% (finite difference, independent of the formula)."""
    rate, e = 3000.0, -1.2
    scale = scale_from_elasticity([rate, rate], e)
    base = logit_shares([rate, rate], scale)[0]
    bumped = logit_shares([rate * 1.001, rate], scale)[0]
    elasticity = (bumped - base) / base / 0.001
    assert elasticity == pytest.approx(e, rel=1e-3)


def test_a_faster_or_cheaper_route_gains_share_monotonically():
    others = [option("road", 4000, 12), option("sea", 2500, 25)]
    shares = []
    for days in (20, 16, 12, 8, 5):
        c = choose("KHI", "ALA", [option("rail", 3000, days), *others])
        shares.append(c.routes[0].share)
    assert all(a < b for a, b in itertools.pairwise(shares))
    cheaper = [
        choose("KHI", "ALA", [option("rail", cost, 10), *others]).routes[0].share
        for cost in (5000, 4000, 3000, 2000)
    ]
    assert all(a < b for a, b in itertools.pairwise(cheaper))


def test_shares_sum_to_one_and_teu_follow_the_market():
    c = choose("KHI", "ALA", [option("a", 3000, 10), option("b", 3500, 6)], None, 18_300)
    assert sum(r.share for r in c.routes) == pytest.approx(1)
    for r in c.routes:
        assert r.teu_per_year == pytest.approx(r.share * 18_300)
        assert r.share_low <= r.share <= r.share_high
        assert r.share_ci95 == pytest.approx(0.0, abs=1e-12)  # replications all alike


def test_replications_that_differ_give_an_interval():
    a = option("a", 3000, 10)
    b = option("b", 3000, 10)
    b = RouteOption(**{**b.__dict__, "mean_days": np.array([8.0, 12.0, 9.0, 11.0])})
    c = choose("KHI", "ALA", [a, b])
    assert c.routes[0].share_ci95 is not None
    assert c.routes[0].share_ci95 > 0


def test_an_incomplete_cost_gives_no_share_and_says_what_is_missing():
    c = choose("KHI", "ALA", [option("a", 3000, 10), option("b", None, 6)])
    assert c.routes == ()
    assert "b/f lacks the port handling charge at KHI" in c.reason
    two = option("c", None, 6)
    two = RouteOption(**{**two.__dict__, "cost_missing": ("a rate for 9 km (road in AF: x)", "y")})
    c = choose("KHI", "ALA", [option("a", 3000, 10), two])
    assert "c/f lacks a rate for 9 km and 1 more" in c.reason


def test_one_route_is_no_choice():
    c = choose("KHI", "ALA", [option("a", 3000, 10)])
    assert c.routes == ()
    assert "one route" in c.reason


def test_compare_gives_the_cheaper_of_two_equally_fast_routes_the_hand_computed_share(
    tmp_path, cli
):
    """Two toy scenarios alike but for a terminal charge: the same transit on common
    random numbers, so the shares follow the freight costs alone (hand calculation)."""
    import json

    from corridorsim.experiments import run
    from corridorsim.results.comparison import compare_results

    from .test_costs import toy

    cheap_dir, dear_dir = tmp_path / "cheap", tmp_path / "dear"
    cheap_dir.mkdir()
    dear_dir.mkdir()
    cheap = toy(cheap_dir, rates=True, charge=5, handling=7, name="cheap")
    dear = toy(dear_dir, rates=True, charge=500, handling=7, name="dear")
    c = compare_results([run(cheap), run(dear)])
    (choice,) = c.choices
    a, b = choice.routes
    # costs: 155 km × 1 + 125 km × 2 + fee 10 + charge + handling 7
    ca, cb = 155 + 250 + 10 + 5 + 7, 155 + 250 + 10 + 500 + 7
    scale = 1 / ((ca + cb) / 2 * (1 - 1 / 2))  # elasticity -1, two routes
    assert a.share == pytest.approx(1 / (1 + math.exp(-scale * (cb - ca))), rel=1e-9)
    assert a.share + b.share == pytest.approx(1)
    assert b.generalised_cost_usd_per_teu - a.generalised_cost_usd_per_teu == pytest.approx(cb - ca)
    result = cli(
        "compare",
        str(cheap_dir / "toy.yaml"),
        str(dear_dir / "toy.yaml"),
        "--out",
        str(tmp_path / "out"),
        "--quiet",
    )
    assert result.returncode == 0, result.stderr
    assert "route shares, P → D" in result.stdout
    saved = json.loads((tmp_path / "out" / "compare.json").read_text(encoding="utf-8"))
    shares = [r["share"] for r in saved["choices"][0]["routes"]]
    assert shares == pytest.approx([a.share, b.share])
    for report in ("report.md", "report.html"):
        text = (tmp_path / "out" / report).read_text(encoding="utf-8")
        assert "Route shares" in text
        assert f"{a.share:.1%}" in text  # the cheaper route's share, as printed


def test_a_quoted_rate_stands_in_for_an_incomplete_cost(tmp_path):
    """A flow with a quoted all-in rate takes part in the shares at that rate although
    the model's own cost for it is incomplete; the other route keeps its built-up cost."""
    import yaml

    from corridorsim.experiments import run
    from corridorsim.results.comparison import compare_results
    from corridorsim.scenario import load_scenario

    from .test_costs import toy

    a_dir, b_dir = tmp_path / "a", tmp_path / "b"
    a_dir.mkdir()
    b_dir.mkdir()
    built = toy(a_dir, rates=True, charge=5, handling=7, name="built")
    toy(b_dir, rates=False, charge=None, name="quoted")  # incomplete cost
    body = yaml.safe_load((b_dir / "toy.yaml").read_text(encoding="utf-8"))
    body["freight_rates"] = {"usd_per_teu": {"P-D": 427.0}, "source": "a test quote"}
    (b_dir / "toy.yaml").write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    quoted = load_scenario(b_dir / "toy.yaml")
    (choice,) = compare_results([run(built), run(quoted)]).choices
    a, b = choice.routes
    assert (a.quoted, b.quoted) == (False, True)
    assert b.freight_usd_per_teu == 427.0
    # both cost 427 (155 + 250 + 10 + 5 + 7 built up), the same times: equal shares
    assert a.freight_usd_per_teu == pytest.approx(427.0)
    assert a.share == pytest.approx(0.5)


def test_a_quoted_rate_without_its_source_or_flow_is_refused(tmp_path, cli):
    import yaml

    from .test_costs import toy

    toy(tmp_path, rates=False, charge=None)
    body = yaml.safe_load((tmp_path / "toy.yaml").read_text(encoding="utf-8"))
    body["freight_rates"] = {"usd_per_teu": {"P-D": 900}}
    (tmp_path / "toy.yaml").write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    result = cli("validate", str(tmp_path / "toy.yaml"))
    assert result.returncode == 2
    assert "freight_rates" in result.stderr
    assert "give source" in result.stderr
    body["freight_rates"] = {"usd_per_teu": {"P-E": 900}, "source": "a quote"}
    (tmp_path / "toy.yaml").write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    result = cli("validate", str(tmp_path / "toy.yaml"))
    assert result.returncode == 2
    assert "unknown flow 'P-E'" in result.stderr
