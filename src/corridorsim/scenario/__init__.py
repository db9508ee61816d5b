"""Scenario files: format, loading with ``extends``, network changes and checks (names
imported on first use)."""

from corridorsim._lazy import lazy

_WHERE = {
    "LoadedScenario": "corridorsim.scenario.loader",
    "Scenario": "corridorsim.scenario.format",
    "default_scenario_path": "corridorsim.scenario.loader",
    "load_scenario": "corridorsim.scenario.loader",
    "read_scenario": "corridorsim.scenario.loader",
}

__all__ = [
    "LoadedScenario",
    "Scenario",
    "default_scenario_path",
    "load_scenario",
    "read_scenario",
]

__getattr__, __dir__ = lazy(__name__, _WHERE)
