"""Cross-checks over a whole network: what one entry alone cannot tell.

Each check reports an :class:`~corridorsim.errors.Issue` placed at the entry that is
wrong, in whichever file it came from (the network file, or the scenario that added or
changed it), so the message can say which line to fix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from corridorsim.errors import Issue
from corridorsim.located_yaml.diagnostics import issue_at, suggest, suggest_node
from corridorsim.located_yaml.reader import Located
from corridorsim.network.spec import LinkSpec, NetworkSpec

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
"""``origin(kind, index)`` for kind in nodes, links, crossings, terminals, destinations,
ports."""


def check_network(spec: NetworkSpec, origin: OriginOf) -> list[Issue]:
    """Every cross-entry problem in ``spec``; an empty list when it is consistent."""
    issues = _duplicate_ids(spec, origin)
    country = {n.id: n.country for n in spec.nodes}
    names = {n.id: n.name for n in spec.nodes}
    seen_links: dict[tuple[str, ...], int] = {}
    for i, link in enumerate(spec.links):
        o = origin("links", i)
        bad = [
            o.issue(f"unknown node '{end}'{suggest_node(end, names)}", key)
            for key, end in (("from", link.from_), ("to", link.to))
            if end not in country
        ]
        issues += bad
        pair = (*sorted((link.from_, link.to)), link.mode)
        if pair in seen_links:
            issues.append(
                o.issue(
                    f"a {link.mode} link between {link.from_} and {link.to} is already defined; "
                    "change the existing one instead (network.links)"
                )
            )
        seen_links.setdefault(pair, i)
        if not bad:
            ends = (country[link.from_], country[link.to])
            issues += _crossing_issues(spec, link, o, ends)
            issues += _split_and_speed_issues(spec, link, o, ends)
    issues += _terminal_issues(spec, origin, country, names)
    issues += _node_entry_issues(spec, origin, "destinations", "destination")
    issues += _node_entry_issues(spec, origin, "ports", "port", need="port")
    issues += _gauge_breaks(spec, origin, country)
    return issues


def _duplicate_ids(spec: NetworkSpec, origin: OriginOf) -> list[Issue]:
    issues = []
    for kind, ids in (
        ("nodes", [n.id for n in spec.nodes]),
        ("crossings", [c.id for c in spec.crossings]),
    ):
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident in seen:
                what = kind.removesuffix("s")
                issues.append(origin(kind, i).issue(f"duplicate {what} id '{ident}'", "id"))
            seen.add(ident)
    return issues


def _crossing_issues(
    spec: NetworkSpec, link: LinkSpec, o: Origin, ends: tuple[str, str]
) -> list[Issue]:
    """A link between countries names a crossing that joins them and serves its mode."""
    ca, cb = ends
    if link.crossing is None and link.mode == "sea":
        return []  # cleared at the ports
    if link.crossing is None:
        if ca == cb:
            return []
        message = (
            f"this link joins {ca} and {cb}, so it needs `crossing:` naming its border crossing"
        )
        return [o.issue(message)]
    crossing_by_id = {c.id: c for c in spec.crossings}
    cx = crossing_by_id.get(link.crossing)
    if cx is None:
        hint = suggest(link.crossing, crossing_by_id)
        return [o.issue(f"unknown crossing '{link.crossing}'{hint}", "crossing")]
    issues = []
    posts = {p.country for p in cx.posts}
    if {ca, cb} != posts:
        joins = " and ".join(sorted(posts))
        message = f"crossing '{cx.id}' joins {joins} but this link joins {ca} and {cb}"
        issues.append(o.issue(message, "crossing"))
    if link.mode not in cx.modes:
        message = (
            f"crossing '{cx.id}' has no figures for {link.mode}; add modes.{link.mode} to the "
            "crossing"
        )
        issues.append(o.issue(message, "crossing"))
    return issues


def _split_and_speed_issues(
    spec: NetworkSpec, link: LinkSpec, o: Origin, ends: tuple[str, str]
) -> list[Issue]:
    """``km_by_country`` names only the ends' countries; every country has a speed."""
    issues = []
    split = link.km_by_country or {}
    for c_code in split:
        if c_code not in ends:
            message = (
                f"km_by_country names {c_code}, which is neither end's country "
                f"({', '.join(sorted(set(ends)))})"
            )
            issues.append(o.issue(message, "km_by_country"))
    if link.speed_kmh is None:
        speeds = spec.defaults.speed_kmh.get(link.mode, {})
        for c_code in sorted(set(split) if split else set(ends)):
            if c_code not in speeds:
                message = (
                    f"no speed for {link.mode} in {c_code}: give speed_kmh on the link or "
                    f"defaults.speed_kmh.{link.mode}.{c_code}"
                )
                issues.append(o.issue(message, "mode"))
    return issues


def _terminal_issues(
    spec: NetworkSpec, origin: OriginOf, country: dict[str, str], names: dict[str, str]
) -> list[Issue]:
    issues = []
    seen: set[tuple[str, str]] = set()
    for i, t in enumerate(spec.terminals):
        o = origin("terminals", i)
        if t.node not in country:
            issues.append(o.issue(f"unknown node '{t.node}'{suggest_node(t.node, names)}", "node"))
        if (t.node, t.kind) in seen:
            issues.append(o.issue(f"a {t.kind} terminal at {t.node} is already defined"))
        seen.add((t.node, t.kind))
    return issues


def _node_entry_issues(
    spec: NetworkSpec, origin: OriginOf, kind: str, what: str, need: str | None = None
) -> list[Issue]:
    """Entries of ``kind`` (``destinations``, ``ports``) each name a known node (of kind
    ``need``, if given), once."""
    kinds = {n.id: n.kind for n in spec.nodes}
    names = {n.id: n.name for n in spec.nodes}
    issues = []
    seen: set[str] = set()
    for i, entry in enumerate(getattr(spec, kind)):
        o, node = origin(kind, i), entry.node
        if node not in names:
            issues.append(o.issue(f"unknown node '{node}'{suggest_node(node, names)}", "node"))
        elif need is not None and kinds[node] != need:
            issues.append(o.issue(f"{node} is a {kinds[node]}, not a {need}", "node"))
        if node in seen:
            issues.append(o.issue(f"{what} {node} is already listed", "node"))
        seen.add(node)
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
        def blame(g: int, at: dict[int, list[int]] = gauges) -> tuple[int, bool, int]:
            return len(at[g]), not origin("links", at[g][0]).changed, -at[g][0]

        odd = min(missing, key=blame)
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
