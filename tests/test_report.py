"""Summaries, warnings and output folders."""

from __future__ import annotations

import json

import pytest

from corridorsim.engine.loads import offered_loads
from corridorsim.report import OutputError, write_run
from corridorsim.report.writer import _commit
from corridorsim.results import summarize

from .builders import flow, scenario, when_full
from .engine_helpers import mmc_body, toy_run


def test_scenario_text_is_escaped_in_html(tmp_path):
    body = mmc_body(None, 0.5, 0.1, days=5, warmup=1, replications=1)
    body["description"] = "<script>alert('x')</script> & more"
    res = toy_run(tmp_path, body)
    out = write_run(res, summarize(res), tmp_path / "out")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more" in html
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "## Verdict" in md
    assert json.loads((out / "summary.json").read_text())["files"][0] == "summary.json"


def test_overload_is_warned_with_the_bottleneck(tmp_path):
    res = toy_run(tmp_path, mmc_body(1, 1.5, 1.0, days=10, warmup=1, replications=1))
    loads = offered_loads(res.plan)
    assert loads[0].name == "border post Y/road/XX/exit"
    assert loads[0].load == pytest.approx(1.5)
    warnings = summarize(res).warnings
    assert any(
        "demand exceeds capacity at border post Y/road/XX/exit: offered load 1.50" in w
        for w in warnings
    )


def test_stable_queue_gives_no_warning(tmp_path):
    res = toy_run(tmp_path, mmc_body(2, 1.0, 1.0, days=10, warmup=1, replications=1))
    assert offered_loads(res.plan)[0].load == pytest.approx(0.5)
    assert summarize(res).warnings == ()


def test_flow_with_nothing_delivered_is_reported(tmp_path):
    body = scenario(
        flow("P", "D", 10, schedule=False),
        days=20,
        warmup=1,
        trains={1676: 50, 1520: 50},
        departure=when_full(5000),
    )
    res = toy_run(tmp_path, body)
    s = summarize(res)
    assert s.flows[0].verdict == "no container delivered"
    assert any("no container was delivered" in w for w in s.warnings)
    out = write_run(res, s, tmp_path / "out")  # the report still renders
    assert "no container delivered" in (out / "report.md").read_text(encoding="utf-8")


def test_failed_write_leaves_nothing_and_keeps_old_results(tmp_path):
    out = tmp_path / "results" / "x"

    def boom(stage):
        (stage / "half.json").write_text("{")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _commit(out, boom)
    assert not out.exists()
    assert list((tmp_path / "results").iterdir()) == []
    out.mkdir()
    (out / "summary.json").write_text('{"scenario": "x"}')
    with pytest.raises(KeyboardInterrupt):
        _commit(out, boom)
    assert (out / "summary.json").read_text() == '{"scenario": "x"}'
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == ["x"]


def test_guard_refuses_other_scenario(tmp_path):
    res = toy_run(tmp_path, mmc_body(None, 0.5, 0.1, days=5, warmup=1, replications=1))
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text('{"scenario": "other"}')
    with pytest.raises(OutputError, match="'other'"):
        write_run(res, summarize(res), out)


def test_the_writer_names_each_stage_as_it_starts(tmp_path):
    body = mmc_body(None, 0.5, 0.1, days=5, warmup=1, replications=1)
    res = toy_run(tmp_path, body)
    said: list[str] = []
    write_run(res, summarize(res), tmp_path / "out", stage=said.append)
    assert said == ["drawing plots and writing tables", "writing the report"]
    said.clear()
    write_run(res, lambda: summarize(res), tmp_path / "later", stage=said.append)
    assert said == ["drawing plots, writing tables and summarising", "writing the report"]
    # the summary made while the plots are drawn is the one given beforehand
    assert (tmp_path / "later" / "summary.json").read_bytes() == (
        tmp_path / "out" / "summary.json"
    ).read_bytes()


def test_the_stage_spinner_shows_each_stage_on_a_terminal():
    from io import StringIO

    from rich.console import Console

    from corridorsim.cli.show import Stages

    screen = StringIO()
    stages = Stages(enabled=True, output=Console(file=screen, force_terminal=True, width=80))
    assert stages.status is not None
    with stages as stage:
        stage("writing the report")
        assert stages.status.status == "writing the report"
    assert "writing the report" in screen.getvalue()
    assert Stages(enabled=False).status is None


