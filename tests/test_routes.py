"""Route queries on a small hand-made network whose answers are worked out by hand.

    A ──rail 1000 mm, 100 km @50──▶ B ──rail 1000 mm, 100 km @50──▶ C
    A ─────────────── road 150 km @30 ───────────────────────────▶ C
    C ══ border X ══ rail 1520 mm 60 km @60 (+3 h) / road 30 km @30 (+1 h) ══ D
    D ── rail 1520 mm 120 km @60 / road 90 km @45 ── E

Gauge terminal at C: 4–6 h (5 h expected). Rail–road transfer anywhere: 2 h.
"""

from __future__ import annotations

import pytest

from corridorsim.errors import NetworkError, NoRouteError
from corridorsim.network import CorridorNetwork, candidate_routes, route_through
from corridorsim.network.spec import NetworkSpec

SPEC = NetworkSpec.model_validate(
    {
        "defaults": {
            "speed_kmh": {
                "rail": {"XX": {"value": 50}, "YY": {"value": 60}},
                "road": {"XX": {"value": 30}, "YY": {"value": 45}},
            }
        },
        "nodes": [
            {"id": i, "name": i, "country": c, "kind": "station", "lat": 0, "lon": k}
            for k, (i, c) in enumerate(
                [("A", "XX"), ("B", "XX"), ("C", "XX"), ("D", "YY"), ("E", "YY")]
            )
        ],
        "links": [
            {"from": "A", "to": "B", "mode": "rail", "gauge_mm": 1000, "km": 100},
            {"from": "B", "to": "C", "mode": "rail", "gauge_mm": 1000, "km": 100},
            {"from": "A", "to": "C", "mode": "road", "km": 150},
            {
                "from": "C",
                "to": "D",
                "mode": "rail",
                "gauge_mm": 1520,
                "km": 60,
                "speed_kmh": 60,
                "crossing": "X",
            },
            {"from": "C", "to": "D", "mode": "road", "km": 30, "speed_kmh": 30, "crossing": "X"},
            {"from": "D", "to": "E", "mode": "rail", "gauge_mm": 1520, "km": 120},
            {"from": "D", "to": "E", "mode": "road", "km": 90},
        ],
        "crossings": [
            {
                "id": "X",
                "name": "X",
                "posts": [{"country": "XX", "name": "x"}, {"country": "YY", "name": "y"}],
                "modes": {"rail": {"hours": 3}, "road": {"hours": 1}},
            }
        ],
        "terminals": [
            {
                "node": "C",
                "kind": "gauge",
                "gauges_mm": [1000, 1520],
                "hours_per_train": {"low": 4, "high": 6},
            }
        ],
    }
)


@pytest.fixture
def toy() -> CorridorNetwork:
    return CorridorNetwork(SPEC, intermodal_hours=2.0)


def test_k_fastest_routes_in_order(toy):
    routes = candidate_routes(toy, "A", "E", k=3)
    assert [r.expected_hours for r in routes] == pytest.approx([9.0, 10.0, 11.0])
    road, rail_then_road, road_then_rail = routes
    assert road.link_ids == ("A-C:road", "C-D:road", "D-E:road")
    assert road.distance_km == 270
    assert rail_then_road.link_ids == ("A-B:rail", "B-C:rail", "C-D:road", "D-E:road")
    assert [m.node for m in rail_then_road.mode_changes] == ["C"]
    assert road_then_rail.link_ids == ("A-C:road", "C-D:road", "D-E:rail")
    assert road_then_rail.transfer_hours == pytest.approx(2.0)


def test_all_routes_enumerated_by_hand(toy):
    routes = candidate_routes(toy, "A", "E", k=20)
    assert [r.expected_hours for r in routes] == pytest.approx([9, 10, 11, 12, 13, 15, 15, 17])
    for r in routes:
        assert len(set(r.nodes)) == len(r.nodes)


def test_rail_only_route_derives_the_gauge_break(toy):
    (route,) = candidate_routes(toy, "A", "E", k=5, modes=["rail"])
    assert route.running_hours == pytest.approx(2 + 2 + 1 + 2)
    assert route.border_hours == pytest.approx(3)
    assert route.transfer_hours == pytest.approx(5)
    assert route.expected_hours == pytest.approx(15)
    assert [(b.node, b.from_gauge, b.to_gauge) for b in route.gauge_breaks] == [("C", 1000, 1520)]
    assert route.crossings == (("X", "rail"),)
    assert route.km_by_country == pytest.approx({"XX": 230, "YY": 150})
    assert route.distance_km == 380


def test_reverse_direction_breaks_gauge_the_other_way(toy):
    (route,) = candidate_routes(toy, "E", "A", modes=["rail"])
    assert [(b.from_gauge, b.to_gauge) for b in route.gauge_breaks] == [(1520, 1000)]
    assert route.expected_hours == pytest.approx(15)


def test_gauge_filter(toy):
    with pytest.raises(NoRouteError, match="gauges 1000 mm"):
        candidate_routes(toy, "A", "E", modes=["rail"], gauges=[1000])
    routes = candidate_routes(toy, "A", "E", k=10, gauges=[1520])
    assert all(leg.gauge_mm in (None, 1520) for r in routes for leg in r.legs)


