"""A sweep or lever variant changes what it varies and nothing else: set at the base's
own value, a field gives the base run's tables exactly. Before, a variant wrote out the
whole section holding the field from the base as run, so what the base left unset
(calibrated opening hours, derived terminal lanes) became set to the format's defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from corridorsim.errors import CorridorSimError
from corridorsim.experiments import run
from corridorsim.scenario import load_scenario
from corridorsim.scenario.paths import check_path
from corridorsim.sweeps import load_variants

from .conftest import SCENARIOS

SHIPPED = sorted(p for p in SCENARIOS.glob("*.yaml"))


def own_leaves(data: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """The fields a scenario file sets itself, as dotted paths with their values (lists
    and the run's own settings left out)."""
    if not isinstance(data, dict):
        return [(prefix, data)] if prefix else []
    out = []
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if path in ("name", "description", "extends", "network") or path.startswith(
            ("simulation", "demand", "network.")
        ):
            continue
        out += own_leaves(value, path)
    return out


def addressable(path: str) -> bool:
    try:
        check_path(path)
    except CorridorSimError:
        return False
    return True


def at_base_value(scenario: Path) -> dict[str, Any]:
    """``background_scale`` at the base's value, and the first field the file sets."""
    loaded = load_scenario(scenario)
    setting: dict[str, Any] = {"borders.background_scale": loaded.scenario.borders.background_scale}
    raw = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    leaves = [(p, v) for p, v in own_leaves(raw) if addressable(p)]
    if leaves:
        setting.update([leaves[0]])
    return setting


def tables(res) -> dict[str, pd.DataFrame]:
    return {name: df.reset_index(drop=True) for name, df in res.tables.items()}


def assert_same_run(a, b) -> None:
    ta, tb = tables(a), tables(b)
    assert ta.keys() == tb.keys()
    for name in ta:
        pd.testing.assert_frame_equal(ta[name], tb[name], obj=name)


def short(scenario) -> dict[str, Any]:
    loaded = scenario if not isinstance(scenario, Path) else load_scenario(scenario)
    sim = loaded.scenario.simulation
    return {"replications": 1, "horizon_days": sim.warmup_days + 12, "seed": 5}


@pytest.mark.parametrize("scenario", SHIPPED, ids=lambda p: p.stem)
def test_a_variant_at_the_base_value_gives_the_base_run(scenario):
    setting = at_base_value(scenario)
    (variant,) = load_variants(scenario, [setting])
    assert_same_run(run(variant, **short(scenario)), run(scenario, **short(scenario)))


@pytest.fixture
def partial_override(tmp_path):
    """A user's scenario that sets one field of one crossing and leaves the rest (its
    opening hours, its lanes) to the calibration."""
    path = tmp_path / "chaman-fee.yaml"
    path.write_text(
        "extends: today-road-tir.yaml\n"
        "borders:\n"
        "  crossings:\n"
        "    chaman:\n"
        "      road:\n"
        "        fee_usd_per_teu: 50\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "setting",
    [
        {"borders.crossings.chaman.road.fee_usd_per_teu": 50},
        {"borders.background_scale": 1.0},
        {"operations.departure.max_wait_hours": 72.0},
    ],
    ids=["the-same-fee", "background-scale-1", "a-field-of-the-default-policy"],
)
def test_a_partial_crossing_override_keeps_its_calibrated_hours(partial_override, setting):
    base = load_scenario(partial_override)
    (variant,) = load_variants(partial_override, [setting])
    for key, post in base.scenario.borders.crossings["chaman"]["road"].model_dump().items():
        assert variant.scenario.borders.crossings["chaman"]["road"].model_dump()[key] == post, key
    from corridorsim.engine.plan import Plan

    hours = {
        k: (p.params.opening_hours, p.params.capacity) for k, p in Plan.build(base).posts.items()
    }
    assert {
        k: (p.params.opening_hours, p.params.capacity) for k, p in Plan.build(variant).posts.items()
    } == hours
    assert any(h.open != "00:00" for h, _ in hours.values())  # the calibrated hours kept
    assert_same_run(run(variant, **short(base)), run(partial_override, **short(base)))


def test_a_field_inside_a_distribution_keeps_its_siblings(tmp_path):
    path = tmp_path / "lognormal.yaml"
    path.write_text(
        "extends: western-rail.yaml\n"
        "borders:\n"
        "  crossings:\n"
        "    chaman:\n"
        "      rail:\n"
        "        exit:\n"
        "          processing_hours: {dist: lognormal, mean: 10, sigma: 0.4}\n",
        encoding="utf-8",
    )
    mean = "borders.crossings.chaman.rail.exit.processing_hours.mean"
    (variant,) = load_variants(path, [{mean: 20}])
    hours = variant.scenario.borders.crossings["chaman"]["rail"].exit.processing_hours
    assert (hours.dist, hours.mean, hours.sigma) == ("lognormal", 20, 0.4)
