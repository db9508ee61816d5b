"""corridorsim: a discrete-event simulator of the Trans-Afghan rail corridor.

Freight from Pakistan's ports through Afghanistan and Turkmenistan or Uzbekistan to
Kazakhstan, and the alternatives that compete with it, against the five-day goal.

The public names below are imported on first use, so ``import corridorsim`` is quick
and each command line tool loads only what it needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corridorsim import _moved
from corridorsim._lazy import lazy
from corridorsim._version import __version__

if TYPE_CHECKING:  # what the lazy names are, for type checkers and editors
    from corridorsim.errors import CorridorSimError, NetworkError, NoRouteError, ScenarioError
    from corridorsim.experiments import compare, run, with_settings
    from corridorsim.goal_seeking import goal_seek, parse_target
    from corridorsim.levers import rank_levers, read_levers
    from corridorsim.network.files import builtin_network, load_network
    from corridorsim.network.graph import CorridorNetwork
    from corridorsim.network.routes import Route, candidate_routes, route_through
    from corridorsim.results.comparison import Comparison
    from corridorsim.results.store import load_results
    from corridorsim.results.summary import Summary, summarize
    from corridorsim.results.tables import Results
    from corridorsim.scenario.format import Scenario
    from corridorsim.scenario.loader import LoadedScenario, default_scenario_path, load_scenario
    from corridorsim.sweeps import parse_vary, sweep

_WHERE = {
    "Comparison": "corridorsim.results.comparison",
    "CorridorNetwork": "corridorsim.network.graph",
    "CorridorSimError": "corridorsim.errors",
    "LoadedScenario": "corridorsim.scenario.loader",
    "NetworkError": "corridorsim.errors",
    "NoRouteError": "corridorsim.errors",
    "Results": "corridorsim.results.tables",
    "Route": "corridorsim.network.routes",
    "Scenario": "corridorsim.scenario.format",
    "ScenarioError": "corridorsim.errors",
    "Summary": "corridorsim.results.summary",
    "builtin_network": "corridorsim.network.files",
    "candidate_routes": "corridorsim.network.routes",
    "compare": "corridorsim.experiments",
    "default_scenario_path": "corridorsim.scenario.loader",
    "goal_seek": "corridorsim.goal_seeking",
    "load_network": "corridorsim.network.files",
    "load_results": "corridorsim.results.store",
    "load_scenario": "corridorsim.scenario.loader",
    "parse_target": "corridorsim.goal_seeking",
    "parse_vary": "corridorsim.sweeps",
    "rank_levers": "corridorsim.levers",
    "read_levers": "corridorsim.levers",
    "route_through": "corridorsim.network.routes",
    "run": "corridorsim.experiments",
    "summarize": "corridorsim.results.summary",
    "sweep": "corridorsim.sweeps",
    "with_settings": "corridorsim.experiments",
}

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
    "goal_seek",
    "load_network",
    "load_results",
    "load_scenario",
    "parse_target",
    "parse_vary",
    "rank_levers",
    "read_levers",
    "route_through",
    "run",
    "summarize",
    "sweep",
    "with_settings",
]

__getattr__, __dir__ = lazy(__name__, _WHERE)

_moved.install()
