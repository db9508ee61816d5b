"""Shared fixtures."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from corridorsim.network.files import builtin_network

# the memory runs may plan on, the same whatever other programs hold (the memory
# guard's own tests set theirs); subprocesses inherit it
os.environ["CORRIDORSIM_MEMORY"] = "16G"
# no map cache unless a test gives one: nothing written to the user's cache folder, and
# every map drawn (tests/test_map_cache.py covers the cache)
os.environ["CORRIDORSIM_CACHE_DIR"] = "off"

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
MALFORMED = Path(__file__).resolve().parent / "malformed"


@pytest.fixture(scope="session")
def net():
    """The built-in network, as shipped."""
    return builtin_network()


EXE = Path(sys.executable).with_name("corridorsim")
"""The installed console script, for the few tests that need a real process."""


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run the command line in this process, ``cli(*args, cwd=None)`` -> CliResult
    (exit code, standard output and error)."""
    from corridorsim.cli import main

    def call(*args: str, cwd: Path | None = None) -> CliResult:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        return CliResult(code, out.out, out.err)

    return call
