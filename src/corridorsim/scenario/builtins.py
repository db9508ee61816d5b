"""The scenarios shipped with corridorsim, reachable by name wherever a scenario file is
expected: ``corridorsim run western-rail``, ``extends: builtin:western-rail``, or a
file name (``western-rail.yaml``) that is not found where it was looked for."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["PREFIX", "builtin_folder", "builtin_names", "find_builtin", "where_looked"]

PREFIX = "builtin:"
"""Names a built-in scenario explicitly: ``builtin:western-rail``."""


def builtin_folder() -> Path:
    """The folder of the built-in scenarios (inside the installed package)."""
    return Path(str(resources.files("corridorsim") / "scenarios"))


def builtin_names() -> list[str]:
    """The built-in scenarios' names (file names without ``.yaml``), sorted."""
    return sorted(p.stem for p in builtin_folder().glob("*.yaml"))


def find_builtin(ref: str) -> Path | None:
    """The built-in scenario ``ref`` names (``builtin:NAME``, ``NAME`` or
    ``NAME.yaml``, no folder), or None."""
    name = ref.removeprefix(PREFIX).strip()
    if not name or Path(name).name != name:
        return None
    path = builtin_folder() / (name if name.endswith(".yaml") else f"{name}.yaml")
    return path if path.is_file() else None


def where_looked(ref: str, folder: Path | None = None) -> str:
    """Where a scenario ``ref`` was looked for, for a "not found" message."""
    local = "" if ref.startswith(PREFIX) else f"looked in {folder or Path.cwd()} and "
    return f"{local}the built-in scenarios: {', '.join(builtin_names())}"
