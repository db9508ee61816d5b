"""The gap budget of a flow that misses its target: how far its percentile is above the
target, how much of its time could be changed (waiting for a train, border queues and
processing, transshipment, port dwell, closures) against what is physics at the stated
speeds (running and en-route stops), and what share of the changeable time would have to
go. Arithmetic on the run's own figures; no further runs (the ``levers`` command and
``sweep`` measure what a change really does)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["AVOIDABLE", "PHYSICS", "GapBudget", "gap_budget"]

AVOIDABLE = (
    "consolidation",
    "line_wait",
    "border_queue",
    "border_processing",
    "transshipment",
    "disruption",
    "border_closed",
    "port_dwell",
)
"""Time that operations, investment or policy can change."""

PHYSICS = ("running", "en_route_delay")
"""Time set by the route at the stated speeds and stops."""


@dataclass(frozen=True)
class GapBudget:
    """``gap_hours`` (the percentile above the target), the mean ``avoidable`` hours by
    category (largest first) and the mean ``physics_hours`` per container."""

    target_hours: float
    gap_hours: float
    avoidable: dict[str, float]
    physics_hours: float

    @property
    def avoidable_hours(self) -> float:
        return sum(self.avoidable.values())

    @property
    def share_needed(self) -> float | None:
        """The share of the avoidable time that would have to go, if the tail shrank
        with the mean (None when there is none)."""
        return self.gap_hours / self.avoidable_hours if self.avoidable_hours > 0 else None

    def sentence(self) -> str:
        """What closing the gap would take, in one clause."""
        if self.physics_hours >= self.target_hours:
            return (
                f"running and en-route stops alone take {self.physics_hours:.0f} h on average,"
                f" more than the {self.target_hours:.0f} h target: no cut in waiting closes "
                "the gap; it needs faster running or a shorter route"
            )
        share = self.share_needed
        if share is None or share > 1:
            return (
                f"the gap is more than all {self.avoidable_hours:.0f} h of avoidable time: "
                "cutting waits alone does not close it"
            )
        return (
            f"closing it takes {self.gap_hours:.0f} h less waiting: {share:.0%} of the "
            f"{self.avoidable_hours:.0f} h of avoidable time (if the tail shrinks with the mean)"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "target_hours": self.target_hours,
            "gap_hours": self.gap_hours,
            "avoidable_hours": self.avoidable,
            "avoidable_total_hours": self.avoidable_hours,
            "physics_hours": self.physics_hours,
            "share_of_avoidable_needed": self.share_needed,
            "note": self.sentence(),
        }


def gap_budget(means: dict[str, float], value_hours: float, target_hours: float) -> GapBudget:
    """The budget from the mean hours per category (``means``) and the flow's value at
    the target's percentile."""
    avoidable = {c: means[c] for c in AVOIDABLE if means.get(c, 0.0) > 0.05}
    avoidable = dict(sorted(avoidable.items(), key=lambda kv: -kv[1]))
    physics = sum(means.get(c, 0.0) for c in PHYSICS)
    return GapBudget(target_hours, value_hours - target_hours, avoidable, physics)
