"""The report's assumptions page: every value the scenario's files set (the file itself or
the files it extends), where it was set (FILE:LINE) with that file's sources, beside the
value it replaces (the format's default, or the network's figure) and that value's
source; and a glossary of the indicators the report uses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from corridorsim.errors import ScenarioError
from corridorsim.located_yaml.reader import Located, LocTree, read_yaml
from corridorsim.scenario.format import Scenario
from corridorsim.scenario.loader import LoadedScenario
from corridorsim.scenario.reading import read_scenario

__all__ = ["GLOSSARY", "overrides"]

SKIP = ("name", "description", "sources", "extends", "demand")
"""Keys shown elsewhere in the report (the flows have their own table)."""

LEAF_KEYS = ("dist", "policy")
"""A mapping holding one of these is one value (a distribution, a departure rule)."""

NETWORK_DEFAULTS = {
    "borders": "the calibrated border posts (corridorsim calibrate, from CPMM TFI1)",
    "network": "the network file's figure",
    "ports": "the network's port figure",
    "transshipment": "the network's terminal figure",
}

GLOSSARY = (
    ("TFI1", "CAREC CPMM Time Facilitation Indicator 1: hours to cross a border, from entry "
     "at one country's post to exit at the other's, waiting included (S23)."),
    ("TFI2", "CAREC CPMM Time Facilitation Indicator 2: cost of clearing a border, in US$, "
     "unofficial payments included (S23)."),
    ("SWOD", "CAREC CPMM speed without delay: distance over moving time (km/h)."),
    ("SWD", "CAREC CPMM speed with delay: distance over total time, stops and borders "
     "included (km/h)."),
    ("p90", "the 90th percentile of transit time over every container delivered after the "
     "warm-up, all replications pooled: nine in ten arrive within it."),
    ("share within target", "the share of all containers delivered after the warm-up, "
     "every replication pooled, that arrive within the target time, with a 95% interval "
     "(Wilson's, widened by how much the replications differ: it stays within 0-100% and "
     "has a width even when every replication gives the same share)."),
    ("95% CI", "a 95% confidence interval from the spread between replications (each one an "
     "independent run of the same scenario)."),
    ("gap budget", "a missing flow's time split into avoidable time and running and stops, "
     "and the share of the avoidable time that closing the gap would take."),
)  # fmt: skip


def _leaves(data: Any, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], Any]]:
    if isinstance(data, dict) and data and not any(k in data for k in LEAF_KEYS):
        out = []
        for key, value in data.items():
            out += _leaves(value, (*path, str(key)))
        return out
    return [(path, data)]


def _lookup(data: Any, path: tuple[str, ...]) -> tuple[bool, Any]:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return False, None
        data = data[part]
    return True, data


def _where(locs: LocTree, path: tuple[str, ...]) -> str:
    loc, _ = locs.find(path)
    return f"{Path(loc.file).name}:{loc.line}"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False).replace('"', "")


def _file_sources(file: str, cache: dict[str, str]) -> str:
    if file not in cache:
        try:
            data = read_yaml(file).data
        except ScenarioError:
            data = {}
        got = data.get("sources", []) if isinstance(data, dict) else []
        cache[file] = ", ".join(map(str, got)) if isinstance(got, list) else ""
    return cache[file]


def _network_figure(path: tuple[str, ...], loaded: LoadedScenario) -> tuple[str, str] | None:
    """The network file's own figure and source for a speed or a port dwell the scenario
    replaces (the built-in network; None for other fields or other network files)."""
    if loaded.scenario.network.file != "builtin":
        return None
    from corridorsim.network.files import builtin_network

    spec = builtin_network().spec
    if path[:2] == ("network", "speeds_kmh") and len(path) == 4:
        by_mode: dict[str, Any] = dict(spec.defaults.speed_kmh).get(path[2]) or {}  # type: ignore[call-overload]
        found = by_mode.get(path[3])
        if found is not None:
            return f"{found.value:g}", ", ".join(found.source) or (found.estimate or "EST")
    if path[:2] == ("ports", "dwell_hours") and len(path) == 3:
        port = next((p for p in spec.ports if p.node == path[2]), None)
        if port is not None and port.dwell_hours is not None:
            dumped = port.dwell_hours.model_dump(mode="json", by_alias=True, exclude_none=True)
            shown = _show(dumped)
            return shown, ", ".join(port.source) or "EST"
    return None


def _default(
    path: tuple[str, ...], defaults: dict[str, Any], loaded: LoadedScenario
) -> tuple[bool, Any, str, str]:
    """(whether the format has a default, that default, how it is shown, its source)."""
    known, default = _lookup(defaults, path)
    if known:
        return True, default, _show(default), "corridorsim's format"
    figure = _network_figure(path, loaded)
    if figure is not None:
        return False, None, figure[0], f"network file: {figure[1]}"
    return False, None, NETWORK_DEFAULTS.get(path[0], "none"), "see the routes' data below"


def overrides(loaded: LoadedScenario) -> list[dict[str, str]]:
    """One row per value the scenario's files set that differs from what it replaces:
    ``parameter``, ``value``, ``set_in`` (FILE:LINE), ``sources`` (that file's),
    ``default`` and ``default_source``. Empty when the file cannot be read again."""
    try:
        located: Located = read_scenario(loaded.path)
    except ScenarioError:
        return []
    defaults = Scenario.model_validate(
        {
            "name": "defaults",
            "demand": [f.model_dump(by_alias=True) for f in loaded.scenario.demand],
        }
    ).model_dump(mode="json", by_alias=True)
    cache: dict[str, str] = {}
    rows = []
    for top, value in located.data.items():
        if top in SKIP:
            continue
        for path, leaf in _leaves(value, (str(top),)):
            known, default, shown, source = _default(path, defaults, loaded)
            if (known and default == leaf) or (not known and shown == _show(leaf)):
                continue
            loc, _ = located.locs.find(path)
            rows.append(
                {
                    "parameter": ".".join(path),
                    "value": _show(leaf),
                    "set_in": _where(located.locs, path),
                    "sources": _file_sources(loc.file, cache) or "–",
                    "default": shown,
                    "default_source": source,
                }
            )
    return rows
