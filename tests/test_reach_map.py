"""The reach map: where the target's time runs out along a route (checked against
positions worked out by hand), and the map drawn for a run (rendered and looked at)."""

from __future__ import annotations

import io

import numpy as np
import pytest

from corridorsim.experiments import run
from corridorsim.plots import plot_reach
from corridorsim.plots.reach_map import target_position
from corridorsim.results.trajectories import RoutePoint

POINTS = [
    RoutePoint(0, 0.0, "origin", "start", 0),
    RoutePoint(1, 100.0, "link", "B", 0),
    RoutePoint(2, 100.0, "post", "post at B", 0),
    RoutePoint(3, 300.0, "link", "C", 0),
]
COORDS = {"A": (60.0, 30.0), "B": (62.0, 30.0), "C": (62.0, 34.0)}
HOURS = np.array([0.0, 10.0, 20.0, 40.0])  # 10 h to B, 10 h at its post, 20 h to C


@pytest.mark.parametrize(
    ("target", "where"),
    [
        (5.0, (61.0, 30.0, 50.0)),  # half way to B
        (15.0, (62.0, 30.0, 100.0)),  # waiting at B's post
        (30.0, (62.0, 32.0, 200.0)),  # half way from B to C
        (50.0, (62.0, 34.0, 300.0)),  # arrived
    ],
)
def test_where_the_time_runs_out_by_hand(target, where):
    pos = target_position(POINTS, HOURS, target, COORDS, "A")
    assert (pos.lon, pos.lat, pos.km) == pytest.approx(where)


def test_nothing_leaves_the_origin_within_a_target_shorter_than_the_first_wait():
    late = np.array([30.0, 40.0, 50.0, 70.0])  # 30 h before anything moves
    pos = target_position(POINTS, late, 20.0, COORDS, "A")
    assert (pos.lon, pos.lat, pos.km) == (60.0, 30.0, 0.0)


@pytest.fixture(scope="module")
def res():
    return run("western-rail", replications=2, horizon_days=100, jobs=1)


def test_the_map_marks_where_the_target_runs_out_and_renders(res):
    ax = plot_reach(res, "kz-to-pk")
    assert ax.get_title() == "Where 5 days get you: kz-to-pk, counted from the origin"
    stars = [ln for ln in ax.lines if ln.get_marker() == "*"]
    assert len(stars) == 2  # p50 and p90
    labels = [t.get_text() for t in ax.texts]
    assert "start: Almaty" in labels
    assert any(t.startswith("Beyneu\np50 ") for t in labels)
    buf = io.BytesIO()
    ax.get_figure(root=True).savefig(buf, format="png")
    assert len(buf.getvalue()) > 50_000  # a map, not an empty frame
    port = plot_reach(res, "pk-to-kz", basis="gate")
    assert port.get_title().endswith("counted from leaving the port")
