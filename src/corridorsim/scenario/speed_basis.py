"""The speed basis a scenario runs on, the same for rail and road: which stops between
places are drawn (``moving_plus_stops``: the network's, replaced where the scenario gives
its own) and which speeds the links run at (``with_delay``: CPMM's speed with delay)."""

from __future__ import annotations

from corridorsim.distributions import Distribution
from corridorsim.network.spec import Defaults, Mode, SourcedValue
from corridorsim.scenario.format import Scenario

__all__ = ["en_route_delays", "missing_figures", "speeds_for_basis"]

Key = tuple[str, str]  # (mode, country)


def en_route_delays(scenario: Scenario, defaults: Defaults) -> dict[Key, Distribution]:
    """Hours per 100 km of stops by (mode, country): the network's under
    ``moving_plus_stops`` (none otherwise), with the scenario's own on top."""
    ops = scenario.operations
    out: dict[Key, Distribution] = {}
    if ops.speed_basis == "moving_plus_stops":
        for mode, per in defaults.en_route_delay_hours_per_100km.items():
            out.update({(mode, c): sv.value for c, sv in per.items()})
    for mode, per_c in ops.en_route_delay_hours_per_100km.items():
        out.update({(mode, c): d for c, d in per_c.items()})
    return out


def speeds_for_basis(scenario: Scenario, defaults: Defaults) -> dict[Mode, dict[str, SourcedValue]]:
    """Default speeds by mode and country: CPMM's speed with delay where the network
    gives one under ``with_delay``, else the moving speeds."""
    speeds = {m: dict(v) for m, v in defaults.speed_kmh.items()}
    if scenario.operations.speed_basis == "with_delay":
        for mode, per in defaults.speed_with_delay_kmh.items():
            speeds.setdefault(mode, {}).update(per)
    return speeds


def missing_figures(scenario: Scenario, defaults: Defaults, used: set[Key]) -> list[str]:
    """What the basis needs for the (mode, country) pairs the routes use but the network
    lacks, as sentences (reported, not taken as zero)."""
    basis = scenario.operations.speed_basis
    if basis == "moving":
        return []
    if basis == "with_delay":
        have: set[Key] = {(m, c) for m, per in defaults.speed_with_delay_kmh.items() for c in per}
        lacking = sorted(used - have)
        what = "no speed with delay (CPMM SWD), so the speed without delay is used"
    else:
        have = set(en_route_delays(scenario, defaults))
        lacking = sorted(used - have)
        what = "no en-route stop figure, so no stops are drawn there"
    if not lacking:
        return []
    listed = ", ".join(f"{m} in {c}" for m, c in lacking)
    return [
        f"speed basis {basis}: {what} for {listed}; give "
        "operations.en_route_delay_hours_per_100km (or network.speeds_kmh) to set one"
    ]
