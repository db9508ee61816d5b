"""Applying a scenario's ``network:`` section to its network file: one function per key
(``build``, ``alignment_km``, ``links``, ``speeds_kmh``, ``crossing_hours``,
``close_links``, ``close_crossings``, ``add_*``). Each records where every changed item
came from, so a later check can point at the scenario line that caused a problem."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from corridorsim.errors import Issue, ScenarioError
from corridorsim.located_yaml.diagnostics import issue_at, issues_from_validation, suggest
from corridorsim.located_yaml.reader import Located
from corridorsim.network.calibrated import builtin_calibration
from corridorsim.network.checks import Origin
from corridorsim.network.files import BUILTIN_NETWORK, read_network_file
from corridorsim.network.spec import CrossingSpec, Defaults, LinkSpec, NetworkSpec, SourcedValue
from corridorsim.scenario.format import Scenario
from corridorsim.scenario.speed_basis import speeds_for_basis

__all__ = ["ChangedNetwork", "apply_network_changes"]

KINDS = ("nodes", "links", "crossings", "terminals", "destinations", "ports")
BASE = ("network",)


@dataclass(frozen=True)
class ChangedNetwork:
    """The network file with the scenario's changes, where each item came from, and
    what the scenario closes."""

    spec: NetworkSpec
    origin: Callable[[str, int], Origin]
    closed_links: set[str]
    closed_crossings: set[str]
    built: dict[str, str] = field(default_factory=dict)
    """Links the scenario ``build``s, with the status they had in the network file."""


class _Editor:
    """The network's items as lists being edited, their origins, and the issues found."""

    def __init__(self, scenario: Scenario, located: Located, spec: NetworkSpec, net: Located):
        self.scenario = scenario
        self.located = located
        self.spec = spec
        self.issues: list[Issue] = []
        self.lists: dict[str, list[Any]] = {k: list(getattr(spec, k)) for k in KINDS}
        self.origins = {k: [Origin(net, (k, i)) for i in range(len(self.lists[k]))] for k in KINDS}
        self.groups: dict[str, list[int]] = {}
        self.built: dict[str, str] = {}

    @property
    def links(self) -> list[LinkSpec]:
        return self.lists["links"]

    @property
    def crossings(self) -> list[CrossingSpec]:
        return self.lists["crossings"]

    def issue(self, path: tuple[str | int, ...], message: str, *, at_key: bool = False) -> None:
        self.issues.append(issue_at(self.located, path, message, at_key=at_key))

    def find_link(self, ref: str) -> int | None:
        """Index of link ``FROM-TO:mode`` (either direction), or None."""
        ends, _, mode = ref.partition(":")
        a, _, b = ends.partition("-")
        for i, ls in enumerate(self.links):
            if ls.mode == mode and {ls.from_, ls.to} == {a, b}:
                return i
        return None

    def link_or_issue(
        self, ref: str, path: tuple[str | int, ...], *, at_key: bool = False
    ) -> int | None:
        i = self.find_link(ref)
        if i is None:
            hint = suggest(ref, [ls.id for ls in self.links])
            self.issue(path, f"unknown link '{ref}'{hint}", at_key=at_key)
        return i

    def crossing_index(self) -> dict[str, int]:
        return {c.id: i for i, c in enumerate(self.crossings)}


def apply_network_changes(scenario: Scenario, located: Located) -> ChangedNetwork:
    """The scenario's network file with its ``network:`` changes applied.

    Raises
    ------
    ScenarioError
        Listing every change that names something unknown or makes an item invalid.
    """
    spec, net_located = _network_file(scenario, located)
    ed = _Editor(scenario, located, spec, net_located)
    _add_items(ed)
    for i, ls in enumerate(ed.links):
        for g in ls.groups:
            ed.groups.setdefault(g, []).append(i)
    _build(ed)
    _alignment(ed)
    _links(ed)
    defaults = _speeds(ed)
    _crossing_hours(ed)
    closed_links = _close_links(ed)
    closed_crossings = _close_crossings(ed)
    if ed.issues:
        raise ScenarioError(ed.issues)
    try:
        new_spec = NetworkSpec.model_validate(
            {"version": spec.version, "defaults": defaults, **ed.lists}
        )
    except ValidationError as exc:  # pragma: no cover - every part was validated already
        raise ScenarioError(issues_from_validation(exc, located, NetworkSpec)) from None
    origins = ed.origins
    return ChangedNetwork(
        new_spec, lambda kind, i: origins[kind][i], closed_links, closed_crossings, ed.built
    )


def _network_file(scenario: Scenario, located: Located) -> tuple[NetworkSpec, Located]:
    """The network file the scenario names (``network.file``), read and validated."""
    name = scenario.network.file
    if name == BUILTIN_NETWORK:
        return read_network_file(None)
    loc, _ = located.locs.find((*BASE, "file"))
    path = Path(loc.file).parent / name
    if not path.is_file():
        message = f"network file not found: {path}"
        raise ScenarioError([issue_at(located, (*BASE, "file"), message)])
    return read_network_file(path)


def _add_items(ed: _Editor) -> None:
    """``add_nodes``, ``add_crossings``, ``add_links``, ``add_terminals``."""
    ch = ed.scenario.network
    for kind, added in (
        ("nodes", ch.add_nodes),
        ("crossings", ch.add_crossings),
        ("links", ch.add_links),
        ("terminals", ch.add_terminals),
    ):
        for j, item in enumerate(added):
            ed.lists[kind].append(item)
            ed.origins[kind].append(Origin(ed.located, (*BASE, f"add_{kind}", j), changed=True))


