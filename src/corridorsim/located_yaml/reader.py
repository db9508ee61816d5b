"""Reading YAML with the position of every key and value, and merging for ``extends``.

PyYAML's safe composer gives a node tree with marks; we build plain Python data from
it ourselves so that each value's file, line and column can be found again from its
path (``("links", 3, "speed_kmh")``). Nothing in a file can run code: only the safe
scalar types (str, int, float, bool, null, timestamps as str) are built.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from corridorsim.errors import Issue, ScenarioError

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "Loc",
    "LocTree",
    "Located",
    "format_path",
    "merge",
    "parse_yaml",
    "read_yaml",
]

_MAX_NODES = 200_000  # guards against alias bombs ("billion laughs")
MAX_DEPTH = 50
"""Mappings and lists nested deeper than this are refused (a scenario needs about 8)."""
MAX_FILE_BYTES = 2_000_000
"""Largest input file read (the built-in network is 31 kB); checked before parsing."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: 10x faster
_CORE = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq")} | {
    _CORE + "timestamp",
    _CORE + "binary",
}
"""The tags of plain data; any other tag (``!!python/...``, ``!!set``, ``!custom``) is refused."""

Path_ = tuple[str | int, ...]

_YAML12_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+$")
"""Exponent notation that YAML 1.2 reads as a number and PyYAML (YAML 1.1) as text."""

_TAG_MESSAGE = (
    "unsupported tag '{tag}': scenario files hold plain data only (text, numbers, lists, mappings)"
)


@dataclass(frozen=True, slots=True)
class Loc:
    """A position in a file (1-based line and column)."""

    file: str
    line: int
    column: int


@dataclass(slots=True)
class LocTree:
    """Positions of a value (``loc``), of the key that holds it (``key``) and of its children."""

    loc: Loc
    key: Loc | None = None
    children: dict[str | int, LocTree] = field(default_factory=dict)

    def find(self, path: Path_) -> tuple[Loc, bool]:
        """The position for ``path``, or for its longest existing prefix.

        Returns the position and whether the whole path was found.
        """
        node = self
        for part in path:
            child = node.children.get(part)
            if child is None:
                return node.loc, False
            node = child
        return node.loc, True

    def find_key(self, path: Path_) -> Loc | None:
        """The position of the key that holds ``path`` (None if absent)."""
        node = self
        for part in path:
            child = node.children.get(part)
            if child is None:
                return None
            node = child
        return node.key


@dataclass(slots=True)
class Located:
    """Data read from YAML and the positions of everything in it."""

    data: Any
    locs: LocTree


