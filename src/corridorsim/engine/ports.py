"""Dwell at the origin port: which flows wait in a sea port before they can board, and
for how long (the scenario's figure, else the network's)."""

from __future__ import annotations

from dataclasses import dataclass

from corridorsim.distributions import Distribution
from corridorsim.scenario.loader import LoadedScenario

__all__ = ["Landing", "PortDwell", "landing_dwell", "origin_dwell"]


@dataclass(frozen=True)
class PortDwell:
    """A flow's dwell at its origin port: the port, the distribution of hours and where
    the figure comes from (``scenario`` or ``network``)."""

    port: str
    hours: Distribution
    origin: str


@dataclass(frozen=True)
class Landing:
    """Dwell at the port a ship lands containers at: the port, the hours, and the
    place the time is counted at (category ``port_dwell``)."""

    port: str
    hours: Distribution
    place: int


def origin_dwell(loaded: LoadedScenario) -> tuple[list[PortDwell | None], list[str]]:
    """Per flow (in demand order): its origin port's dwell, or None where it does not
    start at a port or dwell is switched off; and a note for each flow that starts at a
    port with no dwell figure (left out, not taken as zero)."""
    sc, net = loaded.scenario, loaded.network
    dwell: list[PortDwell | None] = []
    notes: list[str] = []
    for flow in sc.demand:
        node = net.nodes[flow.origin]
        if not sc.ports.dwell or node.kind != "port":
            dwell.append(None)
            continue
        given = sc.ports.dwell_hours.get(node.id)
        if given is not None:
            dwell.append(PortDwell(node.id, given, "scenario"))
        elif node.id in net.ports:
            dwell.append(PortDwell(node.id, net.ports[node.id].dwell_hours, "network"))
        else:
            dwell.append(None)
            notes.append(
                f"flow {flow.name}: no dwell figure for port {node.id} ({node.name}), so its "
                f"transit starts at the port gate; give ports.dwell_hours.{node.id}"
            )
    return dwell, notes


def landing_dwell(loaded: LoadedScenario, node: str) -> Distribution | None:
    """The dwell of a container landed from a ship at port ``node`` on its way inland
    (the scenario's figure, else the network's; None if neither or dwell is off)."""
    sc, net = loaded.scenario, loaded.network
    if not sc.ports.dwell or net.nodes[node].kind != "port":
        return None
    given = sc.ports.dwell_hours.get(node)
    if given is not None:
        return given
    spec = net.ports.get(node)
    return None if spec is None else spec.dwell_hours
