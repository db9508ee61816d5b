"""Lazy re-exports for package ``__init__`` modules (PEP 562).

A package lists where each public name lives; the module is imported the first time
the name is used. ``import corridorsim`` then costs almost nothing, and a command such
as ``corridorsim validate`` never imports the engine, pandas, scipy or matplotlib.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy"]


def lazy(
    package: str, names: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: ``names`` maps each public name
    to the module (absolute) that defines it."""

    def getattr_(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals_ = importlib.import_module(package).__dict__
        globals_[name] = value  # next time: no lookup
        return value

    def dir_() -> list[str]:
        return sorted(names)

    return getattr_, dir_
