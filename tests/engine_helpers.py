"""Helpers for engine tests: scenarios on the hand-checkable toy network."""

from __future__ import annotations

import itertools
from pathlib import Path

import yaml

from corridorsim.experiments import Results, run
from corridorsim.scenario import LoadedScenario, load_scenario

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
    body = {
        "demand": [
            {
                "id": "trucks",
                "origin": "Q1",
                "destination": "Q2",
                "teu_per_year": lam * 8760,
                "modes": ["road"],
            }
        ],
        "operations": {"truck_capacity_teu": 1},
        "borders": {
            "crossings": {
                "Y": {
                    "road": {
                        "exit": {
                            "processing_hours": {"dist": "exponential", "mean": mean_service},
                            "capacity": c,
                        },
                        "entry": {"processing_hours": 0},
                    }
                }
            }
        },
        "simulation": {
            "horizon_days": days,
            "warmup_days": warmup,
            "replications": replications,
            "seed": 11,
        },
    }
    if c is None:
        del body["borders"]["crossings"]["Y"]["road"]["exit"]["capacity"]
    for key, value in (extra or {}).items():
        body[key] = value
    return body
