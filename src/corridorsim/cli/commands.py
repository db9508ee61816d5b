"""The commands: each takes the parsed arguments, calls the API and prints.

Each command imports what it uses when it runs, so ``validate``, ``schema`` and
``network`` start without the engine, pandas, scipy or matplotlib."""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from corridorsim.cli.show import (
    Progress,
    Stages,
    print_compare,
    print_summary,
    route_line,
    route_places,
)
from corridorsim.cli.what_it_takes import what_it_takes
from corridorsim.errors import CorridorSimError
from corridorsim.wording import counted

__all__ = [
    "cmd_calibrate",
    "cmd_calibrate_closures",
    "cmd_calibrate_journeys",
    "cmd_compare",
    "cmd_network",
    "cmd_plot",
    "cmd_run",
    "cmd_scenarios",
    "cmd_schema",
    "cmd_validate",
]

ALL_STATUSES = ("operating", "under_construction", "planned")


def _show_progress(args: argparse.Namespace) -> bool:
    return not args.quiet and sys.stderr.isatty()


def _import_writers() -> None:
    """What ``run`` needs after the simulation (the summary, scipy, matplotlib, the
    report's templates): imported while the worker processes simulate."""
    import corridorsim.report.writer
    import corridorsim.results.summary  # noqa: F401


def cmd_run(args: argparse.Namespace) -> int:
    from corridorsim.experiments import with_settings
    from corridorsim.report import check_out_dir, default_out_dir
    from corridorsim.report.early_map import EarlyMap
    from corridorsim.scenario.loader import load_scenario

    loaded = load_scenario(args.scenario)
    if args.levers is not None:
        from corridorsim.levers import check_levers, read_levers

        check_levers(loaded.path, read_levers(args.levers), None)  # before anything runs
    loaded = with_settings(loaded, horizon_days=args.horizon_days, seed=args.seed)
    sc = loaded.scenario
    out = args.out or default_out_dir(sc.name)
    check_out_dir(out, sc.name, force=args.force, inputs=[loaded.path])
    drawers = args.jobs or plot_jobs()
    # the map needs only the scenario: from the cache, or drawn by its own process while
    # the replications run
    early = EarlyMap(loaded, args.formats, ahead=drawers > 1)
    try:
        notes: list[str] = []
        results = _simulate(args, loaded, notes)
        from corridorsim.report.writer import write_run
        from corridorsim.results.summary import summarize

        # made once, while the plots are drawn (or first, for the levers)
        summary = functools.cache(lambda: summarize(results, warnings=notes))
        takes = None
        if args.levers is not None:
            with Stages(_show_progress(args)) as stage:
                stage(f"{sc.name}: summarising {counted(results.replications, 'replication')}")
                summary()
            takes = what_it_takes(args, loaded, summary(), results.replications)
        with Stages(_show_progress(args)) as stage:
            write_run(
                results,
                summary,
                out,
                force=args.force,
                formats=args.formats,
                csv=args.csv,
                jobs=drawers,
                takes=takes,
                stage=lambda text: stage(f"{sc.name}: {text}"),
                early_map=early,
                figures=args.figures,
            )
    finally:
        early.close()
    print_summary(summary())
    print(f"results written to {out}/ (summary.json, report.html, report.md, plots/, tables)")
    return 0


