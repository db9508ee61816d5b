"""Loading a scenario: read (with ``extends``), validate, apply its network changes, check.

The result, :class:`LoadedScenario`, is trusted by everything downstream: every node and
link it names exists, every flow has a route, every break of gauge has a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from corridorsim.errors import Issue, NetworkError, NoRouteError, ScenarioError
from corridorsim.inputs.diagnostics import (
    issue_at,
    issues_from_validation,
    suggest,
    suggest_node,
    validate,
)
from corridorsim.inputs.yamlsrc import Located, merge, read_yaml
from corridorsim.network.checks import Origin, check_network
from corridorsim.network.load import BUILTIN_NETWORK, read_network_file
from corridorsim.network.model import CorridorNetwork
from corridorsim.network.routes import Route, candidate_routes, route_through
from corridorsim.network.schema import LinkSpec, NetworkSpec, SourcedValue
from corridorsim.scenario.schema import Scenario

__all__ = [
    "DEFAULT_SCENARIO",
    "LoadedScenario",
    "default_scenario_path",
    "load_scenario",
    "read_scenario",
]

DEFAULT_SCENARIO = "default.yaml"
"""The scenario ``corridorsim run`` uses when given none (shipped in the package)."""


def default_scenario_path() -> Path:
    """Path of the built-in default scenario (the planned western rail route)."""
    return Path(str(resources.files("corridorsim") / "scenarios" / DEFAULT_SCENARIO))


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario, its network with the scenario's changes, and each flow's route."""

    scenario: Scenario
    network: CorridorNetwork
    routes: dict[str, Route]
    path: str


def read_scenario(path: str | Path) -> Located:
    """Read a scenario file and everything it ``extends``, merged (child over parent).

    Raises
    ------
    ScenarioError
        On a missing or unreadable file, bad YAML, a non-mapping document, or an
        ``extends`` cycle.
    """
    return _read(Path(path), str(path), ())


def _read(path: Path, display: str, chain: tuple[Path, ...]) -> Located:
    located = read_yaml(path, display=display)
    if not isinstance(located.data, dict):
        raise ScenarioError(
            [
                issue_at(
                    located, (), "a scenario file must be a mapping of keys (name:, demand:, ...)"
                )
            ]
        )
    parent_ref = located.data.get("extends")
    if parent_ref is None:
        return located
    if not isinstance(parent_ref, str) or not parent_ref.strip():
        raise ScenarioError(
            [issue_at(located, ("extends",), f"extends takes a file name (got {parent_ref!r})")]
        )
    parent = (path.parent / parent_ref).resolve()
    here = path.resolve()
    if parent in (*chain, here):
        cycle = " → ".join(p.name for p in (*chain, here, parent))
        raise ScenarioError([issue_at(located, ("extends",), f"extends makes a cycle: {cycle}")])
    if not parent.is_file():
        raise ScenarioError(
            [
                issue_at(
                    located, ("extends",), f"file not found: {parent_ref} (looked in {path.parent})"
                )
            ]
        )
    parent_display = str(Path(display).parent / parent_ref)
    base = _read(parent, parent_display, (*chain, here))
    child_data = dict(located.data)
    del child_data["extends"]
    child_locs = located.locs
    child_locs.children = {k: v for k, v in child_locs.children.items() if k != "extends"}
    return merge(base, Located(child_data, child_locs))


def load_scenario(path: str | Path | None = None) -> LoadedScenario:
    """Load, validate and check a scenario file (the built-in default if ``path`` is None).

    Raises
    ------
    ScenarioError
        Listing every problem found, each as ``FILE:LINE:COL: field: problem``.
    """
    if path is None:
        path = default_scenario_path()
    located = read_scenario(path)
    scenario: Scenario = validate(Scenario, located)
    spec, origin, closed_links, closed_crossings = _apply_network_changes(scenario, located)
    issues = check_network(spec, origin)
    _raise(issues)
    net = _make_network(scenario, located, spec, closed_links, closed_crossings)
    routes = _check_scenario(scenario, located, net)
    return LoadedScenario(scenario, net, routes, str(path))


def _raise(issues: list[Issue]) -> None:
    if issues:
        raise ScenarioError(issues)


# --- network changes -------------------------------------------------------------------


