"""Goal-seek on market share: the tariff at which a flow wins half its market against
an alternative, where the answer is known by hand (equal transit times, so shares
follow the rates alone), and the refusals that say what is missing."""

from __future__ import annotations

import itertools

import pytest
import yaml

from corridorsim.errors import CorridorSimError
from corridorsim.goal_seeking import goal_seek, parse_target

from .test_costs import toy


def _quoted(folder, name: str, rate: float | None, source: str = ""):
    """The toy scenario (P to D by rail) as ``name``, with a quoted rate if given."""
    folder.mkdir()
    toy(folder, rates=False, charge=None, name=name)
    path = folder / "toy.yaml"
    body = yaml.safe_load(path.read_text(encoding="utf-8"))
    if rate is not None:
        body["freight_rates"] = {"usd_per_teu": {"P-D": rate}, "source": "a test quote"}
    elif source:
        body["freight_rates"] = {"source": source}
    path.write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    return path


def test_half_the_market_at_the_alternatives_rate(tmp_path):
    """Alike but for the rate: each route wins half at equal rates, and more below."""
    mine = _quoted(tmp_path / "mine", "mine", None, source="a tariff under study")
    other = _quoted(tmp_path / "other", "other", 1000.0)
    result = goal_seek(
        mine,
        "freight_rates.usd_per_teu.P-D",
        200,
        3000,
        parse_target("market>=50%"),
        steps=8,
        against=[other],
        replications=2,
    )
    assert result.value is not None
    assert result.meets <= 1000 <= result.fails  # the bracket holds the known answer
    assert result.fails - result.meets < 20
    shares = sorted(result.points)  # by rate: a dearer tariff never wins more
    assert all(a[1] >= b[1] for a, b in itertools.pairwise(shares))


def test_a_market_target_says_what_it_needs(tmp_path):
    mine = _quoted(tmp_path / "mine", "mine", None, source="a tariff under study")
    unquoted = _quoted(tmp_path / "unquoted", "unquoted", None)
    bare = _quoted(tmp_path / "bare", "bare", None)
    target = parse_target("market>=50%")
    with pytest.raises(CorridorSimError, match=r"needs freight_rates\.source"):
        goal_seek(bare, "freight_rates.usd_per_teu.P-D", 1, 10, target, against=[unquoted])
    with pytest.raises(CorridorSimError, match="needs P-D's freight rate"):
        goal_seek(mine, "ports.dwell_hours.P", 1, 10, target, against=[unquoted])
    with pytest.raises(CorridorSimError, match="--against"):
        goal_seek(mine, "freight_rates.usd_per_teu.P-D", 1, 10, target)
    with pytest.raises(CorridorSimError, match="cost is incomplete and it has no quoted rate"):
        goal_seek(mine, "freight_rates.usd_per_teu.P-D", 1, 10, target, against=[unquoted])
    assert parse_target("market>=0.4").value == pytest.approx(0.4)


def test_levers_rank_by_the_share_they_gain(tmp_path):
    """A lower tariff saves no time but wins share; more port dwell loses both. Against
    an alike route at the same rate the baseline has half the market."""
    from corridorsim.levers import rank_levers, read_levers

    mine = _quoted(tmp_path / "mine", "mine", 1000.0)
    other = _quoted(tmp_path / "other", "other", 1000.0)
    levers = tmp_path / "levers.yaml"
    levers.write_text(
        yaml.safe_dump(
            {
                "levers": [
                    {"name": "longer dwell", "set": {"ports.dwell_hours.P": 200}},
                    {"name": "cheaper", "set": {"freight_rates.usd_per_teu.P-D": 800}},
                ]
            }
        ),
        encoding="utf-8",
    )
    one, _ = rank_levers(mine, read_levers(levers), against=[other], replications=2)
    by = one.set_index("lever")
    assert by.loc["cheaper", "share"] > 0.5 > by.loc["longer dwell", "share"]
    assert by.loc["cheaper", "share_gained"] == pytest.approx(by.loc["cheaper", "share"] - 0.5)
    assert by.loc["cheaper", "saved_p90_days"] == pytest.approx(0.0)
    assert by.loc["cheaper", "share_rank"] == 1
    assert by.loc["longer dwell", "share_rank"] == 2
