"""KPI arithmetic on result tables.

Statistics follow the replication method: confidence intervals use Student's t on the
replication means (replications are independent; containers within one are not);
percentiles pool every delivered container after the warm-up across replications, and
their spread across replications is reported beside them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from corridorsim.engine.plan import Place
from corridorsim.results.gap import gap_budget
from corridorsim.results.stats import mean_ci95, share_ci95
from corridorsim.results.tables import CATEGORIES
from corridorsim.units import HOURS_PER_YEAR

__all__ = [
    "CATEGORY_LABELS",
    "PERCENTILES",
    "crossing_kpis",
    "flow_kpis",
    "in_system_note",
    "place_hours",
    "section_speeds",
    "throughput",
    "verdict",
]

PERCENTILES = (50, 90, 95)
BREAKDOWN = [f"{c}_h" for c in CATEGORIES]
CATEGORY_LABELS = {
    "consolidation": "waiting for a train or truck",
    "running": "running",
    "line_wait": "waiting for line capacity",
    "border_queue": "border queue",
    "border_processing": "border processing",
    "transshipment": "transshipment",
    "disruption": "disruption",
    "en_route_delay": "en-route delays (checkpoints, stops)",
    "border_closed": "waiting for a closed border post",
    "port_dwell": "dwell in port",
}


def flow_kpis(
    delivered: pd.DataFrame, target_hours: float, replications: Sequence[int]
) -> pd.DataFrame:
    """Per flow: transit statistics, share within the target, breakdown and cost.

    Parameters
    ----------
    delivered : DataFrame
        Containers created after the warm-up and delivered (``Results.delivered``).
    target_hours : float
    replications : sequence of int
        All replication numbers (a replication that delivered nothing for a flow counts
        as missing, not as zero).

    Returns
    -------
    DataFrame indexed by flow with ``n``, ``mean_h``, ``mean_ci95_h``, ``p50_h``,
    ``p90_h``, ``p95_h`` (pooled), ``p50_sd_h`` ... (spread across replications),
    ``share_within_target`` (of all containers) with its 95% interval ``share_ci95_low``
    and ``share_ci95_high``, the mean breakdown columns and ``cost_usd``.
    """
    rows = {}
    for flow, d in delivered.groupby("flow", sort=False):
        per_rep = d.groupby("replication")
        rep_means = per_rep["transit_h"].mean().reindex(replications)
        mean, half = mean_ci95(rep_means.to_numpy())
        within = per_rep["transit_h"].apply(lambda t: int((t <= target_hours).sum()))
        share, share_low, share_high = share_ci95(within.to_numpy(), per_rep.size().to_numpy())
        row = {"n": len(d), "mean_h": mean, "mean_ci95_h": half}
        pooled = np.percentile(d["transit_h"].to_numpy(), PERCENTILES)
        for p, v in zip(PERCENTILES, pooled, strict=True):
            row[f"p{p}_h"] = float(v)
            spread = per_rep["transit_h"].quantile(p / 100)
            row[f"p{p}_sd_h"] = float(spread.std(ddof=1)) if len(spread) > 1 else float("nan")
        row["share_within_target"] = share
        row["share_ci95_low"] = share_low
        row["share_ci95_high"] = share_high
        for col in BREAKDOWN:
            row[col] = float(d[col].mean())
        row["cost_usd"] = float(d["cost_usd"].mean())
        rows[flow] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def place_hours(flow_places: pd.DataFrame, places: Sequence[Place]) -> pd.DataFrame:
    """Mean hours per container at each place and category, per flow.

    ``flow_places`` holds totals per replication; the mean divides by all the flow's
    delivered containers over all replications.
    """
    if flow_places.empty:
        return pd.DataFrame(columns=["flow", "place", "category", "hours", "name", "kind"])
    counts = (
        flow_places.groupby(["flow", "replication"])["containers"].first().groupby("flow").sum()
    )
    g = flow_places.groupby(["flow", "place", "category"], sort=False)["hours"].sum()
    out = (g / counts.reindex(g.index.get_level_values("flow")).to_numpy()).reset_index()
    out["name"] = [places[i].name for i in out["place"]]
    out["kind"] = [places[i].kind for i in out["place"]]
    return out


def verdict(
    flow: str, kpi: pd.Series, target_hours: float, percentile: float, hours_by_place: pd.DataFrame
) -> str:
    """One line: does the flow meet the target at the percentile, and if not, by how much,
    the largest avoidable contributor (at its largest place), and what closing the gap
    would take (see :mod:`corridorsim.results.gap`)."""
    value = float(kpi[f"p{percentile:g}_h"]) if f"p{percentile:g}_h" in kpi else float("nan")
    days = target_hours / 24
    if value <= target_hours:
        return (
            f"meets {days:g} days at p{percentile:g} ({value / 24:.1f} days, "
            f"{target_hours - value:.0f} h to spare)"
        )
    budget = gap_budget({c: float(kpi[f"{c}_h"]) for c in CATEGORIES}, value, target_hours)
    head = (
        f"misses {days:g} days by {value - target_hours:.0f} h at p{percentile:g} "
        f"({value / 24:.1f} days)"
    )
    if not budget.avoidable:
        return f"{head}; {budget.sentence()}"
    top, hours = next(iter(budget.avoidable.items()))
    where = ""
    mine = hours_by_place[(hours_by_place["flow"] == flow) & (hours_by_place["category"] == top)]
    if not mine.empty:
        where = " at " + str(mine.loc[mine["hours"].idxmax(), "name"])
    return (
        f"{head}; largest avoidable contributor: {CATEGORY_LABELS[top]}{where} ({hours:.0f} h on "
        f"average); {budget.sentence()}"
    )


CROSSING_COLUMNS = [
    "crossing",
    "name",
    "mode",
    "from_country",
    "vehicles",
    "tfi1_hours",
    "tfi1_ci95",
    "tfi1_p90_hours",
    "tfi2_usd_per_teu",
    "utilisation",
    "mean_queue",
    "closed_share",
]


def crossing_kpis(
    passages: pd.DataFrame,
    resources: pd.DataFrame,
    fees: Mapping[tuple[str, str], float],
    names: dict[str, str],
    closed: Mapping[tuple[str, str, str], float] | None = None,
) -> pd.DataFrame:
    """Per crossing, mode and direction: the corridor's vehicles a replication, their
    mean time to cross (CPMM TFI1, hours) with its 95% CI across replications and its
    p90, the fee per TEU (TFI2), the lane utilisation of its two posts (mean), the
    vehicles queueing at them (the two posts' queues added, background traffic
    included) and the share of time the crossing is closed (``closed``, by crossing,
    mode and direction)."""
    rows = []
    for (cid, mode, frm), p in passages.groupby(["crossing", "mode", "from_country"]):
        rep = p.groupby("replication")["hours"].mean()
        mean, half = mean_ci95(rep.to_numpy())
        # the posts the traffic passes: the exit of ``frm`` and the entry facing it
        posts = resources[
            (resources["kind"] == "border_post")
            & (resources["crossing"] == cid)
            & (resources["mode"] == mode)
            & resources["direction"].astype(str).str.startswith(f"{frm}-")
        ]
        queue = posts.groupby("replication")["mean_queue"].sum()
        direction = next(iter(posts["direction"].astype(str)), f"{frm}-")
        rows.append(
            {
                "crossing": cid,
                "name": names.get(cid, cid),
                "mode": mode,
                "from_country": frm,
                "vehicles": len(p) / max(p["replication"].nunique(), 1),
                "tfi1_hours": mean,
                "tfi1_ci95": half,
                "tfi1_p90_hours": float(p["hours"].quantile(0.9)),
                "tfi2_usd_per_teu": fees.get((cid, mode), float("nan")),
                "utilisation": float(posts["utilisation"].mean()) if len(posts) else float("nan"),
                "mean_queue": float(queue.mean()) if len(queue) else float("nan"),
                "closed_share": (closed or {}).get((cid, mode, direction), float("nan")),
            }
        )
    return pd.DataFrame(rows, columns=CROSSING_COLUMNS)


def section_speeds(
    hours_by_place: pd.DataFrame,
    places: Sequence[Place],
    km_by_country: dict[str, dict[str, float]],
) -> pd.DataFrame:
    """Per flow and country, CPMM-style speeds (km/h): SWOD = distance / running time,
    SWD = distance / all time spent in the country on the move (running and every delay,
    but not the dwell in the origin port, which CPMM's journeys do not include)."""
    rows = []
    for flow, h in hours_by_place.groupby("flow", sort=False):
        running: dict[str, float] = {}
        total: dict[str, float] = {}
        for place_idx, cat, hours in h[["place", "category", "hours"]].itertuples(index=False):
            if cat == "port_dwell":
                continue
            for country, share in places[place_idx].countries.items():
                total[country] = total.get(country, 0.0) + hours * share
                if cat == "running":
                    running[country] = running.get(country, 0.0) + hours * share
        for country, km in km_by_country.get(flow, {}).items():
            run_h = running.get(country, 0.0)
            all_h = total.get(country, 0.0)
            rows.append(
                {
                    "flow": flow,
                    "country": country,
                    "km": km,
                    "running_h": run_h,
                    "total_h": all_h,
                    "swod_kmh": km / run_h if run_h > 0 else float("nan"),
                    "swd_kmh": km / all_h if all_h > 0 else float("nan"),
                }
            )
    return pd.DataFrame(
        rows, columns=["flow", "country", "km", "running_h", "total_h", "swod_kmh", "swd_kmh"]
    )


def throughput(
    containers: pd.DataFrame,
    demand: dict[str, tuple[float, float]],
    warmup_h: float,
    horizon_h: float,
    replications: int,
) -> pd.DataFrame:
    """Per flow: TEU a year delivered (in the window after the warm-up) against demand,
    and the trade value carried (TEU × value per TEU, USD a year).

    ``demand`` maps flow -> (TEU a year, USD per TEU).
    """
    window_years = (horizon_h - warmup_h) / HOURS_PER_YEAR
    rows = []
    done = containers[containers["delivered"] & (containers["delivered_h"] >= warmup_h)]
    counts = done.groupby("flow").size()
    for flow, (teu, value) in demand.items():
        per_year = float(counts.get(flow, 0)) / replications / window_years
        rows.append(
            {
                "flow": flow,
                "demand_teu_per_year": teu,
                "delivered_teu_per_year": per_year,
                "delivered_share": per_year / teu if teu else float("nan"),
                "value_usd_per_teu": value,
                "trade_value_usd_per_year": per_year * value,
            }
        )
    return pd.DataFrame(rows)


def in_system_note(containers: pd.DataFrame) -> list[str]:
    """A warning when more than a fifth of the containers created after the warm-up
    are still in the system at the horizon (the transit figures leave them out)."""
    after = containers["after_warmup"]
    in_system = int((~containers["delivered"] & after).sum())
    total_after = int(after.sum())
    if total_after and in_system / total_after > 0.2:
        return [
            f"{in_system / total_after:.0%} of the containers created after the warm-up "
            "were still in the system at the horizon: transit statistics cover only those "
            "delivered; lengthen the horizon"
        ]
    return []
