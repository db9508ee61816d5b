"""The architecture, checked: layers import only downwards, no import cycles, modules
and functions of a readable size. A failure prints the offending imports or places."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

SRC = Path(__file__).resolve().parent.parent / "src" / "corridorsim"

LAYERS = [
    # (layer, module prefixes); a module may import its own layer and those above it here
    (
        "base",
        [
            "_version",
            "_base",
            "_lazy",
            "_moved",
            "errors",
            "units",
            "quantities",
            "pools",
            "distributions",
            "located_yaml",
            "wording",
            "fingerprint",
        ],
    ),
    ("network", ["network"]),
    ("scenario", ["scenario"]),
    ("engine", ["engine"]),
    ("calibration", ["calibration", "crossing_sim", "closures"]),
    ("results", ["results"]),
    (
        "experiments",
        [
            "experiments",
            "workers",
            "batch",
            "vary",
            "sweeps",
            "spread",
            "goal_seeking",
            "market",
            "levers",
            "journeys",
        ],
    ),
    ("plots", ["plots"]),
    ("report", ["report"]),
    ("cli", ["cli", "__main__"]),
    ("api", [""]),  # the package itself: corridorsim/__init__.py
]
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(["corridorsim", *parts])] = path
    return out


MODULES = _modules()


def _layer(module: str) -> int:
    rel = module.removeprefix("corridorsim").removeprefix(".")
    best, rank = -1, len(LAYERS)
    for i, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if (rel == p or rel.startswith(p + ".") or p == "") and len(p) > best:
                best, rank = len(p), i
    return rank


def _type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING"
    )


def _imports(module: str, path: Path) -> list[tuple[str, int]]:
    """The corridorsim modules ``module`` imports at run time, with line numbers
    (imports under ``if TYPE_CHECKING:`` are for annotations only and are skipped)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and _type_checking(node)
        for b in node.body
        for n in ast.walk(b)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names if a.name.startswith("corridorsim")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("corridorsim"):
                continue
            for a in node.names:  # `from corridorsim import plots` imports a module
                sub = f"{node.module}.{a.name}"
                found.append((sub if sub in MODULES else node.module, node.lineno))
    return found


def _graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for module, path in MODULES.items():
        g.add_node(module)
        for target, line in _imports(module, path):
            if target != module:
                g.add_edge(module, target, line=line)
    return g


def test_every_module_has_a_layer():
    assert all(_layer(m) < len(LAYERS) for m in MODULES)


def test_layers_import_only_downwards():
    g = _graph()
    upward = [
        f"{MODULES[a].relative_to(SRC.parent)}:{d['line']}: {a} ({LAYERS[_layer(a)][0]}) "
        f"imports {b} ({LAYERS[_layer(b)][0]})"
        for a, b, d in g.edges(data=True)
        if _layer(b) > _layer(a)
    ]
    assert not upward, "upward imports:\n" + "\n".join(upward)


def test_no_import_cycles():
    g = _graph()
    # a package's __init__ re-exporting its own modules is not a cycle of concepts
    for a, b in list(g.edges):
        if b.startswith(a + "."):
            g.remove_edge(a, b)
    cycles = list(nx.simple_cycles(g))
    lines = [
        " -> ".join([*c, c[0]])
        + "  ("
        + ", ".join(
            f"{x} line {g.edges[x, y]['line']}" for x, y in zip(c, c[1:] + c[:1], strict=True)
        )
        + ")"
        for c in cycles
    ]
    assert not cycles, "import cycles:\n" + "\n".join(lines)


def test_the_checker_sees_upward_imports(tmp_path):
    """The guard itself: an engine module importing the report is caught."""
    assert _layer("corridorsim.report.writer") > _layer("corridorsim.engine.model")
    assert _layer("corridorsim.results.tables") > _layer("corridorsim.engine.output")
    assert _layer("corridorsim") == len(LAYERS) - 1
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from typing import TYPE_CHECKING\n"
        "from corridorsim.report.writer import write_run\n"
        "if TYPE_CHECKING:\n    from corridorsim.cli import main\n"
    )
    assert _imports("corridorsim.engine.bad", bad) == [("corridorsim.report.writer", 2)]


def test_modules_are_small():
    big = {
        str(p.relative_to(SRC.parent)): n
        for p in MODULES.values()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not big, f"modules over {MAX_MODULE_LINES} lines: {big}"


def _code_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function without its docstring."""
    n = node.end_lineno - node.lineno + 1
    first = node.body[0]
    docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    if docstring and isinstance(first.value.value, str):
        n -= first.end_lineno - first.lineno + 1
    return n


def test_functions_fit_on_a_screen():
    long = []
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = _code_lines(node)
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(SRC.parent)}:{node.lineno} {node.name} ({n})")
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(long)
