"""Loading a scenario: read (with ``extends``), validate, apply its network changes, check.

The result, :class:`LoadedScenario`, is trusted by everything downstream: every node and
link it names exists, every flow has a route, every break of gauge has a terminal.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from corridorsim.errors import Issue, ScenarioError
from corridorsim.located_yaml.diagnostics import issue_at, suggest, validate
from corridorsim.located_yaml.reader import Located
from corridorsim.network.checks import check_network
from corridorsim.network.graph import CorridorNetwork
from corridorsim.network.routes import Route
from corridorsim.scenario.builtins import PREFIX, builtin_folder, find_builtin, where_looked
from corridorsim.scenario.checks import check_scenario
from corridorsim.scenario.format import Scenario
from corridorsim.scenario.network_changes import ChangedNetwork, apply_network_changes
from corridorsim.scenario.reading import read_scenario
from corridorsim.scenario.speed_basis import en_route_delays

__all__ = [
    "DEFAULT_SCENARIO",
    "LoadedScenario",
    "default_scenario_path",
    "load_scenario",
    "read_scenario",
    "resolve_scenario",
    "scenario_note",
]

DEFAULT_SCENARIO = "default.yaml"
"""The scenario ``corridorsim run`` uses when given none (shipped in the package)."""


def default_scenario_path() -> Path:
    """Path of the built-in default scenario (the planned western rail route).

    Returns
    -------
    Path
        The YAML file shipped with the package; its folder holds the other built-in
        scenarios.
    """
    return builtin_folder() / DEFAULT_SCENARIO


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario, its network with the scenario's changes, and each flow's route.

    Attributes
    ----------
    scenario : Scenario
        The validated scenario (``extends`` merged).
    network : CorridorNetwork
        The network as the scenario changes it.
    routes : dict of str to Route
        Each flow's route (its fixed route, or the fastest), by flow id.
    path : str
        The file it was loaded from.
    built : dict of str to str
        Links the scenario builds, with their status in the network file.
    """

    scenario: Scenario
    network: CorridorNetwork
    routes: dict[str, Route]
    path: str
    built: dict[str, str] = field(default_factory=dict)
    """Links the scenario ``build``s, with the status they have in the network file
    (``planned``, ``under_construction``)."""


def resolve_scenario(path: str | Path | None) -> str | Path:
    """The file a scenario argument names: the built-in default for None; a file of
    that name here (``western-rail.yaml``, or ``western-rail`` where
    ``western-rail.yaml`` is here); else the built-in scenario of that name
    (``western-rail``, ``western-rail.yaml`` or ``builtin:western-rail``, which always
    means the built-in). A link here that leads nowhere is refused, not passed over
    for the built-in. :func:`scenario_note` says when a file here shadows a built-in."""
    if path is None:
        return default_scenario_path()
    text = str(path)
    if text.startswith(PREFIX):
        return _builtin_or_refuse(text)
    local = _local_file(text)
    if local is not None:
        return local if local != text else path
    return _builtin_or_refuse(text)


def _local_file(text: str) -> str | None:
    """``text`` itself, or ``text.yaml`` for a bare name, where such a file is here."""
    candidates = [text] if text.endswith((".yaml", ".yml")) else [text, f"{text}.yaml"]
    for candidate in candidates:
        try:
            there, leads = os.path.lexists(candidate), os.path.exists(candidate)
        except (ValueError, OSError):  # a NUL byte, a name too long: read_yaml says why
            return text
        if there and not leads:
            problem = "a symbolic link that leads nowhere (or to itself); fix or remove it"
            raise ScenarioError([Issue(candidate, None, None, "-", problem)])
        if there and (candidate == text or Path(candidate).is_file()):
            return candidate
    return None


def _builtin_or_refuse(text: str) -> Path:
    found = find_builtin(text)
    if found is None:
        problem = f"file not found ({where_looked(text)})"
        raise ScenarioError([Issue(text, None, None, "-", problem)])
    return found


