"""The built-in network against the fact sheet it was built from."""

from __future__ import annotations

import re

import pytest

from corridorsim.network.files import read_network_file, sources
from corridorsim.network.graph import great_circle_km

SPEC, _ = read_network_file(None)
NODES = {n.id: n for n in SPEC.nodes}
LINKS = {ls.id: ls for ls in SPEC.links}


def _link(a: str, b: str, mode: str):
    return LINKS.get(f"{a}-{b}:{mode}") or LINKS.get(f"{b}-{a}:{mode}")


# Section 1 of the fact sheet: every node id.
FACT_SHEET_NODES = [
    "KHI",
    "PQA",
    "GWD",
    "ROH",
    "SIB",
    "QTA",
    "CHM",
    "SBK",
    "KDH",
    "HEA",
    "ISQ",
    "KHF",
    "TGH",
    "SRB",
    "MRY",
    "ASB",
    "TKB",
    "BRK",
    "SYK",
    "BLS",
    "UZN",
    "AKT",
    "BEY",
    "PEW",
    "TKM",
    "JAA",
    "KBL",
    "MZR",
    "NBD",
    "HRT",
    "TMZ",
    "AQN",
    "IMN",
    "ADK",
    "KRK",
    "TAS",
    "SRY",
    "CIT",
    "ALA",
    "BHK",
    "FRP",
    "ALT",
    "KRL",
]

# Sourced (not estimated) lengths in the fact sheet, km: (from, to, mode, km).
FACT_SHEET_KM = [
    ("KHI", "PQA", "rail", 43),
    ("ROH", "MUX", "rail", 449),
    ("MUX", "LHE", "rail", 334),
    ("LHE", "RWP", "rail", 289),
    ("ROH", "SIB", "rail", 240),
    ("SIB", "QTA", "rail", 141),
    ("QTA", "CHM", "rail", 142),
    ("PEW", "TKM", "road", 50),
    ("TKA", "JAA", "road", 76),
    ("TMZ", "HRT", "rail", 15),
    ("HRT", "NBD", "rail", 75),
    ("SBK", "KDH", "rail", 96),
    ("KDH", "HEA", "rail", 737.5),
    ("KDH", "HEA", "road", 557),
    ("HEA", "TGH", "rail", 115),
    ("TGH", "SRB", "rail", 13),
    ("IMN", "AQN", "rail", 3),
    ("AQN", "ADK", "rail", 24),
    ("TKB", "KRK", "rail", 204),
    ("KRK", "IMN", "rail", 85),
    ("BRK", "SYK", "rail", 467),
    ("BLS", "UZN", "rail", 146),
    ("TMZ", "QRS", "rail", 325),
    ("BHK", "TAS", "rail", 600),
    ("KBL", "KDH", "road", 483),
    ("JAA", "KBL", "road", 143),
]

# Planned or under-construction segments of the fact sheet that a scenario can build.
PLANNED = [
    ("CHM", "SBK", "rail"),
    ("SBK", "KDH", "rail"),
    ("KDH", "HEA", "rail"),
    ("HEA", "TGH", "rail"),
    ("KHF", "HEA", "rail"),
    ("NBD", "MDS", "rail"),
    ("MDS", "PLA", "rail"),
    ("PLA", "KRL", "rail"),
    ("KRL", "KOH", "rail"),
    ("KOH", "PEW", "rail"),
]


def test_every_fact_sheet_node_is_present():
    missing = [n for n in FACT_SHEET_NODES if n not in NODES]
    assert not missing


def test_every_link_joins_existing_nodes():
    for ls in SPEC.links:
        assert ls.from_ in NODES, ls.id
        assert ls.to in NODES, ls.id


@pytest.mark.parametrize(("a", "b", "mode", "km"), FACT_SHEET_KM)
def test_sourced_distances_match_the_fact_sheet(a, b, mode, km):
    link = _link(a, b, mode)
    assert link is not None, f"{a}-{b}:{mode} missing"
    assert link.km == pytest.approx(km)
    assert link.estimate is None or "nominal" in link.estimate


@pytest.mark.parametrize(("a", "b", "mode"), PLANNED)
def test_planned_segments_are_present_and_not_operating(a, b, mode):
    link = _link(a, b, mode)
    assert link is not None, f"{a}-{b}:{mode} missing"
    assert link.status in ("planned", "under_construction")


def test_western_afghan_group_sums_to_the_sections_not_the_stated_687():
    total = sum(ls.km for ls in SPEC.links if "western-afghan" in ls.groups)
    assert total == pytest.approx(96 + 737.5 + 115)


def test_uap_afghan_segmentation_matches_the_fact_sheets_583_km():
    total = sum(ls.km for ls in SPEC.links if "uap-afghan" in ls.groups)
    assert total == pytest.approx(392 + 61 + 130)


def test_estimated_lengths_are_great_circle_times_the_stated_detour():
    checked = 0
    for ls in SPEC.links:
        if ls.detour is None:
            continue
        a, b = NODES[ls.from_], NODES[ls.to]
        expected = great_circle_km(a.lat, a.lon, b.lat, b.lon) * ls.detour
        assert ls.km == pytest.approx(expected, rel=0.02, abs=1.0), ls.id
        checked += 1
    assert checked > 30


