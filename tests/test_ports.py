"""Dwell at the origin port: a step of its own, drawn per container, on by default,
from the scenario's figure or else the network's; a port without a figure is said."""

from __future__ import annotations

import numpy as np
import pytest

from corridorsim.engine import Plan
from corridorsim.results.summary import summarize
from corridorsim.scenario import load_scenario

from .builders import flow, scenario
from .conftest import SCENARIOS
from .engine_helpers import toy_run, toy_scenario


def body(**sections):
    return scenario(
        flow("P", "D", 2000), days=60, warmup=5, trains={1676: 10, 1520: 10}, **sections
    )


def test_fixed_dwell_delays_every_container_by_exactly_that(tmp_path):
    base = toy_run(tmp_path, body(ports={"dwell": False})).containers
    dwelt = toy_run(tmp_path, body(ports={"dwell_hours": {"P": 30}})).containers
    assert (base["port_dwell_h"] == 0).all()
    assert (dwelt["port_dwell_h"] == 30).all()
    # the same arrivals, each ready to board 30 h later: fixed arrivals and a train
    # every 10 TEU, so every departure moves by exactly 30 h
    d = dwelt[dwelt["delivered"]]
    b = base.set_index("container").loc[d["container"]]
    assert np.allclose(d["departed_h"].to_numpy(), b["departed_h"].to_numpy() + 30)
    assert np.allclose(d["transit_h"].to_numpy(), b["transit_h"].to_numpy() + 30)
    # the breakdown still adds up to the transit time
    parts = d[[c for c in d.columns if c.endswith("_h") and c not in _TIMES]].sum(axis=1)
    assert np.allclose(parts, d["transit_h"])


_TIMES = {"created_h", "departed_h", "delivered_h", "transit_h"}


def test_dwell_is_drawn_from_its_distribution(tmp_path):
    res = toy_run(
        tmp_path,
        body(ports={"dwell_hours": {"P": {"dist": "uniform", "low": 10, "high": 50}}}),
        replications=2,
    )
    h = res.containers["port_dwell_h"]
    assert h.between(10, 50).all()
    assert h.mean() == pytest.approx(30, abs=1.5)
    assert h.nunique() > 100


def test_the_network_figure_applies_by_default_and_the_pilot_leaves_it_out():
    plan = Plan.build(load_scenario(SCENARIOS / "default.yaml"))
    north, south = plan.port_dwell
    assert north is not None
    assert north.port == "KHI"
    assert north.origin == "network"
    assert north.hours.mean == 168
    assert south is None  # Almaty is no port
    pilot = Plan.build(load_scenario(SCENARIOS / "today-road-tir-pilot.yaml"))
    assert pilot.port_dwell == [None]


def test_a_port_with_no_figure_is_said_not_taken_as_zero(tmp_path):
    res = toy_run(tmp_path, body())  # the toy network gives its port no dwell
    assert (res.containers["port_dwell_h"] == 0).all()
    s = summarize(res)
    assert any("no dwell figure for port P (Port)" in w for w in s.warnings)
    assert "ports.dwell_hours.P" in " ".join(s.warnings)


def test_dwell_shows_in_the_breakdown_at_the_origin_port(tmp_path):
    loaded = toy_scenario(tmp_path, body(ports={"dwell_hours": {"P": 12}}))
    from corridorsim.experiments import run

    res = run(loaded)
    (f,) = summarize(res).flows
    assert f.breakdown_hours["port_dwell"] == pytest.approx(12)
    fp = res.flow_places
    at = fp[fp["category"] == "port_dwell"]
    places = {res.plan.places[int(i)].name for i in at["place"]}
    assert len(places) == 1
    assert "P" in places.pop()
    assert (at["hours"] / at["containers"]).to_numpy() == pytest.approx(12)
