"""Fuzzing the scenario format (Hypothesis): a small valid scenario with one to three of
its fields set to hostile values (infinities, NaN, huge, negative, empty, booleans, text,
the wrong shape). Every case either fails with a located ScenarioError or another
CorridorSimError (exit 2 on the command line), or runs to the end and conserves
containers; never another exception, and never slower than the deadline."""

from __future__ import annotations

import copy
import math
import os
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from corridorsim.engine import CorridorModel, Plan
from corridorsim.engine.budget import check_work
from corridorsim.engine.model import ConservationError
from corridorsim.engine.output import RunOutput
from corridorsim.errors import CorridorSimError, ScenarioError
from corridorsim.results.records import build_records
from corridorsim.scenario import load_scenario

BASE = {
    "name": "fuzz",
    "demand": [{"origin": "KHI", "destination": "BEY", "teu_per_year": 2000}],
    "operations": {"departure": {"policy": "when_full", "max_wait_hours": 48}},
    "borders": {
        "crossings": {
            "chaman": {
                "road": {
                    "exit": {"processing_hours": 2, "capacity": 50},
                    "entry": {"processing_hours": {"dist": "exponential", "mean": 3}},
                }
            }
        }
    },
    "transshipment": {
        "facilities": {"HEA": {"hours_per_train": {"dist": "uniform", "low": 1, "high": 3}}}
    },
    "disruptions": {
        "random": [{"target": "chaman", "rate_per_year": 4, "duration_hours": 24}],
        "scheduled": [{"target": "torkham", "start_day": 10, "days": 3}],
    },
    "simulation": {"horizon_days": 60, "warmup_days": 0, "replications": 1, "seed": 3},
    "target": {"hours": 120},
}

PATHS = [
    ("demand", 0, "teu_per_year"),
    ("demand", 0, "start_hours"),
    ("demand", 0, "modes"),
    ("demand", 0, "route"),
    ("demand", 0, "tonnes_per_teu"),
    ("operations", "departure"),
    ("operations", "departure", "max_wait_hours"),
    ("operations", "truck_capacity_teu"),
    ("operations", "train_capacity_teu"),
    ("operations", "running_noise"),
    ("borders", "crossings", "chaman", "road", "exit", "processing_hours"),
    ("borders", "crossings", "chaman", "road", "exit", "capacity"),
    ("borders", "crossings", "chaman", "road", "exit", "opening_hours"),
    ("borders", "crossings", "chaman", "road", "exit", "channels"),
    ("borders", "crossings", "chaman", "road", "entry", "processing_hours", "mean"),
    ("borders", "crossings", "chaman", "road", "fee_usd_per_teu"),
    ("transshipment", "facilities", "HEA", "hours_per_train", "high"),
    ("transshipment", "facilities", "HEA", "capacity"),
    ("disruptions", "random", 0, "rate_per_year"),
    ("disruptions", "random", 0, "duration_hours"),
    ("disruptions", "scheduled", 0, "start_day"),
    ("disruptions", "scheduled", 0, "days"),
    ("simulation", "horizon_days"),
    ("simulation", "warmup_days"),
    ("simulation", "replications"),
    ("simulation", "seed"),
    ("target", "hours"),
    ("target", "percentile"),
    ("network", "speeds_kmh"),
    ("network", "crossing_hours"),
    ("network", "links"),
]

HOSTILE = st.sampled_from(
    [
        math.inf,
        -math.inf,
        math.nan,
        -1,
        0,
        0.5,
        2,
        7,
        1e300,
        1e15,
        10**20,
        True,
        False,
        None,
        "",
        "x",
        "06:00",
        [],
        [0],
        ["road"],
        {},
        {"dist": "gamma", "shape": math.inf, "scale": 1},
        {"dist": "empirical", "values": [1, 2], "weights": [math.inf, 1]},
        {"policy": "timetable", "days": []},
        {"policy": "timetable", "times": ["25:00"]},
        {"open": "18:00", "close": "08:00"},
        [{"name": "red", "probability": 1.0, "extra_hours": 1e9}],
        {"road": {"AF": 0}},
        {"chaman": {"road": math.nan}},
        {"KHI-BEY:road": {"km": 5}},
    ]
)


def _set(data, path, value):
    node = data
    for part in path[:-1]:
        if isinstance(node, dict):
            node = node.setdefault(part, {})
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return  # a shape an earlier mutation replaced: nothing to set here
        if not isinstance(node, dict | list):
            return
    last = path[-1]
    if isinstance(node, dict) or (isinstance(last, int) and last < len(node)):
        node[last] = value


