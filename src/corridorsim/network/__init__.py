"""The corridor network: data format, graph, checks and route queries (names imported
on first use)."""

from corridorsim._lazy import lazy

_WHERE = {
    "CorridorNetwork": "corridorsim.network.graph",
    "Crossing": "corridorsim.network.graph",
    "GaugeBreak": "corridorsim.network.routes",
    "Leg": "corridorsim.network.routes",
    "Link": "corridorsim.network.graph",
    "ModeChange": "corridorsim.network.routes",
    "Node": "corridorsim.network.graph",
    "Route": "corridorsim.network.routes",
    "Terminal": "corridorsim.network.graph",
    "candidate_routes": "corridorsim.network.routes",
    "make_route": "corridorsim.network.routes",
    "route_through": "corridorsim.network.routes",
}

__all__ = [
    "CorridorNetwork",
    "Crossing",
    "GaugeBreak",
    "Leg",
    "Link",
    "ModeChange",
    "Node",
    "Route",
    "Terminal",
    "candidate_routes",
    "make_route",
    "route_through",
]

__getattr__, __dir__ = lazy(__name__, _WHERE)
