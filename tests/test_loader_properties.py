"""Property tests: whatever a file holds, loading it either works or raises ScenarioError."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridorsim.errors import ScenarioError
from corridorsim.scenario import LoadedScenario, load_scenario

from .conftest import SCENARIOS

DEFAULT = yaml.safe_load((SCENARIOS / "default.yaml").read_text(encoding="utf-8"))

KEYS = [
    "name",
    "extends",
    "description",
    "network",
    "demand",
    "operations",
    "borders",
    "transshipment",
    "disruptions",
    "simulation",
    "target",
    "build",
    "links",
    "origin",
    "destination",
    "teu_per_year",
    "tonnes_per_year",
    "modes",
    "route",
    "dist",
    "mean",
    "p90",
    "sigma",
    "low",
    "high",
    "mode",
    "hours",
    "percentile",
    "seed",
    "horizon_days",
    "warmup_days",
    "crossings",
    "chaman",
    "road",
    "rail",
    "exit",
    "entry",
    "processing_hours",
    "capacity",
    "opening_hours",
    "open",
    "close",
    "add_links",
    "from",
    "to",
    "km",
    "gauge_mm",
    "KDH-HEA:rail",
    "close_crossings",
    "alignment_km",
    "western-afghan",
    "file",
]
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(
        [
            "KHI",
            "BEY",
            "rail",
            "road",
            "lognormal",
            "24/7",
            "western-rail",
            "torkham",
            "1e309",
            "-1",
            "../../etc/passwd",
            "default.yaml",
        ]
    )
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=25,
)


def _load_text(text: str) -> LoadedScenario | None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "s.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            return load_scenario(path)
        except ScenarioError as exc:
            error = exc
    # Every problem names a file (this one, or one it extends) and says what is wrong.
    assert error.issues
    assert all(issue.file and issue.field and issue.message for issue in error.issues)
    if "extends" not in text:
        assert all(str(issue).startswith(str(path)) for issue in error.issues)
    return None


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_text(text):
    _load_text(text)


@SETTINGS
@given(st.dictionaries(st.sampled_from(KEYS), values, max_size=6))
def test_arbitrary_structures(data):
    _load_text(yaml.safe_dump(data, allow_unicode=True))


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, (*prefix, i))


PATHS = [p for p in _paths(DEFAULT) if p]


@SETTINGS
@given(st.sampled_from(PATHS), values)
def test_one_field_of_a_valid_scenario_replaced(path, value):
    import copy

    data = copy.deepcopy(DEFAULT)
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    _load_text(yaml.safe_dump(data, allow_unicode=True))
