"""Helpers for engine tests: scenarios on the hand-checkable toy network."""

from __future__ import annotations

import itertools
from pathlib import Path

import yaml

from corridorsim.experiments import Results, run
from corridorsim.scenario import LoadedScenario, load_scenario

from .builders import crossing, flow, post, scenario

TOY = Path(__file__).resolve().parent / "data" / "toy_network.yaml"
_counter = itertools.count()


def toy_scenario(tmp_path: Path, body: dict) -> LoadedScenario:
    """Load a scenario on the toy network; ``body`` is the scenario mapping."""
    data = {"name": "toy", **body}
    data.setdefault("network", {})["file"] = str(TOY)
    path = tmp_path / f"toy{next(_counter)}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_scenario(path)


def toy_run(tmp_path: Path, body: dict, **kwargs) -> Results:
    return run(toy_scenario(tmp_path, body), **kwargs)


def mmc_body(
    c: int | None,
    lam: float,
    mean_service: float,
    *,
    days: float = 200,
    warmup: float = 20,
    replications: int = 8,
    extra: dict | None = None,
) -> dict:
    """A single road crossing (Y): Poisson arrivals at ``lam`` TEU/h, one TEU per truck,
    exponential service at the exit post with ``c`` lanes, nothing else taking time."""
    exit_post = post(processing_hours={"dist": "exponential", "mean": mean_service})
    if c is not None:
        exit_post["capacity"] = c
    body = scenario(
        flow("Q1", "Q2", lam * 8760, id="trucks", schedule=False, modes=("road",)),
        days=days,
        warmup=warmup,
        replications=replications,
        seed=11,
        operations={"truck_capacity_teu": 1, "speed_basis": "moving"},
        borders=crossing("Y", "road", exit=exit_post, entry=post(processing_hours=0)),
    )
    for key, value in (extra or {}).items():
        body[key] = value
    return body