def _apply_network_changes(
    scenario: Scenario, located: Located
) -> tuple[NetworkSpec, Any, set[str], set[str]]:
    ch = scenario.network
    base = ("network",)
    if ch.file == BUILTIN_NETWORK:
        spec, net_located = read_network_file(None)
    else:
        loc, _ = located.locs.find((*base, "file"))
        net_path = Path(loc.file).parent / ch.file
        if not net_path.is_file():
            _raise([issue_at(located, (*base, "file"), f"network file not found: {net_path}")])
        spec, net_located = read_network_file(net_path)

    origins: dict[str, list[Origin]] = {
        kind: [Origin(net_located, (kind, i)) for i in range(len(getattr(spec, kind)))]
        for kind in ("nodes", "links", "crossings", "terminals")
    }
    lists: dict[str, list[Any]] = {
        kind: list(getattr(spec, kind)) for kind in ("nodes", "links", "crossings", "terminals")
    }
    for kind, added in (
        ("nodes", ch.add_nodes),
        ("crossings", ch.add_crossings),
        ("links", ch.add_links),
        ("terminals", ch.add_terminals),
    ):
        for j, item in enumerate(added):
            lists[kind].append(item)
            origins[kind].append(Origin(located, (*base, f"add_{kind}", j), changed=True))

    issues: list[Issue] = []
    links: list[LinkSpec] = lists["links"]

    def find_link(ref: str) -> int | None:
        ends, _, mode = ref.partition(":")
        a, _, b = ends.partition("-")
        for i, ls in enumerate(links):
            if ls.mode == mode and {ls.from_, ls.to} == {a, b}:
                return i
        return None

    def unknown_link(ref: str, path: tuple[str | int, ...], *, at_key: bool = False) -> None:
        hint = suggest(ref, [ls.id for ls in links])
        issues.append(issue_at(located, path, f"unknown link '{ref}'{hint}", at_key=at_key))

    groups: dict[str, list[int]] = {}
    for i, ls in enumerate(links):
        for g in ls.groups:
            groups.setdefault(g, []).append(i)

    for k, ref in enumerate(ch.build):
        path = (*base, "build", k)
        if ":" in ref:
            i = find_link(ref)
            if i is None:
                unknown_link(ref, path)
                continue
            targets = [i]
        elif ref in groups:
            targets = groups[ref]
        else:
            hint = suggest(ref, groups)
            issues.append(
                issue_at(
                    located,
                    path,
                    f"unknown link or group '{ref}'{hint}; groups: {', '.join(sorted(groups))}",
                )
            )
            continue
        for i in targets:
            links[i] = links[i].model_copy(update={"status": "operating"})

    for group, total in ch.alignment_km.items():
        path = (*base, "alignment_km", group)
        if group not in groups:
            issues.append(
                issue_at(
                    located, path, f"unknown group '{group}'{suggest(group, groups)}", at_key=True
                )
            )
            continue
        current = sum(links[i].km for i in groups[group])
        factor = total / current
        for i in groups[group]:
            ls = links[i]
            split = None
            if ls.km_by_country is not None:
                split = {c: km * factor for c, km in ls.km_by_country.items()}
            links[i] = ls.model_copy(update={"km": ls.km * factor, "km_by_country": split})

    for ref, change in ch.links.items():
        path = (*base, "links", ref)
        i = find_link(ref)
        if i is None:
            unknown_link(ref, path, at_key=True)
            continue
        update = change.model_dump(exclude_unset=True)
        data = links[i].model_dump(by_alias=True)
        if "km" in update and data.get("km_by_country"):
            scale = update["km"] / data["km"]
            data["km_by_country"] = {c: km * scale for c, km in data["km_by_country"].items()}
        data.update(update)
        try:
            links[i] = LinkSpec.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                msg = str(err["msg"]).removeprefix("Value error, ")
                issues.append(issue_at(located, path, f"{ref}: {msg}"))
            continue
        origins["links"][i] = Origin(located, path, changed=True)

    defaults = spec.defaults
    if ch.speeds_kmh:
        speeds = {m: dict(v) for m, v in defaults.speed_kmh.items()}
        for mode, per in ch.speeds_kmh.items():
            for country, value in per.items():
                speeds.setdefault(mode, {})[country] = SourcedValue(
                    value=value, source=(f"scenario {scenario.name}",)
                )
        defaults = defaults.model_copy(update={"speed_kmh": speeds})

    crossings = lists["crossings"]
    by_id = {c.id: i for i, c in enumerate(crossings)}
    for cid, per_mode in ch.crossing_hours.items():
        path = (*base, "crossing_hours", cid)
        if cid not in by_id:
            issues.append(
                issue_at(
                    located, path, f"unknown crossing '{cid}'{suggest(cid, by_id)}", at_key=True
                )
            )
            continue
        c = crossings[by_id[cid]]
        modes = dict(c.modes)
        for mode, hours in per_mode.items():
            if mode not in modes:
                issues.append(
                    issue_at(
                        located,
                        (*path, mode),
                        f"crossing '{cid}' does not serve {mode} (it serves {', '.join(modes)})",
                        at_key=True,
                    )
                )
                continue
            modes[mode] = modes[mode].model_copy(update={"hours": hours})
        crossings[by_id[cid]] = c.model_copy(update={"modes": modes})

    closed_links: set[str] = set()
    for k, ref in enumerate(ch.close_links):
        i = find_link(ref)
        if i is None:
            unknown_link(ref, (*base, "close_links", k))
        else:
            closed_links.add(links[i].id)
    closed_crossings: set[str] = set()
    for k, cid in enumerate(ch.close_crossings):
        if cid not in by_id:
            issues.append(
                issue_at(
                    located,
                    (*base, "close_crossings", k),
                    f"unknown crossing '{cid}'{suggest(cid, by_id)}",
                )
            )
        closed_crossings.add(cid)
    _raise(issues)

    try:
        new_spec = NetworkSpec.model_validate(
            {
                "version": spec.version,
                "defaults": defaults,
                "nodes": lists["nodes"],
                "links": links,
                "crossings": crossings,
                "terminals": lists["terminals"],
            }
        )
    except ValidationError as exc:  # pragma: no cover - every part was validated already
        raise ScenarioError(issues_from_validation(exc, located, NetworkSpec)) from None

    def origin(kind: str, i: int) -> Origin:
        return origins[kind][i]

    return new_spec, origin, closed_links, closed_crossings


