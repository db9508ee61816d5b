"""Regenerate docs/validation.md and the README's status table: every observed figure
the model is compared with, from fresh runs, each marked **calibration target** (used to
set parameters) or **held out** (never used to set anything), with observed against
simulated and the tolerance.

Run from the repository root after any model or data change:

    python docs/make_validation.py [--check]

``--check`` writes nothing and exits 1 if either page is out of date.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from corridorsim.experiments import run
from corridorsim.network.closures import builtin_closure_fit, builtin_closure_record
from corridorsim.results import Results, summarize

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
REPLICATIONS, SEED, HORIZON = 4, 20260204, 150.0
START, END = "<!-- validation:start -->", "<!-- validation:end -->"


@dataclass(frozen=True)
class Check:
    """One observed figure and how to read its simulated counterpart from a run."""

    label: str
    kind: str  # "calibration target" or "held out"
    observed: float
    unit: str
    tolerance: float  # relative
    source: str
    run: str  # which run: a key of RUNS
    simulate: Callable[[dict, Results], float]
    note: str = ""

    def row(self, runs: dict[str, tuple[dict, Results]]) -> tuple[str, float, bool]:
        summary, results = runs[self.run]
        sim = self.simulate(summary, results)
        ok = abs(sim - self.observed) <= self.tolerance * self.observed
        return self.label, sim, ok


def crossing(cid: str, frm: str) -> Callable[[dict, Results], float]:
    def read(summary: dict, _: Results) -> float:
        (row,) = [
            c
            for c in summary["crossings"]
            if c["crossing"] == cid and c["from_country"] == frm and c["mode"] == "road"
        ]
        return float(row["tfi1_hours"])

    return read


def speed(flow: str, country: str, key: str) -> Callable[[dict, Results], float]:
    def read(summary: dict, _: Results) -> float:
        (row,) = [x for x in summary["sections"] if x["flow"] == flow and x["country"] == country]
        return float(row[key])

    return read


def transit_days(flow: str) -> Callable[[dict, Results], float]:
    def read(summary: dict, _: Results) -> float:
        (row,) = [f for f in summary["flows"] if f["flow"] == flow]
        return float(row["transit_hours"]["mean"]) / 24

    return read


def post_hours(key: str) -> Callable[[dict, Results], float]:
    """Mean hours a vehicle spends at one post (queue, processing, closed)."""

    def read(_: dict, results: Results) -> float:
        places = [p.index for p in results.plan.places if p.kind == "post" and p.key == key]
        s = results.stages
        at = s[s["place"].isin(places)]
        per_vehicle = at.groupby(["replication", "vehicle"])["hours"].sum()
        return float(per_vehicle.mean())

    return read


CHECKS = [
    Check(
        "CPMM TFI1 Torkham outbound, 2022",
        "calibration target",
        24.2,
        "h",
        0.05,
        "S97",
        "road",
        crossing("torkham", "PK"),
    ),
    Check(
        "CPMM TFI1 Chaman outbound, 2022",
        "calibration target",
        54.0,
        "h",
        0.05,
        "S97",
        "road",
        crossing("chaman", "PK"),
    ),
    Check(
        "CPMM road SWOD Pakistan, 2023",
        "calibration target",
        24.8,
        "km/h",
        0.05,
        "S101",
        "road",
        speed("tashkent-via-torkham", "PK", "swod_kmh"),
        "sets Pakistan's road speed",
    ),
    Check(
        "CPMM road SWD Pakistan, 2023",
        "calibration target",
        11.4,
        "km/h",
        0.10,
        "S101",
        "road",
        speed("tashkent-via-torkham", "PK", "swd_kmh"),
        "sets Pakistan's en-route delays",
    ),
    Check(
        "CPMM road SWOD Afghanistan, 2020",
        "calibration target",
        33.7,
        "km/h",
        0.05,
        "S99",
        "road",
        speed("tashkent-via-torkham", "AF", "swod_kmh"),
        "sets Afghanistan's road speed",
    ),
    Check(
        "CPMM road SWD Afghanistan, 2020",
        "calibration target",
        12.4,
        "km/h",
        0.10,
        "S99",
        "road",
        speed("tashkent-via-torkham", "AF", "swd_kmh"),
        "sets Afghanistan's en-route delays",
    ),
    Check(
        "CPMM TFI1 Chaman outbound, 2021",
        "held out",
        57.5,
        "h",
        0.10,
        "S97",
        "road",
        crossing("chaman", "PK"),
        "another year of a calibrated crossing",
    ),
    Check(
        "CPMM TFI1 Torkham outbound, 2021",
        "held out",
        31.6,
        "h",
        0.10,
        "S97",
        "road",
        crossing("torkham", "PK"),
        "another year of a calibrated crossing: one year's calibration does not carry "
        "another year's traffic and procedures",
    ),
    Check(
        "CPMM Alat (Uzbek post) inbound, 2022",
        "held out",
        1.7,
        "h",
        0.25,
        "S102",
        "road",
        post_hours("farap-alat/road/UZ/entry"),
        "one post; the model splits Farap-Alat's 14 h evenly between its posts",
    ),
    Check(
        "TIR pilot Karachi-Tashkent, 2021",
        "held out",
        5.0,
        "days",
        0.15,
        "S7",
        "pilot",
        transit_days("tashkent-via-torkham"),
        "the pilot scenario's border times come from S105, not from this run",
    ),
    Check(
        "KTZ/NLC pilot Kazakhstan-Karachi, 2024",
        "held out",
        20.0,
        "days",
        0.30,
        "S3",
        "reverse",
        transit_days("almaty-to-karachi"),
        "not like for like: the pilot started at Pavlodar (4,900 km) and changed between "
        "rail and road; the model runs Almaty-Karachi by road under CPMM-average delays",
    ),
]


def closure_check(cid: str) -> Check:
    """Days closed a year after the record's held_out_from date, against what the closure
    process fitted to the years before it expects (it never saw them)."""
    fitted = builtin_closure_fit()
    assert fitted is not None
    held = fitted.held_out
    start = builtin_closure_record().held_out_from

    def expected(_: dict, __: Results) -> float:
        return round(float(held[f"{cid}_closed_days_per_year_expected"]), 1)

    return Check(
        f"{cid.title()} closed days a year, {start.year}-26",
        "held out",
        round(float(held[f"{cid}_closed_days_per_year_observed"]), 1),
        "days",
        0.5,
        "S70, S71, S173",
        "road",
        expected,
        f"expected by the closure process fitted to {fitted.earlier_fit.fitted_from.year}-"
        f"{start.year - 1} (corridorsim calibrate-closures); scenarios use the fit on the "
        "whole record",
    )


CHECKS += [closure_check("chaman"), closure_check("torkham")]

REVERSE = """name: kazakhstan-to-karachi
extends: {base}
demand:
  - id: almaty-to-karachi
    origin: ALA
    destination: KHI
    teu_per_year: 1147
    modes: [road]
    route: [ALA, CIT, SRY, KLS, TAS, SKD, QRS, TMZ, HRT, MZR, KBL, JAA, TKA, TKM, PEW, RWP, LHE,
            MUX, ROH, KHI]
