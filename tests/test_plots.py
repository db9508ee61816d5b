"""Plots: the figure objects say what they should, and every plot renders to a file."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.collections import PolyCollection

from corridorsim import plots
from corridorsim.experiments import run
from corridorsim.results.store import load_results, save_results
from corridorsim.results.summary import summarize
from corridorsim.results.tables import CATEGORIES

from .conftest import EXE


@pytest.fixture(scope="module")
def res():
    return run(None, replications=2, horizon_days=120)


def test_no_pyplot_state_is_used(res):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    plots.plot_transit_cdf(res)
    assert plt.get_fignums() == before


def target_lines(ax, days: float) -> list:
    return [
        ln
        for ln in ax.get_lines()
        if np.allclose(ln.get_xdata(), days) and "target" in ln.get_label()
    ]


def test_transit_cdf(res):
    ax = plots.plot_transit_cdf(res)
    assert len(target_lines(ax, 5.0)) == 1
    flows = ("pk-to-kz", "kz-to-pk")
    curves = {f: ln for ln in ax.get_lines() for f in flows if ln.get_label().startswith(f + ":")}
    assert len(curves) == 2  # one per flow
    d = res.delivered
    for flow, ln in curves.items():
        x = ln.get_xdata()
        t = d.loc[d["flow"] == flow, "transit_h"].to_numpy() / 24
        assert len(x) == len(t)
        assert np.all(np.diff(x) >= 0)
        assert ln.get_ydata()[-1] == pytest.approx(1.0)
        # the legend gives each flow's share within the target and its p90, and the p90
        # is marked on the p90 line
        share, p90 = (t <= 5).mean(), np.percentile(t, 90)
        assert ln.get_label() == f"{flow}: {share:.0%} within 5 days; p90 {p90:.1f} days"
        marks = [m for m in ax.get_lines() if len(m.get_xdata()) == 1]
        assert any(m.get_xdata()[0] == pytest.approx(p90) for m in marks)
    assert "days" in ax.get_xlabel()
    assert ax.get_title()
    texts = [t.get_text() for t in ax.texts]
    assert "p90: 90% delivered within" in texts
    assert any("scenario default" in t for t in texts)  # footnote


def test_comparison(res):
    ax = plots.plot_comparison([res, res], flow="pk-to-kz")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["default\n(pk-to-kz)"] * 2
    target = [ln for ln in ax.get_lines() if "target" in ln.get_label()]
    assert np.allclose(target[0].get_ydata(), 5.0)
    assert "days" in ax.get_ylabel()


def test_comparison_marks_each_boxs_p90_and_names_every_scenario(res, tmp_path):
    """The target is a p90: each box carries its p90 (numpy's, from the delivered
    containers), its whiskers reach the 5th and 95th percentiles, and the footer names
    every scenario compared, not the first's alone."""
    from dataclasses import replace

    other = replace(
        res,
        loaded=replace(
            res.loaded, scenario=res.loaded.scenario.model_copy(update={"name": "other"})
        ),
    )
    ax = plots.plot_comparison([res, other], flow="pk-to-kz")
    d = res.delivered
    days = d[d["flow"] == "pk-to-kz"]["transit_h"].to_numpy() / 24
    (marks,) = [c for c in ax.collections if c.get_label() == "p90 (the target's)"]
    ys = list(np.asarray(marks.get_offsets())[:, 1])
    assert ys == pytest.approx([np.percentile(days, 90)] * 2)
    assert f"{np.percentile(days, 90):.1f}" in [t.get_text() for t in ax.texts]
    # a whisker ends at the last container within the 95th percentile
    top = float(days[days <= np.percentile(days, 95)].max())
    whisker_tops = {round(float(max(ln.get_ydata())), 9) for ln in ax.get_lines()}
    assert round(top, 9) in whisker_tops
    footer = [t.get_text() for t in ax.texts if "corridorsim" in t.get_text()]
    assert footer
    assert "scenarios default, other" in footer[0]
    assert "p90" in ax.get_title()


