"""What a run's result depends on beyond its scenario: the code that runs it, the data
files shipped with it (the built-in network, its calibrated posts and fitted closures),
and the versions of the libraries that draw and compute (numpy, SimPy, Python).

The package version alone does not tell two builds apart (it stays the same through
many changes to the engine), so the code is identified by its bytes."""

from __future__ import annotations

import hashlib
import platform
from functools import cache
from pathlib import Path

import numpy as np
import simpy

from corridorsim._version import __version__

__all__ = ["code_digest", "digest_of", "environment"]

_PACKAGE = Path(__file__).resolve().parent
_SUFFIXES = (".py", ".yaml", ".yml", ".json")


@cache
def code_digest() -> str:
    """The digest of the installed package (:func:`digest_of`), computed once."""
    return digest_of(_PACKAGE)


def digest_of(package: Path) -> str:
    """SHA-256 over every source and data file under ``package`` (its path and bytes,
    in a fixed order): a different build, or a recalibrated data file, gives another
    digest."""
    h = hashlib.sha256()
    files = sorted(
        p
        for p in package.rglob("*")
        if p.suffix in _SUFFIXES and p.is_file() and "__pycache__" not in p.parts
    )
    for path in files:
        h.update(path.relative_to(package).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def environment() -> dict[str, str]:
    """The package version, the code digest and the library versions a run depends on."""
    return {
        "corridorsim": __version__,
        "code": code_digest(),
        "numpy": np.__version__,
        "simpy": simpy.__version__,
        "python": platform.python_version(),
    }
