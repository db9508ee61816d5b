"""Sea legs: a ship sails on its timetable, containers it lands at a port on their way
inland dwell there one by one (no resource) and then queue for a train; every hour is
accounted for, and containers are conserved while they dwell. Times are hand-computed
on a three-node network."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from corridorsim.engine import CorridorModel, Plan
from corridorsim.experiments import run
from corridorsim.results.tables import CATEGORIES
from corridorsim.scenario import load_scenario

from .builders import flow, scenario

# P (port, XX) ~~sea 260 km at 26 km/h: 10 h~~ Q (port, YY) ==rail 100 km at 50 km/h: 2 h== D
NETWORK = {
    "version": 1,
    "defaults": {"speed_kmh": {"rail": {"YY": {"value": 50, "estimate": "test"}}}},
    "nodes": [
        {"id": "P", "name": "Port P", "country": "XX", "kind": "port", "lat": 0, "lon": 0},
        {"id": "Q", "name": "Port Q", "country": "YY", "kind": "port", "lat": 0, "lon": 2},
        {"id": "D", "name": "Inland D", "country": "YY", "kind": "station", "lat": 0, "lon": 3},
    ],
    "links": [
        {"from": "P", "to": "Q", "mode": "sea", "km": 260, "speed_kmh": 26},
        {"from": "Q", "to": "D", "mode": "rail", "gauge_mm": 1520, "km": 100},
    ],
    "crossings": [],
}


def sea_scenario(tmp_path, *, landing_dwell: float = 24.0, days: float = 40):
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "net.yaml").write_text(yaml.safe_dump(NETWORK), encoding="utf-8")
    body = scenario(
        flow("P", "D", 8760 / 10, modes=("sea", "rail")),  # one TEU every 10 h
        days=days,
        operations={
            "speed_basis": "moving",
            "vessel_capacity_teu": 500,
            "sailings": {"policy": "timetable", "times": ["06:00"]},  # daily
            "departure": {"policy": "timetable", "times": ["06:00"]},  # a train daily
        },
        network={"file": str(tmp_path / "net.yaml")},
        ports={"dwell_hours": {"P": 1.0, "Q": landing_dwell}},
        transshipment={"intermodal_default": {"hours_per_train": 5.0}},
    )
    body["name"] = "sea"
    path = tmp_path / "sea.yaml"
    path.write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    return load_scenario(path)


def test_a_sea_leg_then_rail_takes_the_hand_computed_hours(tmp_path):
    res = run(sea_scenario(tmp_path))
    c = res.delivered
    assert len(c) > 50
    # port dwell: 1 h at P before boarding, 24 h at Q after landing
    assert c["port_dwell_h"].to_numpy() == pytest.approx(np.full(len(c), 25.0))
    # running: 10 h at sea, 2 h by rail
    assert c["running_h"].to_numpy() == pytest.approx(np.full(len(c), 12.0))
    # the ship is unloaded (5 h) and the train loaded (5 h) at Q's terminal
    assert c["transshipment_h"].to_numpy() == pytest.approx(np.full(len(c), 10.0))
    parts = c[[f"{k}_h" for k in CATEGORIES]].sum(axis=1).to_numpy()
    assert parts == pytest.approx(c["transit_h"].to_numpy())
    # ships leave at 06:00 (+ 10 h sailing + 5 h unloading = 21:00), dwell 24 h, then
    # wait for the 06:00 train (the terminal is free then: ships are unloaded 16:00 to
    # 21:00), which is loaded 5 h and runs 2 h: 13:00 two days on
    ships = res.vehicles[res.vehicles["kind"] == "ship"]
    assert (ships["depart_h"] % 24).to_numpy() == pytest.approx(np.full(len(ships), 6.0))
    assert (c["delivered_h"] % 24).to_numpy() == pytest.approx(np.full(len(c), 13.0))


def test_landing_dwell_is_per_container_and_adds_to_transit(tmp_path):
    short = run(sea_scenario(tmp_path / "a", landing_dwell=24.0)).delivered
    long = run(sea_scenario(tmp_path / "b", landing_dwell=48.0)).delivered
    common = np.intersect1d(short["container"], long["container"])
    a = short.set_index("container").loc[common, "transit_h"]
    b = long.set_index("container").loc[common, "transit_h"]
    # 24 h more in port is a day later for every container (the trains are daily)
    assert (b - a).to_numpy() == pytest.approx(np.full(len(common), 24.0))


def test_containers_are_conserved_while_they_dwell(tmp_path):
    model = CorridorModel(Plan.build(sea_scenario(tmp_path, days=6)))
    dwelling = 0
    for k in range(1, 6 * 24):
        model.env.run(until=float(k))
        model.check_conservation()
        dwelling = max(dwelling, model.in_landing)
    assert dwelling > 0  # some were checked while in the port
