"""Hostile and extreme inputs: numbers past any sense, runs too large for the machine,
files that are not scenario files, output folders that cannot be written. Each gives one
clear message and exit 2, with nothing written and no traceback."""

from __future__ import annotations

import pytest

from corridorsim.engine import budget
from corridorsim.scenario import load_scenario
from corridorsim.units import HOURS_PER_YEAR

from .conftest import SCENARIOS

FAST = ("--replications", "2", "--horizon-days", "60")


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def big_scenario(tmp_path, teu=5.0e7, replications=100):
    return write(
        tmp_path / "big.yaml",
        "name: big\ndemand:\n  - origin: KHI\n    destination: ALA\n"
        f"    teu_per_year: {teu}\nsimulation:\n  replications: {replications}\n",
    )


# --- the size of a run ------------------------------------------------------------------


def test_work_estimate_is_demand_times_horizon_times_replications(tmp_path):
    loaded = load_scenario(big_scenario(tmp_path, teu=730.5, replications=4))
    work = budget.estimate_work(loaded)
    assert work.containers_per_replication == pytest.approx(730.5 * 365 * 24 / HOURS_PER_YEAR)
    assert work.containers == pytest.approx(4 * work.containers_per_replication)
    assert budget.estimate_work(loaded, replications=10).replications == 10


def test_run_too_large_for_memory_is_refused_naming_the_fields(tmp_path):
    loaded = load_scenario(big_scenario(tmp_path))
    with pytest.raises(budget.WorkTooLargeError) as info:
        budget.check_work(loaded, memory=8 * 10**9)
    text = str(info.value)
    for word in ("teu_per_year", "simulation.horizon_days", "replications", "--force", "GB"):
        assert word in text
    assert budget.check_work(loaded, replications=1, memory=10**13).replications == 1


def test_comparison_counts_every_scenario(tmp_path):
    a = load_scenario(big_scenario(tmp_path, teu=1e5, replications=10))
    one = budget.check_work(a, memory=10**13)
    both = budget.check_work(a, a, memory=10**13)
    assert both.containers == pytest.approx(2 * one.containers)


def test_cli_refuses_before_simulating_and_force_overrides(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(budget, "available_memory", lambda: 10**6)
    res = cli("run", *FAST, "--out", "out", cwd=tmp_path)
    assert res.returncode == 2
    assert "pass --force to run anyway" in res.stderr
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "out").exists()
    forced = cli("run", *FAST, "--out", "out", "--force", "--quiet", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    cmp_ = cli(
        "compare",
        str(SCENARIOS / "default.yaml"),
        str(SCENARIOS / "western-rail-best-case.yaml"),
        *FAST,
        "--out",
        "cmp",
        cwd=tmp_path,
    )
    assert cmp_.returncode == 2
    assert "pass --force" in cmp_.stderr
    assert not (tmp_path / "cmp").exists()


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (("--horizon-days", "inf"), "finite number"),
        (("--horizon-days", "nan"), "finite number"),
        (("--horizon-days", "1e9"), "horizon_days"),
        (("--replications", "100000"), "replications"),
        (("--seed", "-1"), "at least 0"),
    ],
)
def test_cli_settings_out_of_bounds(cli, tmp_path, args, text):
    res = cli("run", *args, "--out", "out", cwd=tmp_path)
    assert res.returncode == 2
    assert text in res.stderr
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "out").exists()
