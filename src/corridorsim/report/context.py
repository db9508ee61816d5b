"""What the reports show, prepared once for both the Markdown and the HTML template."""

from __future__ import annotations

from typing import Any

from corridorsim.levers import WhatItTakes
from corridorsim.network.files import sources
from corridorsim.report.overrides import GLOSSARY, overrides
from corridorsim.report.reach_table import PLAUSIBLE_READING, reading_statistic, readings
from corridorsim.results.kpis import CATEGORY_LABELS
from corridorsim.results.reliability import sentence
from corridorsim.results.summary import CrossingSummary, FlowSummary, Summary
from corridorsim.results.tables import CATEGORIES, Results
from corridorsim.scenario.loader import LoadedScenario
from corridorsim.scenario.route_choice import route_choice
from corridorsim.wording import share_interval

__all__ = ["cost_cell", "cost_text", "report_context"]


def _fmt(x: Any, digits: int = 1) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    return str(x)


def cost_text(usd: float | None, complete: bool | None) -> str:
    """A cost per TEU as a table shows it: an incomplete cost is a lower bound,
    ``≥ 3,430 (incomplete)`` (the warnings say what it lacks)."""
    text = _fmt(usd, 0)
    return text if complete is not False else f"≥ {text} (incomplete)"


def cost_cell(f: FlowSummary) -> str:
    """A flow's cost per TEU as a table shows it (see :func:`cost_text`)."""
    return cost_text(f.cost_usd_per_teu, f.cost_complete)


def report_context(
    results: Results, summary: Summary, takes: WhatItTakes | None = None
) -> dict[str, Any]:
    """Rows and texts for the report templates (all values already formatted); with
    ``takes``, the section on what it would take to meet the target."""
    loaded = results.loaded
    sc = loaded.scenario
    used: set[str] = set(sc.sources)
    if takes is not None:
        used |= {s.strip() for src in takes.one["source"] for s in src.split(",") if s.strip()}
    flows = [_flow_row(f) for f in summary.flows]
    thr = summary.throughput
    cited = sources()
    return {
        "s": summary,
        "description": sc.description.strip(),
        "flows": flows,
        "categories": list(CATEGORIES) if flows and not flows[0]["empty"] else [],
        "routes": _routes(loaded, used),
        "crossing_inputs": _crossing_inputs(loaded, used),
        "crossings": [_crossing_row(c) for c in summary.crossings],
        "sections": [
            {
                "flow": x.flow,
                "country": x.country,
                "km_": _fmt(x.km, 0),
                "swod": _fmt(x.swod_kmh),
                "swd": _fmt(x.swd_kmh),
            }
            for x in summary.sections
        ],
        "throughput": [
            {
                "flow": t.flow,
                "demand": _fmt(t.demand_teu_per_year, 0),
                "delivered": _fmt(t.delivered_teu_per_year, 0),
                "value": _fmt(_div(t.trade_value_usd_per_year, 1e6), 1),
            }
            for t in thr.flows
        ],
        "trade_m": _fmt(_div(thr.trade_value_usd_per_year, 1e6), 1),
        "trade_share": f"{thr.share_of_trade_target or 0:.1%}",
        "resources": [
            {
                "resource": r.resource,
                "kind": r.kind,
                "capacity": r.capacity,
                "util": _fmt(r.utilisation, 2),
                "queue": _fmt(r.mean_queue, 2),
                "wait": _fmt(r.mean_wait_hours, 2),
            }
            for r in summary.resources
            if r.capacity
        ],
        "sources": [(sid, cited.get(sid, sid)) for sid in sorted(used, key=lambda x: (len(x), x))],
        "takes": None if takes is None else _takes(takes),
        "overrides": overrides(loaded),
        "places": _places(loaded),
        "demand": _demand(loaded),
        "glossary": GLOSSARY,
        **_readings(summary),
    }


def _readings(summary: Summary) -> dict[str, Any]:
    """The verdict's table by reading (see :mod:`corridorsim.report.reach_table`)."""
    return {
        "readings": readings(summary),
        "reading_statistic": reading_statistic(summary),
        "plausible_reading": PLAUSIBLE_READING,
    }


def _takes(takes: WhatItTakes) -> dict[str, Any]:
    return {
        "flow": takes.flow,
        "file": takes.levers_file,
        "conclusion": takes.conclusion(),
        "levers": [
            {
                "lever": r["lever"],
                "p90": _fmt(r["p90_days"], 1),
                "saved": _fmt(r["saved_p90_days"], 1),
                "ci": f"{_fmt(r['saved_p90_low_days'], 1)} to {_fmt(r['saved_p90_high_days'], 1)}",
                "source": r["source"] or "–",
            }
            for _, r in takes.one.iterrows()
        ],
        "steps": [
            {"step": int(r["step"]), "lever": r["lever"], "p90": _fmt(r["p90_days"], 1)}
            for _, r in takes.path.iterrows()
        ],
    }


def _div(x: float | None, by: float) -> float | None:
    return None if x is None else x / by


def _days(hours: float | None) -> float | None:
    return _div(hours, 24)