def test_every_figure_is_sourced_or_marked_as_an_estimate():
    known = sources()
    figures = [*SPEC.nodes, *SPEC.links, *SPEC.terminals, *SPEC.destinations]
    for c in SPEC.crossings:
        figures += [*c.modes.values(), *c.observed]
        if c.capacity_trains_per_day is not None:
            figures.append(c.capacity_trains_per_day)
    for table in (SPEC.defaults.speed_kmh, SPEC.defaults.cost_usd_per_teu_km):
        for per_country in table.values():
            figures += list(per_country.values())
    for item in figures:
        assert item.source, f"{item} has no source"
        for s in item.source:
            assert re.fullmatch(r"S\d+", s), s
            assert s in known, f"{s} is not in sources.yaml"
    for ls in SPEC.links:
        if ls.detour is not None:
            assert ls.estimate, f"{ls.id} has a detour factor but no estimate note"


def test_border_crossings_are_first_class():
    ids = {c.id for c in SPEC.crossings}
    for cid in (
        "chaman",
        "torkham",
        "torghundi",
        "bolashak",
        "hairatan",
        "imamnazar",
        "farap-alat",
        "saryagash",
        "islam-qala",
    ):
        assert cid in ids
    chaman = next(c for c in SPEC.crossings if c.id == "chaman")
    assert chaman.modes["road"].hours == 54.0  # CPMM 2022 (S97)
    torkham = next(c for c in SPEC.crossings if c.id == "torkham")
    assert torkham.modes["road"].hours == 24.2  # CPMM 2022 (S97)
    assert {o.year for o in torkham.observed} >= {2020, 2021, 2022}


def test_every_border_link_names_a_crossing(net):
    """A land link between countries names its crossing; a sea link never does (the
    cargo clears at the ports), and every sea link joins two ports."""
    for link in net.links.values():
        ca, cb = net.nodes[link.a].country, net.nodes[link.b].country
        if link.mode == "sea":
            assert link.crossing is None, link.id
            assert {net.nodes[link.a].kind, net.nodes[link.b].kind} == {"port"}, link.id
            continue
        assert (ca != cb) == (link.crossing is not None), link.id


def test_gauge_breaks_in_the_data_have_terminals(net):
    # Derived from the data: nodes where rail links of two gauges meet.
    gauges: dict[str, set[int]] = {}
    for link in net.links.values():
        if link.mode == "rail":
            for end in (link.a, link.b):
                gauges.setdefault(end, set()).add(link.gauge_mm)
    breaks = {n for n, g in gauges.items() if len(g) > 1}
    assert breaks == {"CHM", "HEA", "KRL", "SRK"}
    for node in breaks:
        g1, g2 = sorted(gauges[node])
        assert net.gauge_terminal(node, g1, g2) is not None


def test_road_and_rail_between_the_same_places_coexist(net):
    edges = net.graph.get_edge_data("KDH", "HEA")
    assert set(edges) == {"KDH-HEA:rail", "KDH-HEA:road"}
    assert edges["KDH-HEA:road"]["km"] == 557


def test_km_by_country_of_khaf_herat_line():
    link = _link("KHF", "HEA", "rail")
    assert link.gauge_mm == 1435
    assert dict(link.km_by_country) == {"IR": 77, "AF": 143}


@pytest.mark.parametrize(
    ("origin", "destination", "observed_km", "source"),
    [
        ("KHI", "TAS", 3000, "NLC, S1, S2"),
        ("KHI", "TAS", 2760, "Uzbek Ministry of Transport, S5"),
        ("KHI", "ALA", 3800, "NLC, S1, S2"),
    ],
)
def test_road_routes_against_tir_trial_distances(net, origin, destination, observed_km, source):
    from corridorsim.network.routes import candidate_routes

    route = candidate_routes(net, origin, destination, k=1, modes=["road"], avoid=["chaman"])[
        0
    ]  # the trials went through Torkham
    print(
        f"{origin}–{destination} by road via Torkham: observed {observed_km} km ({source}),"
        f" network {route.distance_km:,.0f} km"
    )
    # the network's road lengths are mostly great-circle x detour estimates
    assert route.distance_km == pytest.approx(observed_km, rel=0.20)


def test_destinations_name_their_role_and_a_wrong_node_is_located(tmp_path):
    from corridorsim.errors import ScenarioError
    from corridorsim.network.files import load_network

    roles = {d.node: (d.role, d.answers) for d in SPEC.destinations}
    assert roles["ALA"] == ("market", "port to Kazakhstan")
    assert roles["BEY"][0] == "gateway"
    text = tmp_path / "net.yaml"
    from importlib import resources

    body = (resources.files("corridorsim.data") / "network.yaml").read_text(encoding="utf-8")
    text.write_text(body.replace("  - node: BEY\n", "  - node: BEYN\n"), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_network(text)
    assert "unknown node 'BEYN'; did you mean 'BEY'" in str(err.value)
    assert "net.yaml" in str(err.value)


def test_sources_cite_primary_pages_not_mirrors():
    """A Wikipedia article read through a mirror is cited at its own address (the mirror
    may be named after it, as provenance)."""
    import re

    from corridorsim.network.files import sources

    mirrors = (
        "wikimili", "piglix", "detailedpedia", "perceptio", "zproxy", "clateway", "yearis",
        "uncensored-wiki", "readtiger", "dob.jp", "wiki-org",
    )  # fmt: skip
    for sid, text in sources().items():
        urls = re.findall(r"https?://\S+", text)
        if urls:
            assert not any(m in urls[0] for m in mirrors), f"{sid}: {urls[0]}"
