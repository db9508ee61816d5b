"""The package as a user installs it (a wheel, not the editable checkout), run from a
folder outside the repository: built-in scenarios by name, `extends` of a built-in from
the user's own folder, the shipped levers file, and the listing."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A folder holding the installed package, unpacked from a freshly built wheel."""
    wheels = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("corridorsim-*.whl")
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    return site


def _cli(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site)}  # ahead of the editable checkout
    return subprocess.run(
        [sys.executable, "-m", "corridorsim", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_installed_package_is_the_one_run(installed, tmp_path):
    code = "import corridorsim; print(corridorsim.__file__)"
    env = {**os.environ, "PYTHONPATH": str(installed)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.stdout.strip().startswith(str(installed))


def test_built_in_names_work_outside_the_repository(installed, tmp_path):
    listing = _cli(installed, tmp_path, "scenarios")
    assert listing.returncode == 0, listing.stderr
    assert "western-rail-best-case" in listing.stdout
    assert str(installed) in listing.stdout
    ok = _cli(installed, tmp_path, "validate", "western-rail-best-case", "builtin:gwadar")
    assert ok.returncode == 0, ok.stderr
    (tmp_path / "mine.yaml").write_text(
        "extends: western-rail.yaml\nname: mine\nsimulation: {horizon_days: 60, "
        "warmup_days: 10, replications: 1}\n",
        encoding="utf-8",
    )
    run = _cli(installed, tmp_path, "run", "mine.yaml", "--quiet", "--out", "out")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "report.html").is_file()
    missing = _cli(installed, tmp_path, "validate", "western-rial")
    assert missing.returncode == 2
    assert "the built-in scenarios: default" in missing.stderr


def test_the_shipped_levers_file_is_installed(installed, tmp_path):
    res = _cli(
        installed, tmp_path, "levers", "western-rail", "--levers", "western-rail",
        "--replications", "1", "--horizon-days", "60", "--quiet", "--out", "lv",
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "lv" / "levers.png").is_file()