def _flow_row(f: FlowSummary) -> dict[str, Any]:
    t, share = f.transit_hours, f.share_within_target
    if t is None or share is None:
        return {
            "flow": f.flow,
            "verdict": f.verdict,
            "empty": True,
            "closures": None,
            "gap": None,
        }
    return {
        "gap": _gap(f.gap_budget),
        "closures": sentence(f.reliability),
        "flow": f.flow,
        "od": f"{f.origin} → {f.destination}",
        "route": f.route,
        "teu": _fmt(f.teu_delivered, 0),
        "mean_days": _fmt(_days(t.mean), 2),
        "ci_days": _fmt(_days(t.mean_ci95), 2),
        "p50": _fmt(_days(t.p50), 2),
        "p90": _fmt(_days(t.p90), 2),
        "p95": _fmt(_days(t.p95), 2),
        "share": f"{share.mean:.0%}" if share.mean is not None else "–",
        "share_ci": share_interval(share.low, share.high),
        "breakdown": {k: _fmt(v) for k, v in f.breakdown_hours.items()},
        "cost": cost_cell(f),
        "verdict": f.verdict,
        "empty": False,
    }


def _gap(budget: dict[str, Any] | None) -> dict[str, Any] | None:
    """The gap budget as the report shows it (hours rounded, categories named)."""
    if budget is None:
        return None
    return {
        "gap": _fmt(budget["gap_hours"], 0),
        "parts": [
            {"label": CATEGORY_LABELS.get(c, c), "hours": _fmt(h, 0)}
            for c, h in budget["avoidable_hours"].items()
        ],
        "avoidable": _fmt(budget["avoidable_total_hours"], 0),
        "physics": _fmt(budget["physics_hours"], 0),
    }


def _crossing_row(c: CrossingSummary) -> dict[str, Any]:
    return {
        "name": c.name,
        "mode": c.mode,
        "from_country": c.from_country,
        "tfi1": _fmt(c.tfi1_hours),
        "ci": _fmt(c.tfi1_ci95),
        "fee": _fmt(c.tfi2_usd_per_teu, 0),
        "p90": _fmt(c.tfi1_p90_hours),
        "util": _fmt(c.utilisation, 2),
        "queue": _fmt(c.mean_queue, 1),
        "closed": _fmt(None if c.closed_share is None else 100 * c.closed_share, 0),
        "veh": _fmt(c.vehicles, 0),
    }


def _routes(loaded: LoadedScenario, used: set[str]) -> list[dict[str, Any]]:
    """Each flow's route, leg by leg, with every figure's source (adds them to ``used``)."""
    routes = []
    for flow in loaded.scenario.demand:
        route = loaded.routes[flow.name]
        legs = []
        for leg in route.legs:
            link = leg.link
            used.update(link.spec.source)
            legs.append(
                {
                    "from": leg.start,
                    "to": leg.end,
                    "mode": link.mode,
                    "gauge": link.gauge_mm or "",
                    "km": _fmt(link.km, 0),
                    "speed": ", ".join(f"{c} {v:g}" for c, v in link.speed_by_country.items()),
                    "status": link.status,
                    "crossing": link.crossing or "",
                    "source": ", ".join(link.spec.source),
                    "estimate": link.spec.estimate or "",
                }
            )
        routes.append(
            {
                "flow": flow.name,
                "label": route.label,
                "legs": legs,
                "km": _fmt(route.distance_km, 0),
                "choice": route_choice(loaded, flow.name).sentence(),
            }
        )
    return routes


def _demand(loaded: LoadedScenario) -> list[dict[str, str]]:
    """Each flow as the scenario states it: volume, value and how they were derived."""
    return [
        {
            "flow": f.name,
            "od": f"{f.origin} → {f.destination}",
            "commodity": f.commodity,
            "teu": _fmt(f.teu, 0),
            "tonnes": _fmt(f.tonnes_per_year, 0) if f.tonnes_per_year else "–",
            "value": _fmt(f.value_usd_per_teu, 0),
            "derivation": f.derivation or "not stated in the scenario",
        }
        for f in loaded.scenario.demand
    ]


def _places(loaded: LoadedScenario) -> list[dict[str, str]]:
    """The codes the tables use for the places on the routes, with their names."""
    net = loaded.network
    on_route = dict.fromkeys(n for r in loaded.routes.values() for n in r.nodes)
    return [
        {
            "code": code,
            "name": net.node(code).name,
            "country": net.node(code).country,
            "kind": net.node(code).kind.replace("_", " "),
        }
        for code in sorted(on_route)
    ]


def _crossing_inputs(loaded: LoadedScenario, used: set[str]) -> list[dict[str, Any]]:
    """The network's figures for the crossings the routes use (adds sources to ``used``)."""
    net = loaded.network
    rows = []
    for cid in {c for f in loaded.scenario.demand for c, _ in loaded.routes[f.name].crossings}:
        c = net.crossings[cid]
        for mode, cm in c.modes.items():
            mine = loaded.scenario.network.crossing_hours.get(cid, {}).get(mode)
            if mine is not None:  # the scenario's figure, not the network's
                source, note = (
                    "this scenario",
                    "set by network.crossing_hours (see the assumptions)",
                )
            else:
                used.update(cm.source)
                source, note = ", ".join(cm.source), cm.estimate or cm.note or ""
            rows.append(
                {
                    "name": c.name,
                    "mode": mode,
                    "hours": _fmt(cm.hours),
                    "source": source,
                    "estimate": note,
                }
            )
    return sorted(rows, key=lambda r: (r["name"], r["mode"]))
