"""Cross-checks over a whole network: what one entry alone cannot tell.

Each check reports an :class:`~corridorsim.errors.Issue` placed at the entry that is
wrong, in whichever file it came from (the network file, or the scenario that added or
changed it), so the message can say which line to fix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from corridorsim.errors import Issue
from corridorsim.inputs.diagnostics import issue_at, suggest, suggest_node
from corridorsim.inputs.yamlsrc import Located
from corridorsim.network.schema import NetworkSpec

__all__ = ["Origin", "OriginOf", "check_network"]

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an entry was written: the file's data and the path within it."""

    located: Located
    path: Path_
    changed: bool = False  # added or changed by a scenario (rather than the network file)

    def issue(self, message: str, *sub: str | int, at_key: bool = False) -> Issue:
        return issue_at(self.located, (*self.path, *sub), message, at_key=at_key)


OriginOf = Callable[[str, int], Origin]
"""``origin(kind, index)`` for kind in nodes, links, crossings, terminals."""


def check_network(spec: NetworkSpec, origin: OriginOf) -> list[Issue]:
    """Every cross-entry problem in ``spec``; an empty list when it is consistent."""
    issues: list[Issue] = []
    nodes: dict[str, int] = {}
    for i, n in enumerate(spec.nodes):
        if n.id in nodes:
            issues.append(origin("nodes", i).issue(f"duplicate node id '{n.id}'", "id"))
        nodes.setdefault(n.id, i)
    country = {n.id: n.country for n in spec.nodes}
    names = {n.id: n.name for n in spec.nodes}
    crossings: dict[str, int] = {}
    for i, c in enumerate(spec.crossings):
        if c.id in crossings:
            issues.append(origin("crossings", i).issue(f"duplicate crossing id '{c.id}'", "id"))
        crossings.setdefault(c.id, i)
    crossing_by_id = {c.id: c for c in spec.crossings}
    speeds = spec.defaults.speed_kmh

    seen_links: dict[frozenset[str] | tuple[str, ...], int] = {}
    for i, link in enumerate(spec.links):
        o = origin("links", i)
        bad_end = False
        for key, end in (("from", link.from_), ("to", link.to)):
            if end not in country:
                issues.append(o.issue(f"unknown node '{end}'{suggest_node(end, names)}", key))
                bad_end = True
        pair = (*sorted((link.from_, link.to)), link.mode)
        if pair in seen_links:
            issues.append(
                o.issue(
                    f"a {link.mode} link between {link.from_} and {link.to} is already defined; "
                    "change the existing one instead (network.links)"
                )
            )
        seen_links.setdefault(pair, i)
        if bad_end:
            continue
        ca, cb = country[link.from_], country[link.to]
        if link.crossing is not None:
            c = crossing_by_id.get(link.crossing)
            if c is None:
                issues.append(
                    o.issue(
                        f"unknown crossing '{link.crossing}'"
                        f"{suggest(link.crossing, crossing_by_id)}",
                        "crossing",
                    )
                )
            else:
                posts = {p.country for p in c.posts}
                if {ca, cb} != posts:
                    issues.append(
                        o.issue(
                            f"crossing '{c.id}' joins {' and '.join(sorted(posts))} but this link "
                            f"joins {ca} and {cb}",
                            "crossing",
                        )
                    )
                if link.mode not in c.modes:
                    issues.append(
                        o.issue(
                            f"crossing '{c.id}' has no figures for {link.mode}; add "
                            f"modes.{link.mode} to the crossing",
                            "crossing",
                        )
                    )
        elif ca != cb:
            issues.append(
                o.issue(
                    f"this link joins {ca} and {cb}, so it needs `crossing:` naming its border "
                    "crossing"
                )
            )
        ends = {ca, cb}
        split = link.km_by_country or {}
        for c_code in split:
            if c_code not in ends:
                issues.append(
                    o.issue(
                        f"km_by_country names {c_code}, which is neither end's country "
                        f"({', '.join(sorted(ends))})",
                        "km_by_country",
                    )
                )
        if link.speed_kmh is None:
            for c_code in sorted(set(split) if split else ends):
                if c_code not in speeds.get(link.mode, {}):
                    issues.append(
                        o.issue(
                            f"no speed for {link.mode} in {c_code}: give speed_kmh on the link or "
                            f"defaults.speed_kmh.{link.mode}.{c_code}",
                            "mode",
                        )
                    )

    terminals: dict[tuple[str, str], int] = {}
    for i, t in enumerate(spec.terminals):
        o = origin("terminals", i)
        if t.node not in country:
            issues.append(o.issue(f"unknown node '{t.node}'{suggest_node(t.node, names)}", "node"))
        if (t.node, t.kind) in terminals:
            issues.append(o.issue(f"a {t.kind} terminal at {t.node} is already defined"))
        terminals.setdefault((t.node, t.kind), i)

    issues.extend(_gauge_breaks(spec, origin, country))
    return issues


def _gauge_breaks(spec: NetworkSpec, origin: OriginOf, country: dict[str, str]) -> list[Issue]:
    """Every node where rail links of different gauges meet needs a gauge terminal."""
    gauges_at: dict[str, dict[int, list[int]]] = {}  # node -> gauge -> link indices
    for i, link in enumerate(spec.links):
        if link.mode != "rail" or link.gauge_mm is None:
            continue
        for end in (link.from_, link.to):
            if end in country:
                gauges_at.setdefault(end, {}).setdefault(link.gauge_mm, []).append(i)
    covered: dict[str, set[int]] = {}
    for t in spec.terminals:
        if t.kind == "gauge":
            covered.setdefault(t.node, set()).update(t.gauges_mm)
    issues = []
    for node, gauges in gauges_at.items():
        if len(gauges) < 2:
            continue
        missing = sorted(g for g in gauges if g not in covered.get(node, set()))
        if not missing:
            continue

        # Blame the odd one out: the first link of the gauge with fewest links there; on
        # a tie, one the scenario added or changed, else the one written last.
        odd = min(
            missing,
            key=lambda g, at=gauges: (
                len(at[g]),
                not origin("links", at[g][0]).changed,
                -at[g][0],
            ),
        )
        worst = gauges[odd][0]
        listed = " mm and ".join(str(g) for g in sorted(gauges))
        issues.append(
            origin("links", worst).issue(
                f"break of gauge at {node} ({listed} mm rail links meet there) but {node} has "
                f"no gauge terminal for {', '.join(str(g) for g in missing)} mm; add one under "
                f"network.add_terminals (kind: gauge, gauges_mm: {sorted(gauges)}) or change "
                f"this link's gauge_mm (now {spec.links[worst].gauge_mm})",
                "gauge_mm",
            )
        )
    return issues
