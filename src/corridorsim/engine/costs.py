"""What a route costs a shipper per TEU, and what is missing from that figure.

A route's cost adds the running cost of its links (USD per TEU-km by mode and country),
the border fees (CAREC CPMM TFI2, or the scenario's), the terminal charges and the port
handling charges where a route starts or ends at a sea port. A figure
no source gives is not taken as zero: the cost is the sum of what is known and the route
says what it lacks (kilometres without a rate, crossings without a fee, terminals
without a charge), so reports can call the cost incomplete.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corridorsim.network.graph import Link
from corridorsim.network.routes import Leg, Route
from corridorsim.network.spec import Mode
from corridorsim.scenario.loader import LoadedScenario

if TYPE_CHECKING:  # for annotations only: the plan imports this module
    from corridorsim.engine.plan import FacilityPlan

__all__ = ["CostItem", "RouteCost", "fee", "route_cost"]


@dataclass(frozen=True)
class CostItem:
    """One charge along a route, in the order it falls: its ``kind`` (``"running"`` over
    a link, ``"border"`` fee, ``"terminal"`` or ``"port"`` handling), at ``km`` from the
    origin and over ``length_km`` (a link's; 0 for the others); the USD per TEU known for
    it, and what is missing from it ("" when complete)."""

    kind: str
    km: float
    length_km: float
    what: str
    usd: float
    missing: str = ""


@dataclass(frozen=True)
class RouteCost:
    """The known cost of a route per TEU and what it lacks; ``items`` are its charges
    in route order, which sum to ``usd``."""

    usd: float
    km_without_rate: float = 0.0
    items: tuple[CostItem, ...] = ()
    unpriced: tuple[str, ...] = ()
    """Where the kilometres without a rate are, e.g. ``("rail in AF", "rail in PK")``."""
    unpriced_links: tuple[str, ...] = ()
    """The links with kilometres without a rate."""

    @property
    def complete(self) -> bool:
        return not self.gaps

    @property
    def gaps(self) -> tuple[str, ...]:
        """What the cost lacks, naming the links without a rate."""
        return self.lacks(links=True)

    def lacks(self, *, links: bool) -> tuple[str, ...]:
        """What the cost lacks: the running-cost rates first (kilometres, where, and with
        ``links`` which links), then each fee and charge, in route order."""
        out = [i.missing for i in self.items if i.missing and i.kind != "running"]
        if self.km_without_rate > 0:
            where = ", ".join(self.unpriced)
            if links:
                where += ": " + ", ".join(self.unpriced_links)
            out.insert(0, f"a running-cost rate for {self.km_without_rate:,.0f} km ({where})")
        return tuple(out)


def fee(loaded: LoadedScenario, crossing: str, mode: Mode) -> float | None:
    """Border fee per TEU (USD): the scenario's, else the crossing's CPMM TFI2 cost,
    else None (unknown)."""
    borders = loaded.scenario.borders
    params = borders.crossings.get(crossing, {}).get(mode) or borders.defaults.get(mode)
    if params is not None and params.fee_usd_per_teu is not None:
        return params.fee_usd_per_teu
    return loaded.network.crossings[crossing].cost_usd(mode)


def _port_handling(loaded: LoadedScenario, node: str, km: float) -> list[CostItem]:
    """The handling charge at ``node`` if it is a sea port (the scenario's, else the
    network's), known or missing; nothing elsewhere."""
    net = loaded.network
    if net.nodes[node].kind != "port":
        return []
    given = loaded.scenario.ports.handling_usd_per_teu.get(node)
    known = net.ports[node].handling_usd_per_teu if node in net.ports else None
    if given is None and known is not None:
        given = known.value
    what = f"port handling at {node}"
    if given is None:
        return [CostItem("port", km, 0.0, what, 0.0, f"the port handling charge at {node}")]
    return [CostItem("port", km, 0.0, what, given)]


def _leg_items(
    loaded: LoadedScenario, leg: Leg, km: float, terminal: FacilityPlan | None
) -> list[CostItem]:
    """The charges of one leg: the terminal handling before it, the border fee where it
    crosses, and the running cost over it."""
    link = leg.link
    items = []
    if terminal is not None:
        charge = terminal.params.charge_usd_per_teu
        what = f"handling at terminal {terminal.key}"
        missing = "" if charge is not None else f"the handling charge at terminal {terminal.key}"
        items.append(CostItem("terminal", km, 0.0, what, charge or 0.0, missing))
    if link.crossing is not None:
        charge = fee(loaded, link.crossing, link.mode)
        missing = "" if charge is not None else f"the border fee at {link.crossing} ({link.mode})"
        what = f"border fee at {link.crossing} ({link.mode})"
        items.append(CostItem("border", km, 0.0, what, charge or 0.0, missing))
    missing = (
        f"a running-cost rate for {link.km_without_cost:,.0f} km ({', '.join(_where([link]))})"
        if link.km_without_cost > 0
        else ""
    )
    what = f"running {leg.start}–{leg.end} ({link.mode})"
    items.append(CostItem("running", km, link.km, what, link.known_cost_usd_per_teu, missing))
    return items


def route_cost(
    loaded: LoadedScenario, route: Route, transfers: Mapping[int, FacilityPlan]
) -> RouteCost:
    """The cost of ``route``, item by item; ``transfers`` maps the index of a leg to the
    terminal where cargo is handled before it (gauge change or rail–road transfer)."""
    items = _port_handling(loaded, route.origin, 0.0)
    km = 0.0
    for i, leg in enumerate(route.legs):
        items += _leg_items(loaded, leg, km, transfers.get(i))
        km += leg.link.km
    items += _port_handling(loaded, route.destination, km)
    unpriced = [leg.link for leg in route.legs if leg.link.km_without_cost > 0]
    return RouteCost(
        usd=sum(item.usd for item in items),
        km_without_rate=sum(link.km_without_cost for link in unpriced),
        items=tuple(items),
        unpriced=_where(unpriced),
        unpriced_links=tuple(link.id for link in unpriced),
    )


def _where(links: Sequence[Link]) -> tuple[str, ...]:
    """Modes and countries of ``links`` with no running-cost rate (``"rail in AF"``)."""
    return tuple(
        sorted(
            {
                f"{ln.mode} in {c}"
                for ln in links
                for c, r in ln.cost_by_country.items()
                if r is None
            }
        )
    )
