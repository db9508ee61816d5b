"""Reading YAML with positions, and merging for ``extends``."""

from __future__ import annotations

import pytest

from corridorsim.errors import ScenarioError
from corridorsim.located_yaml.reader import format_path, merge, parse_yaml

TEXT = """\
name: x
network:
  links:
    "A-B:rail": {speed_kmh: 40}
demand:
  - origin: KHI
    destination: BEY
"""


def test_positions_of_values_and_keys():
    doc = parse_yaml(TEXT, "f.yaml")
    loc, found = doc.locs.find(("demand", 0, "destination"))
    assert found
    assert (loc.file, loc.line, loc.column) == ("f.yaml", 7, 18)
    key = doc.locs.find_key(("network", "links", "A-B:rail", "speed_kmh"))
    assert (key.line, key.column) == (4, 18)


def test_missing_path_falls_back_to_the_longest_prefix():
    doc = parse_yaml(TEXT, "f.yaml")
    loc, found = doc.locs.find(("demand", 0, "nothing", "here"))
    assert not found
    assert loc.line == 6


def test_scalars_are_typed_and_keys_are_strings():
    doc = parse_yaml("a: 1\nb: 2.5\nc: yes\nd: null\n1676: 75\nt: 2026-02-04\n", "f")
    assert doc.data == {"a": 1, "b": 2.5, "c": True, "d": None, "1676": 75, "t": "2026-02-04"}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\na: 2\n", 2, "duplicate key 'a'"),
        ("a: [1, 2\n", 2, "YAML syntax error"),
        ("", 1, "the file is empty"),
        ("a: !!python/object:os.system 'echo'\n", 1, "unsupported tag"),
        ("a: !!python/name:os.system\n", 1, "unsupported tag"),
        ("a: !custom 3\n", 1, "unsupported tag '!custom'"),
        ("? [a, b]\n: 1\n", 1, "a key must be a plain name"),
        ("--- 1\n--- 2\n", 2, "YAML syntax error"),
    ],
)
def test_bad_yaml(text, line, message):
    with pytest.raises(ScenarioError) as info:
        parse_yaml(text, "f.yaml")
    (issue,) = info.value.issues
    assert issue.line == line
    assert message in issue.message


def test_alias_bomb_is_refused():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    with pytest.raises(ScenarioError, match="too large"):
        parse_yaml("\n".join(lines) + "\n", "bomb.yaml")


def test_merge_overrides_mappings_and_replaces_lists():
    base = parse_yaml("a: {x: 1, y: 2}\nl: [1, 2, 3]\nkeep: k\n", "base.yaml")
    over = parse_yaml("a: {y: 20, z: 30}\nl: [9]\n", "child.yaml")
    merged = merge(base, over)
    assert merged.data == {"a": {"x": 1, "y": 20, "z": 30}, "l": [9], "keep": "k"}
    assert merged.locs.find(("a", "x"))[0].file == "base.yaml"
    assert merged.locs.find(("a", "y"))[0].file == "child.yaml"
    assert merged.locs.find(("l", 0))[0].file == "child.yaml"
    assert merged.locs.find(("keep",))[0].file == "base.yaml"


def test_format_path():
    assert format_path(("network", "links", "A-B:rail", "km")) == "network.links.A-B:rail.km"
    assert format_path(("demand", 3, "origin")) == "demand[3].origin"
    assert format_path(()) == "-"


def test_control_character_is_reported_with_its_line():
    with pytest.raises(ScenarioError) as info:
        parse_yaml("name: x\nbad: a\x1fb\n", "f.yaml")
    (issue,) = info.value.issues
    assert (issue.line, issue.column) == (2, 7)
    assert "not allowed" in issue.message
