"""A swept field that is a distribution in the base scenario: a number in a sweep makes
it fixed, without its spread, so the tail falls even at the same mean (a fixed 168 h
dwell against a lognormal one averaging 167 h). Said beside the sweep's figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from corridorsim.distributions import Fixed
from corridorsim.engine.plan import Plan
from corridorsim.scenario.loader import LoadedScenario

__all__ = ["spread_notes"]


def _base_value(loaded: LoadedScenario, path: str) -> Any:
    """The value at ``path`` as the base run uses it: the scenario's, else the network's
    port dwell or the planned border post's processing time (or its clearance, where
    that is the post's spread); None if not found."""
    parts = path.split(".")
    value: Any = loaded.scenario
    for part in parts:
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if value is None:
            break
    if value is not None:
        return value
    if parts[:2] == ["ports", "dwell_hours"] and len(parts) == 3:
        port = loaded.network.ports.get(parts[2])
        return None if port is None else port.dwell_hours
    if parts[:2] == ["borders", "crossings"] and len(parts) == 6 and parts[5] == "processing_hours":
        crossing, mode, role = parts[2:5]
        posts = Plan.build(loaded).posts.values()
        mine = [p for p in posts if (p.crossing, p.mode, p.role) == (crossing, mode, role)]
        if not mine:
            return None
        # a calibrated post's time is mostly its clearance, which the swept processing
        # time replaces too (a scenario's processing time is the post's whole time)
        post = mine[0]
        if isinstance(post.processing, Fixed) and post.clearance is not None:
            return post.clearance
        return post.processing
    return None


def spread_notes(loaded: LoadedScenario, varies: Sequence[tuple[str, Sequence[Any]]]) -> list[str]:
    """A note for each swept field set to plain numbers whose base value is a
    distribution with a spread."""
    notes = []
    for path, values in varies:
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            continue
        base = _base_value(loaded, path)
        if base is None or isinstance(base, Fixed) or not hasattr(base, "dist"):
            continue
        notes.append(
            f"{path} is a {base.dist} distribution in the base scenario (mean {base.mean:g}); "
            "each value of this sweep fixes it, without that spread, so the tail (p90) falls "
            "even at the same mean: compare with the base run, not only between values"
        )
    return notes