def test_comparison_between_two_places_shows_every_flow_there(res):
    flow = res.loaded.scenario.demand[0]
    ax = plots.plot_comparison([res, res], between=(flow.origin, flow.destination))
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == [f"default\n({flow.name})"] * 2
    assert f"from {flow.origin} to {flow.destination}" in ax.get_title()
    with pytest.raises(ValueError, match="no scenario delivered a flow from"):
        plots.plot_comparison([res], between=(flow.destination, "XXX"))


def test_breakdown_bars_add_up_to_the_mean_transit(res):
    ax = plots.plot_breakdown(res)
    drawn = [t.get_text() for t in ax.get_legend().get_texts()][1:]  # after the target
    widths = np.array([p.get_width() for p in ax.patches]).reshape(len(drawn), -1)
    d = res.delivered
    means = [d.loc[d["flow"] == f, "transit_h"].mean() / 24 for f in ("pk-to-kz", "kz-to-pk")]
    assert widths.sum(axis=0) == pytest.approx(means)
    assert "days" in ax.get_xlabel()
    # journey order, the port first; a category with no time anywhere is not in the key
    spent = {c for c in CATEGORIES if (d[f"{c}_h"] > 0.12).any()}
    assert drawn[0] == "port dwell"
    assert {c.replace(" ", "_") for c in drawn} <= {
        c for c in CATEGORIES if (d[f"{c}_h"] > 0).any()
    }
    assert {c.replace("_", " ") for c in spent} <= set(drawn)
    totals = [t.get_text() for t in ax.texts if re.fullmatch(r"[\d.]+ d", t.get_text())]
    assert totals == [f"{m:.1f} d" for m in means]


def test_time_distance_ends_at_the_transit_quantiles(res):
    ax = plots.plot_time_distance(res, "pk-to-kz")
    median = next(ln for ln in ax.get_lines() if ln.get_label() == "median container")
    assert median.get_xdata()[-1] == pytest.approx(res.loaded.routes["pk-to-kz"].distance_km)
    assert np.all(np.diff(median.get_ydata()) >= -1e-12)  # time never runs backwards
    band = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert band
    assert "km" in ax.get_xlabel()
    assert "days" in ax.get_ylabel()
    labels = [t.get_text() for t in ax.texts]
    assert any("Chaman" in t for t in labels)  # the big step is labelled


