"""corridorsim: a discrete-event simulator of the Trans-Afghan rail corridor.

Freight from Pakistan's ports through Afghanistan and Turkmenistan or Uzbekistan to
Kazakhstan, and the alternatives that compete with it, against the five-day goal.
"""

from corridorsim import _moved
from corridorsim._version import __version__
from corridorsim.errors import CorridorSimError, NetworkError, NoRouteError, ScenarioError
from corridorsim.experiments import compare, run, with_settings
from corridorsim.network import CorridorNetwork, Route, candidate_routes, route_through
from corridorsim.network.files import builtin_network, load_network
from corridorsim.results import Comparison, Results, Summary, load_results, summarize
from corridorsim.scenario import LoadedScenario, Scenario, default_scenario_path, load_scenario

__all__ = [
    "Comparison",
    "CorridorNetwork",
    "CorridorSimError",
    "LoadedScenario",
    "NetworkError",
    "NoRouteError",
    "Results",
    "Route",
    "Scenario",
    "ScenarioError",
    "Summary",
    "__version__",
    "builtin_network",
    "candidate_routes",
    "compare",
    "default_scenario_path",
    "load_network",
    "load_results",
    "load_scenario",
    "route_through",
    "run",
    "summarize",
    "with_settings",
]

_moved.install()
