"""How each flow's route was chosen, said in the report: the fastest expected route, or
a fixed one with its reason and the fastest beside it; a fixed route slower than the
fastest with no reason is warned about."""

from __future__ import annotations

from dataclasses import replace

from corridorsim.engine import Plan
from corridorsim.scenario import load_scenario
from corridorsim.scenario.route_choice import route_choice, route_notes


def _western(reason: str | None):
    """western-rail with its first flow's reason replaced (or removed with ``""``), or
    with its route removed (``None``)."""
    base = load_scenario("western-rail")
    flows = list(base.scenario.demand)
    update = {"route": None} if reason is None else {"route_reason": reason}
    flows[0] = flows[0].model_copy(update=update)
    scenario = base.scenario.model_copy(update={"demand": tuple(flows)})
    return replace(base, scenario=scenario)


def test_a_fixed_route_is_said_with_its_reason_and_the_faster_one_beside_it():
    loaded = load_scenario("western-rail")
    choice = route_choice(loaded, "pk-to-kz")
    assert choice.fixed
    assert choice.route.nodes[-3:] == ("ARY", "CIT", "ALA")
    assert "FRP" in choice.fastest.nodes  # through Uzbekistan
    # worked from the two routes' own expected hours, independently of the sentence
    gap = choice.route.expected_hours - choice.fastest.expected_hours
    assert gap > 1
    text = choice.sentence()
    assert text.startswith("Fixed by the scenario: the line as planned runs")
    assert f"{choice.fastest.distance_km:,.0f} km" in text
    assert f"against this route's {choice.route.expected_hours:.0f} h" in text
    assert route_notes(loaded) == []  # every fixed route there says why


def test_a_slower_fixed_route_without_a_reason_is_warned_about():
    loaded = _western("")
    notes = route_notes(loaded)
    assert len(notes) == 1
    assert notes[0].startswith("flow pk-to-kz: its fixed route is expected ")
    assert "say why in demand[0].route_reason, or remove demand[0].route" in notes[0]
    assert notes[0] in Plan.build(loaded).notes  # and so in the run's warnings


def test_a_route_left_to_corridorsim_is_the_fastest():
    loaded = _western(None)
    choice = route_choice(loaded, "pk-to-kz")
    assert not choice.fixed
    assert choice.route is choice.fastest
    assert choice.sentence().startswith("The fastest expected route")
    assert route_notes(loaded) == []