def _simulate(args: argparse.Namespace, loaded: Any, notes: list[str]) -> Any:
    """The replications ``run`` asks for (a number, or ``auto``), with a progress bar."""
    from corridorsim.engine.budget import estimate_work
    from corridorsim.experiments import auto_jobs, run, run_auto

    sc = loaded.scenario
    if args.replications == "auto":
        label = f"{sc.name}: replications (auto)"
        with Progress(label, args.max_replications, _show_progress(args)) as bar:
            results, reached = run_auto(
                loaded,
                cap=args.max_replications,
                jobs=args.jobs or 1,
                progress=bar,
                force=args.force,
            )
        how = "reached" if reached else "NOT reached"
        notes.append(
            f"--replications auto: {counted(results.replications, 'replication')} run; 95% CI "
            f"half-width under 2% of the mean for every flow {how}"
        )
        return results
    reps = args.replications or sc.simulation.replications
    with Progress(f"{sc.name}: replications", reps, _show_progress(args)) as bar:
        jobs = args.jobs or auto_jobs(reps, estimate_work(loaded).containers_per_replication)
        return run(
            loaded,
            replications=reps,
            jobs=jobs,
            progress=bar,
            force=args.force,
            meanwhile=_import_writers,
        )


def cmd_compare(args: argparse.Namespace) -> int:
    from corridorsim.experiments import auto_jobs, compare
    from corridorsim.report import check_out_dir, write_compare
    from corridorsim.scenario.loader import load_scenario

    if len(args.scenarios) < 2:
        raise CorridorSimError("compare needs at least two scenario files")
    loaded = [load_scenario(p) for p in args.scenarios]
    names = [x.scenario.name for x in loaded]
    out = args.out or Path("results") / ("compare-" + "-vs-".join(names))
    if len(set(names)) == len(names):  # else compare() says why it cannot
        check_out_dir(
            out,
            "compare:" + ",".join(names),
            compare=True,
            force=args.force,
            inputs=[x.path for x in loaded],
        )
    reps = args.replications or loaded[0].scenario.simulation.replications
    total = reps * len(loaded)
    with Progress("compare", total, _show_progress(args)) as bar:
        done: dict[str, int] = {}

        def progress(name: str, d: int, _total: int) -> None:
            done[name] = d
            bar(sum(done.values()), total, f"{name}: replications")

        comparison = compare(
            loaded,
            seed=args.seed,
            replications=args.replications,
            jobs=args.jobs or auto_jobs(reps),
            horizon_days=args.horizon_days,
            progress=progress,
            force=args.force,
        )
    write_compare(
        comparison, out, force=args.force, formats=args.formats, jobs=args.jobs or plot_jobs()
    )
    print_compare(comparison)
    print(f"comparison written to {out}/ (compare.json, report.html, report.md, plots/)")
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    from corridorsim.report import write_plots
    from corridorsim.report.out_dir import check_writable, refuse_links
    from corridorsim.results.store import load_results

    refuse_links(args.results_dir)  # the plots are written into it
    results = load_results(args.results_dir)
    check_writable(args.results_dir, what=str(args.results_dir / "plots"))
    jobs = args.jobs or plot_jobs()
    for p in write_plots(results, args.results_dir, args.formats, jobs, args.figures):
        print(p)
    return 0


def cmd_network(args: argparse.Namespace) -> int:
    from corridorsim.scenario.loader import load_scenario

    loaded = load_scenario(args.scenario)
    net = loaded.network
    s = net.summary()
    print(f"network of scenario {loaded.scenario.name} ({loaded.scenario.network.file})")
    print(
        f"  {s['nodes']} nodes ({_kv(s['nodes_by_country'])}), {s['links']} links, "
        f"{s['crossings']} border crossings, {s['terminals']} terminals"
    )
    km_by: dict[str, dict[str, float]] = s["km_by_mode_and_status"]  # type: ignore[assignment]
    built_km = sum(net.link(i).km for i in loaded.built)
    for mode, per in km_by.items():
        text = ", ".join(f"{st} {km:,.0f} km" for st, km in per.items())
        if mode == "rail" and loaded.built:
            text += f" (of the operating, {built_km:,.0f} km built in this scenario)"
        print(f"  {mode}: {text}")
    for d in net.destinations.values():
        print(f"  destination for '{d.answers}': {net.node(d.node).name} ({d.node}, {d.role})")
    statuses = ALL_STATUSES if args.as_if_built else ("operating",)
    for flow in loaded.scenario.demand:
        _print_flow_routes(loaded, flow, args.k, statuses)
    return 0