def test_closed_crossing_leaves_no_route():
    closed = CorridorNetwork(SPEC, closed_crossings=["X"])
    with pytest.raises(NoRouteError):
        candidate_routes(closed, "A", "E")


def test_closed_link_is_avoided():
    net = CorridorNetwork(SPEC, intermodal_hours=2.0, closed_links=["C-D:road"])
    best = candidate_routes(net, "A", "E", k=1)[0]
    assert "C-D:road" not in best.link_ids
    assert best.expected_hours == pytest.approx(13)  # road to C, transfer, rail over X


def test_planned_links_need_the_status_filter():
    spec = SPEC.model_copy(
        update={
            "links": tuple(
                ls.model_copy(update={"status": "planned"}) if ls.id == "A-C:road" else ls
                for ls in SPEC.links
            )
        }
    )
    net = CorridorNetwork(spec, intermodal_hours=2.0)
    assert candidate_routes(net, "A", "E")[0].expected_hours == pytest.approx(10)
    as_built = candidate_routes(net, "A", "E", statuses=("operating", "planned"))
    assert as_built[0].expected_hours == pytest.approx(9)


def test_route_through_fixed_nodes_picks_the_fastest_modes(toy):
    route = route_through(toy, ["A", "B", "C", "D", "E"])
    assert route.link_ids == ("A-B:rail", "B-C:rail", "C-D:road", "D-E:road")
    assert route.expected_hours == pytest.approx(10)
    with pytest.raises(NoRouteError, match="no usable link from A to B"):
        route_through(toy, ["A", "B", "C"], modes=["road"])


def test_unknown_node_names_close_matches(toy):
    with pytest.raises(NetworkError, match="did you mean"):
        candidate_routes(toy, "A", "EE")


def test_link_lookup_either_direction(toy):
    assert toy.link("B-A:rail").id == "A-B:rail"
    with pytest.raises(NetworkError):
        toy.link("A-E:rail")


def test_builtin_today_has_no_rail_route_to_kazakhstan(net):
    with pytest.raises(NoRouteError):
        candidate_routes(net, "KHI", "BEY", modes=["rail"])


def test_builtin_western_rail_as_if_built(net):
    route = candidate_routes(
        net, "KHI", "BEY", modes=["rail"], statuses=("operating", "planned", "under_construction")
    )[0]
    assert [b.node for b in route.gauge_breaks] == ["CHM"]
    assert [c for c, _ in route.crossings] == ["chaman", "torghundi", "bolashak"]
    assert route.distance_km == pytest.approx(
        43
        + 437
        + 240
        + 141
        + 142
        + 13
        + 96
        + 737.5
        + 115
        + 13
        + 315
        + 367
        + 345
        + 467
        + 1
        + 146
        + 354
    )
    assert set(route.km_by_country) == {"PK", "AF", "TM", "KZ"}


def test_route_choice_uses_the_scenarios_border_times(tmp_path):
    """Chaman's processing decides between the Chaman and Torkham roads from Karachi to
    Tashkent: at 100 h a post the route goes through Torkham, at an hour through Chaman,
    which is then also the faster as simulated."""
    from corridorsim.experiments import run
    from corridorsim.scenario import load_scenario

    def scenario(name, extra, route=""):
        path = tmp_path / f"{name}.yaml"
        path.write_text(
            f"name: {name}\ndemand:\n  - {{origin: KHI, destination: TAS, teu_per_year: 500, "
            f"modes: [road]{route}}}\n{extra}"
            "simulation: {horizon_days: 120, warmup_days: 20, replications: 2}\n",
            encoding="utf-8",
        )
        return path

    fast_chaman = (
        "borders: {crossings: {chaman: {road: {exit: {processing_hours: 1}, "
        "entry: {processing_hours: 1}}}}}\n"
    )
    slow_chaman = fast_chaman.replace("processing_hours: 1}", "processing_hours: 100}")
    plain = load_scenario(scenario("plain", slow_chaman))
    assert "torkham" in {c for c, _ in plain.routes["KHI-TAS"].crossings}
    cut = load_scenario(scenario("cut", fast_chaman))
    chosen = cut.routes["KHI-TAS"]
    assert "chaman" in {c for c, _ in chosen.crossings}
    torkham_route = ", route: [" + ", ".join(plain.routes["KHI-TAS"].nodes) + "]"
    forced = scenario("forced", fast_chaman, torkham_route)
    simulated_chosen = run(cut).delivered["transit_h"].mean()
    simulated_forced = run(forced).delivered["transit_h"].mean()
    assert simulated_chosen < simulated_forced


def test_no_route_says_which_end_has_no_link_of_the_mode(net):
    """Before: "no route from GWD to ALA" and nothing on why (Gwadar has no railway)."""
    with pytest.raises(NoRouteError, match=r"\(GWD has no rail link: only road, sea\)"):
        candidate_routes(net, "GWD", "ALA", modes=["rail"])
    # Kandahar's railway is planned: not in the operating network
    with pytest.raises(NoRouteError, match=r"\(KDH's rail links are planned\)"):
        candidate_routes(net, "KHI", "KDH", modes=["rail"])


def test_network_says_why_it_lists_fewer_routes_than_asked(cli):
    res = cli("network", "-k", "3")
    assert res.returncode == 0
    assert (
        "the 2 fastest candidates (of 3 asked for: no other route without a repeated place "
        "joins them by rail on operating links):" in res.stdout
    )