@pytest.mark.parametrize("flow", ["pk-to-kz", "kz-to-pk"])
def test_time_distance_step_labels_stay_inside_the_axes(res, flow):
    """Each step's label lies inside the axes, beside its step, not on the median line."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from corridorsim.results.trajectories import time_distance

    ax = plots.plot_time_distance(res, flow)
    fig = ax.get_figure(root=True)
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    steps = set(time_distance(res, flow)["label"])
    labels = [t for t in ax.texts if t.get_text() in steps]
    assert labels
    median = next(ln for ln in ax.get_lines() if ln.get_label() == "median container")
    xy = ax.transData.transform(np.column_stack([median.get_xdata(), median.get_ydata()]))
    t = np.linspace(0, 1, 200)[:, None, None]
    path = (xy[:-1] + t * (xy[1:] - xy[:-1])).reshape(-1, 2)  # points along every segment
    for label in labels:
        ext = label.get_window_extent(renderer)
        assert box.x0 <= ext.x0 < ext.x1 <= box.x1, label.get_text()
        assert box.y0 <= ext.y0 < ext.y1 <= box.y1, label.get_text()
        inside = (
            (path[:, 0] > ext.x0 + 1)
            & (path[:, 0] < ext.x1 - 1)
            & (path[:, 1] > ext.y0 + 1)
            & (path[:, 1] < ext.y1 - 1)
        )
        assert not inside.any(), label.get_text()  # the median line does not cross it


def test_cost_distance_ends_at_the_route_cost(res):
    ax = plots.plot_cost_distance(res, "pk-to-kz")
    known = next(ln for ln in ax.get_lines() if ln.get_label() == "known cost")
    cost = res.containers.loc[res.containers["flow"] == "pk-to-kz", "cost_usd"].iloc[0]
    assert known.get_ydata()[-1] == pytest.approx(cost)


@pytest.mark.parametrize("borders", [False, None])
def test_corridor_map(res, borders):
    ax = plots.plot_corridor_map(res, borders=borders)
    assert "longitude" in ax.get_xlabel()
    names = {t.get_text() for t in ax.texts}
    assert {"Chaman", "Spin Boldak", "Karachi Port", "Herat", "Almaty"} <= names  # not codes
    assert not names & {"CHM", "SBK", "KHI"}
    assert "500 km" in names  # the scale
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "rail 1,676 mm" in legend
    assert "route: pk-to-kz" in legend
    if borders is False:
        assert {"PK", "AF", "TM", "KZ"} <= names  # the schematic labels countries


def test_overlapping_routes_each_keep_the_colour_of_their_legend_entry():
    """Routes that share links are nested opaque bands, each narrower than the one
    before, so each shows its own colour there, the one its legend entry has (a
    transparent band over another blends into a colour no entry has)."""
    from matplotlib.colors import to_rgba

    from corridorsim.scenario.loader import load_scenario

    ax = plots.plot_corridor_map(load_scenario("today-road-tir"))
    bands = [ln for ln in ax.get_lines() if ln.get_label().startswith("route: ")]
    assert [b.get_label() for b in bands] == [
        "route: tashkent-via-torkham",
        "route: almaty-via-torkham",
        "route: almaty-via-chaman",
    ]
    widths = [b.get_linewidth() for b in bands]
    assert widths == sorted(widths, reverse=True)
    assert len(set(widths)) == len(widths)
    colours = [to_rgba(b.get_color(), b.get_alpha()) for b in bands]
    assert all(c[3] == 1.0 for c in colours)  # opaque: no blend where they overlap
    assert len(set(colours)) == len(colours)
    handles = {
        h.get_label(): to_rgba(h.get_color(), h.get_alpha())
        for h in ax.get_legend().legend_handles
        if h.get_label().startswith("route: ")
    }
    assert handles == {b.get_label(): c for b, c in zip(bands, colours, strict=True)}


@pytest.mark.parametrize("scenario", ["default", "today-road-tir-pilot", "uap-eastern"])
def test_map_labels_do_not_overlap(scenario):
    from corridorsim.scenario.loader import load_scenario

    ax = plots.plot_corridor_map(load_scenario(scenario))
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = ax.get_figure()
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    places = [t for t in ax.texts if t.get_fontsize() == 6.5 and t.get_text()]  # the place names
    boxes = [t.get_window_extent(renderer) for t in places]
    assert len(boxes) > 20
    overlapping = [
        (places[i].get_text(), places[j].get_text())
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]
    assert overlapping == []
    countries = [t for t in ax.texts if t.get_fontsize() == 11]  # the country names
    assert {"Pakistan", "Afghanistan"} <= {t.get_text() for t in countries}
    covered = [
        (c.get_text(), p.get_text())
        for c in countries
        for p, box in zip(places, boxes, strict=True)
        if c.get_window_extent(renderer).overlaps(box)
    ]
    assert covered == []  # no country's name under a place's
    from corridorsim.plots.map_labels import Leader

    leaders = [ln.get_xydata() for ln in ax.get_lines() if isinstance(ln, Leader)]
    leaders = [xy for xy in leaders if len(xy)]
    crossing = [
        (i, j)
        for i in range(len(leaders))
        for j in range(i + 1, len(leaders))
        if _cross(leaders[i], leaders[j])
    ]
    assert crossing == []


def _cross(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether segments a and b (2x2: start, end) cross between their ends."""
    (x1, y1), (x2, y2) = a
    (x3, y3), (x4, y4) = b
    d = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
    if d == 0:
        return False
    t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / d
    u = ((x1 - x3) * (y1 - y2) - (y1 - y3) * (x1 - x2)) / d
    return bool(0 < t < 1 and 0 < u < 1)


def test_segments_cross_only_between_their_ends():
    assert _cross(np.array([(0, 0), (2, 2)]), np.array([(0, 2), (2, 0)]))
    assert not _cross(np.array([(0, 0), (1, 1)]), np.array([(0, 2), (2, 3)]))
    assert not _cross(np.array([(0, 0), (1, 0)]), np.array([(0, 1), (1, 1)]))  # parallel


