"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridorsim.network.files import builtin_network

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
MALFORMED = Path(__file__).resolve().parent / "malformed"


@pytest.fixture(scope="session")
def net():
    """The built-in network, as shipped."""
    return builtin_network()
