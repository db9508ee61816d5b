"""Cross-checks of a scenario against its network, once both are valid on their own:
flows (unique names, known nodes, a route, a train capacity for every gauge), border
parameters, port dwell, disruption targets and dates. Every problem is reported at the scenario
line that causes it."""

from __future__ import annotations

from corridorsim.errors import Issue, NetworkError, NoRouteError, ScenarioError
from corridorsim.located_yaml.diagnostics import issue_at, suggest, suggest_node
from corridorsim.located_yaml.reader import Located
from corridorsim.network.closures import builtin_closure_fit
from corridorsim.network.graph import CorridorNetwork
from corridorsim.network.routes import Route, candidate_routes, route_through
from corridorsim.scenario.format import Flow, Scenario

__all__ = ["check_scenario"]


def check_scenario(scenario: Scenario, located: Located, net: CorridorNetwork) -> dict[str, Route]:
    """Each flow's route, after checking the whole scenario against ``net``.

    Raises
    ------
    ScenarioError
        Listing every problem found.
    """
    issues: list[Issue] = []
    routes = _flows(scenario, located, net, issues)
    issues += _borders(scenario, located, net)
    issues += _ports(scenario, located, net)
    issues += _rates(scenario, located)
    issues += _countries(scenario, located, net)
    issues += _disruptions(scenario, located, net)
    if issues:
        raise ScenarioError(issues)
    return routes


def _flows(
    scenario: Scenario, located: Located, net: CorridorNetwork, issues: list[Issue]
) -> dict[str, Route]:
    routes: dict[str, Route] = {}
    seen: set[str] = set()
    for i, flow in enumerate(scenario.demand):
        if flow.name in seen:
            message = f"two flows are named '{flow.name}'; give each an id"
            issues.append(issue_at(located, ("demand", i), message))
        seen.add(flow.name)
        unknown = _unknown_nodes(flow, i, located, net)
        issues += unknown
        if unknown:
            continue
        route = _route(flow, i, located, net, issues)
        if route is None:
            continue
        routes[flow.name] = route
        gauges = [leg.gauge_mm for leg in route.legs if leg.gauge_mm is not None]
        missing = [g for g in gauges if g not in scenario.operations.train_capacity_teu]
        if missing:
            g = missing[0]
            message = (
                f"flow '{flow.name}' runs on {g} mm track but no train capacity is given for {g} mm"
            )
            issues.append(issue_at(located, ("operations", "train_capacity_teu"), message))
    return routes


def _unknown_nodes(flow: Flow, i: int, located: Located, net: CorridorNetwork) -> list[Issue]:
    names = {n.id: n.name for n in net.nodes.values()}
    refs: list[tuple[tuple[str | int, ...], str]] = [
        (("demand", i, "origin"), flow.origin),
        (("demand", i, "destination"), flow.destination),
        *((("demand", i, "route", j), node) for j, node in enumerate(flow.route or ())),
    ]
    return [
        issue_at(located, path, f"unknown node '{node}'{suggest_node(node, names)}")
        for path, node in refs
        if node not in net.nodes
    ]


def _route(
    flow: Flow, i: int, located: Located, net: CorridorNetwork, issues: list[Issue]
) -> Route | None:
    """The flow's fixed route, or its fastest; None (and an issue) if there is none."""
    try:
        if flow.route is not None:
            return route_through(net, flow.route, modes=flow.modes)
        return candidate_routes(net, flow.origin, flow.destination, k=1, modes=flow.modes)[0]
    except (NoRouteError, NetworkError) as exc:
        where: tuple[str | int, ...] = (
            ("demand", i, "route") if flow.route is not None else ("demand", i)
        )
        message = (
            f"{exc}; build the planned links it needs (network.build), reopen a closed "
            "one, or allow another mode (modes)"
        )
        issues.append(issue_at(located, where, message))
        return None


