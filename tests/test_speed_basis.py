"""One speed basis for rail and road: moving speed plus the network's en-route stops by
default; moving only, or CPMM's speed with delay, on request; missing figures said."""

from __future__ import annotations

from itertools import pairwise

import pytest

from corridorsim.engine import Plan
from corridorsim.experiments import run
from corridorsim.results.summary import summarize
from corridorsim.scenario import load_scenario


def load(tmp_path, ops="", route="", modes="rail", teu=2000):
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: s\nnetwork: {build: [western-rail]}\n"
        f"demand:\n  - {{id: f, origin: KHI, destination: ALA, teu_per_year: {teu}, "
        f"modes: [{modes}]{route}}}\n"
        f"operations: {{{ops}}}\n"
        "simulation: {horizon_days: 90, warmup_days: 10, replications: 1}\n",
        encoding="utf-8",
    )
    return load_scenario(path)


TM_ROUTE = (
    ", route: [KHI, PQA, ROH, SIB, QTA, CHM, SBK, KDH, HEA, TGH, SRB, MRY, ASB, BRK, SYK, "
    "BLS, UZN, BEY, ARY, CIT, ALA]"
)


def test_default_basis_adds_the_networks_stops_to_rail_as_to_road(tmp_path):
    loaded = load(tmp_path, route=TM_ROUTE, teu=40000)  # about a train a day: a tight mean
    route = loaded.routes["f"]
    km = {
        c: sum(leg.link.km_by_country.get(c, 0) for leg in route.legs) for c in ("TM", "AF", "KZ")
    }
    # Turkmen rail: Turkmen Railways' 60.5 h from Serhetyaka to Serhetabat (S192) less
    # moving there at 29.3 km/h; Kazakh rail: KTZ's 941 km a day with stops (S115) at
    # the 57.9 km/h moving speed, and the new Afghan line as Kazakhstan's; Pakistan's
    # schedule speed has its stops already
    net = loaded.network
    line = [
        net.link(f"{a}-{b}:rail")
        for a, b in (("SYK", "BRK"), ("BRK", "ASB"), ("ASB", "MRY"), ("MRY", "SRB"))
    ]
    line_km = sum(x.km for x in line)
    turkmen = (60.5 - line_km / 29.3) / line_km * 100
    assert turkmen == pytest.approx(0.637, abs=0.001)  # as the network file says
    ktz = 100 / (941 / 24) - 100 / 57.9
    expected = km["TM"] / 100 * turkmen + (km["AF"] + km["KZ"]) / 100 * ktz
    assert route.stop_hours == pytest.approx(expected, rel=1e-3)
    assert route.expected_hours == pytest.approx(
        route.running_hours + route.stop_hours + route.border_hours + route.transfer_hours
    )
    s = summarize(run(loaded))
    (f,) = s.flows
    # about 80 trains, each drawing its stops link by link (gamma, CV 0.71; about 0.3 for
    # a train's sum): the mean is within 2.5 standard errors, 8.5%
    assert f.breakdown_hours["en_route_delay"] == pytest.approx(expected, rel=0.085)
    assert not any("no en-route stop figure" in w for w in s.warnings)


def test_moving_basis_has_no_stops_and_no_warning(tmp_path):
    loaded = load(tmp_path, ops="speed_basis: moving", route=TM_ROUTE)
    assert loaded.routes["f"].stop_hours == 0
    s = summarize(run(loaded))
    assert s.flows[0].breakdown_hours["en_route_delay"] == 0
    assert not any("speed basis" in w for w in s.warnings)


def test_with_delay_runs_at_cpmm_speeds_with_delay_where_given(tmp_path):
    loaded = load(tmp_path, ops="speed_basis: with_delay", route=TM_ROUTE)
    link = loaded.network.link("SRB-MRY:rail")
    assert link.speed_by_country["TM"] == 13.9  # CPMM rail SWD, 2022
    assert loaded.network.link("KHI-PQA:rail").speed_by_country["PK"] == 33.0  # no SWD
    assert loaded.routes["f"].stop_hours == 0
    plan = Plan.build(loaded)
    assert any("no speed with delay (CPMM SWD)" in n and "rail in PK" in n for n in plan.notes)