def _print_flow_routes(loaded: Any, flow: Any, k: int, statuses: tuple[str, ...]) -> None:
    """A flow's route in the scenario (fixed, or the fastest), then the k fastest."""
    from corridorsim.network.routes import candidate_routes

    net = loaded.network
    print(
        f"\nflow {flow.name}: {flow.origin} → {flow.destination} (modes: {', '.join(flow.modes)})"
    )
    chosen = loaded.routes[flow.name]
    how = "fixed by its route: list" if flow.route else "the fastest"
    print(f"  in this scenario ({how}): {route_line(chosen)}")
    print(f"{'':>4}{route_places(chosen, net, loaded.built)}")
    try:
        routes = candidate_routes(
            net, flow.origin, flow.destination, k=k, modes=flow.modes, statuses=statuses
        )
    except CorridorSimError as exc:
        print(f"  {exc}")
        return
    fewer = (
        f" (of {k} asked for: no other route without a repeated place joins them by "
        f"{' or '.join(flow.modes)} on {' or '.join(statuses).replace('_', ' ')} links)"
        if len(routes) < k
        else ""
    )
    print(f"  the {len(routes)} fastest candidates{fewer}:")
    print(
        f"  {'#':>2} {'km':>6} {'run h':>6} {'stops h':>7} {'border h':>8} "
        f"{'transfer h':>10} {'total h':>7} {'days':>5}  route"
    )
    for i, r in enumerate(routes, 1):
        same = " (the scenario's)" if r.link_ids == chosen.link_ids else ""
        print(
            f"  {i:>2} {r.distance_km:>6,.0f} {r.running_hours:>6.1f} {r.stop_hours:>7.1f} "
            f"{r.border_hours:>8.1f} {r.transfer_hours:>10.1f} {r.expected_hours:>7.1f} "
            f"{r.expected_hours / 24:>5.2f}  {route_line(r)}{same}"
        )
        print(f"{'':>6}{route_places(r, net, loaded.built)}")


def cmd_scenarios(args: argparse.Namespace) -> int:
    from corridorsim.scenario.builtins import builtin_folder, builtin_names
    from corridorsim.scenario.reading import read_scenario

    rows = []
    for name in builtin_names():
        data = read_scenario(builtin_folder() / f"{name}.yaml").data
        text = " ".join(str(data.get("description", "")).split())
        first = text.split(". ")[0].rstrip(".")
        rows.append((name, first + ("" if not first else ".")))
    width = max(len(n) for n, _ in rows)
    for name, text in rows:
        print(f"{name:<{width}}  {text}")
    print(
        f"\n{len(rows)} built-in scenarios (in {builtin_folder()}): give a name where a file "
        "is expected (corridorsim run western-rail), or extends: builtin:NAME in a file"
    )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from corridorsim.network.files import load_network
    from corridorsim.scenario.loader import load_scenario

    failed = 0
    for f in args.files:
        try:
            if args.network_file:
                net = load_network(f)
                print(f"{f}: ok ({len(net.nodes)} nodes, {len(net.links)} links)")
            else:
                loaded = load_scenario(f)
                print(
                    f"{f}: ok (scenario {loaded.scenario.name}, "
                    f"{len(loaded.scenario.demand)} flows)"
                )
        except CorridorSimError as exc:
            print(str(exc), file=sys.stderr)
            failed += 1
    if failed:
        print(f"{failed} of {len(args.files)} files have errors", file=sys.stderr)
        return 2
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from corridorsim.calibration import calibrate_all, read_targets, to_yaml
    from corridorsim.network.calibrated import CALIBRATED_FILE, builtin_calibration
    from corridorsim.network.files import builtin_network

    _not_a_folder(args.output)
    from corridorsim.pools import usable_cores

    jobs = args.jobs or usable_cores()
    calibration = calibrate_all(read_targets(args.targets), builtin_network(), jobs=jobs)
    same = calibration == builtin_calibration()
    if args.check:
        return _check_shipped(CALIBRATED_FILE, same, "calibration")
    _write_or_print(args.output, to_yaml(calibration))
    for c in calibration.crossings:
        p = c.provenance
        print(
            f"{c.crossing}/{c.mode}/{c.direction}: observed {p.observed_hours:g} h, simulated "
            f"{p.simulated_hours:g} h at {p.vehicles_per_day:g} vehicles a day; "
            f"clearance {c.exit.clearance_mean_hours:g} + {c.entry.clearance_mean_hours:g} h, "
            f"waiting {p.waiting_hours:g} h"
            + (
                ""
                if p.capacity_per_day is None
                else f" (resource handles {p.capacity_per_day:g} a day)"
            ),
            file=sys.stderr,
        )
    return 0


