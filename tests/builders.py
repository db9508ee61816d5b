"""A small builder for scenario mappings in tests: each test states only what it is
about; everything else is the builder's plain default."""

from __future__ import annotations

from typing import Any


def flow(
    origin: str,
    destination: str,
    teu_per_year: float,
    *,
    id: str | None = None,
    schedule: bool = True,
    start_hours: float | None = None,
    modes: tuple[str, ...] | None = ("rail",),
) -> dict[str, Any]:
    """One flow: a fixed schedule of arrivals (``schedule=False`` for Poisson)."""
    f: dict[str, Any] = {"origin": origin, "destination": destination}
    if id is not None:
        f = {"id": id, **f}
    f["teu_per_year"] = teu_per_year
    if schedule:
        f["arrivals"] = "schedule"
    if start_hours is not None:
        f["start_hours"] = start_hours
    if modes is not None:
        f["modes"] = list(modes)
    return f


def post(**params: Any) -> dict[str, Any]:
    """A border post: ``processing_hours``, ``capacity``, ``opening_hours``, ``channels``."""
    return params


def opening(open_: str, close: str, days: list[str] | None = None) -> dict[str, Any]:
    hours: dict[str, Any] = {"open": open_, "close": close}
    if days is not None:
        hours["days"] = days
    return hours


def crossing(cid: str, mode: str = "rail", **posts: dict[str, Any]) -> dict[str, Any]:
    """``borders:`` with one crossing's posts (``exit=post(...)``, ``entry=post(...)``)."""
    return {"crossings": {cid: {mode: posts}}}


def when_full(max_wait_hours: float) -> dict[str, Any]:
    return {"policy": "when_full", "max_wait_hours": max_wait_hours}


def scenario(
    *flows: dict[str, Any],
    days: float,
    warmup: float = 0,
    replications: int = 1,
    seed: int | None = None,
    trains: dict[int, int] | None = None,
    departure: dict[str, Any] | None = None,
    **sections: Any,
) -> dict[str, Any]:
    """A scenario mapping: flows, the simulation span, train capacities by gauge, the
    departure policy, and any other section as given (``borders=``, ``network=``...)."""
    body: dict[str, Any] = {"demand": list(flows)}
    ops = dict(sections.pop("operations", {}))
    if trains is not None:
        ops["train_capacity_teu"] = trains
    if departure is not None:
        ops["departure"] = departure
    if ops:
        body["operations"] = ops
    body.update(sections)
    sim: dict[str, Any] = {
        "horizon_days": days,
        "warmup_days": warmup,
        "replications": replications,
    }
    if seed is not None:
        sim["seed"] = seed
    body["simulation"] = sim
    return body
