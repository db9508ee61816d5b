"""The README's examples run: its Python code and its scenario YAML."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from corridorsim.scenario import load_scenario

from .conftest import ROOT, SCENARIOS

README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def test_readme_starts_with_the_two_commands():
    first = blocks("bash")[0].strip().splitlines()
    assert "corridorsim run" in first[0]
    assert "pytest" in first[1]
    assert README.index("```bash") < 30


@pytest.mark.parametrize("code", blocks("python"))
def test_python_examples_run(code, capsys):
    """The example runs, and the p90 it prints is the one the same run gives."""
    import corridorsim as cs

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile(code, "README.md", "exec"), {"__name__": "__main__"})
    finally:
        os.chdir(cwd)
    printed = re.search(r"^p90 ([0-9.]+) days: ", capsys.readouterr().out, flags=re.M)
    assert printed is not None
    summary = cs.summarize(cs.run("default", replications=5, seed=1))
    assert float(printed.group(1)) == round(summary.flow("pk-to-kz").transit_hours.p90 / 24, 1)


def test_the_python_example_runs_as_a_script_from_any_folder(tmp_path):
    """Saved as a file and run from a folder outside the repository, as a user would
    (with ``jobs=2`` its workers must not re-run the script: the ``__main__`` guard)."""
    (code,) = blocks("python")
    script = tmp_path / "example.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "p90" in done.stdout
    assert "pk-to-kz" in done.stdout


@pytest.mark.parametrize("text", blocks("yaml"))
def test_yaml_examples_are_valid_scenarios(text, tmp_path):
    for scenario in SCENARIOS.glob("*.yaml"):  # the example extends default.yaml
        shutil.copy(scenario, tmp_path / scenario.name)
    path = tmp_path / "example.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_scenario(path)
    assert loaded.routes
