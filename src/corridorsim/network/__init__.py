"""The corridor network: data format, graph, checks and route queries."""

from corridorsim.network.graph import CorridorNetwork, Crossing, Link, Node, Terminal
from corridorsim.network.routes import (
    GaugeBreak,
    Leg,
    ModeChange,
    Route,
    candidate_routes,
    make_route,
    route_through,
)

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