def format_path(path: Path_) -> str:
    """``("links", 3, "km")`` -> ``links[3].km``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "-"


def _loc(file: str, mark: yaml.Mark) -> Loc:
    return Loc(file, mark.line + 1, mark.column + 1)


class _Builder:
    def __init__(self, file: str, loader: yaml.SafeLoader):
        self.file = file
        self.loader = loader
        self.count = 0
        self.merging: set[int] = set()  # mappings being merged, to refuse a cycle

    def fail(self, mark: yaml.Mark, path: Path_, message: str) -> ScenarioError:
        loc = _loc(self.file, mark)
        return ScenarioError([Issue(self.file, loc.line, loc.column, format_path(path), message)])

    def build(self, node: yaml.Node, path: Path_) -> tuple[Any, LocTree]:
        self.count += 1
        if self.count > _MAX_NODES:
            raise self.fail(node.start_mark, path, f"document too large (over {_MAX_NODES} values)")
        if len(path) > MAX_DEPTH:
            raise self.fail(node.start_mark, path, f"nested more than {MAX_DEPTH} levels deep")
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(node.start_mark, path, _TAG_MESSAGE.format(tag=node.tag))
        tree = LocTree(_loc(self.file, node.start_mark))
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, tree), tree
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, item_node in enumerate(node.value):
                value, child = self.build(item_node, (*path, i))
                items.append(value)
                tree.children[i] = child
            return items, tree
        return self.scalar(node, path), tree

    def mapping(self, node: yaml.MappingNode, path: Path_, tree: LocTree) -> dict[str, Any]:
        """A mapping's keys and values, with ``<<`` merge keys as YAML defines them: the
        mapping's own keys win over merged ones, and earlier merged maps over later."""
        out: dict[str, Any] = {}
        sources: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _CORE + "merge":
                sources += self.merge_sources(value_node, path)
                continue
            key = self.key(key_node, path)
            if key in out:
                raise self.fail(key_node.start_mark, (*path, key), f"duplicate key '{key}'")
            value, child = self.build(value_node, (*path, key))
            child.key = _loc(self.file, key_node.start_mark)
            out[key] = value
            tree.children[key] = child
        for source in sources:
            if id(source) in self.merging:
                raise self.fail(source.start_mark, path, "a mapping cannot merge itself ('<<')")
            self.merging.add(id(source))
            try:
                merged, merged_tree = self.build(source, (*path, "<<"))
            finally:
                self.merging.discard(id(source))
            for key, value in merged.items():
                if key not in out:
                    out[key] = value
                    tree.children[key] = merged_tree.children[key]
        return out

    def merge_sources(self, value_node: yaml.Node, path: Path_) -> list[yaml.Node]:
        """The mappings a ``<<`` key merges, in order of precedence."""
        nodes = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for n in nodes:
            if not isinstance(n, yaml.MappingNode):
                raise self.fail(n.start_mark, path, "'<<' merges a mapping or a list of mappings")
        return list(nodes)

    def key(self, key_node: yaml.Node, path: Path_) -> str:
        if not isinstance(key_node, yaml.ScalarNode):
            raise self.fail(key_node.start_mark, path, "a key must be a plain name")
        if key_node.tag not in _PLAIN_TAGS:
            raise self.fail(key_node.start_mark, path, _TAG_MESSAGE.format(tag=key_node.tag))
        key = self.loader.construct_object(key_node)
        if not isinstance(key, str):
            # YAML reads `1:` or `yes:` as a number or a boolean; keys here are names.
            key = str(key_node.value)
        return key

    def scalar(self, node: yaml.Node, path: Path_) -> Any:
        try:
            value = self.loader.construct_object(node)
        except yaml.constructor.ConstructorError:
            raise self.fail(node.start_mark, path, _TAG_MESSAGE.format(tag=node.tag)) from None
        except yaml.YAMLError as exc:
            problem = getattr(exc, "problem", None) or "cannot read this value"
            raise self.fail(node.start_mark, path, str(problem)) from None
        if isinstance(value, str) and not node.style and _YAML12_FLOAT.match(value):
            value = float(value)  # 1e6, 2.5E+3: numbers in YAML 1.2, text to PyYAML's 1.1
        if not isinstance(value, str | int | float | bool | type(None)):
            value = str(node.value)  # timestamps, binary: keep the text as written
        return value


