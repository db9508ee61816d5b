"""The command line, run in process through ``main([...])`` (one smoke test runs the
installed console script)."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
import yaml

from .conftest import EXE, MALFORMED, SCENARIOS


def test_run_with_no_argument_uses_the_default_scenario(cli, tmp_path):
    res = cli("run", "--replications", "2", "--horizon-days", "120", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    out = tmp_path / "results" / "default"
    assert {p.name for p in out.iterdir()} == {
        "summary.json",
        "containers.parquet",
        "vehicles.csv",
        "report.md",
        "report.html",
        "plots",
        "data",
    }
    assert {p.name for p in (out / "plots").iterdir()} == {
        "transit_cdf.png",
        "breakdown.png",
        "corridor_map.png",
    }  # the default set; SVG only on request
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 3
    # the report names what it left out and how to draw it from these results
    assert "Time–distance: pk-to-kz; Cost–distance: pk-to-kz;" in html
    assert "<code>corridorsim plot . --figures all</code> in this folder" in html
    again = cli("plot", ".", "--figures", "all", cwd=out)
    assert again.returncode == 0, again.stderr
    assert (out / "plots" / "time_distance_pk-to-kz.png").is_file()
    assert (out / "plots" / "queues.png").is_file()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["scenario"] == "default"
    assert [f["flow"] for f in summary["flows"]] == ["pk-to-kz", "kz-to-pk"]
    for f in summary["flows"]:
        assert f"{f['flow']}: {f['verdict']}" in res.stdout
    assert "results written to results/default/" in res.stdout
    assert res.stderr == ""  # no progress bar off a terminal


def test_network_lists_candidate_routes(cli):
    res = cli("network", str(SCENARIOS / "default.yaml"), "-k", "2")
    assert res.returncode == 0, res.stderr
    assert "13 border crossings" in res.stdout  # 11 on the corridor, Taftan and Sarakhs
    assert res.stdout.count("chaman (rail)") >= 2


def test_validate_good_file(cli):
    res = cli("validate", str(SCENARIOS / "default.yaml"))
    assert res.returncode == 0
    assert "ok" in res.stdout


def test_validate_network_file(cli):
    from corridorsim.network.files import _builtin_path

    res = cli("validate", "--network-file", str(_builtin_path()))
    assert res.returncode == 0, res.stderr
    assert "63 nodes" in res.stdout


CASES = [
    (name, ["validate"])
    for name in ("yaml_syntax", "negative_speed", "unknown_top_key", "lognormal_p90_below_mean")
]
CASES += [("no_route", cmd) for cmd in (["run"], ["network"], ["compare", "GOOD"])]
CASES += [("unknown_top_key", ["run"])]


@pytest.mark.parametrize(("name", "command"), CASES)
def test_bad_file_exit_2_one_message_no_traceback(cli, name, command, tmp_path):
    path = MALFORMED / f"{name}.yaml"
    command = [str(SCENARIOS / "default.yaml") if c == "GOOD" else c for c in command]
    res = cli(*command, str(path), cwd=tmp_path)
    assert res.returncode == 2, (command, res.stderr)
    assert "Traceback" not in res.stderr
    assert f"{path.name}:" in res.stderr
    assert res.stdout == "" or command == ["validate"]
    assert not (tmp_path / "results").exists()


def test_missing_file(cli, tmp_path):
    res = cli("run", "no-such-file.yaml", cwd=tmp_path)
    assert res.returncode == 2
    assert "no-such-file.yaml: -: file not found" in res.stderr


def test_validate_reports_each_file_and_fails_if_any_is_bad(cli):
    res = cli("validate", str(SCENARIOS / "default.yaml"), str(MALFORMED / "empty.yaml"))
    assert res.returncode == 2
    assert "default.yaml: ok" in res.stdout
    assert "1 of 2 files have errors" in res.stderr


def test_schema_validates_the_shipped_scenarios(cli, tmp_path):
    out = tmp_path / "scenario.schema.json"
    res = cli("schema", "-o", str(out))
    assert res.returncode == 0, res.stderr
    schema = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in SCENARIOS.glob("*.yaml"):
        validator.validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"name": "x", "demand": [], "demnd": []})
    with pytest.raises(jsonschema.ValidationError, match="'demand' is a required property"):
        validator.validate({"name": "x"})
    validator.validate({"extends": "default.yaml", "name": "x"})


def test_schema_to_stdout_is_json(cli):
    res = cli("schema")
    assert res.returncode == 0
    assert json.loads(res.stdout)["title"] == "corridorsim scenario"


def test_usage_error_exit_2(cli):
    res = cli("frobnicate")
    assert res.returncode == 2


def test_console_script_and_module_run(tmp_path):
    """The installed entry points work as processes (everything else runs in process)."""
    version = subprocess.run([str(EXE), "--version"], capture_output=True, text=True, check=False)
    assert version.returncode == 0
    assert version.stdout.startswith("corridorsim ")
    bad = subprocess.run(
        [sys.executable, "-m", "corridorsim", "validate", str(MALFORMED / "empty.yaml")],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert "empty.yaml" in bad.stderr


def test_scenarios_lists_every_built_in_with_its_description(cli):
    from corridorsim.scenario.builtins import builtin_names

    res = cli("scenarios")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    for name in builtin_names():
        assert any(line.startswith(name + " ") for line in lines), name
    assert any(
        line.startswith("western-rail-best-case") and "dual gauge at Chaman" in line
        for line in lines
    )


def test_network_reads_like_a_route_with_what_the_scenario_builds(cli):
    res = cli("network", "western-rail", "-k", "2")
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "in this scenario (fixed by its route: list)" in out
    assert "Chaman – Spin Boldak – Kandahar – Herat – Torghundi" in out  # place names
    assert "Bolashak" in out
    assert "Kandahar–Herat (planned, built in this scenario)" in out
    assert "Herat–Torghundi (under construction, built in this scenario)" in out
    assert "(the scenario's)" in out  # which candidate it is
    assert "km built in this scenario" in out


def test_the_console_script_leaves_at_once_with_every_byte_written(tmp_path):
    """``console()`` ends the process without the interpreter's slow teardown: what was
    printed to a pipe (here an 80 kB schema) still arrives whole, and the exit code is
    the command's."""
    schema = subprocess.run([str(EXE), "schema"], capture_output=True, check=False)
    assert schema.returncode == 0, schema.stderr
    parsed = json.loads(schema.stdout)  # whole: a cut would not parse
    assert parsed["title"]
    assert len(schema.stdout) > 20_000
    bad = subprocess.run(
        [str(EXE), "validate", str(MALFORMED / "empty.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "empty.yaml:1:1: -: the file is empty" in bad.stdout + bad.stderr
