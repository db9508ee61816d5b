"""What carries cargo on each mode: a train (by gauge), a truck or a ship, its TEU and
when it leaves."""

from __future__ import annotations

from corridorsim.scenario.operations import Departure, Operations

__all__ = ["BATCHED", "vehicle_for"]


BATCHED = ("rail", "sea")
"""Modes whose vehicle (a train, a ship) is worked at a terminal as one batch."""


def vehicle_for(ops: Operations, mode: str, gauge_mm: int | None) -> tuple[int, Departure]:
    """TEU a vehicle of ``mode`` carries, and its departure rule."""
    if mode == "rail" and gauge_mm is not None:
        return ops.train_capacity_teu[gauge_mm], ops.departure
    if mode == "sea":
        return ops.vessel_capacity_teu, ops.sailings
    return ops.truck_capacity_teu, ops.truck_departure
