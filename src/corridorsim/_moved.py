"""Modules renamed in 0.2, importable under their old names for one release.

``import corridorsim.network.model`` (say) gives the module's new home and a
``DeprecationWarning`` naming it. Only the names in :data:`MOVED` are handled; the
finder is added to ``sys.meta_path`` once, when ``corridorsim`` is imported.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import warnings
from types import ModuleType

__all__ = ["MOVED", "install"]

MOVED = {
    "corridorsim.inputs": "corridorsim.located_yaml",
    "corridorsim.inputs.yamlsrc": "corridorsim.located_yaml.reader",
    "corridorsim.inputs.diagnostics": "corridorsim.located_yaml.diagnostics",
    "corridorsim.network.model": "corridorsim.network.graph",
    "corridorsim.network.schema": "corridorsim.network.spec",
    "corridorsim.network.load": "corridorsim.network.files",
    "corridorsim.scenario.schema": "corridorsim.scenario.format",
    "corridorsim.results.loads": "corridorsim.engine.loads",
    "corridorsim.report.store": "corridorsim.results.store",
}


class _Alias(importlib.abc.Loader):
    def __init__(self, new: str):
        self.new = new

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        warnings.warn(
            f"{spec.name} was renamed {self.new}; the old name goes in the next release",
            DeprecationWarning,
            stacklevel=2,
        )
        return importlib.import_module(self.new)

    def exec_module(self, module: ModuleType) -> None:
        """The new module is already executed."""


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        new = MOVED.get(fullname)
        if new is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _Alias(new))


def install() -> None:
    """Add the finder of old module names (once)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.append(_Finder())
