"""The generated documentation pages stay in step with the data and the code."""

from __future__ import annotations

import importlib.util
import shlex
import sys

import pytest

from .conftest import ROOT


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "docs" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def test_data_page_matches_the_data():
    page = load("make_data_page")
    current = (ROOT / "docs" / "data-and-assumptions.md").read_text(encoding="utf-8")
    assert current == page.render(), "run: python docs/make_data_page.py"
    for phrase in ("687 km", "573 / 600 / 720 / 760 km", "$53.7 m", "alignment_km"):
        assert phrase in current


@pytest.mark.slow
def test_results_script_regenerates_the_table(tmp_path, monkeypatch):
    results = load("make_results")
    out = tmp_path / "results.md"
    monkeypatch.setattr(
        sys,
        "argv",
        ["make_results", "--replications", "1", "--horizon-days", "60", "--out", str(out)],
    )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    results.main()
    assert (ROOT / "README.md").read_text(encoding="utf-8") == readme  # a trial run
    text = out.read_text(encoding="utf-8")
    assert results.BASELINE_TITLE in text
    block = readme.split(results.START)[1].split(results.END)[0]
    for scenario, _, label in results.BASELINE:  # the README carries the record's baseline
        assert f"| {label} (`{scenario}`) |" in block
    names = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))
    for name in names:
        assert f"| {name} |" in text
    assert (ROOT / "docs" / "results.md").is_file()


@pytest.mark.slow
def test_validation_record_is_current():
    validation = load("make_validation")
    page, status = validation.render()
    assert (ROOT / "docs" / "validation.md").read_text(encoding="utf-8") == page, (
        "run: python docs/make_validation.py"
    )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"{validation.START}\n{status}{validation.END}" in readme
    assert "| held out |" in page
    assert "| calibration target |" in page


def test_the_field_reference_is_in_step_with_the_format():
    reference = load("make_reference")
    current = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    assert current == reference.render(), "run: python docs/make_reference.py"
    for field in (
        "`operations.departure (policy: timetable).times`",
        "`network.speeds_kmh`",
        "`borders.crossings.<key>",
        "`target.hours`",
    ):
        assert field in current, field


def test_every_scenario_field_is_in_the_reference():
    """Each top-level section and each of its direct fields appears (so a new field
    cannot be left out of the generated page)."""
    from corridorsim.scenario.format import Scenario

    current = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    for name, info in Scenario.model_fields.items():
        key = info.alias or name
        assert f"## `{key}`" in current
        sub = getattr(info.annotation, "model_fields", {})
        for child, child_info in sub.items():
            assert f"`{key}.{child_info.alias or child}" in current, f"{key}.{child}"


def test_the_scenario_tutorial_files_load_in_order(tmp_path, monkeypatch):
    """Each YAML block of docs/scenarios.md is a file (named on its first line), written
    in order into a folder outside the repository and loaded as a user would."""
    import re

    from corridorsim.scenario.loader import load_scenario

    text = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 8
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        name = re.match(r"# file: (\S+)", block).group(1)
        (tmp_path / name).write_text(block, encoding="utf-8")
        loaded = load_scenario(tmp_path / name)
        assert loaded.scenario.name == name.removesuffix(".yaml")
    faster = load_scenario(tmp_path / "faster-closures.yaml").scenario
    assert faster.operations.departure.policy == "timetable"
    assert faster.network.speeds_kmh["rail"]["AF"] == 60
    assert faster.borders.crossings["chaman"]["rail"].exit.processing_hours.mean == 2


@pytest.mark.slow
def test_the_tutorial_commands_run_in_order(tmp_path, monkeypatch, cli):
    """Step 10 of docs/scenarios.md, every command as written (with a shorter horizon and
    fewer replications appended, to keep the suite quick), on the files of the steps
    before it: each exits 0 and writes its output. Before: goal-seek varied a field the
    timetable of faster.yaml does not have."""
    import re

    text = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.S):
        name = re.match(r"# file: (\S+)", block).group(1)
        (tmp_path / name).write_text(block, encoding="utf-8")
    step = text.split("## 10.")[1]
    commands = re.findall(r"```bash\n(.*?)```", step, flags=re.S)[0].strip().splitlines()
    assert len(commands) == 4
    quick = ["--replications", "2", "--horizon-days", "90"]
    says = ["comparison written to", "sweep written to", "the target p90<=12d", "results written"]
    for line, said in zip(commands, says, strict=True):
        args = shlex.split(line)
        assert args[0] == "corridorsim"
        res = cli(*args[1:], *quick, cwd=tmp_path)
        assert res.returncode == 0, f"{line}\n{res.stderr}"
        assert said in res.stdout, line


def test_the_api_page_is_in_step_with_the_docstrings():
    api = load("make_api")
    assert (ROOT / "docs" / "api.md").read_text(encoding="utf-8") == api.render(), (
        "run: python docs/make_api.py"
    )


def test_every_public_function_says_its_parameters_and_what_it_returns():
    """numpydoc sections for every function of ``corridorsim.__all__``: Parameters
    (where it takes any, each named) and Returns."""
    import inspect

    import corridorsim

    for name in corridorsim.__all__:
        obj = getattr(corridorsim, name)
        if not inspect.isfunction(obj):
            continue
        doc = inspect.cleandoc(obj.__doc__ or "")
        assert "\nReturns\n-------\n" in doc, name
        params = [
            p
            for p in inspect.signature(obj).parameters.values()
            if p.kind not in (p.VAR_POSITIONAL,)
        ]
        if params:
            assert "\nParameters\n----------\n" in doc, name
            section = doc.split("\nParameters\n----------\n")[1].split("\nReturns\n")[0]
            for p in params:
                shown = f"**{p.name}" if p.kind is p.VAR_KEYWORD else p.name
                assert shown in section, (name, p.name)
