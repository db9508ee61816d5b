"""The SimPy engine: plan, model, vehicle processes, resources, consolidation and random
streams. It returns what it recorded as arrays (:class:`RunOutput`); the results layer
makes tables of them."""

from __future__ import annotations

import warnings
from typing import Any

from corridorsim.engine.model import ConservationError, CorridorModel
from corridorsim.engine.output import RunOutput, Stage
from corridorsim.engine.plan import Plan

__all__ = ["ConservationError", "CorridorModel", "Plan", "RunOutput", "Stage"]

_MOVED = {"CATEGORIES": "corridorsim.results.tables", "RunRecords": "corridorsim.results.tables"}


def __getattr__(name: str) -> Any:
    """Names that moved to the results layer stay importable from here for one release."""
    if name in _MOVED:
        import importlib

        warnings.warn(
            f"corridorsim.engine.{name} moved to {_MOVED[name]}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module 'corridorsim.engine' has no attribute {name!r}")
