"""Write docs/reference.md, the field reference of scenario files, from the JSON Schema
the package gives (`corridorsim schema`), so the page cannot drift from the format:
every field with its type, unit, default, allowed values and an example.

    python docs/make_reference.py [--check]

``--check`` exits 1 if the page is not what the schema gives (the test suite runs it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from corridorsim.scenario.jsonschema import scenario_json_schema

PAGE = Path(__file__).resolve().parent / "reference.md"

UNITS = (
    ("_usd_per_teu_km", "USD per TEU-km"),
    ("_usd_per_teu", "USD per TEU"),
    ("_hours_per_100km", "hours per 100 km"),
    ("_per_year", "per year"),
    ("_per_day", "per day"),
    ("hours", "hours"),
    ("_days", "days"),
    ("_kmh", "km/h"),
    ("_km", "km"),
    ("_teu", "TEU"),
    ("_mm", "mm"),
    ("percentile", "percent"),
    ("probability", "0 to 1"),
    ("share", "0 to 1"),
)

DIST_EXAMPLE = "`48` or `{dist: lognormal, mean: 48, sigma: 0.5}`"

INTRO = """# Scenario file reference

Generated from the scenario format by `python docs/make_reference.py` (a test fails when
the format changes and this page does not). Every key of a scenario file, with its type,
unit, default, allowed values and an example. `corridorsim schema` gives the same as a
JSON Schema for editors: with the YAML language server (VS Code's YAML extension,
Neovim's yamlls, JetBrains IDEs), write it to a file and put

```yaml
# yaml-language-server: $schema=./corridorsim-scenario.schema.json
```

at the top of a scenario (after `corridorsim schema -o corridorsim-scenario.schema.json`),
or map `scenarios/*.yaml` to it in the editor's `yaml.schemas` setting: keys are then
completed and checked as you type.

Conventions: a *distribution* is a number (a fixed value) or a mapping with `dist:` and
its parameters (`fixed`, `uniform`, `triangular`, `normal`, `lognormal`,
`exponential`, `gamma`, `empirical`); `<key>` stands for a key you choose (a node, a
crossing, a gauge in mm, a country code, a link such as `CHM-SBK:rail`). A file that
`extends` another may leave out any key its parent gives. A tutorial that builds a
scenario step by step is in [scenarios.md](scenarios.md).
"""


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = {
            **defs[node["$ref"].split("/")[-1]],
            **{k: v for k, v in node.items() if k != "$ref"},
        }
    return node


def _is_distribution(node: dict[str, Any]) -> bool:
    for option in node.get("anyOf", []):
        if "discriminator" in option and "lognormal" in option["discriminator"].get("mapping", {}):
            return True
    return "discriminator" in node and "lognormal" in node["discriminator"].get("mapping", {})


def _type(node: dict[str, Any], defs: dict[str, Any]) -> str:
    node = _resolve(node, defs)
    if _is_distribution(node):
        return "distribution"
    if "anyOf" in node:
        kinds = [_type(o, defs) for o in node["anyOf"]]
        kinds = [k for k in kinds if k != "null"]
        return " or ".join(dict.fromkeys(kinds)) or "null"
    if "oneOf" in node:
        return "one of: " + ", ".join(dict.fromkeys(_type(o, defs) for o in node["oneOf"]))
    if "enum" in node or "const" in node:
        return "text"
    t = node.get("type")
    if t == "array":
        return f"list of {_type(node.get('items', {}), defs)}"
    if t == "object" and "properties" not in node:
        values = _values(node)
        return f"mapping of <key> to {_type(values, defs)}" if values is not None else "mapping"
    if t == "object":
        return "section"
    return {
        "number": "number",
        "integer": "whole number",
        "string": "text",
        "boolean": "true/false",
    }.get(str(t), str(t or "any"))


def _values(node: dict[str, Any]) -> dict[str, Any] | None:
    """The schema of a mapping's values (``additionalProperties`` or the first
    ``patternProperties``), or None."""
    values = node.get("additionalProperties")
    if isinstance(values, dict):
        return values
    patterns = node.get("patternProperties") or {}
    return next(iter(patterns.values()), None)


def _allowed(node: dict[str, Any], defs: dict[str, Any]) -> str:
    node = _resolve(node, defs)
    keys = node.get("propertyNames", {}).get("enum")
    if keys:
        return "keys: " + ", ".join(f"`{k}`" for k in keys)
    if "enum" in node:
        return ", ".join(f"`{v}`" for v in node["enum"])
    if "const" in node:
        return f"`{node['const']}`"
    bits = []
    for key, sign in (
        ("minimum", "≥"),
        ("exclusiveMinimum", ">"),
        ("maximum", "≤"),
        ("exclusiveMaximum", "<"),
    ):
        if key in node:
            bits.append(f"{sign} {node[key]:g}")
    if "pattern" in node:
        bits.append(f"pattern `{node['pattern']}`")
    for option in node.get("anyOf", []):
        inner = _allowed(option, defs)
        if inner and not _is_distribution(node):
            bits.append(inner)
    return ", ".join(bits)


def _unit(name: str) -> str:
    for suffix, unit in UNITS:
        if name.endswith(suffix) or name == suffix:
            return unit
    return ""


def _cell(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    text = text if len(text) <= 60 else text[:57] + "…"
    return f"`{text}`"


NAMED = {
    "id": "`pk-to-kz`",
    "origin": "`KHI`",
    "destination": "`ALA`",
    "node": "`CHM`",
    "target": "`CHM-SBK:rail`",
    "extends": "`western-rail.yaml` or `[western-rail.yaml, builtin:security-disruptions]`",
    "sources": "`[S54, S124]`",
    "source": "`[S112]`",
    "route": "`[KHI, PQA, ROH, SIB, QTA, CHM]`",
    "times": '`["06:00", "18:00"]`',
    "build": "`[western-rail]`",
}


def _example(here: str, name: str, kind: str, default: Any, has_default: bool) -> str:
    if here == "name":
        return "`my-scenario`"
    if name in NAMED:
        return NAMED[name]
    if kind == "distribution":
        return DIST_EXAMPLE
    if kind == "section":
        return ""
    if has_default and default not in (None, {}, [], ""):
        return _cell(default)
    return {"number": "`1.5`", "whole number": "`2`", "true/false": "`true`"}.get(kind, "")


def _default(kind: str, default: Any, has_default: bool) -> str:
    if not has_default:
        return "required"
    if kind == "section":
        return "its fields' defaults"
    return "none" if default is None else _cell(default)


def _rows(
    node: dict[str, Any],
    defs: dict[str, Any],
    path: str,
    out: list[list[str]],
    given: dict[str, Any] | None = None,
) -> None:
    """Rows for ``node``'s fields; ``given`` is the default its parent gives it (which
    wins over the field's own, as in ``truck_departure``)."""
    node = _resolve(node, defs)
    for name, sub in node.get("properties", {}).items():
        here = f"{path}.{name}" if path else name
        full = _resolve(sub, defs)
        kind = _type(sub, defs)
        has_default = "default" in sub or "default" in full or (given or {}).get(name) is not None
        default = (given or {}).get(name, sub.get("default", full.get("default")))
        text = " ".join(str(sub.get("description") or full.get("description") or "").split())
        out.append(
            [
                f"`{here}`",
                kind,
                _unit(name)
                if kind.split()[0] in ("number", "whole", "distribution", "mapping")
                else "",
                _default(kind, default, has_default),
                _allowed(sub, defs),
                _example(here, name, kind, default, has_default),
                text,
            ]
        )
        _children(full, defs, here, out, default if isinstance(default, dict) else None)


