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


def test_a_function_is_not_shadowed_by_its_module_whatever_is_imported_first():
    """``cs.goal_seek`` is the function even after the module that holds it has been
    imported (a submodule of the same name would replace the package's attribute)."""
    import subprocess
    import sys

    code = (
        "import corridorsim as cs, inspect\n"
        "cs.parse_target('p90<=5d')\n"
        "import corridorsim.goal_seeking\n"
        "from corridorsim.cli import what_it_takes\n"
        "assert inspect.isfunction(cs.goal_seek), type(cs.goal_seek)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