def test_map_leaders_run_from_the_label_edge_to_where_it_started(res):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from corridorsim.plots.map_labels import Leader

    ax = plots.plot_corridor_map(res)
    fig = ax.get_figure()
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    leaders = [ln for ln in ax.get_lines() if isinstance(ln, Leader)]
    drawn = [ln for ln in leaders if len(ln.get_xdata())]
    assert drawn  # some labels were moved away from their points
    for ln in drawn:
        box = ln._text_artist.get_window_extent(renderer)
        (x0, x1), (y0, y1) = ln.get_xdata(), ln.get_ydata()
        assert not box.contains(x0, y0)  # starts outside its label
        start = ax.transData.transform(ln._start)
        assert np.hypot(*(start - (x1, y1))) == pytest.approx(
            renderer.points_to_pixels(Leader.GAP), abs=1e-6
        )  # ends just short of where the label started


def test_png_is_the_figure_rendered_once_rgb_when_opaque(tmp_path):
    from matplotlib.figure import Figure
    from PIL import Image

    for transparent in (False, True):
        fig = Figure(figsize=(4, 3), layout="constrained")
        if transparent:
            fig.patch.set_alpha(0.0)
        ax = fig.add_subplot()
        ax.plot([0, 1, 2], [2, 0, 1], label="a line")
        ax.set_title("a long title that the layout must make room for")
        ax.legend()
        fig.savefig(tmp_path / "mpl.png", dpi=130)
        (path,) = plots.save(ax, str(tmp_path / "ours"), formats=["png"])
        ours, theirs = Image.open(path), Image.open(tmp_path / "mpl.png")
        assert ours.mode == ("RGBA" if transparent else "RGB")
        assert ours.info["dpi"] == pytest.approx((130, 130), abs=0.01)
        assert np.array_equal(np.asarray(ours.convert("RGBA")), np.asarray(theirs))
        assert fig.dpi == 100  # the figure is left as it was


def test_resources(res):
    from corridorsim.plots.resources import MAX_SHOWN

    ax = plots.plot_resources(res)
    drawn = [ln.get_label() for ln in ax.get_lines() if ln.get_label() != "end of warm-up"]
    assert 0 < len(drawn) <= MAX_SHOWN
    assert all(not label.startswith("post ") for label in drawn)  # readable names
    assert "weekly mean" not in ax.get_ylabel()  # 120 days: daily means
    with pytest.raises(ValueError, match="measure"):
        plots.plot_resources(res, measure="speed")


def test_every_plot_renders_to_png_and_svg(res, tmp_path):
    for i, ax in enumerate(
        [
            plots.plot_transit_cdf(res),
            plots.plot_comparison([res, res]),
            plots.plot_breakdown([res, res]),
            plots.plot_time_distance(res),
            plots.plot_cost_distance(res),
            plots.plot_corridor_map(res),
            plots.plot_resources(res, measure="utilisation"),
        ]
    ):
        for path in plots.save(ax, str(tmp_path / f"p{i}")):
            data = Path(path).read_bytes()
            assert len(data) > 5000
    assert matplotlib.get_backend()  # nothing above switched backends


