"""Every figure that sets a calibrated post is backed by the words of the fact sheet's
row that cites its source: the figure appears in the quoted words, the quoted words in a
row of ``shared/reference/corridor_facts.md`` that names the source, and a target made
of several figures is their sum. (Before: the western line was given the Uzbekistan–
Afghanistan–Pakistan line's 20 Mt/yr design capacity as its own.)"""

from __future__ import annotations

import re

import pytest

from corridorsim.calibration import Evidence, read_targets
from corridorsim.errors import CorridorSimError

from .conftest import ROOT

FACT_SHEET = ROOT.parent / "shared" / "reference" / "corridor_facts.md"
TARGETS = read_targets().targets


def _rows() -> list[str]:
    if not FACT_SHEET.is_file():
        pytest.skip(f"the fact sheet is not beside the repository ({FACT_SHEET})")
    text = FACT_SHEET.read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.startswith("|")]


def _all_evidence() -> list[tuple[str, Evidence]]:
    found = []
    for t in TARGETS:
        name = f"{t.crossing}/{t.mode}/{t.direction}"
        found += [(name, e) for e in t.evidence]
        if t.traffic_evidence is not None:
            found.append((f"{name} traffic", t.traffic_evidence))
        if t.resource is not None:
            found.append((f"{name} resource rate", t.resource.rate))
    return found


def _described(source: str) -> str:
    """The description of a source the project added beyond the fact sheet (sources.yaml)."""
    import yaml

    sources = yaml.safe_load((ROOT / "src/corridorsim/data/sources.yaml").read_text("utf-8"))
    return str(sources.get(source, ""))


def _number_in(figure: float, words: str) -> bool:
    numbers = {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", words)}
    return figure in numbers


def test_every_target_has_evidence_that_adds_up_to_it():
    assert TARGETS
    for t in TARGETS:
        assert t.evidence, f"{t.crossing}/{t.mode}/{t.direction} has no evidence"
        assert sum(e.hours for e in t.evidence) == pytest.approx(t.observed_hours, abs=0.05)
        cited = set(t.source) | set(t.hours_source)
        assert {e.source for e in t.evidence} <= cited, "evidence from a source not cited"


@pytest.mark.parametrize(("name", "evidence"), _all_evidence(), ids=lambda x: str(x)[:40])
def test_each_figure_is_in_its_quote_and_the_quote_in_a_row_citing_its_source(name, evidence):
    assert _number_in(evidence.figure, evidence.quote), (name, evidence.quote)
    if evidence.quote in _described(evidence.source):
        return  # a source the project added, whose description quotes it
    rows = [r for r in _rows() if evidence.quote in r]
    assert rows, f"{name}: no row of the fact sheet says {evidence.quote!r}"
    assert any(
        evidence.source in re.findall(r"S\d+", r) or _in_range(evidence.source, r) for r in rows
    ), f"{name}: the rows saying {evidence.quote!r} do not cite {evidence.source}"


def _in_range(source: str, row: str) -> bool:
    """``S104`` in a row that cites ``S104–S105`` or ``S101–S104``."""
    n = int(source[1:])
    return any(int(a) <= n <= int(b) for a, b in re.findall(r"S(\d+)[–-]S(\d+)", row))


def test_a_target_that_does_not_add_up_is_refused_naming_its_parts(tmp_path):
    bad = tmp_path / "targets.yaml"
    bad.write_text(
        "targets:\n"
        "  - {crossing: x, mode: rail, direction: AA-BB, observed_hours: 5.0, year: 2022,"
        " source: [S103, S106], evidence: [{figure: 3.7, source: S103, quote: 'rail 3.7 h'},"
        " {figure: 60, unit: min, source: S106, quote: 'takes 60 min'}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(CorridorSimError) as err:
        read_targets(bad)
    text = str(err.value)
    assert "observed_hours 5 is not what its evidence adds up to" in text
    assert "3.7 h (S103) + 60 min (S106) = 4.7 h" in text


def test_no_text_gives_the_western_line_the_uap_lines_capacity():
    """The 15–20 Mt/yr design capacity is the Uzbekistan–Afghanistan–Pakistan line's
    (fact sheet, UAP row); where the western line borrows it, it says so."""
    wrong = re.compile(r"western line's (design capacity|20 Mt)|western line at its 15")
    files = [
        *(ROOT / "src" / "corridorsim").rglob("*.yaml"),
        *(ROOT / "scenarios").rglob("*.yaml"),
        *(ROOT / "docs").glob("*.md"),
        ROOT / "README.md",
    ]
    offenders = [str(p) for p in files if wrong.search(p.read_text(encoding="utf-8"))]
    assert not offenders
    for t in TARGETS:
        if t.crossing == "chaman" and t.mode == "rail":
            assert "analogue" in t.traffic_note
            assert "S40" in t.traffic_note


def test_the_evidence_model_converts_minutes():
    e = Evidence(figure=60, unit="min", source="S106", quote="takes 60 min")
    assert e.hours == 1.0


def _background_entries() -> list[tuple[str, dict]]:
    import yaml

    net = yaml.safe_load((ROOT / "src/corridorsim/data/network.yaml").read_text("utf-8"))
    found = []
    for c in net["crossings"]:
        for mode, m in c["modes"].items():
            for direction, bg in (m.get("background_per_day") or {}).items():
                if bg.get("source"):
                    found.append((f"{c['id']}/{mode}/{direction}", bg))
    return found


@pytest.mark.parametrize(("name", "bg"), _background_entries(), ids=lambda x: str(x)[:30])
def test_each_sourced_background_traffic_is_in_its_sources_words(name, bg):
    """The traffic that sets each calibrated post's queue: its quoted words (or, where
    it quotes none, its first figure) are in a fact-sheet row citing one of its sources,
    or in the description of a source the project added (sources.yaml)."""
    import yaml

    text = bg["estimate"]
    if text.startswith("as many "):  # the other direction's figure, returning
        return
    quoted = re.findall(r"'([^']+)'", text)
    numbers = re.findall(r"\d[\d,]*(?:\.\d+)?", text)
    words = quoted[0] if quoted else numbers[0]
    sources = yaml.safe_load((ROOT / "src/corridorsim/data/sources.yaml").read_text("utf-8"))
    cited_rows = [r for r in _rows() if any(s in re.findall(r"S\d+", r) for s in bg["source"])]
    described = [str(sources.get(s, "")) for s in bg["source"]]
    assert any(words in r for r in cited_rows + described), (
        f"{name}: {words!r} is in no row citing {bg['source']}"
    )


def test_each_resource_names_sources_that_describe_it():
    """A resource's servers come from a source that describes them (a scanner's
    installation), or say they are an estimate; its what names the servers' source."""
    with_resource = [t for t in TARGETS if t.resource is not None]
    assert {(t.crossing, t.mode) for t in with_resource} == {
        ("torkham", "road"),
        ("chaman", "road"),
        ("bolashak", "rail"),
        ("saryagash", "rail"),
    }
    for t in with_resource:
        r = t.resource
        assert r is not None
        for s in r.servers_source:
            assert "scan" in _described(s).lower(), (t.crossing, s)
            assert s in r.what
        if not r.servers_source:
            assert "EST" in r.what, (t.crossing, "servers without a source must say EST")
