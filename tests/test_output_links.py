"""Nothing is written, replaced or deleted through a symbolic link: an output folder that
is a link, or holds one, is refused before anything runs, and what the link points to
is left exactly as it was. No message quotes a file that is not of the kind asked for."""

from __future__ import annotations

import numpy as np
import pytest

from corridorsim.batch import RunCache
from corridorsim.errors import CorridorSimError
from corridorsim.report.out_dir import OutputError
from corridorsim.report.writer import _commit

from .conftest import SCENARIOS

FAST = ("--replications", "1", "--horizon-days", "40", "--jobs", "1")
DEFAULT = str(SCENARIOS / "default.yaml")
WAIT = "operations.departure.max_wait_hours"


@pytest.fixture
def precious(tmp_path):
    """A folder elsewhere holding a file that must survive, and a link to it."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(elsewhere, target_is_directory=True)
    return elsewhere, link


def untouched(elsewhere):
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]
    assert (elsewhere / "keep.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(
    "command",
    [
        ["run", DEFAULT, *FAST],
        ["compare", DEFAULT, str(SCENARIOS / "western-rail-phase1.yaml"), *FAST],
        ["sweep", DEFAULT, "--vary", f"{WAIT}=24,48", *FAST],
    ],
    ids=["run", "compare", "sweep"],
)
def test_a_link_as_out_is_refused_even_with_force(cli, precious, command):
    """Before: --out LINK --force replaced the folder the link points to."""
    elsewhere, link = precious
    r = cli(*command, "--out", str(link), "--force")
    assert r.returncode == 2
    assert "is a symbolic link" in r.stderr
    assert "Traceback" not in r.stderr
    untouched(elsewhere)
    assert link.is_symlink()


def test_a_sweep_folder_whose_runs_is_a_link_is_refused(cli, tmp_path, precious):
    """Before: the finished runs were written into the link's target."""
    elsewhere, _ = precious
    out = tmp_path / "out"
    out.mkdir()
    (out / "runs").symlink_to(elsewhere, target_is_directory=True)
    r = cli("sweep", DEFAULT, "--vary", f"{WAIT}=24,48", *FAST, "--out", str(out))
    assert r.returncode == 2
    assert f"{out / 'runs'} is a symbolic link" in r.stderr
    untouched(elsewhere)


def test_plot_refuses_a_results_folder_whose_plots_is_a_link(cli, tmp_path, precious):
    elsewhere, _ = precious
    out = tmp_path / "res"
    assert cli("run", DEFAULT, *FAST, "--out", str(out)).returncode == 0
    import shutil

    shutil.rmtree(out / "plots")
    (out / "plots").symlink_to(elsewhere, target_is_directory=True)
    r = cli("plot", str(out))
    assert r.returncode == 2
    assert "is a symbolic link" in r.stderr
    untouched(elsewhere)


def test_the_writer_itself_never_writes_through_a_link(precious):
    elsewhere, link = precious
    with pytest.raises(OutputError, match="symbolic link"):
        _commit(link, lambda stage: (stage / "x").write_text("x", encoding="utf-8"))
    untouched(elsewhere)


def test_the_run_cache_neither_writes_nor_reads_through_links(tmp_path, precious):
    elsewhere, link = precious
    with pytest.raises(CorridorSimError, match="symbolic link"):
        RunCache(link)
    folder = tmp_path / "runs"
    cache = RunCache(folder)
    cache.put("a" * 32, {"f": np.ones(2)})
    (folder / f"{'b' * 32}.npz").symlink_to(folder / f"{'a' * 32}.npz")
    assert cache.get("a" * 32, ["f"]) is not None
    assert cache.get("b" * 32, ["f"]) is None
    untouched(elsewhere)


@pytest.mark.parametrize(
    "command",
    [
        ["levers", DEFAULT, "--levers", "{file}"],
        ["validate", "--network-file", "{file}"],
        ["validate", "{file}"],
        ["run", "{file}"],
    ],
    ids=["levers", "network", "validate", "run"],
)
def test_no_message_quotes_a_file_of_another_kind(cli, tmp_path, command):
    """Before: a levers or network file that was a text file had its first line shown."""
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:SECRET-TOKEN:/root:/bin/bash\nline two\n", encoding="utf-8")
    r = cli(*[a.format(file=secret) for a in command], "--out", str(tmp_path / "o"))
    if command[0] == "validate":
        r = cli(*[a.format(file=secret) for a in command])
    assert r.returncode == 2
    assert "SECRET" not in r.stderr + r.stdout
    assert "root:x" not in r.stderr + r.stdout
    assert f"{secret}:1:1" in r.stderr + r.stdout
