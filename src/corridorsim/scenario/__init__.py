"""Scenario files: schema, loading with ``extends``, network changes and checks."""

from corridorsim.scenario.format import Scenario
from corridorsim.scenario.loader import (
    LoadedScenario,
    default_scenario_path,
    load_scenario,
    read_scenario,
)

__all__ = ["LoadedScenario", "Scenario", "default_scenario_path", "load_scenario", "read_scenario"]