def read_yaml(path: Path | str, *, display: str | None = None) -> Located:
    """Read one YAML document with the position of every value.

    Parameters
    ----------
    path : path-like
        The file to read.
    display : str, optional
        How to name the file in messages (default: ``path`` as given).

    Raises
    ------
    ScenarioError
        If the file cannot be read, is not valid YAML, is empty, or holds more than
        one document.
    """
    name = display or str(path)

    def fail(message: str) -> ScenarioError:
        return ScenarioError([Issue(name, None, None, "-", message)])

    try:
        raw = _read_regular_file(Path(path))
    except FileNotFoundError:
        raise fail("file not found") from None
    except OSError as exc:
        raise fail(f"cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise fail(str(exc)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(f"not UTF-8 text (byte {exc.start})") from None
    return parse_yaml(text, name)


def _read_regular_file(path: Path) -> bytes:
    """The bytes of ``path``, refusing (``ValueError``) folders, devices and pipes, whose
    reading could block or never end, and files over :data:`MAX_FILE_BYTES`."""
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise ValueError("is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise ValueError("is not a regular file (a device, pipe or socket); give a YAML file")
    too_big = (
        f"is {{size}}, over the {MAX_FILE_BYTES / 1e6:g} MB a scenario or network file "
        "may be; is this the right file?"
    )
    if st.st_size > MAX_FILE_BYTES:
        raise ValueError(too_big.format(size=f"{st.st_size / 1e6:,.1f} MB"))
    with open(path, "rb") as f:
        raw = f.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:  # grew since stat
        raise ValueError(too_big.format(size="larger than that"))
    return raw


class _SyntaxError(ScenarioError):
    """Text that is not YAML (as opposed to YAML that is not a valid scenario)."""


def parse_yaml(text: str, name: str) -> Located:
    """Parse YAML ``text`` (named ``name`` in messages); see :func:`read_yaml`."""
    try:
        return _parse(text, name, _Loader)
    except _SyntaxError as exc:
        if _Loader is yaml.SafeLoader:
            raise
        # libyaml found the error; PyYAML's parser describes it in plainer words
        try:
            _parse(text, name, yaml.SafeLoader)
        except _SyntaxError as plain:
            if plain.issues[0].line is not None:
                raise ScenarioError(plain.issues) from None
        except (ScenarioError, RecursionError):
            pass
        raise ScenarioError(exc.issues) from None


def _parse(text: str, name: str, loader_class: type[yaml.SafeLoader]) -> Located:
    loader: yaml.SafeLoader | None = None
    try:
        loader = loader_class(text)
        node = loader.get_single_node()
        if node is None:
            raise ScenarioError([Issue(name, 1, 1, "-", "the file is empty")])
        return Located(*_Builder(name, loader).build(node, ()))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            started = ""
            if exc.context_mark is not None and exc.context_mark.line != getattr(mark, "line", -1):
                started = f" that started at line {exc.context_mark.line + 1}"
            problem = f"{problem} ({exc.context}{started})"
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        raise _SyntaxError([Issue(name, line, col, "-", f"YAML syntax error: {problem}")]) from None
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        msg = f"character {exc.character!r} is not allowed in YAML (remove it)"
        raise _SyntaxError([Issue(name, line, col, "-", msg)]) from None
    except yaml.YAMLError as exc:
        raise _SyntaxError([Issue(name, None, None, "-", f"YAML error: {exc}")]) from None
    except RecursionError:
        raise _SyntaxError([Issue(name, None, None, "-", "nested too deeply")]) from None
    finally:
        if loader is not None:
            loader.dispose()


def _line_col(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def merge(base: Located, over: Located) -> Located:
    """Overlay ``over`` on ``base``: mappings merge key by key, anything else replaces.

    Lists are replaced whole, so a child scenario that gives ``demand:`` states all its
    flows. A mapping that makes a different choice (another ``policy`` of departure or
    ``dist`` of distribution) also replaces the base's whole, so the keys of the old
    choice do not linger. Positions follow the value that wins.
    """
    data, locs = _merge(base.data, base.locs, over.data, over.locs)
    return Located(data, locs)


CHOICES = ("policy", "dist")
"""Keys that choose among kinds of a mapping (the format's discriminators)."""


def _other_choice(bd: dict[Any, Any], od: dict[Any, Any]) -> bool:
    return any(k in od and k in bd and od[k] != bd[k] for k in CHOICES)


def _merge(bd: Any, bl: LocTree, od: Any, ol: LocTree) -> tuple[Any, LocTree]:
    if isinstance(bd, dict) and isinstance(od, dict) and not _other_choice(bd, od):
        data = dict(bd)
        tree = LocTree(ol.loc, ol.key, dict(bl.children))
        for key, value in od.items():
            if key in bd:
                data[key], tree.children[key] = _merge(
                    bd[key], bl.children[key], value, ol.children[key]
                )
                tree.children[key].key = ol.children[key].key
            else:
                data[key] = value
                tree.children[key] = ol.children[key]
        return data, tree
    return od, ol
