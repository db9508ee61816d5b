"""Loading network files: the built-in corridor or a user's own file of the same format."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from corridorsim.errors import ScenarioError
from corridorsim.located_yaml.diagnostics import validate
from corridorsim.located_yaml.reader import Located, read_yaml
from corridorsim.network.checks import Origin, check_network
from corridorsim.network.graph import CorridorNetwork
from corridorsim.network.spec import NetworkSpec

__all__ = [
    "BUILTIN_NETWORK",
    "builtin_crossing_hours",
    "builtin_network",
    "load_network",
    "read_network_file",
    "sources",
]

BUILTIN_NETWORK = "builtin"
"""The name by which scenarios refer to the built-in corridor network."""


def _builtin_path() -> Path:
    return Path(str(resources.files("corridorsim.data") / "network.yaml"))


def read_network_file(path: str | Path | None = None) -> tuple[NetworkSpec, Located]:
    """Read and validate a network file (the built-in one if ``path`` is None).

    Only the file's own format is checked here; :func:`load_network` also runs the
    cross-checks.

    Raises
    ------
    ScenarioError
        If the file is missing, not YAML, or not of the network format.
    """
    if path is None or str(path) == BUILTIN_NETWORK:
        located = _builtin_located()
    else:
        located = read_yaml(path)
    return validate(NetworkSpec, located), located


@cache
def _builtin_located() -> Located:
    return read_yaml(_builtin_path(), display="<builtin>/network.yaml")


def load_network(path: str | Path | None = None) -> CorridorNetwork:
    """Load a network file into a checked :class:`CorridorNetwork` (built-in if None).

    Parameters
    ----------
    path : str or Path, optional
        A network YAML file in the built-in network's format; None for the built-in one.

    Returns
    -------
    CorridorNetwork
        The network as the file states it (km, km/h, hours, USD), cross-checked.

    Raises
    ------
    ScenarioError
        If the file is malformed or inconsistent (each problem with its line).
    """
    spec, located = read_network_file(path)
    issues = check_network(spec, lambda kind, i: Origin(located, (kind, i)))
    if issues:
        raise ScenarioError(issues)
    return CorridorNetwork(spec)


def builtin_network() -> CorridorNetwork:
    """The built-in corridor network, as shipped (no scenario changes).

    Returns
    -------
    CorridorNetwork
        Nodes, links (km, speeds in km/h by country), border crossings (hours) and
        terminals, each with its sources.
    """
    return load_network(None)


@cache
def builtin_crossing_hours() -> dict[tuple[str, str], float]:
    """Expected hours to cross by ``(crossing, mode)`` in the built-in network as shipped."""
    spec, _ = read_network_file(None)
    return {(c.id, mode): m.hours for c in spec.crossings for mode, m in c.modes.items()}


@cache
def sources() -> dict[str, str]:
    """Source id (``S12``) -> citation, for the ids the built-in data uses."""
    path = resources.files("corridorsim.data") / "sources.yaml"
    return dict(yaml.safe_load(path.read_text(encoding="utf-8")))
