"""What one replication leaves behind, as arrays: the engine's side of the results
contract. :func:`corridorsim.results.records.build_records` turns it into tables."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from corridorsim.engine.plan import Plan
from corridorsim.engine.resources import ResourceId

__all__ = ["ResourceOutput", "RunOutput", "Stage"]


class Stage(IntEnum):
    """Where a vehicle's (and so its containers') time goes; a stage record carries one.

    The hours of all stages, with the time spent waiting for the vehicle, add up to a
    container's transit time. ``corridorsim.results.tables.CATEGORIES`` names them.
    """

    CONSOLIDATION = 0
    RUNNING = 1
    LINE_WAIT = 2
    BORDER_QUEUE = 3
    BORDER_PROCESSING = 4
    TRANSSHIPMENT = 5
    DISRUPTION = 6
    EN_ROUTE_DELAY = 7
    BORDER_CLOSED = 8
    """Waiting at a border post while it is closed (its opening hours)."""
    PORT_DWELL = 9
    """In the origin port before the container can board (a container's, not a
    vehicle's: no stage record carries it)."""


@dataclass(frozen=True)
class ResourceOutput:
    """A resource at the end of a run: what it is, its capacity (None: no limit), its
    statistics since the warm-up (``served``, ``mean_busy``, ``utilisation``,
    ``mean_queue``, ``mean_wait_h``) and its log as rows ``(time h, queue, busy)``."""

    id: ResourceId
    capacity: int | None
    stats: dict[str, float]
    states: np.ndarray


@dataclass(frozen=True)
class RunOutput:
    """Everything one replication recorded (times in hours from the start).

    Attributes
    ----------
    plan : Plan
    replication : int
    warmup : float
        Hours; containers created before it are not counted in the KPIs.
    created, dwell, flow, route, delivered_h : ndarray
        Per container: creation time (arrival at its origin), hours in its origin port
        before it could board (0 if none), flow index, route index (into
        ``plan.routes``), delivery time (hours; NaN if not delivered).
    vehicles : ndarray, shape (n_vehicles, 4)
        ``(segment, teu, depart, arrive)`` per vehicle (arrive NaN if still running).
    stages : ndarray, shape (n_stages, 5)
        ``(vehicle, Stage, place, hours, end time)`` per timed step.
    landed, landed_place : ndarray
        Per container: hours dwelling at a port a ship landed it at on its way inland
        (0 if none), and that port's place (-1 if none).
    manifest_vehicle, manifest_container, manifest_queued : ndarray
        One entry per container carried by a vehicle: the vehicle, the container and
        when it began to wait for that vehicle; sorted by vehicle, then boarding order.
    resources : tuple of ResourceOutput
    closures : tuple of (target, start h, end h)
    """

    plan: Plan
    replication: int
    warmup: float
    created: np.ndarray
    dwell: np.ndarray
    landed: np.ndarray
    landed_place: np.ndarray
    flow: np.ndarray
    route: np.ndarray
    delivered_h: np.ndarray
    vehicles: np.ndarray
    stages: np.ndarray
    manifest_vehicle: np.ndarray
    manifest_container: np.ndarray
    manifest_queued: np.ndarray
    resources: tuple[ResourceOutput, ...]
    closures: tuple[tuple[str, float, float], ...]
