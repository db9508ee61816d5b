"""The scenario's ``ports:`` section: container dwell at the origin port."""

from __future__ import annotations

from pydantic import Field

from corridorsim._base import Frozen, Ident
from corridorsim.quantities import Usd
from corridorsim.scenario.fields import Dist

__all__ = ["Ports"]


class Ports(Frozen):
    """Dwell at the sea port a flow starts from, before its containers can board.

    The network gives each port's dwell (``ports`` in the network file, sourced);
    ``dwell_hours`` replaces it for the ports named.
    """

    dwell: bool = Field(
        default=True,
        description="include the dwell at the origin port (false: flows start at the port "
        "gate, ready to board)",
    )
    handling_usd_per_teu: dict[Ident, Usd] = Field(
        default={},
        description="port handling charge per TEU (USD) by port node, at a flow's origin "
        "or destination port, replacing the network's figure",
    )
    dwell_hours: dict[Ident, Dist] = Field(
        default={},
        description="hours from arrival in the port to leaving inland, by port node "
        "(a distribution or a number), replacing the network's figure",
    )