def scenario_note(path: str | Path | None) -> str | None:
    """When a file here and a built-in scenario share the name given: which one is used
    and how to ask for the other (None otherwise)."""
    if path is None or str(path).startswith(PREFIX):
        return None
    text = str(path)
    local = _local_file(text)
    builtin = find_builtin(text)
    if local is None or builtin is None or Path(text).name != text:
        return None
    name = builtin.stem
    return (
        f"'{text}' is both a file here ({local}) and a built-in scenario: using the file "
        f"here; write builtin:{name} for the built-in one"
    )


def load_scenario(path: str | Path | None = None) -> LoadedScenario:
    """Load, validate and check a scenario file (the built-in default if ``path`` is None).

    Parameters
    ----------
    path : str or Path, optional
        A scenario YAML file, or the name of a built-in scenario (``western-rail``).

    Returns
    -------
    LoadedScenario

    Raises
    ------
    ScenarioError
        Listing every problem found, each as ``FILE:LINE:COL: field: problem``.
    """
    path = resolve_scenario(path)
    located = read_scenario(path)
    scenario: Scenario = validate(Scenario, located)
    changed = apply_network_changes(scenario, located)
    issues = check_network(changed.spec, changed.origin)
    if issues:
        raise ScenarioError(issues)
    net = _make_network(scenario, located, changed)
    routes = check_scenario(scenario, located, net)
    return LoadedScenario(scenario, net, routes, str(path), dict(changed.built))


def _make_network(scenario: Scenario, located: Located, changed: ChangedNetwork) -> CorridorNetwork:
    """The network graph, with the scenario's closures and terminal hours (each
    ``transshipment.facilities`` entry checked to name a terminal)."""
    ts = scenario.transshipment
    term_nodes = {t.node for t in changed.spec.terminals}
    issues = []
    terminal_hours = {}
    for node, params in ts.facilities.items():
        if node not in term_nodes:
            message = (
                f"no terminal at '{node}'{suggest(node, term_nodes)}; terminals are at "
                f"{', '.join(sorted(term_nodes))} (add one under network.add_terminals)"
            )
            issues.append(
                issue_at(located, ("transshipment", "facilities", node), message, at_key=True)
            )
        elif params.hours_per_train is not None:
            terminal_hours[node] = params.hours_per_train.mean
    if issues:
        raise ScenarioError(issues)
    intermodal = ts.intermodal_default.hours_per_train
    border_hours = _border_hours(scenario, changed)
    return CorridorNetwork(
        changed.spec,
        closed_links=changed.closed_links,
        closed_crossings=changed.closed_crossings,
        intermodal_hours=intermodal.mean if intermodal is not None else 0.0,
        terminal_hours=terminal_hours,
        border_hours=border_hours,
        stop_hours={k: d.mean for k, d in en_route_delays(scenario, changed.spec.defaults).items()},
    )


def _border_hours(scenario: Scenario, changed: ChangedNetwork) -> dict[tuple[str, str], float]:
    """Expected hours to cross where the scenario sets a post's processing time: that
    post's mean (with its inspection channels), and half the network's figure for a post
    it leaves alone. Queueing is not included; routes are ranked on these."""
    out: dict[tuple[str, str], float] = {}
    borders = scenario.borders
    for c in changed.spec.crossings:
        for mode, cm in c.modes.items():
            params = borders.crossings.get(c.id, {}).get(mode) or borders.defaults.get(mode)
            if params is None:
                continue
            posts = (params.exit, params.entry)
            if all(p.processing_hours is None for p in posts):
                continue
            out[(c.id, mode)] = float(
                sum(
                    cm.hours / 2
                    if p.processing_hours is None
                    else p.processing_hours.mean
                    + sum(ch.probability * ch.extra_hours.mean for ch in p.channels)
                    for p in posts
                )
            )
    return out
