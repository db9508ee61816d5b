"""The public API: curated, sorted, importable."""

from __future__ import annotations

import importlib

import pytest

MODULES = [
    "corridorsim",
    "corridorsim.network",
    "corridorsim.scenario",
    "corridorsim.distributions",
    "corridorsim.errors",
    "corridorsim.engine",
    "corridorsim.experiments",
    "corridorsim.results",
    "corridorsim.report",
    "corridorsim.plots",
]


@pytest.mark.parametrize("name", MODULES)
def test_all_is_sorted_and_importable(name):
    module = importlib.import_module(name)
    assert list(module.__all__) == sorted(module.__all__)
    for attr in module.__all__:
        assert hasattr(module, attr), f"{name}.{attr}"


def test_errors_refine_builtins():
    from corridorsim import NetworkError, NoRouteError, ScenarioError
    from corridorsim.errors import CorridorSimError, Issue

    err = ScenarioError([Issue("f.yaml", 3, 5, "demand[0].origin", "unknown node 'X'")])
    assert isinstance(err, ValueError)
    assert isinstance(err, CorridorSimError)
    assert str(err) == "f.yaml:3:5: demand[0].origin: unknown node 'X'"
    assert issubclass(NoRouteError, LookupError)
    assert issubclass(NoRouteError, NetworkError)
