"""``compare`` answers like for like: flows are compared between the same origin and
destination, and the comparison says which pairs it compared and which it left out."""

from __future__ import annotations

import json

from corridorsim.network.files import builtin_network
from corridorsim.scenario import load_scenario

from .conftest import SCENARIOS


def write(path, name, flows, reps=2):
    lines = [f"name: {name}", "demand:"]
    lines += [
        f"  - {{id: {i}, origin: {o}, destination: {d}, teu_per_year: 300, modes: [road]}}"
        for i, o, d in flows
    ]
    lines.append(f"simulation: {{horizon_days: 60, warmup_days: 10, replications: {reps}}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def compare(cli, tmp_path, *paths, extra=()):
    res = cli("compare", *map(str, paths), "--quiet", "--out", str(tmp_path / "cmp"), *extra)
    assert res.returncode == 0, res.stderr
    c = json.loads((tmp_path / "cmp" / "compare.json").read_text(encoding="utf-8"))
    md = (tmp_path / "cmp" / "report.md").read_text(encoding="utf-8")
    return res, c, md


def test_pairs_by_origin_and_destination_and_warns_about_the_rest(cli, tmp_path):
    a = write(tmp_path / "a.yaml", "a", [("one", "KHI", "TAS"), ("two", "KHI", "ALA")])
    b = write(tmp_path / "b.yaml", "b", [("uno", "KHI", "TAS"), ("tres", "KHI", "SKD")])
    res, c, md = compare(cli, tmp_path, a, b)
    assert [d["flow"] for d in c["differences"]] == ["uno"]  # KHI → TAS only
    assert c["compared_pairs"] == ["KHI → TAS"]
    text = " ".join(c["warnings"])
    assert "b has origin–destination pairs that a lacks (KHI → SKD): not compared" in text
    assert "a has origin–destination pairs that b lacks (KHI → ALA): not compared" in text
    assert "KHI → SKD" in res.stdout
    assert "Compared only on the origin–destination pairs they share (KHI → TAS)" in res.stdout
    assert "## Warnings" in md


def test_several_flows_between_the_same_places_each_meet_the_baseline(cli, tmp_path):
    """Rail against today's trucks: one rail flow to Almaty, two truck routes there."""
    a = write(tmp_path / "a.yaml", "a", [("rail", "KHI", "ALA")])
    b = write(tmp_path / "b.yaml", "b", [("via-x", "KHI", "ALA"), ("via-y", "KHI", "ALA")])
    _, c, _ = compare(cli, tmp_path, a, b)
    assert [d["flow"] for d in c["differences"]] == ["via-x", "via-y"]
    assert {d["baseline"] for d in c["differences"]} == {"a"}
    # one box plot for the journey, whatever the flows are called
    plots = sorted(p.name for p in (tmp_path / "cmp" / "plots").glob("comparison_*"))
    assert plots == ["comparison_KHI-ALA.png"]
    # but a baseline with two flows there pairs them by name only
    _, c, _ = compare(cli, tmp_path, b, a, extra=("--force",))
    assert c["differences"] == []
    assert any("several flows between those places" in w for w in c["warnings"])


def test_no_pair_in_common_says_so(cli, tmp_path):
    a = write(tmp_path / "a.yaml", "a", [("one", "KHI", "TAS")], reps=1)
    b = write(tmp_path / "b.yaml", "b", [("two", "KHI", "SKD")], reps=1)
    _, c, md = compare(cli, tmp_path, a, b)
    assert c["compared_pairs"] == []
    assert "No origin–destination pair is in both scenarios" in md
    assert not list((tmp_path / "cmp" / "plots").glob("comparison_*"))  # no unlike box plot


def western_against_uap(cli, tmp_path, horizon_days):
    lines = (SCENARIOS / "western-rail.yaml", SCENARIOS / "uap-eastern.yaml")
    extra = ("--replications", "1", "--horizon-days", str(horizon_days))
    return compare(cli, tmp_path, *lines, extra=extra)


def test_western_and_uap_lines_are_compared_between_the_same_places(cli, tmp_path):
    _, c, md = western_against_uap(cli, tmp_path, 80)
    assert c["warnings"] == []
    assert c["compared_pairs"] == ["KHI → ALA", "ALA → KHI"]
    assert "Same origin–destination pairs in every scenario (KHI → ALA, ALA → KHI)" in md
    assert "· 1 replication each," in md  # not "1 replications"


def test_a_pair_with_nothing_delivered_is_said_not_compared(cli, tmp_path):
    _, c, _ = western_against_uap(cli, tmp_path, 40)
    assert "KHI → ALA" not in c["compared_pairs"]
    assert any(w.startswith("KHI → ALA is not compared: ") for w in c["warnings"])


def _kazakh_ends(path):
    loaded = load_scenario(path)
    net = loaded.network
    return {
        end
        for f in loaded.scenario.demand
        for end in (f.origin, f.destination)
        if net.node(end).country == "KZ"
    }


def test_every_route_scenario_to_kazakhstan_ends_at_the_named_destination():
    """Route scenarios answer "port to Kazakhstan" between the same places."""
    named = {
        d.node for d in builtin_network().destinations.values() if d.answers == "port to Kazakhstan"
    }
    assert named == {"ALA"}
    ends = {p.name: _kazakh_ends(p) for p in sorted(SCENARIOS.glob("*.yaml"))}
    to_kz = {name: e for name, e in ends.items() if e}
    assert {"western-rail.yaml", "uap-eastern.yaml", "gwadar.yaml", "today-road-tir.yaml"} <= set(
        to_kz
    )
    assert all(e == named for e in to_kz.values()), to_kz


def test_a_difference_in_shares_is_in_percentage_points(cli, tmp_path):
    from corridorsim.report.compare import points

    assert points(0.125, 0.03) == "+12.5 pp ± 3.0"
    assert points(-0.05) == "-5.0 pp"
    assert points(None) == "–"
    res, _, md = western_against_uap(cli, tmp_path, 80)
    assert "Δ within target (percentage points)" in md
    assert "within target +0.0 pp" in res.stdout


def test_the_comparison_does_not_depend_on_the_processes(cli, tmp_path):
    """compare spreads replications over every core by default; one process gives the
    same compare.json."""
    a = write(tmp_path / "a.yaml", "a", [("one", "KHI", "TAS"), ("two", "KHI", "ALA")], reps=3)
    b = write(tmp_path / "b.yaml", "b", [("uno", "KHI", "TAS")], reps=3)
    _, by_default, _ = compare(cli, tmp_path / "d", a, b)
    _, in_one, _ = compare(cli, tmp_path / "one", a, b, extra=("--jobs", "1"))
    assert by_default == in_one
    assert by_default["differences"]


def test_the_bottom_line_names_what_makes_the_difference():
    """Worked by hand: 81 h slower, of which the wait for a train +100 h against running
    -20 h; a 1 h border-queue difference is too small to name."""
    from types import SimpleNamespace

    from corridorsim.results.comparison import bottom_line

    b = SimpleNamespace(
        flow="trucks",
        distance_km=3800.0,
        breakdown_hours={
            "running": 100.0,
            "consolidation": 20.0,
            "port_dwell": 160.0,
            "border_queue": 5.0,
        },
    )
    f = SimpleNamespace(
        flow="rail",
        distance_km=6142.0,
        breakdown_hours={
            "running": 80.0,
            "consolidation": 120.0,
            "port_dwell": 160.0,
            "border_queue": 6.0,
        },
    )
    text = bottom_line(b, f, ("today", "planned"), 81.0)
    assert text == (
        "planned's rail is 3.4 days slower on average than today's trucks, mostly waiting "
        "for a train or truck +4.2 d; its route is 6,142 km against 3,800 km"
    )
    back = bottom_line(f, b, ("planned", "today"), -81.0)
    assert back.startswith("today's trucks is 3.4 days faster on average than planned's rail")
    assert "waiting for a train or truck -4.2 d" in back
    assert bottom_line(b, f, ("today", "planned"), None) == ""
