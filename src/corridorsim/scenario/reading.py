"""Reading a scenario file and the files it ``extends``, merged child over parent, with
the position of every value kept for messages."""

from __future__ import annotations

from pathlib import Path

from corridorsim.errors import ScenarioError
from corridorsim.located_yaml.diagnostics import issue_at
from corridorsim.located_yaml.reader import Located, merge, read_yaml

__all__ = ["read_scenario"]


def read_scenario(path: str | Path) -> Located:
    """Read a scenario file and everything it ``extends``, merged (child over parent).

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
    parent_ref = located.data.get("extends")
    if parent_ref is None:
        return located
    parent = _parent(located, path, parent_ref, chain)
    base = _read(parent, str(Path(display).parent / parent_ref), (*chain, path.resolve()))
    child_data = dict(located.data)
    del child_data["extends"]
    child_locs = located.locs
    child_locs.children = {k: v for k, v in child_locs.children.items() if k != "extends"}
    return merge(base, Located(child_data, child_locs))


def _parent(located: Located, path: Path, ref: object, chain: tuple[Path, ...]) -> Path:
    """The file ``extends`` names, checked: a file name, no cycle, the file exists."""
    if not isinstance(ref, str) or not ref.strip():
        raise ScenarioError(
            [issue_at(located, ("extends",), f"extends takes a file name (got {ref!r})")]
        )
    parent = (path.parent / ref).resolve()
    here = path.resolve()
    if parent in (*chain, here):
        cycle = " → ".join(p.name for p in (*chain, here, parent))
        raise ScenarioError([issue_at(located, ("extends",), f"extends makes a cycle: {cycle}")])
    if not parent.is_file():
        message = f"file not found: {ref} (looked in {path.parent})"
        raise ScenarioError([issue_at(located, ("extends",), message)])
    return parent