def _make_network(
    scenario: Scenario,
    located: Located,
    spec: NetworkSpec,
    closed_links: set[str],
    closed_crossings: set[str],
) -> CorridorNetwork:
    ts = scenario.transshipment
    term_nodes = {t.node for t in spec.terminals}
    issues = []
    terminal_hours = {}
    for node, params in ts.facilities.items():
        if node not in term_nodes:
            issues.append(
                issue_at(
                    located,
                    ("transshipment", "facilities", node),
                    f"no terminal at '{node}'{suggest(node, term_nodes)}; terminals are at "
                    f"{', '.join(sorted(term_nodes))} (add one under network.add_terminals)",
                    at_key=True,
                )
            )
        elif params.hours_per_train is not None:
            terminal_hours[node] = params.hours_per_train.mean
    _raise(issues)
    intermodal = ts.intermodal_default.hours_per_train
    return CorridorNetwork(
        spec,
        closed_links=closed_links,
        closed_crossings=closed_crossings,
        intermodal_hours=intermodal.mean if intermodal is not None else 0.0,
        terminal_hours=terminal_hours,
    )


# --- scenario-wide checks --------------------------------------------------------------


def _check_scenario(scenario: Scenario, located: Located, net: CorridorNetwork) -> dict[str, Route]:
    issues: list[Issue] = []
    routes: dict[str, Route] = {}
    names = {n.id: n.name for n in net.nodes.values()}
    flow_names: set[str] = set()
    for i, flow in enumerate(scenario.demand):
        path = ("demand", i)
        if flow.name in flow_names:
            issues.append(
                issue_at(located, path, f"two flows are named '{flow.name}'; give each an id")
            )
        flow_names.add(flow.name)
        bad = False
        for key in ("origin", "destination"):
            node = getattr(flow, key)
            if node not in net.nodes:
                issues.append(
                    issue_at(
                        located, (*path, key), f"unknown node '{node}'{suggest_node(node, names)}"
                    )
                )
                bad = True
        for j, node in enumerate(flow.route or ()):
            if node not in net.nodes:
                issues.append(
                    issue_at(
                        located,
                        (*path, "route", j),
                        f"unknown node '{node}'{suggest_node(node, names)}",
                    )
                )
                bad = True
        if bad:
            continue
        try:
            if flow.route is not None:
                route = route_through(net, flow.route, modes=flow.modes)
            else:
                route = candidate_routes(net, flow.origin, flow.destination, k=1, modes=flow.modes)[
                    0
                ]
        except (NoRouteError, NetworkError) as exc:
            where = (*path, "route") if flow.route is not None else path
            issues.append(
                issue_at(
                    located,
                    where,
                    f"{exc}; build the planned links it needs "
                    "(network.build), reopen a closed one, or allow another "
                    "mode (modes)",
                )
            )
            continue
        routes[flow.name] = route
        for leg in route.legs:
            g = leg.gauge_mm
            if g is not None and g not in scenario.operations.train_capacity_teu:
                issues.append(
                    issue_at(
                        located,
                        ("operations", "train_capacity_teu"),
                        f"flow '{flow.name}' runs on {g} mm track but no train capacity is given "
                        f"for {g} mm",
                    )
                )
                break

    for cid, per_mode in scenario.borders.crossings.items():
        path = ("borders", "crossings", cid)
        if cid not in net.crossings:
            issues.append(
                issue_at(
                    located,
                    path,
                    f"unknown crossing '{cid}'{suggest(cid, net.crossings)}",
                    at_key=True,
                )
            )
            continue
        for mode in per_mode:
            if mode not in net.crossings[cid].modes:
                issues.append(
                    issue_at(
                        located,
                        (*path, mode),
                        f"crossing '{cid}' does not serve {mode}",
                        at_key=True,
                    )
                )

    targets = set(net.links) | set(net.crossings)
    for section in ("random", "scheduled"):
        for k, d in enumerate(getattr(scenario.disruptions, section)):
            if d.target in net.crossings:
                continue
            try:
                net.link(d.target)
            except NetworkError:
                issues.append(
                    issue_at(
                        located,
                        ("disruptions", section, k, "target"),
                        f"unknown link or crossing '{d.target}'{suggest(d.target, targets)}",
                    )
                )
    for k, sc in enumerate(scenario.disruptions.scheduled):
        if sc.start_day >= scenario.simulation.horizon_days:
            issues.append(
                issue_at(
                    located,
                    ("disruptions", "scheduled", k, "start_day"),
                    f"starts on day {sc.start_day:g}, after the horizon "
                    f"({scenario.simulation.horizon_days:g} days)",
                )
            )
    _raise(issues)
    return routes
