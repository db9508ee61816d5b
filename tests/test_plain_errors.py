"""Values of the wrong kind get plain words, never the validation library's: what the
field takes, in its unit, and the conversion that fixes a value written with another
unit. Checked over every field of the scenario format that a path of keys reaches."""

from __future__ import annotations

import pytest
import yaml

from corridorsim.errors import ScenarioError
from corridorsim.scenario.jsonschema import scenario_json_schema
from corridorsim.scenario.loader import load_scenario

LIBRARY_WORDS = ("Input should", "valid dictionary", "pydantic", "type=", "Field required")


def _resolve(node: dict, defs: dict) -> dict:
    while "$ref" in node:
        node = defs[node["$ref"].split("/")[-1]]
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in node.get(key, []):
            resolved = _resolve(sub, defs)
            if "properties" in resolved:
                return resolved
    return node


def _paths(node: dict, defs: dict, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    node = _resolve(node, defs)
    out = []
    for name, sub in node.get("properties", {}).items():
        here = (*prefix, name)
        out.append(here)
        if name not in ("extends", "demand") and len(here) < 6:
            out += _paths(sub, defs, here)
    return out


SCHEMA = scenario_json_schema()
PATHS = _paths(SCHEMA, SCHEMA.get("$defs", {}))
HAND_PICKED = [  # fields under keys a user names (crossings, ports, countries)
    ("borders", "crossings", "chaman", "rail", "exit", "processing_hours"),
    ("borders", "crossings", "chaman", "rail", "exit", "clearance_hours"),
    ("borders", "crossings", "chaman", "rail", "exit", "opening_hours", "close"),
    ("ports", "dwell_hours", "KHI"),
    ("network", "speeds_kmh", "rail", "AF"),
]


def _nest(path: tuple[str, ...], value: object) -> dict:
    out: object = value
    for key in reversed(path):
        out = {key: out}
    assert isinstance(out, dict)
    return out


@pytest.mark.parametrize("value", ["5 days", [1, 2], {"a": 1}], ids=["unit", "list", "map"])
def test_no_field_answers_in_the_librarys_words(tmp_path, value):
    assert len(PATHS) > 60
    seen = 0
    for path in PATHS + HAND_PICKED:
        body = {"extends": "builtin:default", "name": "t", **_nest(path, value)}
        if path[0] == "name":
            body["name"] = value
        f = tmp_path / "t.yaml"
        f.write_text(yaml.safe_dump(body), encoding="utf-8")
        try:
            load_scenario(f)
        except ScenarioError as exc:
            seen += 1
            text = str(exc)
            assert not any(w in text for w in LIBRARY_WORDS), (path, text)
    assert seen > 40  # most fields refuse such a value


@pytest.mark.parametrize(
    ("path", "value", "said"),
    [
        (("simulation", "horizon_days"), "2 weeks", "2 weeks = 14 days: write 14"),
        (HAND_PICKED[0], "5 days", "5 days = 120 hours: write 120"),
        (HAND_PICKED[4], "60 mph", "60 mph = 96.56 km/h: write 96.56"),
        (HAND_PICKED[3], "90 min", "hours as a number or a distribution"),
        (("target", "percentile"), "90%", "a number is needed (got '90%')"),
    ],
)
def test_a_value_with_a_unit_gets_its_conversion(tmp_path, path, value, said):
    f = tmp_path / "t.yaml"
    body = {"extends": "builtin:default", "name": "t", **_nest(path, value)}
    f.write_text(yaml.safe_dump(body), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(f)
    assert said in str(err.value)


def test_an_unquoted_time_of_day_is_explained(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_text(
        "extends: builtin:default\nname: t\nborders:\n  crossings:\n    chaman:\n"
        "      rail:\n        exit:\n          opening_hours: {open: '06:00', close: 18:00}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(f)
    assert "YAML reads an unquoted 18:00 as the number 1080 (base 60); write '18:00'" in str(
        err.value
    )