def test_the_unchanged_scenario_runs(tmp_path: Path):
    path = tmp_path / "base.yaml"
    path.write_text(yaml.safe_dump(BASE), encoding="utf-8")
    out = _attempt(path)
    assert isinstance(out, RunOutput), out
    assert np.count_nonzero(~np.isnan(out.delivered_h)) > 100


PLAUSIBLE = st.floats(min_value=0.01, max_value=500) | st.integers(min_value=1, max_value=20)
"""Values a field may well take, so that some cases get past validation and run."""

mutations = st.lists(st.tuples(st.sampled_from(PATHS), HOSTILE | PLAUSIBLE), min_size=1, max_size=3)


@pytest.mark.slow
@settings(
    max_examples=int(os.environ.get("CORRIDORSIM_FUZZ_EXAMPLES", "200")),
    deadline=20_000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(changes=mutations)
def test_hostile_values_fail_cleanly_or_run_and_conserve(tmp_path: Path, changes):
    body = copy.deepcopy(BASE)
    for path, value in changes:
        _set(body, path, copy.deepcopy(value))
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    outcome = _attempt(path)
    event(type(outcome).__name__)
    if isinstance(outcome, ScenarioError):
        for issue in outcome.issues:
            assert issue.file == str(path)
            assert issue.message
            if issue.field != "-":
                assert issue.line is not None, str(issue)
    elif isinstance(outcome, CorridorSimError):
        assert str(outcome)
    else:  # run() checked created = delivered + waiting + on board; the tables agree
        c = build_records(outcome).containers
        assert len(c) == len(outcome.created)
        delivered = c[c["delivered"]]
        assert int(np.count_nonzero(~np.isnan(outcome.delivered_h))) == len(delivered)
        assert (delivered["delivered_h"] >= delivered["created_h"]).all()


def _attempt(path: Path) -> RunOutput | CorridorSimError:
    """One replication of the scenario at ``path``, or the error it was refused with
    (a lost container, ConservationError, is a bug whatever the input: it propagates)."""
    try:
        loaded = load_scenario(path)
        check_work(loaded)
        return CorridorModel(Plan.build(loaded), replication=0).run()
    except ConservationError:
        raise
    except CorridorSimError as exc:
        return exc


# --- sweep paths at any field -----------------------------------------------------------


def _field_paths() -> list[str]:
    """Every field of the scenario format as a dotted path (``K`` for a mapping's key)."""
    from corridorsim.scenario.format import Scenario
    from corridorsim.scenario.paths import _models

    out: list[str] = []

    def walk(model, prefix: str, depth: int) -> None:
        for name, f in model.model_fields.items():
            path = f"{prefix}.{f.alias or name}" if prefix else (f.alias or name)
            models, free = _models(f.annotation)
            path += ".K" * free
            if models and depth < 6:
                for m in models:
                    walk(m, path, depth + 1)
            else:
                out.append(path)

    walk(Scenario, "", 0)
    return sorted(set(out))


FIELD_PATHS = _field_paths()
KEYS = ["torkham", "chaman", "road", "rail", "KHI", "1676", "PK", "PK-AF", "nowhere"]
VALUES = st.one_of(
    st.integers(0, 100).map(str),
    st.floats(0, 500, allow_nan=False).map(lambda x: f"{x:.3g}"),
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["true", "no", "null", "[1", "{a: 1}", "1:5:3", "2:3:200", "-1:1:2", "06:20"]),
    st.text(max_size=12),
)


@settings(max_examples=150, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.sampled_from(FIELD_PATHS),
    keys=st.lists(st.sampled_from(KEYS), min_size=3, max_size=3),
    value=VALUES,
)
def test_a_sweep_of_any_field_to_any_value_is_a_variant_or_a_clear_error(path, keys, value):
    """Any field, any value: ``--vary`` reads it and the variant loads, or one
    CorridorSimError says why; never another exception, and never slower than the
    deadline."""
    from corridorsim.sweeps import load_variants
    from corridorsim.vary import grid_settings, parse_vary

    for key in keys:
        path = path.replace(".K", f".{key}", 1)
    refused: CorridorSimError | None = None
    try:
        settings_ = grid_settings([parse_vary(f"{path}={value}")])
        variants = load_variants("western-rail", settings_[:2])
    except CorridorSimError as exc:
        refused = exc
    if refused is not None:
        assert str(refused).strip()
        event("refused")
        return
    assert len(variants) == len(settings_[:2])
    event("loaded")
