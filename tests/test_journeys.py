"""Calibrating on journeys: the truck delay share scales a truck's clearance and road
stops (and nothing else), the trips' days fall with it, the fit reproduces its trips,
leaves one out honestly, keeps the held-out trip out, and re-running it reproduces the
shipped file."""

from __future__ import annotations

import pytest

from corridorsim.errors import CorridorSimError
from corridorsim.experiments import run
from corridorsim.journeys import (
    JourneySettings,
    JourneyTargets,
    builtin_journey_calibration,
    calibrate_journeys,
    read_journey_targets,
    trip_days,
)
from corridorsim.network.calibrated import builtin_calibration
from corridorsim.results.tables import CATEGORIES
from corridorsim.scenario import load_scenario

from .conftest import SCENARIOS

FAST = JourneySettings(replications=1, horizon_days=60)


def _road(tmp_path, name: str, share: float):
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"name: {name}\nextends: {SCENARIOS / 'today-road-tir-pilot.yaml'}\n"
        f"operations: {{truck_delay_share: {share}}}\n"
        "simulation: {horizon_days: 60, warmup_days: 10, replications: 2}\n",
        encoding="utf-8",
    )
    return run(load_scenario(path), jobs=1)


def _clearance_hours(res, crossing: str) -> float:
    """Mean hours per truck of border processing at ``crossing``'s posts (clearance, and
    the service's minutes)."""
    places = [p.index for p in res.plan.places if p.kind == "post" and p.crossing == crossing]
    s = res.stages
    at = s[s["place"].isin(places) & (s["category"] == CATEGORIES.index("border_processing"))]
    return float(at.groupby(["replication", "vehicle"])["hours"].sum().mean())


def test_the_share_scales_a_trucks_clearance_and_stops_and_not_the_background(tmp_path):
    whole = _road(tmp_path, "whole", 1.0)
    half = _road(tmp_path, "half", 0.5)
    none = _road(tmp_path, "none", 0.0)
    cal = builtin_calibration().find("torkham", "road", "PK-AF")
    assert cal is not None
    clearance = cal.exit.clearance_mean_hours + cal.entry.clearance_mean_hours
    # the same streams scaled: half the share, half of every clearance draw; the
    # scanner's service (what is left at share 0) is not scaled
    service = _clearance_hours(none, "torkham")
    assert _clearance_hours(half, "torkham") - service == pytest.approx(
        0.5 * (_clearance_hours(whole, "torkham") - service), rel=1e-3
    )
    # the draws' mean is the calibrated clearance (few trucks: within a fifth)
    assert _clearance_hours(whole, "torkham") == pytest.approx(clearance, rel=0.2)
    assert _clearance_hours(none, "torkham") < 0.1  # the scanner's minutes are left

    def stops(r):
        s = r.stages
        return (
            s[s["category"] == CATEGORIES.index("en_route_delay")]
            .groupby(["replication", "vehicle"])["hours"]
            .sum()
        )

    assert stops(none).empty
    both = stops(whole).to_frame("whole").join(stops(half).to_frame("half"), how="inner")
    assert len(both) > 10
    # the same draws of each link's stream, halved; trucks may pass one another, so a
    # draw can fall to another truck: compared in total, not truck by truck
    assert both["half"].sum() == pytest.approx(0.5 * both["whole"].sum(), rel=0.05)

    # the background trucks are CPMM's average consignments: the crossing they keep busy
    # is as busy whatever the scenario's trucks' share, and passes the 500 a day of
    # background (network.yaml, S159) after the 10 days of warm-up
    def exit_post(r, column: str) -> float:
        res = r.resources
        mine = res[(res["crossing"] == "torkham") & (res["role"] == "exit")]
        mine = mine[mine["direction"].astype(str) == "PK-AF"]
        return float(mine[column].mean())

    assert exit_post(none, "utilisation") == pytest.approx(
        exit_post(whole, "utilisation"), rel=0.02
    )
    assert exit_post(whole, "served") / (60 - 10) == pytest.approx(500, rel=0.03)


def test_a_trips_days_fall_with_the_share():
    trip = read_journey_targets().trips[1]  # Tashkent to Torkham: the shortest
    days = [trip_days(trip, share, FAST) for share in (1.0, 0.5, 0.0)]
    assert days[0] > days[1] > days[2] > 0


def test_the_fit_needs_two_training_trips():
    shipped = read_journey_targets()
    one = JourneyTargets(settings=FAST, trips=shipped.trips[:1])
    with pytest.raises(CorridorSimError, match="at least two training trips"):
        calibrate_journeys(one)


def test_the_shipped_fit_reproduces_its_trips_and_keeps_the_held_out_trip_out():
    targets = read_journey_targets()
    cal = builtin_journey_calibration()
    assert cal is not None
    share = cal.truck_delay_share
    training = {t.id for t in targets.trips if t.role == "training"}
    held_out = {t.id for t in targets.trips if t.role == "held_out"}
    assert held_out
    assert set(share.fitted_on) == training == {f.id for f in cal.trips}
    assert share.low <= share.value <= share.high
    for f in cal.trips:
        # with a trip's own share, the model gives its observed days (solved); with the
        # others' share, it is predicted and can miss
        assert f.average_days > f.observed_days  # CPMM's averages are slower
        others = [g.own_share for g in cal.trips if g.id != f.id]
        assert f.loo_share == pytest.approx(sorted(others)[len(others) // 2], abs=1e-4)


def test_the_pilot_scenario_uses_the_shipped_share():
    cal = builtin_journey_calibration()
    assert cal is not None
    loaded = load_scenario(SCENARIOS / "today-road-tir-pilot.yaml")
    assert loaded.scenario.operations.truck_delay_share == cal.truck_delay_share.value


@pytest.mark.slow
def test_rerunning_the_journey_fit_reproduces_the_shipped_file(cli):
    res = cli("calibrate-journeys", "--check")
    assert res.returncode == 0, res.stderr
    assert "is reproduced" in res.stdout