def test_the_assumptions_page_marks_what_the_scenario_sets_and_where(tmp_path):
    from corridorsim.experiments import run

    own = tmp_path / "chaman4.yaml"
    own.write_text(
        "extends: western-rail\nname: chaman4\nsources: [S112]\n"
        "simulation: {horizon_days: 60, warmup_days: 10, replications: 1}\n"
        "network:\n  crossing_hours:\n    chaman: {rail: 4}\n  speeds_kmh: {rail: {PK: 50}}\n"
        "borders:\n  crossings:\n    chaman:\n      rail:\n        exit: {processing_hours: 2}\n",
        encoding="utf-8",
    )
    res = run(own)
    out = write_run(res, summarize(res), tmp_path / "out")
    md = (out / "report.md").read_text(encoding="utf-8")
    page = md.split("## Assumptions set by this scenario")[1].split("\n## ")[0]
    assert (
        "| `borders.crossings.chaman.rail.exit.processing_hours` | 2 | chaman4.yaml:13 | S112 |"
        in page
    )
    # a speed: the network's own figure and its source beside the scenario's
    assert (
        "| `network.speeds_kmh.rail.PK` | 50 | chaman4.yaml:8 | S112 | 33 "
        "| network file: S16, S12 |" in page
    )
    assert "| `network.build` | \\[western-rail\\] | western-rail.yaml:" in page  # inherited
    # the crossing figure the scenario set is not credited to the network's source
    assert "| Chaman / Spin Boldak | rail | 4.0 | this scenario |" in md
    demand = md.split("## Demand")[1].split("\n## ")[0]
    assert "| pk-to-kz | KHI → ALA |" in demand
    assert "125e6 / 54,500 = 2,294 TEU a year (EST)" in demand  # how it was derived
    glossary = md.split("## Glossary")[1]
    for term in ("TFI1", "TFI2", "SWOD", "SWD", "p90", "share within target"):
        assert f"**{term}**" in glossary
    assert "Glossary" in (out / "report.html").read_text(encoding="utf-8")


def test_the_map_drawn_ahead_is_the_map_drawn_after_and_a_failure_falls_back(tmp_path, monkeypatch):
    from corridorsim.report import early_map
    from corridorsim.report.early_map import EarlyMap

    body = mmc_body(None, 0.5, 0.1, days=5, warmup=1, replications=1)
    res = toy_run(tmp_path, body)
    s = summarize(res)
    plain = write_run(res, s, tmp_path / "plain")
    with EarlyMap(res.loaded, ("png",)) as ahead:
        early = write_run(res, s, tmp_path / "early", jobs=2, early_map=ahead)
    assert not ahead.folder.exists()  # nothing left behind
    png = "plots/corridor_map.png"
    assert (early / png).read_bytes() == (plain / png).read_bytes()

    def broken(*_args):
        raise RuntimeError("the drawing process fails")

    monkeypatch.setattr(early_map, "_draw", broken)  # the forked process inherits it
    with EarlyMap(res.loaded, ("png",)) as ahead:
        fallback = write_run(res, s, tmp_path / "fallback", jobs=2, early_map=ahead)
        assert ahead.process is not None
        assert ahead.process.exitcode != 0
    assert (fallback / png).read_bytes() == (plain / png).read_bytes()
    assert "Corridor map" in (fallback / "report.md").read_text(encoding="utf-8")


def test_each_figure_is_titled_once_in_the_html(tmp_path):
    """The plot carries its title; the page adds none beneath it (before: a caption
    repeated every title)."""
    body = mmc_body(None, 0.5, 0.1, days=5, warmup=1, replications=1)
    res = toy_run(tmp_path, body)
    out = write_run(res, summarize(res), tmp_path / "out")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<figcaption>" not in html
    assert html.count('alt="Where the time goes"') == 1


def test_a_table_the_breakdown_plot_repeats_is_folded_away_in_the_html(tmp_path):
    """Where the breakdown is drawn, its table is folded (one click away, not gone); the
    Markdown report keeps it open."""
    body = mmc_body(None, 0.5, 0.1, days=5, warmup=1, replications=1)
    res = toy_run(tmp_path, body)
    out = write_run(res, summarize(res), tmp_path / "out")
    html = (out / "report.html").read_text(encoding="utf-8")
    folded = html.split("<details><summary><strong>Where the time goes")[1]
    assert folded.index("<table>") < folded.index("</details>")
    assert "<h2>Where the time goes" not in html
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "## Where the time goes" in md
