"""Time–distance: the quantiles computed over all containers at once equal the rule
applied container by container."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from corridorsim.experiments import run
from corridorsim.results.trajectories import _primary, route_points, time_distance

from .conftest import SCENARIOS


def _reference(results, flow):
    """The rule, one container at a time: 0 at the origin, its dwell at the end of a port
    dwell, after waiting its vehicle's departure;
    elsewhere the end of the vehicle's last stage there, or the time reached before."""
    rp = _primary(results, flow)
    pts = route_points(results.plan, rp)
    c = results.containers
    mine = c[(c["flow"] == flow) & c["delivered"] & (c["route_index"] == rp.index)]
    b = results.boardings.merge(
        mine[["replication", "container", "created_h", "port_dwell_h"]],
        on=["replication", "container"],
    ).sort_values(["replication", "container", "queued_h"])
    dep = results.vehicles.set_index(["replication", "vehicle"])["depart_h"]
    ends = results.stages.groupby(["replication", "vehicle", "place"])["end_h"].max().to_dict()
    rows = []
    for (rep, _), g in b.groupby(["replication", "container"], sort=False):
        created, vehicles = float(g["created_h"].iloc[0]), g["vehicle"].to_list()
        dwell = float(g["port_dwell_h"].iloc[0])
        if len(vehicles) != len(rp.segments):
            continue
        last, row = 0.0, []
        for p in pts:
            v = vehicles[p.segment]
            if p.kind == "origin":
                t = 0.0
            elif p.kind == "port":
                t = dwell
            elif p.kind == "queue":
                t = float(dep[(rep, v)]) - created
            else:
                end = ends.get((rep, v, p.place))
                t = last if end is None else end - created
            last = max(last, t)
            row.append(last)
        rows.append(row)
    return np.array(rows)


@pytest.mark.parametrize("name", ["default", "security-disruptions-rerouting"])
def test_time_distance_equals_the_per_container_rule(name):
    res = run(SCENARIOS / f"{name}.yaml", replications=2, horizon_days=150)
    for flow in res.loaded.scenario.demand:
        td = time_distance(res, flow.name)
        ref = _reference(res, flow.name)
        assert td.attrs["containers"] == len(ref) > 100
        for q in (0.1, 0.5, 0.9):
            expected = pd.Series(np.quantile(ref, q, axis=0), name=f"q{round(q * 100)}")
            pd.testing.assert_series_equal(td[f"q{round(q * 100)}"], expected, check_exact=True)
        assert (np.diff(td["q50"]) >= 0).all()  # time never runs backwards along the route
