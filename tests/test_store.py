"""Saving and loading results: every declared table round-trips; folders written before
0.2 (``trains.csv``, resources without their structured columns) still load."""

from __future__ import annotations

import pandas as pd
import pytest

from corridorsim.errors import CorridorSimError
from corridorsim.results.store import load_results, save_results
from corridorsim.results.tables import TABLES, table

from .builders import crossing, flow, post, scenario
from .engine_helpers import toy_run


@pytest.fixture
def res(tmp_path):
    body = scenario(
        flow("B1", "D", 876),
        days=10,
        trains={1520: 2},
        borders=crossing("X", exit=post(processing_hours=1, capacity=1)),
    )
    return toy_run(tmp_path, body)


def test_every_table_round_trips(res, tmp_path):
    names = save_results(res, tmp_path)
    assert {"containers.parquet", "vehicles.csv", "data/meta.json"} <= set(names)
    again = load_results(tmp_path)
    for t in TABLES:
        pd.testing.assert_frame_equal(
            again.tables[t.name].reset_index(drop=True),
            res.tables[t.name].reset_index(drop=True),
            check_dtype=False,
            check_categorical=False,
        )
    assert (again.seed, again.replications) == (res.seed, res.replications)


def test_a_folder_from_before_the_rename_loads(res, tmp_path):
    save_results(res, tmp_path)
    (tmp_path / "vehicles.csv").rename(tmp_path / "trains.csv")
    old = pd.read_parquet(tmp_path / "data" / "resources.parquet")
    old.drop(
        columns=["crossing", "mode", "country", "role", "direction", "node", "link"]
    ).to_parquet(tmp_path / "data" / "resources.parquet")
    again = load_results(tmp_path)
    assert len(again.vehicles) == len(res.vehicles)
    assert list(again.resources.columns) == table("resources").names
    assert again.resources["crossing"].isna().all()


def test_a_missing_table_is_named(res, tmp_path):
    save_results(res, tmp_path)
    (tmp_path / "data" / "stages.parquet").unlink()
    with pytest.raises(CorridorSimError, match=r"stages\.parquet is missing"):
        load_results(tmp_path)


@pytest.mark.parametrize("name", ["default", "today-road-tir-pilot", "western-rail-best-case"])
def test_the_resolved_scenario_reads_the_same_with_or_without_libyaml(name):
    import yaml

    from corridorsim.results import store
    from corridorsim.scenario.loader import load_scenario
    from corridorsim.scenario.resolved import resolved_scenario

    for data in resolved_scenario(load_scenario(name)):
        text = store._yaml(data)
        assert text == yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        assert yaml.safe_load(text) == data


def test_the_scenario_as_run_runs_again_the_same_on_the_calibrated_network(tmp_path):
    """Before: data/scenario.yaml referred to a copy of the built-in network, whose posts
    are not calibrated: run again (or reloaded for plots) it gave other lanes, hours and
    transit times."""
    from corridorsim.experiments import run
    from corridorsim.scenario.resolved import scenario_hash

    from .conftest import SCENARIOS

    first = run(SCENARIOS / "western-rail-phase1.yaml", replications=1, horizon_days=45)
    save_results(first, tmp_path)
    again = load_results(tmp_path)
    assert again.plan.posts == first.plan.posts
    assert scenario_hash(again.loaded) == scenario_hash(first.loaded)
    rerun = run(tmp_path / "data" / "scenario.yaml", replications=1, horizon_days=45)
    pd.testing.assert_frame_equal(rerun.containers, first.containers)
