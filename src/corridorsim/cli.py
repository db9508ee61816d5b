"""The ``corridorsim`` command line: parsing and printing only; the work is in the API."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from corridorsim import __version__
from corridorsim.errors import CorridorSimError
from corridorsim.network.load import load_network
from corridorsim.network.routes import Route, candidate_routes
from corridorsim.scenario.loader import load_scenario
from corridorsim.scenario.schema import Scenario

__all__ = ["main"]

ALL_STATUSES = ("operating", "under_construction", "planned")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 for a bad input file)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CorridorSimError as exc:
        print(f"error: {exc}" if "\n" not in str(exc) else f"error:\n{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. piped into `head`
        return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="corridorsim",
        description="Simulate freight on the Trans-Afghan corridor and compare transit times "
        "with the five-day goal.",
    )
    p.add_argument("--version", action="version", version=f"corridorsim {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run a scenario (default: the built-in western rail one)")
    run.add_argument("scenario", nargs="?", help="scenario YAML file")
    run.set_defaults(func=_cmd_run)

    net = sub.add_parser("network", help="summarise the network and the scenario's routes")
    net.add_argument("scenario", nargs="?", help="scenario YAML file (default: built-in)")
    net.add_argument("-k", type=int, default=3, help="candidate routes per flow (default 3)")
    net.add_argument(
        "--as-if-built", action="store_true", help="also use planned and under-construction links"
    )
    net.set_defaults(func=_cmd_network)

    val = sub.add_parser("validate", help="check scenario files; exit 2 if any is bad")
    val.add_argument("files", nargs="+", help="scenario YAML files")
    val.add_argument(
        "--network-file", action="store_true", help="the files are network files, not scenarios"
    )
    val.set_defaults(func=_cmd_validate)

    sch = sub.add_parser("schema", help="write the JSON Schema of scenario files")
    sch.add_argument("-o", "--output", help="file to write (default: standard output)")
    sch.set_defaults(func=_cmd_schema)
    return p


# --- commands --------------------------------------------------------------------------


def _cmd_run(args: argparse.Namespace) -> int:
    loaded = load_scenario(args.scenario)
    sc = loaded.scenario
    print(f"scenario {sc.name} ({loaded.path})")
    print(
        f"target: {sc.target.hours:g} h ({sc.target.hours / 24:g} days) at "
        f"p{sc.target.percentile:g}"
    )
    print(
        "expected transit per flow, from mean running, border and transfer times "
        "(no queueing, consolidation or disruption: the simulation engine adds those):"
    )
    for flow in sc.demand:
        route = loaded.routes[flow.name]
        gap = route.expected_hours - sc.target.hours
        verdict = (
            f"within target by {-gap:.1f} h"
            if gap <= 0
            else f"over target by {gap:.1f} h before any queueing"
        )
        print(f"  {flow.name}: {flow.origin} → {flow.destination}, {flow.teu:,.0f} TEU/yr")
        print(f"    {_route_line(route)}")
        print(
            f"    expected {route.expected_hours:.1f} h ({route.expected_hours / 24:.2f} days): "
            f"{verdict}"
        )
    return 0


def _cmd_network(args: argparse.Namespace) -> int:
    loaded = load_scenario(args.scenario)
    net = loaded.network
    s = net.summary()
    print(f"network of scenario {loaded.scenario.name} ({loaded.scenario.network.file})")
    print(
        f"  {s['nodes']} nodes ({_kv(s['nodes_by_country'])}), {s['links']} links, "
        f"{s['crossings']} border crossings, {s['terminals']} terminals"
    )
    for mode, per in s["km_by_mode_and_status"].items():  # type: ignore[union-attr]
        print(f"  {mode}: " + ", ".join(f"{st} {km:,.0f} km" for st, km in per.items()))
    statuses = ALL_STATUSES if args.as_if_built else ("operating",)
    for flow in loaded.scenario.demand:
        print(
            f"\nflow {flow.name}: {flow.origin} → {flow.destination} "
            f"(modes: {', '.join(flow.modes)})"
        )
        try:
            routes = candidate_routes(
                net, flow.origin, flow.destination, k=args.k, modes=flow.modes, statuses=statuses
            )
        except CorridorSimError as exc:
            print(f"  {exc}")
            continue
        print(
            f"  {'#':>2} {'km':>6} {'run h':>6} {'border h':>8} {'transfer h':>10} "
            f"{'total h':>7} {'days':>5}  route"
        )
        for i, r in enumerate(routes, 1):
            print(
                f"  {i:>2} {r.distance_km:>6,.0f} {r.running_hours:>6.1f} {r.border_hours:>8.1f} "
                f"{r.transfer_hours:>10.1f} {r.expected_hours:>7.1f} "
                f"{r.expected_hours / 24:>5.2f}  {_route_line(r)}"
            )
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
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


def _cmd_schema(args: argparse.Namespace) -> int:
    schema = Scenario.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "corridorsim scenario"
    text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        _write_atomic(Path(args.output), text)
        print(f"wrote {args.output}")
    return 0


# --- helpers -----------------------------------------------------------------------------


def _kv(d: object) -> str:
    assert isinstance(d, dict)
    return ", ".join(f"{k} {v}" for k, v in d.items())


def _route_line(r: Route) -> str:
    bits = [r.label, f"{r.distance_km:,.0f} km"]
    if r.crossings:
        bits.append("borders: " + ", ".join(f"{c} ({m})" for c, m in r.crossings))
    if r.gauge_breaks:
        bits.append(
            "gauge breaks: "
            + ", ".join(f"{b.node} {b.from_gauge}→{b.to_gauge}" for b in r.gauge_breaks)
        )
    if r.mode_changes:
        bits.append("rail/road transfers: " + ", ".join(m.node for m in r.mode_changes))
    return "; ".join(bits)


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