def test_results_folder_round_trip_and_plot_command(res, tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    save_results(res, folder)
    again = load_results(folder)
    a, b = summarize(res), summarize(again)
    assert a == b  # the same numbers, and the same scenario hash
    out = subprocess.run(
        [str(EXE), "plot", str(folder)], capture_output=True, text=True, check=False, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert (folder / "plots" / "time_distance_kz-to-pk.png").is_file()
    bad = subprocess.run(
        [str(EXE), "plot", str(tmp_path)], capture_output=True, text=True, check=False, timeout=60
    )
    assert bad.returncode == 2
    assert "not a results folder" in bad.stderr


def test_plots_drawn_in_parallel_are_the_same_files(res, tmp_path):
    from corridorsim.report.figures import draw_run_plots

    serial = draw_run_plots(res, tmp_path / "one", jobs=1)
    parallel = draw_run_plots(res, tmp_path / "two", jobs=2)
    assert [f.files for f in serial] == [f.files for f in parallel]
    for f in serial:
        assert (tmp_path / "one" / f.png).read_bytes() == (tmp_path / "two" / f.png).read_bytes()


def test_queues_are_drawn_as_daily_time_weighted_means():
    import numpy as np

    from corridorsim.plots.resources import daily_mean

    # two waiting from 12 h to 36 h, one from 60 h to 66 h, none after
    days, mean = daily_mean(np.array([12.0, 36.0, 60.0, 66.0]), np.array([2.0, 0, 1, 0]), 96)
    assert days.tolist() == [0, 1, 2, 3]
    assert mean.tolist() == [1.0, 1.0, 0.25, 0.0]


@pytest.mark.parametrize(
    ("path", "words"),
    [
        (
            "borders.crossings.chaman.rail.exit.processing_hours",
            "processing at the chaman rail exit post (hours)",
        ),
        ("ports.dwell_hours.KHI", "port dwell at KHI (hours)"),
        ("operations.departure.max_wait_hours", "max wait, departure (hours)"),
        ("network.speeds_kmh.rail.AF", "speeds, rail, AF (km/h)"),
        ("demand.0.teu_per_year", "teu, flow 0 (a year)"),
        ("simulation.horizon_days", "horizon (days)"),
        ("borders.background_scale", "background scale"),
    ],
)
def test_a_swept_field_is_named_in_words_with_its_unit(path, words):
    from corridorsim.plots.response import axis_words

    assert axis_words(path) == words


def test_time_distance_names_the_places_and_marks_the_change_of_gauge():
    """The km axis carries the places (origin, each border, the end) and a dotted line
    where the gauge or the mode changes, at the km where the route reaches it."""
    from corridorsim.plots.distance import route_marks
    from corridorsim.scenario.loader import load_scenario

    loaded = load_scenario("western-rail")
    route = loaded.routes["pk-to-kz"]
    names = {n: node.name.split(" (")[0] for n, node in loaded.network.nodes.items()}
    places, changes = route_marks(route, names)
    assert [p for _, p in places] == [
        "Karachi Port",
        "Spin Boldak",
        "Serhetabat",
        "Bolashak",
        "Almaty",
    ]
    assert places[-1][0] == pytest.approx(sum(leg.link.km for leg in route.legs))
    (gauge,) = route.gauge_breaks
    reached = 0.0
    for leg in route.legs:
        reached += leg.link.km
        if leg.end == gauge.node:
            break
    assert changes == [(pytest.approx(reached), "rail 1,676 → 1,520 mm")]


def test_map_gauges_differ_in_colour_as_well_as_width():
    from matplotlib.colors import to_rgba

    from corridorsim.scenario.loader import load_scenario

    ax = plots.plot_corridor_map(load_scenario("khaf-herat"))
    rail = {
        h.get_label(): (to_rgba(h.get_color()), h.get_linewidth())
        for h in ax.get_legend().legend_handles
        if h.get_label().startswith("rail ")
    }
    assert set(rail) == {"rail 1,676 mm", "rail 1,520 mm", "rail 1,435 mm"}
    assert len({c for c, _ in rail.values()}) == 3
    assert len({w for _, w in rail.values()}) == 3
    # the links drawn use the legend's colours: Khaf-Herat's 1,435 mm among them
    drawn = {tuple(c) for coll in ax.collections for c in getattr(coll, "get_colors", list)()}
    assert rail["rail 1,435 mm"][0] in drawn


def test_small_places_off_the_routes_are_not_named_where_they_would_crowd():
    """Off the scenario's routes, a place within about 80 km of one already named stays
    a dot (Maidan Shahr and Pul-e Alam beside Kabul); on a route every place is named,
    and every port always."""
    from corridorsim.scenario.loader import load_scenario

    def named(scenario: str) -> set[str]:
        ax = plots.plot_corridor_map(load_scenario(scenario))
        return {t.get_text() for t in ax.texts}

    western = named("khaf-herat")
    assert "Kabul" in western
    assert not western & {"Maidan Shahr", "Pul-e Alam"}
    assert {"Karachi Port", "Port Qasim", "Gwadar"} <= western
    eastern = named("uap-eastern")  # the UAP line runs through them
    assert {"Maidan Shahr", "Pul-e Alam", "Kharlachi"} <= eastern
