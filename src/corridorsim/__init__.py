"""corridorsim: a discrete-event simulator of the Trans-Afghan rail corridor.

Freight from Pakistan's ports through Afghanistan and Turkmenistan or Uzbekistan to
Kazakhstan, and the alternatives that compete with it, against the five-day goal.
"""

from corridorsim.errors import CorridorSimError, NetworkError, NoRouteError, ScenarioError
from corridorsim.experiments import Results, run, with_settings
from corridorsim.network import CorridorNetwork, Route, candidate_routes, route_through
from corridorsim.network.load import builtin_network, load_network
from corridorsim.scenario import LoadedScenario, Scenario, default_scenario_path, load_scenario

__version__ = "0.1.0"

__all__ = [
    "CorridorNetwork",
    "CorridorSimError",
    "LoadedScenario",
    "NetworkError",
    "NoRouteError",
    "Results",
    "Route",
    "Scenario",
    "ScenarioError",
    "__version__",
    "builtin_network",
    "candidate_routes",
    "default_scenario_path",
    "load_network",
    "load_scenario",
    "route_through",
    "run",
    "with_settings",
]