def test_the_scenarios_own_stops_apply_on_any_basis(tmp_path):
    ops = "speed_basis: moving, en_route_delay_hours_per_100km: {rail: {KZ: 2}}"
    loaded = load(tmp_path, ops=ops, route=TM_ROUTE)
    route = loaded.routes["f"]
    kz_km = sum(leg.link.km_by_country.get("KZ", 0) for leg in route.legs)
    assert route.stop_hours == pytest.approx(kz_km / 100 * 2)


def test_the_basis_decides_the_route_by_expected_time(tmp_path):
    """Stops count when routes are ranked: the fastest route is the fastest with them."""
    for ops in ("", "speed_basis: moving"):
        loaded = load(tmp_path, ops=ops)
        from corridorsim.network.routes import candidate_routes

        ranked = candidate_routes(loaded.network, "KHI", "ALA", k=3, modes=["rail"])
        assert loaded.routes["f"].link_ids == ranked[0].link_ids
        assert [r.expected_hours for r in ranked] == sorted(r.expected_hours for r in ranked)


def test_a_country_without_a_stop_figure_is_said_not_taken_as_zero():
    """Iran's rail and road have no en-route stop figure: a route through them is told
    so, by mode and country, with the field that would set one."""
    from corridorsim.scenario.speed_basis import missing_figures

    loaded = load_scenario("khaf-herat")
    defaults = loaded.network.spec.defaults
    (said,) = missing_figures(loaded.scenario, defaults, {("rail", "IR"), ("rail", "KZ")})
    assert "no en-route stop figure" in said
    assert "rail in IR" in said
    assert "rail in KZ" not in said  # KTZ's 941 km a day gives Kazakhstan's
    assert "operations.en_route_delay_hours_per_100km" in said


def test_uzbek_rail_runs_as_uzbek_railways_express(tmp_path):
    """Uzbekistan's rail stops come from Uzbek Railways' express, Tashkent to Hairatan in
    two days (S193): less the Hairatan crossing's hours and the line's moving time, the
    rest is stops; computed here from the network's own distances and hours."""
    loaded = load(tmp_path)
    net = loaded.network
    line = [net.link(ref) for ref in ("TAS-QRS:rail", "QRS-TMZ:rail")]
    km = sum(x.km for x in line)
    moving = sum(x.running_hours for x in line)
    crossing = net.crossing_hours(net.link("TMZ-HRT:rail"))
    # moving as the line's passenger train, Tashkent 19:50 to Termez 09:40 (S197)
    assert moving == pytest.approx(13 + 50 / 60, abs=0.01)
    per_100km = (48 - crossing - moving) / km * 100
    assert per_100km == pytest.approx(3.40, abs=0.005)  # as the network file says
    assert sum(net.stop_hours(x) for x in line) == pytest.approx(48 - crossing - moving, rel=1e-3)


@pytest.mark.parametrize(
    ("country", "leg", "crossing_hours", "posts"),
    [
        # CPMM 2022 average road crossing in each country (fact sheet, S102-S104), and the
        # number of that country's posts on the corridor's road through it
        ("UZ", ("TMZ", "QRS", "SKD", "TAS", "KLS"), 4.2, 2),
        ("KZ", ("SRY", "CIT", "ALA"), 4.3, 1),
        ("TM", ("SRB", "MRY", "TKB", "FRP"), 10.1, 2),
    ],
)
def test_central_asian_road_stops_are_cpmms_delay_less_its_border_time(
    country, leg, crossing_hours, posts
):
    """Road stops in Uzbekistan, Kazakhstan and Turkmenistan: CPMM's time with delay over
    the corridor's leg less running at CPMM's speed without delay and less the country's
    posts on the leg (half its average crossing each), per 100 km; recomputed here from
    the network's km and speeds, not read from the network file's note."""
    from corridorsim.network.files import read_network_file

    spec, _ = read_network_file()
    links = {(x.from_, x.to): x for x in spec.links if x.mode == "road"}
    km = sum(links[a, b].km for a, b in pairwise(leg))
    swod = spec.defaults.speed_kmh["road"][country].value
    swd = spec.defaults.speed_with_delay_kmh["road"][country].value
    stops = km / swd - km / swod - posts * crossing_hours / 2
    expected = stops / km * 100
    assert 0 < expected < 100 / swd - 100 / swod  # below the upper bound, above none
    rate = spec.defaults.en_route_delay_hours_per_100km["road"][country].value
    assert rate.mean == pytest.approx(expected, rel=2e-3)
