"""A scenario named on the command line: a file here and a built-in of the same name are
told apart aloud, and a link that leads nowhere (or a loop of them, also in
``extends``) is refused with its name, never passed over for the built-in."""

from __future__ import annotations

import shutil

import pytest

from corridorsim.errors import ScenarioError
from corridorsim.scenario import load_scenario
from corridorsim.scenario.loader import resolve_scenario, scenario_note

from .conftest import SCENARIOS


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def local_copy(here, name="western-rail"):
    text = (SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8")
    (here / f"{name}.yaml").write_text(text.replace(f"name: {name}", "name: mine"), "utf-8")


@pytest.mark.parametrize("given", ["western-rail", "western-rail.yaml"])
def test_a_file_here_is_used_and_the_choice_said(cli, here, given):
    """Before: 'run western-rail' took the built-in silently beside ./western-rail.yaml."""
    local_copy(here)
    assert load_scenario(given).scenario.name == "mine"
    assert "using the file here; write builtin:western-rail" in scenario_note(given)
    r = cli("validate", given)
    assert r.returncode == 0
    assert "note: 'western-rail" in r.stderr
    assert "scenario mine" in r.stdout
    assert load_scenario("builtin:western-rail").scenario.name == "western-rail"
    assert scenario_note("builtin:western-rail") is None


def test_no_note_without_a_file_here(here):
    assert scenario_note("western-rail") is None
    from corridorsim.scenario.builtins import builtin_folder

    assert resolve_scenario("western-rail") == builtin_folder() / "western-rail.yaml"


def test_a_broken_file_here_is_refused_not_passed_over(cli, here):
    (here / "western-rail.yaml").write_text("name: [broken\n", encoding="utf-8")
    r = cli("run", "western-rail", "--out", str(here / "o"))
    assert r.returncode == 2
    assert "western-rail.yaml:" in r.stderr
    (here / "western-rail.yaml").unlink()
    (here / "western-rail.yaml").symlink_to(here / "gone.yaml")
    r = cli("run", "western-rail", "--out", str(here / "o"))
    assert r.returncode == 2
    assert "a symbolic link that leads nowhere" in r.stderr
    assert not (here / "o").exists()


def test_a_loop_of_links_in_extends_is_a_located_error(cli, here):
    (here / "a.yaml").symlink_to(here / "b.yaml")
    (here / "b.yaml").symlink_to(here / "a.yaml")
    (here / "child.yaml").write_text("name: child\nextends: a.yaml\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"child.yaml:2:\d+: extends: a.yaml is a loop"):
        load_scenario(here / "child.yaml")
    r = cli("run", "a.yaml", "--out", str(here / "o"))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    shutil.rmtree(here / "o", ignore_errors=True)
