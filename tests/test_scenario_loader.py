"""Loading scenarios: defaults, ``extends``, network changes and cross-checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridorsim.errors import ScenarioError
from corridorsim.scenario import default_scenario_path, load_scenario

from .conftest import SCENARIOS

BASE = """\
name: base
network:
  build: [western-rail]
demand:
  - {id: north, origin: KHI, destination: BEY, teu_per_year: 1000, modes: [rail]}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_scenario_loads(path):
    loaded = load_scenario(path)
    assert loaded.routes
    assert set(loaded.routes) == {f.name for f in loaded.scenario.demand}


def test_default_scenario_is_the_file_in_scenarios():
    assert default_scenario_path().resolve() == (SCENARIOS / "default.yaml").resolve()
    loaded = load_scenario()
    assert loaded.scenario.name == "default"
    route = loaded.routes["pk-to-kz"]
    assert [b.node for b in route.gauge_breaks] == ["CHM"]
    assert loaded.scenario.target.hours == 120


def test_defaults_fill_every_section(tmp_path):
    sc = load_scenario(write(tmp_path, "s.yaml", BASE)).scenario
    assert sc.simulation.replications == 10
    assert sc.target.percentile == 90
    assert sc.operations.train_capacity_teu[1520] == 97
    assert sc.demand[0].value_usd_per_teu == 54_500
    assert sc.borders.crossings == {}


def test_scenario_objects_are_frozen(tmp_path):
    sc = load_scenario(write(tmp_path, "s.yaml", BASE)).scenario
    with pytest.raises(Exception, match="frozen"):
        sc.name = "other"  # type: ignore[misc]


def test_tonnes_are_converted_to_teu(tmp_path):
    text = BASE.replace("teu_per_year: 1000", "tonnes_per_year: 50000, tonnes_per_teu: 25")
    flow = load_scenario(write(tmp_path, "s.yaml", text)).scenario.demand[0]
    assert flow.teu == pytest.approx(2000)


def test_extends_inherits_and_overrides(tmp_path):
    write(tmp_path, "base.yaml", BASE)
    child = write(
        tmp_path,
        "sub/child.yaml",
        "extends: ../base.yaml\nname: child\nsimulation: {replications: 3}\n",
    )
    sc = load_scenario(child).scenario
    assert sc.name == "child"
    assert sc.simulation.replications == 3
    assert sc.simulation.horizon_days == 365
    assert sc.network.build == ("western-rail",)
    assert sc.demand[0].name == "north"