"""


def runs() -> dict[str, tuple[dict, Results]]:
    out = {}
    with tempfile.TemporaryDirectory() as d:
        reverse = Path(d) / "reverse.yaml"
        reverse.write_text(REVERSE.format(base=SCENARIOS / "today-road-tir.yaml"), "utf-8")
        for key, path in (
            ("road", SCENARIOS / "today-road-tir.yaml"),
            ("pilot", SCENARIOS / "today-road-tir-pilot.yaml"),
            ("reverse", reverse),
        ):
            res = run(path, replications=REPLICATIONS, seed=SEED, horizon_days=HORIZON)
            out[key] = (summarize(res).to_json(), res)
    return out


def table(rows: list[tuple[Check, float, bool]], kinds: tuple[str, ...]) -> str:
    lines = [
        "| figure | kind | observed | simulated | tolerance | result | source | note |",
        "|---|---|---:|---:|---:|---|---|---|",
    ]
    for c, sim, ok in rows:
        if c.kind in kinds:
            lines.append(
                f"| {c.label} | {c.kind} | {c.observed:g} {c.unit} | {sim:.1f} {c.unit} | "
                f"±{c.tolerance:.0%} | {'pass' if ok else '**fail**'} | {c.source} | {c.note} |"
            )
    return "\n".join(lines) + "\n"


def render() -> tuple[str, str]:
    """The validation page, and the README's status block."""
    r = runs()
    rows = [(c, *c.row(r)[1:]) for c in CHECKS]
    held = [x for x in rows if x[0].kind == "held out"]
    passed = sum(ok for _, _, ok in held)
    page = f"""# Validation record

Generated by `python docs/make_validation.py` ({REPLICATIONS} replications, seed {SEED},
a {HORIZON:g}-day horizon with each scenario's own warm-up). Do not edit by hand; a test
checks that it is current.

Every observed figure the model is compared with. A **calibration target** was used to
set a parameter (border posts by `corridorsim calibrate`, see
`src/corridorsim/data/calibration_targets.yaml`; road speeds and en-route delays in
`today-road-tir.yaml`), so matching it shows the calibration worked, not that the model
is right. A **held-out** figure was never used to set anything: it is the test. Held-out
figures passed: **{passed} of {len(held)}**. Figures are called *calibrated*, not
*validated*, wherever they are reported.

{table(rows, ("calibration target", "held out"))}"""
    status = (
        f"Held-out observations (never used to set parameters; {passed} of {len(held)} "
        f"within tolerance; full record in `docs/validation.md`):\n\n" + table(rows, ("held out",))
    )
    return page, status


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the pages are stale")
    args = ap.parse_args()
    page, status = render()
    readme_path = ROOT / "README.md"
    readme = readme_path.read_text(encoding="utf-8")
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    new_readme = f"{head}{START}\n{status}{END}{tail}"
    page_path = ROOT / "docs" / "validation.md"
    if args.check:
        stale = page_path.read_text(encoding="utf-8") != page or readme != new_readme
        print("stale: run python docs/make_validation.py" if stale else "current")
        return int(stale)
    page_path.write_text(page, encoding="utf-8")
    readme_path.write_text(new_readme, encoding="utf-8")
    print(status)
    return 0


if __name__ == "__main__":
    sys.exit(main())
