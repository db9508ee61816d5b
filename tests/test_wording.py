"""A count agrees with its noun wherever a report or the terminal says how many."""

from __future__ import annotations

import pytest

from corridorsim.wording import counted


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0 replications"),
        (1, "1 replication"),
        (2, "2 replications"),
        (1500, "1,500 replications"),
    ],
)
def test_a_count_agrees_with_its_noun(n, text):
    assert counted(n, "replication") == text


def test_an_irregular_plural_is_given():
    assert counted(1, "ox", "oxen") == "1 ox"
    assert counted(3, "ox", "oxen") == "3 oxen"


def test_a_share_interval_keeps_a_tenth_near_the_ends():
    from corridorsim.wording import share_interval

    assert share_interval(0.62, 0.714) == "62–71%"
    assert share_interval(0.0, 0.0011) == "0–0.11%"  # not "0–0%": the bound is above 0
    assert share_interval(0.0, 0.00045) == "0–0.045%"  # not "0–0.0%"
    assert share_interval(0.9987, 1.0) == "99.9–100%"
    assert share_interval(None, 1.0) == "–"
    assert share_interval(float("nan"), 0.5) == "–"
