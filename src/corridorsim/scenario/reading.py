"""Reading a scenario file and the files it ``extends``, merged child over parent, with
the position of every value kept for messages."""

from __future__ import annotations

import os
from pathlib import Path

from corridorsim.errors import ScenarioError
from corridorsim.located_yaml.diagnostics import issue_at
from corridorsim.located_yaml.reader import Located, merge, read_yaml
from corridorsim.scenario.builtins import PREFIX, find_builtin, where_looked

__all__ = ["read_scenario"]


def read_scenario(path: str | Path) -> Located:
    """Read a scenario file and everything it ``extends`` (a file, or a list of files of
    which later ones override earlier ones), merged (child over parents). A parent not
    found beside the file, or named ``builtin:NAME``, is a built-in scenario of that
    name.

    Raises
    ------
    ScenarioError
        On a missing or unreadable file, bad YAML, a non-mapping document, or an
        ``extends`` cycle.
    """
    return _read(Path(path), str(path), ())


def _read(path: Path, display: str, chain: tuple[Path, ...]) -> Located:
    located = read_yaml(path, display=display)
    if not isinstance(located.data, dict):
        message = "a scenario file must be a mapping of keys (name:, demand:, ...)"
        raise ScenarioError([issue_at(located, (), message)])
    refs = located.data.get("extends")
    if refs is None:
        return located
    where: list[tuple[str | int, ...]] = [("extends",)]
    if isinstance(refs, list) and refs:  # several parents: later ones override earlier
        where = [("extends", i) for i in range(len(refs))]
    else:
        refs = [refs]
    base: Located | None = None
    for ref, at in zip(refs, where, strict=True):
        parent = _parent(located, path, ref, chain, at)
        shown = str(parent) if find_builtin(ref) == parent else str(Path(display).parent / ref)
        one = _read(parent, shown, (*chain, path.resolve()))
        base = one if base is None else merge(base, one)
    assert base is not None
    child_data = dict(located.data)
    del child_data["extends"]
    child_locs = located.locs
    child_locs.children = {k: v for k, v in child_locs.children.items() if k != "extends"}
    return merge(base, Located(child_data, child_locs))


def _parent(
    located: Located,
    path: Path,
    ref: object,
    chain: tuple[Path, ...],
    at: tuple[str | int, ...] = ("extends",),
) -> Path:
    """A file ``extends`` names, checked: a file name, no cycle, the file exists."""
    if not isinstance(ref, str) or not ref.strip():
        message = f"extends takes a file name or a list of them (got {ref!r})"
        raise ScenarioError([issue_at(located, at, message)])
    try:
        parent = (path.parent / ref).resolve()
    except (ValueError, OSError) as exc:  # a NUL byte, a name too long for the system
        raise ScenarioError([issue_at(located, at, f"not a usable file name: {exc}")]) from None
    except RuntimeError:  # Python before 3.13 on a loop of links
        message = f"{ref} is a loop of symbolic links; fix or remove them"
        raise ScenarioError([issue_at(located, at, message)]) from None
    if os.path.lexists(parent) and not os.path.exists(parent):
        message = f"{ref} is a symbolic link that leads nowhere (or to itself); fix or remove it"
        raise ScenarioError([issue_at(located, at, message)])
    if ref.startswith(PREFIX) or not parent.is_file():
        parent = find_builtin(ref) or parent
    here = path.resolve()
    if parent in (*chain, here):
        cycle = " → ".join(p.name for p in (*chain, here, parent))
        raise ScenarioError([issue_at(located, at, f"extends makes a cycle: {cycle}")])
    if not parent.is_file():
        message = f"file not found: {ref} ({where_looked(ref, path.parent)})"
        raise ScenarioError([issue_at(located, at, message)])
    return parent
