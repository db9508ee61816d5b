"""From records to tables without running SimPy: a hand-made replication whose every
number can be checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from corridorsim.engine.output import ResourceOutput, RunOutput, Stage
from corridorsim.engine.plan import LegStep, Plan
from corridorsim.engine.resources import ResourceId
from corridorsim.results.records import build_records
from corridorsim.results.tables import TABLES, RunRecords

from .builders import flow, scenario
from .engine_helpers import toy_scenario


@pytest.fixture
def out(tmp_path):
    """One train B1 -> D (one segment: X exit post, B1-B2, X entry post, B2-D) with two
    containers created at 0 h and 1 h, leaving at 5 h and arriving at 12 h."""
    plan = Plan.build(toy_scenario(tmp_path, scenario(flow("B1", "D", 100), days=10)))
    (seg,) = plan.segments
    legs = [s for s in seg.steps if isinstance(s, LegStep)]
    exit_p, entry_p = legs[0].exit_place, legs[0].entry_place
    stages = [
        (0, Stage.BORDER_PROCESSING, exit_p, 2.0, 7.0),
        (0, Stage.RUNNING, legs[0].place, 1.0, 8.0),
        (0, Stage.BORDER_PROCESSING, entry_p, 2.0, 10.0),
        (0, Stage.RUNNING, legs[1].place, 2.0, 12.0),
    ]
    post = ResourceId(
        "border_post", crossing="X", mode="rail", country="XX", role="exit", direction="XX-YY"
    )
    return RunOutput(
        plan=plan,
        replication=3,
        warmup=0.0,
        created=np.array([0.0, 1.0]),
        dwell=np.zeros(2),
        landed=np.zeros(2),
        landed_place=np.full(2, -1, dtype=np.int64),
        flow=np.array([0, 0], dtype=np.int32),
        route=np.array([0, 0], dtype=np.int32),
        delivered_h=np.array([12.0, 12.0]),
        vehicles=np.array([[0, 2, 5.0, 12.0]]),
        stages=np.array(stages, dtype=float),
        manifest_vehicle=np.array([0, 0]),
        manifest_container=np.array([0, 1]),
        manifest_queued=np.array([0.0, 1.0]),
        resources=(
            ResourceOutput(
                post,
                1,
                {
                    "served": 1.0,
                    "mean_busy": 0.2,
                    "utilisation": 0.2,
                    "mean_queue": 0.0,
                    "mean_wait_h": 0.0,
                },
                np.array([[5.0, 0, 1], [7.0, 0, 0]]),
            ),
        ),
        closures=(("X", 20.0, 30.0),),
    )


def test_every_declared_table_with_its_columns(out):
    rec = build_records(out)
    assert isinstance(rec, RunRecords)
    for t in TABLES:
        assert list(rec.tables[t.name].columns) == t.names, t.name
    assert rec.stage_records == 4


def test_container_breakdown_by_hand(out):
    c = build_records(out).containers
    assert list(c["transit_h"]) == [12.0, 11.0]
    assert list(c["consolidation_h"]) == [5.0, 4.0]  # waited from creation to 5 h
    assert list(c["running_h"]) == [3.0, 3.0]
    assert list(c["border_processing_h"]) == [4.0, 4.0]
    cats = [f"{s.name.lower()}_h" for s in Stage]
    assert np.allclose(c[cats].sum(axis=1), c["transit_h"])
    assert list(c["departed_h"]) == [5.0, 5.0]
    assert (c["replication"] == 3).all()


def test_passage_resources_and_closures_by_hand(out):
    rec = build_records(out)
    (p,) = rec.passages.itertuples()
    assert (p.crossing, p.from_country, p.hours, p.depart_h) == ("X", "XX", 5.0, 5.0)
    (r,) = rec.resources.itertuples()
    assert (r.crossing, r.role, r.direction, r.capacity) == ("X", "exit", "XX-YY", 1)
    assert r.resource == "post X/rail/XX/exit"
    assert list(rec.resource_log["busy"]) == [1, 0]
    assert rec.closures.to_dict("records") == [
        {"replication": 3, "target": "X", "start_h": 20.0, "end_h": 30.0}
    ]


def test_flow_places_sum_over_containers(out):
    fp = build_records(out).flow_places
    by = fp.groupby("category")["hours"].sum()
    # sums of hours: equal up to rounding, not bit for bit
    assert by["border_processing"] == pytest.approx(8.0)  # 4 h for each of 2 containers
    assert by["consolidation"] == pytest.approx(9.0)
    assert (fp["containers"] == 2).all()
    assert by.sum() == pytest.approx(12.0 + 11.0)  # everything each container spent
