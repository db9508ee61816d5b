"""What a route costs a shipper per TEU, and what is missing from that figure.

A route's cost adds the running cost of its links (USD per TEU-km by mode and country),
the border fees (CAREC CPMM TFI2, or the scenario's), the terminal charges and the port
handling charges where a route starts or ends at a sea port. A figure
no source gives is not taken as zero: the cost is the sum of what is known and the route
says what it lacks (kilometres without a rate, crossings without a fee, terminals
without a charge), so reports can call the cost incomplete.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corridorsim.network.routes import Route
from corridorsim.network.spec import Mode
from corridorsim.scenario.loader import LoadedScenario

if TYPE_CHECKING:  # for annotations only: the plan imports this module
    from corridorsim.engine.plan import FacilityPlan

__all__ = ["RouteCost", "fee", "route_cost"]


@dataclass(frozen=True)
class RouteCost:
    """The known cost of a route per TEU (USD) and what it lacks."""

    usd: float
    km_without_rate: float = 0.0
    gaps: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.gaps


def fee(loaded: LoadedScenario, crossing: str, mode: Mode) -> float | None:
    """Border fee per TEU (USD): the scenario's, else the crossing's CPMM TFI2 cost,
    else None (unknown)."""
    borders = loaded.scenario.borders
    params = borders.crossings.get(crossing, {}).get(mode) or borders.defaults.get(mode)
    if params is not None and params.fee_usd_per_teu is not None:
        return params.fee_usd_per_teu
    return loaded.network.crossings[crossing].cost_usd(mode)


def _port_handling(loaded: LoadedScenario, node: str) -> tuple[float, list[str]]:
    """The handling charge at ``node`` if it is a sea port (the scenario's, else the
    network's), or the gap it leaves."""
    net = loaded.network
    if net.nodes[node].kind != "port":
        return 0.0, []
    given = loaded.scenario.ports.handling_usd_per_teu.get(node)
    known = net.ports[node].handling_usd_per_teu if node in net.ports else None
    if given is None and known is not None:
        given = known.value
    if given is None:
        return 0.0, [f"the port handling charge at {node}"]
    return given, []


def route_cost(
    loaded: LoadedScenario, route: Route, transfers: Mapping[int, FacilityPlan]
) -> RouteCost:
    """The cost of ``route``; ``transfers`` maps the index of a leg to the terminal
    where cargo is handled before it (gauge change or rail–road transfer)."""
    usd = km_missing = 0.0
    missing_links: list[str] = []
    missing_where: set[str] = set()
    gaps: list[str] = []
    for i, leg in enumerate(route.legs):
        link = leg.link
        usd += link.known_cost_usd_per_teu
        if link.km_without_cost > 0:
            km_missing += link.km_without_cost
            missing_links.append(link.id)
            missing_where.update(
                f"{link.mode} in {c}" for c, r in link.cost_by_country.items() if r is None
            )
        if link.crossing is not None:
            charge = fee(loaded, link.crossing, link.mode)
            if charge is None:
                gaps.append(f"the border fee at {link.crossing} ({link.mode})")
            else:
                usd += charge
        fac = transfers.get(i)
        if fac is not None:
            if fac.params.charge_usd_per_teu is None:
                gaps.append(f"the handling charge at terminal {fac.key}")
            else:
                usd += fac.params.charge_usd_per_teu
    for end in (route.origin, route.destination):
        charge, gap = _port_handling(loaded, end)
        usd += charge
        gaps += gap
    if missing_links:
        gaps.insert(
            0,
            f"a running-cost rate for {km_missing:,.0f} km ({', '.join(sorted(missing_where))}: "
            f"{', '.join(missing_links)})",
        )
    return RouteCost(usd, km_missing, tuple(gaps))
