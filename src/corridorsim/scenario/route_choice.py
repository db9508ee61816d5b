"""Which route a flow takes, and why: the fastest expected route (as a shipper would
choose it), or one the scenario fixes, with its stated reason and the fastest route
beside it, so a report never hides a slower route a scenario imposed."""

from __future__ import annotations

from dataclasses import dataclass

from corridorsim.network.routes import Route, candidate_routes, route_through
from corridorsim.scenario.loader import LoadedScenario

__all__ = ["RouteChoice", "route_choice", "route_notes"]

SLOWER_HOURS = 1.0
"""A fixed route expected this much slower than the fastest is said to be slower."""


@dataclass(frozen=True)
class RouteChoice:
    """A flow's route choice: ``fixed`` by the scenario (with its ``reason``) or the
    fastest; the fastest expected route and both routes' expected hours."""

    flow: str
    fixed: bool
    reason: str
    route: Route
    fastest: Route

    @property
    def slower_hours(self) -> float:
        """Expected hours the route takes beyond the fastest (0 when it is the fastest)."""
        return max(0.0, self.route.expected_hours - self.fastest.expected_hours)

    def sentence(self) -> str:
        """How the route was chosen, in one sentence for the report."""
        if not self.fixed:
            return "The fastest expected route among the flow's modes (chosen by corridorsim)."
        why = f": {self.reason.rstrip('.')}" if self.reason else " (no reason stated)"
        text = f"Fixed by the scenario{why}."
        if self.slower_hours >= SLOWER_HOURS:
            f = self.fastest
            text += (
                f" The fastest expected route would be {f.label} ({f.distance_km:,.0f} km, "
                f"{f.expected_hours:.0f} h expected against this route's "
                f"{self.route.expected_hours:.0f} h)."
            )
        return text


def route_choice(loaded: LoadedScenario, flow_name: str) -> RouteChoice:
    """The route choice of flow ``flow_name`` (both routes on the scenario's network)."""
    flow = next(f for f in loaded.scenario.demand if f.name == flow_name)
    net = loaded.network
    fastest = candidate_routes(net, flow.origin, flow.destination, k=1, modes=flow.modes)[0]
    if flow.route is None:
        return RouteChoice(flow.name, False, "", fastest, fastest)
    fixed = route_through(net, flow.route, modes=flow.modes)
    return RouteChoice(flow.name, True, flow.route_reason, fixed, fastest)


def route_notes(loaded: LoadedScenario) -> list[str]:
    """A warning for each route fixed without a stated reason that is expected to be
    slower than the fastest: a shipper would not take it unless something forces it."""
    notes = []
    for i, flow in enumerate(loaded.scenario.demand):
        if flow.route is None or flow.route_reason:
            continue
        choice = route_choice(loaded, flow.name)
        if choice.slower_hours >= SLOWER_HOURS:
            notes.append(
                f"flow {flow.name}: its fixed route is expected {choice.slower_hours:.0f} h "
                f"slower than the fastest ({choice.fastest.label}); say why in "
                f"demand[{i}].route_reason, or remove demand[{i}].route"
            )
    return notes