def cmd_calibrate_closures(args: argparse.Namespace) -> int:
    from corridorsim.closures import calibrate_closures, to_yaml
    from corridorsim.network.closures import (
        CALIBRATED_CLOSURES_FILE,
        builtin_closure_fit,
        builtin_closure_record,
    )

    _not_a_folder(args.output)
    cal = calibrate_closures(builtin_closure_record())
    if args.check:
        return _check_shipped(CALIBRATED_CLOSURES_FILE, cal == builtin_closure_fit(), "fit")
    _write_or_print(args.output, to_yaml(cal))
    return 0


def cmd_calibrate_journeys(args: argparse.Namespace) -> int:
    from corridorsim.journeys import (
        JOURNEYS_FILE,
        builtin_journey_calibration,
        calibrate_journeys,
        read_journey_targets,
        to_yaml,
    )

    _not_a_folder(args.output)
    cal = calibrate_journeys(read_journey_targets())
    if args.check:
        return _check_shipped(JOURNEYS_FILE, cal == builtin_journey_calibration(), "fit")
    _write_or_print(args.output, to_yaml(cal))
    s = cal.truck_delay_share
    print(
        f"truck_delay_share {s.value:g} (trips alone: {s.low:g} to {s.high:g}); "
        + "; ".join(
            f"{t.id}: observed {t.observed_days:g} d, at CPMM averages {t.average_days:g} d, "
            f"predicted from the others {t.loo_days:g} d"
            for t in cal.trips
        ),
        file=sys.stderr,
    )
    return 0


def _not_a_folder(output: str | None) -> None:
    if output is not None and Path(output).is_dir():
        raise CorridorSimError(f"{output} is a folder; give a file name")


def _check_shipped(name: str, same: bool, what: str) -> int:
    """``--check``: say whether the shipped file ``name`` is what a fresh ``what``
    gives; 1 if it is not."""
    if not same:
        print(f"the shipped {name} differs from a fresh {what}", file=sys.stderr)
        return 1
    print(f"the shipped {name} is reproduced")
    return 0


def _write_or_print(output: str | None, text: str) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        _write_atomic(Path(output), text)
        print(f"wrote {output}")


def plot_jobs() -> int:
    """Processes that draw the plots when ``--jobs`` is not given: the cores this
    process may use (up to 8), forked, which costs little against drawing a figure."""
    from corridorsim.pools import usable_cores

    return max(1, min(usable_cores(), 8))


def cmd_schema(args: argparse.Namespace) -> int:
    from corridorsim.scenario.jsonschema import scenario_json_schema

    if args.output is not None and Path(args.output).is_dir():
        raise CorridorSimError(f"{args.output} is a folder; give a file name for the schema")
    schema = scenario_json_schema()
    _write_or_print(args.output, json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    return 0


def _kv(d: object) -> str:
    assert isinstance(d, dict)
    return ", ".join(f"{k} {v}" for k, v in d.items())


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