def _build(ed: _Editor) -> None:
    """``build``: planned links, or groups of them, become operating."""
    for k, ref in enumerate(ed.scenario.network.build):
        path = (*BASE, "build", k)
        if ":" in ref:
            i = ed.link_or_issue(ref, path)
            targets = [] if i is None else [i]
        elif ref in ed.groups:
            targets = ed.groups[ref]
        else:
            hint = suggest(ref, ed.groups)
            groups = ", ".join(sorted(ed.groups))
            ed.issue(path, f"unknown link or group '{ref}'{hint}; groups: {groups}")
            continue
        for i in targets:
            if ed.links[i].status != "operating":
                ed.built[ed.links[i].id] = ed.links[i].status
            ed.links[i] = ed.links[i].model_copy(update={"status": "operating"})


def _alignment(ed: _Editor) -> None:
    """``alignment_km``: a group's links scaled to a stated total length."""
    for group, total in ed.scenario.network.alignment_km.items():
        if group not in ed.groups:
            hint = suggest(group, ed.groups)
            ed.issue((*BASE, "alignment_km", group), f"unknown group '{group}'{hint}", at_key=True)
            continue
        factor = total / sum(ed.links[i].km for i in ed.groups[group])
        for i in ed.groups[group]:
            ls = ed.links[i]
            split = None
            if ls.km_by_country is not None:
                split = {c: km * factor for c, km in ls.km_by_country.items()}
            ed.links[i] = ls.model_copy(update={"km": ls.km * factor, "km_by_country": split})


def _links(ed: _Editor) -> None:
    """``links``: fields of a link changed (its split by country scaled with ``km``)."""
    for ref, change in ed.scenario.network.links.items():
        path = (*BASE, "links", ref)
        i = ed.link_or_issue(ref, path, at_key=True)
        if i is None:
            continue
        update = change.model_dump(exclude_unset=True)
        data = ed.links[i].model_dump(by_alias=True)
        if "km" in update and data.get("km_by_country"):
            scale = update["km"] / data["km"]
            data["km_by_country"] = {c: km * scale for c, km in data["km_by_country"].items()}
        data.update(update)
        try:
            ed.links[i] = LinkSpec.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                ed.issue(path, f"{ref}: {str(err['msg']).removeprefix('Value error, ')}")
            continue
        ed.origins["links"][i] = Origin(ed.located, path, changed=True)


def _speeds(ed: _Editor) -> Defaults:
    """``speeds_kmh``: default speeds by mode and country, sourced to the scenario (on
    top of the speed basis's: CPMM's speed with delay under ``with_delay``)."""
    defaults = ed.spec.defaults
    changes = ed.scenario.network.speeds_kmh
    speeds = speeds_for_basis(ed.scenario, defaults)
    if not changes and speeds == defaults.speed_kmh:
        return defaults
    source = (f"scenario {ed.scenario.name}",)
    for mode, per in changes.items():
        for country, value in per.items():
            speeds.setdefault(mode, {})[country] = SourcedValue(value=value, source=source)
    return defaults.model_copy(update={"speed_kmh": speeds})


def _crossing_hours(ed: _Editor) -> None:
    """``crossing_hours``: a crossing's expected hours by mode."""
    by_id = ed.crossing_index()
    for cid, per_mode in ed.scenario.network.crossing_hours.items():
        path = (*BASE, "crossing_hours", cid)
        if cid not in by_id:
            ed.issue(path, f"unknown crossing '{cid}'{suggest(cid, by_id)}", at_key=True)
            continue
        c = ed.crossings[by_id[cid]]
        modes = dict(c.modes)
        for mode, hours in per_mode.items():
            if mode not in modes:
                serves = ", ".join(modes)
                message = f"crossing '{cid}' does not serve {mode} (it serves {serves})"
                ed.issue((*path, mode), message, at_key=True)
                continue
            builtin = modes[mode].hours
            _check_calibrated(ed, (cid, mode), (hours, builtin), (*path, mode))
            modes[mode] = modes[mode].model_copy(update={"hours": hours})
        ed.crossings[by_id[cid]] = c.model_copy(update={"modes": modes})


def _check_calibrated(
    ed: _Editor,
    key: tuple[str, str],
    hours: tuple[float, float],
    path: tuple[str | int, ...],
) -> None:
    """On the built-in network a crossing's hours (stated, and the network's) scale its
    calibrated clearance: no direction can take fewer than its queue, opening and
    service take with none."""
    if ed.scenario.network.file != "builtin" or hours[0] == hours[1]:
        return
    for c in builtin_calibration().crossings:
        why = c.too_short(*hours) if (c.crossing, c.mode) == key else None
        if why is not None:
            ed.issue(path, why)
            return


def _close_links(ed: _Editor) -> set[str]:
    """``close_links``: the ids of the links the scenario closes."""
    closed = set()
    for k, ref in enumerate(ed.scenario.network.close_links):
        i = ed.link_or_issue(ref, (*BASE, "close_links", k))
        if i is not None:
            closed.add(ed.links[i].id)
    return closed


def _close_crossings(ed: _Editor) -> set[str]:
    """``close_crossings``: the crossings the scenario closes."""
    by_id = ed.crossing_index()
    closed = set()
    for k, cid in enumerate(ed.scenario.network.close_crossings):
        if cid not in by_id:
            hint = suggest(cid, by_id)
            ed.issue((*BASE, "close_crossings", k), f"unknown crossing '{cid}'{hint}")
        closed.add(cid)
    return closed