def _borders(scenario: Scenario, located: Located, net: CorridorNetwork) -> list[Issue]:
    issues = []
    for cid, per_mode in scenario.borders.crossings.items():
        path = ("borders", "crossings", cid)
        if cid not in net.crossings:
            message = f"unknown crossing '{cid}'{suggest(cid, net.crossings)}"
            issues.append(issue_at(located, path, message, at_key=True))
            continue
        for mode in per_mode:
            if mode not in net.crossings[cid].modes:
                message = f"crossing '{cid}' does not serve {mode}"
                issues.append(issue_at(located, (*path, mode), message, at_key=True))
    return issues


def _ports(scenario: Scenario, located: Located, net: CorridorNetwork) -> list[Issue]:
    issues = []
    ports = sorted(n.id for n in net.nodes.values() if n.kind == "port")
    named = [("dwell_hours", n) for n in scenario.ports.dwell_hours]
    named += [("handling_usd_per_teu", n) for n in scenario.ports.handling_usd_per_teu]
    for key, node in named:
        path = ("ports", key, node)
        if node not in net.nodes:
            names = {n.id: n.name for n in net.nodes.values()}
            message = f"unknown node '{node}'{suggest_node(node, names)}"
        elif net.nodes[node].kind != "port":
            message = f"{node} is a {net.nodes[node].kind}, not a port (ports: {', '.join(ports)})"
        else:
            continue
        issues.append(issue_at(located, path, message, at_key=True))
    return issues


def _rates(scenario: Scenario, located: Located) -> list[Issue]:
    """Quoted rates name the scenario's flows."""
    names = [f.name for f in scenario.demand]
    return [
        issue_at(
            located,
            ("freight_rates", "usd_per_teu", fid),
            f"unknown flow '{fid}'{suggest(fid, names)}; flows: {', '.join(names)}",
            at_key=True,
        )
        for fid in scenario.freight_rates.usd_per_teu
        if fid not in names
    ]


def _countries(scenario: Scenario, located: Located, net: CorridorNetwork) -> list[Issue]:
    """Country codes in by-country settings must be countries the network has nodes in."""
    known = sorted({n.country for n in net.nodes.values()})
    named = [
        (("network", "speeds_kmh", mode, cc))
        for mode, by in scenario.network.speeds_kmh.items()
        for cc in by
    ]
    named += [
        ("operations", "en_route_delay_hours_per_100km", mode, cc)
        for mode, by in scenario.operations.en_route_delay_hours_per_100km.items()
        for cc in by
    ]
    return [
        issue_at(
            located,
            path,
            f"unknown country '{path[-1]}'; the network's countries: {', '.join(known)}",
            at_key=True,
        )
        for path in named
        if path[-1] not in known
    ]


def _disruptions(scenario: Scenario, located: Located, net: CorridorNetwork) -> list[Issue]:
    issues = []
    targets = set(net.links) | set(net.crossings)
    d = scenario.disruptions
    named = [("random", k, x.target) for k, x in enumerate(d.random)]
    named += [("scheduled", k, x.target) for k, x in enumerate(d.scheduled)]
    named += [("seasonal", k, x.target) for k, x in enumerate(d.seasonal)]
    for section, k, target in named:
        if target in net.crossings:
            continue
        try:
            net.link(target)
        except NetworkError:
            hint = suggest(target, targets)
            message = f"unknown link or crossing '{target}'{hint}"
            issues.append(issue_at(located, ("disruptions", section, k, "target"), message))
    fitted = builtin_closure_fit()
    known = sorted(fitted.fit.rate_per_year) if fitted is not None else []
    for k, cid in enumerate(d.observed_closures):
        if cid not in known:
            message = (
                f"no observed closure record for '{cid}'{suggest(cid, known)}; the record "
                f"covers {', '.join(known) or 'no crossing'}"
            )
            issues.append(issue_at(located, ("disruptions", "observed_closures", k), message))
    horizon = scenario.simulation.horizon_days
    for k, sc in enumerate(d.scheduled):
        if sc.start_day >= horizon:
            message = f"starts on day {sc.start_day:g}, after the horizon ({horizon:g} days)"
            issues.append(issue_at(located, ("disruptions", "scheduled", k, "start_day"), message))
    return issues