def _children(
    full: dict[str, Any],
    defs: dict[str, Any],
    here: str,
    out: list[list[str]],
    given: dict[str, Any] | None = None,
) -> None:
    if "properties" in full and not _is_distribution(full):
        _rows(full, defs, here, out, given)
        return
    if _is_distribution(full):
        return
    tags = full.get("discriminator", {}).get("mapping", {})
    for tag, ref in tags.items():
        key = full["discriminator"]["propertyName"]
        mine = given if given and given.get(key) == tag else None
        _rows(_resolve({"$ref": ref}, defs), defs, f"{here} ({key}: {tag})", out, mine)
    if tags:
        return
    for option in full.get("anyOf", []) + full.get("oneOf", []):
        option = _resolve(option, defs)
        if option.get("type") == "array":
            _children(_resolve(option.get("items", {}), defs), defs, f"{here}[]", out)
        else:
            _children(option, defs, here, out)
    if full.get("type") == "array":
        _children(_resolve(full.get("items", {}), defs), defs, f"{here}[]", out)
    values = _values(full)
    if values is not None:
        values = _resolve(values, defs)
        if _values(values) is not None or "properties" in values or "anyOf" in values:
            out.append(
                [f"`{here}.<key>`", _type(values, defs), "", "", _allowed(values, defs), "", ""]
            )
        _children(values, defs, f"{here}.<key>", out)


def render() -> str:
    schema = scenario_json_schema()
    defs = schema.get("$defs", {})
    lines = [INTRO]
    for section, sub in schema["properties"].items():
        rows: list[list[str]] = []
        _rows({"properties": {section: sub}}, defs, "", rows)
        seen: set[str] = set()
        unique = [r for r in rows if not (r[0] in seen or seen.add(r[0]))]
        lines.append(f"## `{section}`\n")
        lines.append("| field | type | unit | default | allowed | example | what it is |")
        lines.append("|---|---|---|---|---|---|---|")
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in unique]
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the page is out of date")
    a = ap.parse_args()
    text = render()
    if a.check:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        print("current" if current == text else "out of date: run python docs/make_reference.py")
        sys.exit(0 if current == text else 1)
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE}")


if __name__ == "__main__":
    main()