def test_extends_chain_and_error_positions_in_the_right_file(tmp_path):
    write(tmp_path, "a.yaml", BASE)
    write(tmp_path, "b.yaml", "extends: a.yaml\nname: b\nsimulation: {seed: 5}\n")
    c = write(tmp_path, "c.yaml", "extends: b.yaml\nname: c\n\nsimulation: {seed: -1}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(c)
    (issue,) = info.value.issues
    assert Path(issue.file).name == "c.yaml"
    assert (issue.line, issue.field) == (4, "simulation.seed")


def test_error_in_inherited_part_points_at_the_parent(tmp_path):
    write(tmp_path, "a.yaml", BASE.replace("origin: KHI", "origin: KHX"))
    c = write(tmp_path, "c.yaml", "extends: a.yaml\nname: c\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(c)
    (issue,) = info.value.issues
    assert Path(issue.file).name == "a.yaml"
    assert issue.line == 5
    assert "'KHI'" in issue.message


def test_network_changes_build_close_and_modify(tmp_path):
    text = (
        BASE
        + """\
  - {id: road, origin: KHI, destination: KBL, teu_per_year: 10, modes: [road]}
"""
    )
    text = text.replace(
        "  build: [western-rail]\n",
        """\
  build: [western-rail]
  links:
    "HEA-KDH:rail": {speed_kmh: 100}
  close_crossings: [torkham]
""",
    )
    loaded = load_scenario(write(tmp_path, "s.yaml", text))
    net = loaded.network
    assert net.link("KDH-HEA:rail").status == "operating"
    assert net.link("KDH-HEA:rail").speed_by_country == {"AF": 100}
    assert net.crossings["torkham"].closed
    road = loaded.routes["road"]
    assert "torkham" not in [c for c, _ in road.crossings]
    assert "chaman" in [c for c, _ in road.crossings]


def test_alignment_km_scales_the_group(tmp_path):
    text = BASE.replace(
        "  build: [western-rail]\n",
        "  build: [western-rail]\n  alignment_km: {western-afghan: 687}\n",
    )
    net = load_scenario(write(tmp_path, "s.yaml", text)).network
    group = [ln for ln in net.links.values() if "western-afghan" in ln.spec.groups]
    assert sum(ln.km for ln in group) == pytest.approx(687)
    assert net.link("SBK-KDH:rail").km == pytest.approx(96 * 687 / 948.5)


def test_speed_and_crossing_overrides_change_expected_time(tmp_path):
    base = load_scenario(write(tmp_path, "a.yaml", BASE)).routes["north"]
    text = BASE + "  \n".replace("  \n", "") + ""
    text = BASE.replace(
        "  build: [western-rail]\n",
        """\
  build: [western-rail]
  speeds_kmh: {rail: {TM: 58.6}}
  crossing_hours: {chaman: {rail: 0.6}}
""",
    )
    faster = load_scenario(write(tmp_path, "b.yaml", text)).routes["north"]
    tm_km = base.km_by_country["TM"]
    saved = tm_km / 29.3 - tm_km / 58.6 + (10.5 - 0.6)  # Chaman rail: 10.5 h by default
    assert base.expected_hours - faster.expected_hours == pytest.approx(saved)


def test_added_nodes_links_terminals_make_a_new_route(tmp_path):
    text = BASE.replace(
        "  build: [western-rail]\n",
        """\
  build: [western-rail]
  add_nodes:
    - {id: GWR, name: Gwadar rail terminal, country: PK, kind: terminal, lat: 25.13, lon: 62.33,
       estimate: hypothetical}
  add_links:
    - {from: GWR, to: QTA, mode: rail, gauge_mm: 1676, km: 946, status: planned,
       estimate: "road distance used for a hypothetical line"}
""",
    ).replace("origin: KHI", "origin: GWR")
    text = text.replace("  build: [western-rail]\n", "  build: [western-rail, GWR-QTA:rail]\n")
    route = load_scenario(write(tmp_path, "s.yaml", text)).routes["north"]
    assert route.legs[0].link.id == "GWR-QTA:rail"


def test_fixed_route_is_followed(tmp_path):
    text = """\
name: fixed
demand:
  - origin: KHI
    destination: TAS
    teu_per_year: 100
    route: [KHI, PQA, ROH, MUX, LHE, RWP, PEW, TKM, TKA, JAA, KBL, MZR, HRT, TMZ, QRS, TAS]
"""
    route = load_scenario(write(tmp_path, "s.yaml", text)).routes["KHI-TAS"]
    assert route.nodes[:3] == ("KHI", "PQA", "ROH")
    assert [c for c, _ in route.crossings] == ["torkham", "hairatan"]


def test_every_problem_is_reported_at_once(tmp_path):
    text = """\
name: many
demand:
  - {origin: KHX, destination: BEY, teu_per_year: 1}
  - {origin: KHI, destination: BEZ, teu_per_year: 1}
borders:
  crossings: {nowhere: {road: {}}}
"""
    with pytest.raises(ScenarioError) as info:
        load_scenario(write(tmp_path, "s.yaml", text))
    fields = [i.field for i in info.value.issues]
    assert fields == ["demand[0].origin", "demand[1].destination", "borders.crossings.nowhere"]


def test_own_network_file(tmp_path):
    from corridorsim.network.files import _builtin_path

    own = _builtin_path().read_text(encoding="utf-8")
    assert own.count("Karachi Port (Kiamari)") == 1
    write(tmp_path, "nets/mine.yaml", own.replace("Karachi Port (Kiamari)", "Karachi (my copy)"))
    text = BASE.replace("network:\n", "network:\n  file: nets/mine.yaml\n")
    loaded = load_scenario(write(tmp_path, "s.yaml", text))
    assert loaded.network.node("KHI").name == "Karachi (my copy)"  # the user's file, read
    bad = BASE.replace("network:\n", "network:\n  file: nets/none.yaml\n")
    with pytest.raises(ScenarioError, match="network file not found"):
        load_scenario(write(tmp_path, "t.yaml", bad))


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_scenario_runs(path):
    from corridorsim.experiments import run
    from corridorsim.results import summarize

    summary = summarize(run(path, replications=1, horizon_days=60))
    assert [f.flow for f in summary.flows] == [f.name for f in load_scenario(path).scenario.demand]
    assert summary.scenario_hash


def test_extends_a_list_later_files_override_earlier(tmp_path):
    """ "Best case + security disruptions" without copying either file."""
    from corridorsim.errors import ScenarioError
    from corridorsim.scenario import load_scenario

    from .conftest import SCENARIOS

    both = tmp_path / "both.yaml"
    both.write_text(
        f"extends: [{SCENARIOS / 'security-disruptions.yaml'}, "
        f"{SCENARIOS / 'western-rail-best-case.yaml'}]\nname: best-and-disrupted\n",
        encoding="utf-8",
    )
    sc = load_scenario(both).scenario
    assert sc.disruptions.observed_closures == ("chaman", "torkham")  # from the first
    assert sc.operations.departure.policy == "timetable"  # from the second
    assert sc.description.startswith("Western line with one-stop customs")  # later wins
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        f"extends: [{SCENARIOS / 'western-rail.yaml'}, nowhere.yaml]\nname: bad\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(bad)
    assert "bad.yaml:1" in str(err.value)
    assert "extends[1]" in str(err.value)
    assert "file not found: nowhere.yaml" in str(err.value)


def test_a_child_that_makes_another_choice_replaces_the_parents_mapping(tmp_path):
    child = tmp_path / "child.yaml"
    child.write_text(
        f"extends: {SCENARIOS / 'western-rail-best-case.yaml'}\nname: child\n"
        "operations:\n  departure: {policy: when_full, max_wait_hours: 12}\n"
        "ports:\n  dwell_hours:\n    KHI: {dist: fixed, value: 30}\n",
        encoding="utf-8",
    )
    sc = load_scenario(child).scenario
    assert sc.operations.departure.policy == "when_full"  # the timetable's times are gone
    assert sc.operations.departure.max_wait_hours == 12
    assert sc.ports.dwell_hours["KHI"].mean == 30  # the lognormal's sigma is gone
    assert sc.operations.train_capacity_teu[1676] == 75  # siblings still merge


def test_built_in_scenarios_are_found_by_name_and_said_where_not(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # outside the repository: no scenarios/ here
    assert load_scenario("western-rail-best-case").scenario.name == "western-rail-best-case"
    assert load_scenario("gwadar.yaml").scenario.name == "gwadar"
    assert load_scenario("builtin:uap-eastern").scenario.name == "uap-eastern"
    own = tmp_path / "mine.yaml"
    own.write_text(
        "extends: [western-rail.yaml, builtin:security-disruptions]\nname: mine\n",
        encoding="utf-8",
    )
    sc = load_scenario(own).scenario
    assert sc.disruptions.observed_closures == ("chaman", "torkham")
    with pytest.raises(ScenarioError) as err:
        load_scenario("western-rial")
    assert f"file not found (looked in {tmp_path} and the built-in scenarios: default," in str(
        err.value
    )
    (tmp_path / "bad.yaml").write_text("extends: builtin:nothere\nname: b\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"file not found: builtin:nothere \(the built-in"):
        load_scenario(tmp_path / "bad.yaml")


def test_every_shipped_flow_says_how_its_volume_was_derived():
    from corridorsim.scenario.builtins import builtin_names

    for name in builtin_names():
        for flow in load_scenario(name).scenario.demand:
            assert len(flow.derivation) > 20, f"{name}: {flow.name}"
