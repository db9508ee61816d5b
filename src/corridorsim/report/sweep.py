"""The sweep report (``sweep.md``, ``sweep.html``): what was varied, where each flow
meets the target and where it comes closest, every variant's figures with their 95%
intervals, failed runs, and the response plot."""

from __future__ import annotations

import base64
import math
from pathlib import Path
from typing import Any

import pandas as pd

from corridorsim.report.context import cost_text
from corridorsim.report.templates import templates
from corridorsim.wording import share_interval

__all__ = ["render_sweep", "write_sweep_report"]


def _fmt(x: Any, spec: str) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, spec)


def _setting(row: Any, varied: list[str]) -> str:
    return ", ".join(f"{p} = {row[p]}" for p in varied)


def findings(table: pd.DataFrame, varied: list[str], target_days: float) -> list[str]:
    """Per flow: in which variants its p90 meets the target, or the closest it comes;
    then each variant that saturates a resource."""
    out = []
    for flow, g in table.groupby("flow", sort=False):
        ok = g[g["p90_days"] <= target_days]
        done = g.dropna(subset=["p90_days"])
        if done.empty:
            out.append(f"{flow}: no variant delivered a container")
        elif ok.empty:
            best = done.loc[done["p90_days"].idxmin()]
            out.append(
                f"{flow}: no variant meets {target_days:g} days at p90; the closest is "
                f"{best['p90_days']:.1f} days at {_setting(best, varied)}"
            )
        else:
            shown = "; ".join(_setting(r, varied) for _, r in ok.head(5).iterrows())
            more = f" and {len(ok) - 5} more" if len(ok) > 5 else ""
            out.append(
                f"{flow}: meets {target_days:g} days at p90 in {len(ok)} of {len(g)} "
                f"variants ({shown}{more})"
            )
    return out + _saturated(table, varied)


def _saturated(table: pd.DataFrame, varied: list[str]) -> list[str]:
    """The variants that ask more of a resource than it can do: their figures are the
    run's, and grow with its length (tables without the column: none)."""
    if "saturated" not in table.columns:
        return []
    full = table[table["saturated"].astype(str) != ""].drop_duplicates("variant")
    return [
        f"saturated at {_setting(r, varied)}: {r['saturated']} (offered load "
        f"{r['peak_load']:.2f}), so its queue grows for as long as the run lasts and the "
        "figures there are that run's, not a steady state"
        for _, r in full.iterrows()
    ]


def _rows(table: pd.DataFrame, varied: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "variant": str(r["variant"]),
            "values": [str(r[p]) for p in varied],
            "flow": str(r["flow"]),
            "mean": _fmt(r["mean_days"], ".2f"),
            "ci": _fmt(r["mean_ci95_days"], ".2f"),
            "p90": _fmt(r["p90_days"], ".2f"),
            "share": _fmt(100 * r["share_within_target"], ".0f"),
            "share_ci": share_interval(r["share_ci95_low"], r["share_ci95_high"]),
            "cost": cost_text(r["route_cost_usd_per_teu"], bool(r["route_cost_complete"])),
            "error": str(r.get("error", "") or ""),
        }
        for _, r in table.iterrows()
    ]


def render_sweep(
    table: pd.DataFrame, meta: dict[str, Any], figure: str | None, figure_uri: str | None
) -> tuple[str, str]:
    """The sweep report as Markdown (linking ``figure``) and HTML (inlining it)."""
    varied = list(meta["vary"])
    target_days = meta["target_hours"] / 24
    ctx = {
        "m": meta,
        "varied": varied,
        "target_days": f"{target_days:g}",
        "findings": findings(table, varied, target_days),
        "rows": _rows(table, varied),
    }
    env = templates()
    return (
        env.get_template("sweep.md.j2").render(**ctx, figure=figure),
        env.get_template("sweep.html.j2").render(**ctx, figure=figure_uri),
    )


def write_sweep_report(
    table: pd.DataFrame, meta: dict[str, Any], folder: Path, figure: str | None
) -> None:
    """Write ``sweep.md`` and ``sweep.html`` into ``folder`` (which holds ``figure``)."""
    uri = None
    if figure is not None:
        raw = (folder / figure).read_bytes()
        uri = "data:image/png;base64," + base64.b64encode(raw).decode("ascii")
    md, html = render_sweep(table, meta, figure, uri)
    (folder / "sweep.md").write_text(md, encoding="utf-8")
    (folder / "sweep.html").write_text(html, encoding="utf-8")
