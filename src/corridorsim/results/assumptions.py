"""The operating assumptions that decide a run's answer, stated in plain sentences for
the summary and the report: how trains and trucks leave, how many train sets each
service has, the speed basis and the port dwell. A figure no source gives says so."""

from __future__ import annotations

from corridorsim.scenario.format import Scenario, Timetable, WhenFull

__all__ = ["operating_assumptions"]

_DEFAULT_TRAIN = WhenFull()
_DEFAULT_TRUCK = WhenFull(max_wait_hours=24.0)


def _departure(what: str, policy: WhenFull | Timetable, default: WhenFull, key: str) -> str:
    if isinstance(policy, Timetable):
        return (
            f"{what} leave at {', '.join(policy.times)} on {', '.join(policy.days)}, with what "
            f"waits up to their capacity (set in the scenario, {key})"
        )
    basis = (
        "an assumption: no source gives a figure" if policy == default else "set in the scenario"
    )
    return f"{what} leave when full or after {policy.max_wait_hours:g} h at most ({basis}; {key})"


def operating_assumptions(scenario: Scenario) -> tuple[str, ...]:
    """The sentences, in a fixed order."""
    ops = scenario.operations
    caps = ", ".join(f"{teu} TEU on {g:,} mm" for g, teu in ops.train_capacity_teu.items())
    out = [
        _departure("Trains", ops.departure, _DEFAULT_TRAIN, "operations.departure")
        + f"; they carry {caps}",
        _departure("Trucks", ops.truck_departure, _DEFAULT_TRUCK, "operations.truck_departure")
        + f"; they carry {ops.truck_capacity_teu} TEU",
    ]
    if ops.fleet.sets:
        sets = ", ".join(f"{n} per {g:,} mm service" for g, n in ops.fleet.sets.items())
        out.append(
            f"Train sets: {sets} (other gauges: no limit); a set is away for twice the "
            f"service's expected one-way time plus {ops.fleet.end_hours:g} h at the ends "
            "(operations.fleet)"
        )
    else:
        out.append(
            "Train sets: no limit, any number of trains can leave at once (no source gives "
            "the fleets; operations.fleet.sets)"
        )
    basis = {
        "moving_plus_stops": "speed without delay plus the network's en-route stops",
        "moving": "speed without delay, no stops (the optimistic bound)",
        "with_delay": "CPMM's speed with delay, which counts border time twice (the "
        "pessimistic bound)",
    }[ops.speed_basis]
    out.append(f"Running time, rail and road alike: {basis} (operations.speed_basis)")
    ports = scenario.ports
    if not ports.dwell:
        out.append("Port dwell: left out, flows start at the port gate (ports.dwell)")
    else:
        own = ", ".join(f"{p} {d.mean:g} h on average" for p, d in ports.dwell_hours.items())
        rest = "at other ports " if own else ""
        out.append(
            "Port dwell at the origin port: "
            + (f"{own} (set in the scenario); " if own else "")
            + f"the network's sourced figures {rest}(ports.dwell_hours)"
        )
    return tuple(out)
