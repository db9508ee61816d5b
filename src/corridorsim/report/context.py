"""What the reports show, prepared once for both the Markdown and the HTML template."""

from __future__ import annotations

from typing import Any

from corridorsim.experiments import Results
from corridorsim.network.load import sources

__all__ = ["report_context"]


def _fmt(x: Any, digits: int = 1) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    return str(x)


def report_context(results: Results, summary: dict[str, Any]) -> dict[str, Any]:
    """Rows and texts for the report templates (all values already formatted)."""
    loaded = results.loaded
    sc = loaded.scenario
    net = loaded.network
    cited = sources()
    used: set[str] = set(sc.sources)
    routes = []
    for flow in sc.demand:
        route = loaded.routes[flow.name]
        legs = []
        for leg in route.legs:
            link = leg.link
            used.update(s for s in link.spec.source)
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
            }
        )
    crossing_rows = []
    for cid in {c for f in sc.demand for c, _ in loaded.routes[f.name].crossings}:
        c = net.crossings[cid]
        for mode, cm in c.modes.items():
            used.update(cm.source)
            crossing_rows.append(
                {
                    "name": c.name,
                    "mode": mode,
                    "hours": _fmt(cm.hours),
                    "source": ", ".join(cm.source),
                    "estimate": cm.estimate or cm.note or "",
                }
            )
    flows = []
    for f in summary["flows"]:
        t = f.get("transit_hours")
        if t is None:
            flows.append({"flow": f["flow"], "verdict": f["verdict"], "empty": True})
            continue
        share = f["share_within_target"]
        flows.append(
            {
                "flow": f["flow"],
                "od": f"{f['origin']} → {f['destination']}",
                "route": f["route"],
                "teu": _fmt(f["teu_delivered"], 0),
                "mean_days": _fmt(t["mean"] / 24, 2),
                "ci_days": _fmt(t["mean_ci95"] / 24 if t["mean_ci95"] is not None else None, 2),
                "p50": _fmt(t["p50"] / 24, 2),
                "p90": _fmt(t["p90"] / 24, 2),
                "p95": _fmt(t["p95"] / 24, 2),
                "share": f"{share['mean']:.0%}" if share["mean"] is not None else "–",
                "share_ci": f"{share['ci95']:.0%}" if share["ci95"] is not None else "–",
                "breakdown": {k: _fmt(v) for k, v in f["breakdown_hours"].items()},
                "cost": _fmt(f["cost_usd_per_teu"], 0),
                "verdict": f["verdict"],
                "empty": False,
            }
        )
    return {
        "s": summary,
        "description": sc.description.strip(),
        "flows": flows,
        "categories": list(summary["flows"][0]["breakdown_hours"])
        if flows and not flows[0]["empty"]
        else [],
        "routes": routes,
        "crossing_inputs": sorted(crossing_rows, key=lambda r: (r["name"], r["mode"])),
        "crossings": [
            {
                **c,
                "tfi1": _fmt(c["tfi1_hours"]),
                "ci": _fmt(c["tfi1_ci95"]),
                "fee": _fmt(c["tfi2_usd_per_teu"], 0),
                "util": _fmt(c["utilisation"], 2),
                "queue": _fmt(c["mean_queue"], 2),
                "veh": _fmt(c["vehicles"], 0),
            }
            for c in summary["crossings"]
        ],
        "sections": [
            {**x, "km_": _fmt(x["km"], 0), "swod": _fmt(x["swod_kmh"]), "swd": _fmt(x["swd_kmh"])}
            for x in summary["sections"]
        ],
        "throughput": [
            {
                **t,
                "demand": _fmt(t["demand_teu_per_year"], 0),
                "delivered": _fmt(t["delivered_teu_per_year"], 0),
                "value": _fmt(t["trade_value_usd_per_year"] / 1e6, 1),
            }
            for t in summary["throughput"]["flows"]
        ],
        "trade_m": _fmt(summary["throughput"]["trade_value_usd_per_year"] / 1e6, 1),
        "trade_share": f"{summary['throughput']['share_of_trade_target']:.1%}",
        "resources": [
            {
                **r,
                "util": _fmt(r["utilisation"], 2),
                "queue": _fmt(r["mean_queue"], 2),
                "wait": _fmt(r["mean_wait_hours"], 2),
            }
            for r in summary["resources"]
            if r["capacity"]
        ],
        "sources": [(sid, cited.get(sid, sid)) for sid in sorted(used, key=lambda x: (len(x), x))],
    }
