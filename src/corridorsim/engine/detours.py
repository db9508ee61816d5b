"""The routes each flow may take: its own, and, when the scenario reroutes around
closures, the fastest way around each place on it that can close."""

from __future__ import annotations

from corridorsim.errors import NoRouteError
from corridorsim.network.routes import Route, candidate_routes
from corridorsim.scenario.loader import LoadedScenario

__all__ = ["flow_routes"]


def flow_routes(loaded: LoadedScenario) -> list[list[Route]]:
    """Per flow (in demand order): its route first, then its detours (if any)."""
    sc, net = loaded.scenario, loaded.network
    disrupted = set()
    targets = [d.target for d in sc.disruptions.random]
    targets += [d.target for d in sc.disruptions.scheduled]
    targets += list(sc.disruptions.observed_closures)
    targets += [d.target for d in sc.disruptions.seasonal]
    for target in targets:
        disrupted.add(target if target in net.crossings else net.link(target).id)
    out = []
    for flow in sc.demand:
        primary = loaded.routes[flow.name]
        routes = [primary]
        if sc.disruptions.rerouting.enabled and flow.route is None:
            on_route = set(primary.link_ids) | {c for c, _ in primary.crossings}
            for target in sorted(disrupted & on_route):
                try:
                    (alt,) = candidate_routes(
                        net, flow.origin, flow.destination, k=1, modes=flow.modes, avoid=[target]
                    )
                except NoRouteError:
                    continue
                if all(alt.link_ids != r.link_ids for r in routes):
                    routes.append(alt)
        out.append(routes)
    return out
