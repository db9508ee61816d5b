"""Costs that are complete or say they are not: a missing rate, fee or charge never
counts as zero."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from corridorsim.engine import Plan
from corridorsim.experiments import run
from corridorsim.results.summary import summarize
from corridorsim.scenario import load_scenario

from .builders import flow, scenario
from .conftest import SCENARIOS
from .engine_helpers import TOY


def toy(tmp_path, *, rates: bool, charge: float | None, handling: float | None = None, name="toy"):
    net = yaml.safe_load(TOY.read_text(encoding="utf-8"))
    if rates:
        net["defaults"]["cost_usd_per_teu_km"] = {
            "rail": {
                "XX": {"value": 1.0, "estimate": "test"},
                "YY": {"value": 2.0, "estimate": "t"},
            }
        }
    (tmp_path / "net.yaml").write_text(yaml.safe_dump(net), encoding="utf-8")
    body = {"name": name, **scenario(flow("P", "D", 500), days=30, trains={1676: 5, 1520: 5})}
    body["network"] = {"file": str(tmp_path / "net.yaml")}
    if charge is not None:
        body["transshipment"] = {"facilities": {"G": {"charge_usd_per_teu": charge}}}
    if handling is not None:
        body["ports"] = {"handling_usd_per_teu": {"P": handling}}
    path = tmp_path / "toy.yaml"
    path.write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    return load_scenario(path)


def test_missing_rates_and_charges_are_listed_not_zero(tmp_path):
    plan = Plan.build(toy(tmp_path, rates=False, charge=None))
    cost = plan.routes[0].cost
    assert not cost.complete
    assert cost.km_without_rate == pytest.approx(100 + 50 + 10 + 120)
    assert cost.gaps[0].startswith(
        "a running-cost rate for 280 km (rail in XX, rail in YY: P-G:rail"
    )
    assert "the handling charge at terminal G/gauge" in cost.gaps
    assert "the port handling charge at P" in cost.gaps  # P is a sea port; D is not
    assert cost.usd == pytest.approx(10)  # the one figure known: crossing X's fee


def test_a_route_with_every_figure_is_complete(tmp_path):
    plan = Plan.build(toy(tmp_path, rates=True, charge=5, handling=7))
    cost = plan.routes[0].cost
    assert cost.complete
    # XX rail: 100 + 50 + 5 (half the border link) km at 1; YY: 5 + 120 km at 2; fee;
    # terminal charge; port handling at P
    assert cost.usd == pytest.approx(155 * 1 + 125 * 2 + 10 + 5 + 7)


def test_an_incomplete_cost_is_said_in_the_summary_and_the_report(tmp_path):
    res = run(toy(tmp_path, rates=False, charge=None))
    s = summarize(res)
    (f,) = s.flows
    assert f.cost_complete is False
    assert f.cost_missing
    assert any("cost per TEU is incomplete" in w for w in s.warnings)
    from corridorsim.report.context import report_context

    (row,) = report_context(res, s)["flows"]
    assert row["cost"].endswith("(incomplete)")


def test_no_shipped_route_has_a_silent_zero():
    """Every figure a shipped route lacks is listed among its gaps."""
    for path in sorted(SCENARIOS.glob("*.yaml")):
        loaded = load_scenario(path)
        plan = Plan.build(loaded)
        for rp in plan.routes:
            listed = " ".join(rp.cost.gaps)
            for leg in rp.route.legs:
                link = leg.link
                if link.km_without_cost > 0:
                    assert link.id in listed, (path.name, link.id)
                if link.crossing is not None and plan.fee(link.crossing, link.mode) is None:
                    assert f"fee at {link.crossing}" in listed, (path.name, link.crossing)
            for end in (rp.route.origin, rp.route.destination):
                if loaded.network.nodes[end].kind == "port" and not _handling(loaded, end):
                    assert f"port handling charge at {end}" in listed, (path.name, end)
            for fac in plan.facilities.values():
                handled = fac.params.method != "dual_gauge"  # a dual-gauge line handles nothing
                on_route = any(f"terminal {fac.key}" in p.name for p in plan.places)
                if handled and on_route and fac.params.charge_usd_per_teu is None:
                    assert fac.key in " ".join(" ".join(r.cost.gaps) for r in plan.routes)


def _handling(loaded, node):
    port = loaded.network.ports.get(node)
    given = loaded.scenario.ports.handling_usd_per_teu.get(node)
    return given is not None or (port is not None and port.handling_usd_per_teu is not None)


def test_cost_distance_adds_up_to_the_route_cost_with_its_port_handling(tmp_path):
    """The chart's path and the cost a container pays are one list of charges: the last
    point is the route's cost, port handling included (it was once left out)."""
    from corridorsim.results.trajectories import cost_distance

    res = run(toy(tmp_path, rates=True, charge=5, handling=7), replications=1)
    cd = cost_distance(res, res.loaded.scenario.demand[0].name)
    assert cd["cost_usd"].iloc[-1] == pytest.approx(155 * 1 + 125 * 2 + 10 + 5 + 7)
    assert cd.loc[1, ["km", "cost_usd", "label"]].tolist() == [0.0, 7.0, "port handling at P"]
    assert (cd["missing"] == "").all()
    assert (cd["km"].diff().dropna() >= 0).all()  # along the route, never back
    assert cd["km"].iloc[-1] == pytest.approx(
        sum(leg.link.km for leg in res.plan.routes[0].route.legs)
    )


def test_the_cost_chart_shows_what_no_source_gives(tmp_path):
    """Stretches without a rate are dotted, fees and charges without a figure are
    circled, and the title and footnote say the total is a lower bound and what it
    lacks; a complete route has none of these."""
    from corridorsim import plots

    (tmp_path / "a").mkdir()
    res = run(toy(tmp_path / "a", rates=False, charge=None), replications=1)
    ax = plots.plot_cost_distance(res)
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    dotted = lines["no running-cost rate (counted as nothing)"]
    assert dotted.get_linestyle() == ":"
    assert np.nansum(np.diff(dotted.get_xdata())) == pytest.approx(280)  # km without a rate
    circled = lines["fee or charge with no figure (counted as nothing)"]
    assert len(circled.get_xdata()) == 2  # port handling at P, terminal G's charge
    assert "lower bound" in ax.get_title()
    note = " ".join(t.get_text() for t in ax.texts).replace("\n", " ")
    assert "the cost lacks a running-cost rate for 280 km (rail in XX, rail in YY)" in note
    assert "the handling charge at terminal G/gauge" in note

    (tmp_path / "b").mkdir()
    res = run(toy(tmp_path / "b", rates=True, charge=5, handling=7), replications=1)
    ax = plots.plot_cost_distance(res)
    assert [ln.get_label() for ln in ax.get_lines()] == ["known cost"]
    assert "lower bound" not in ax.get_title()
    assert "lacks" not in " ".join(t.get_text() for t in ax.texts)


def test_compare_gives_the_cost_difference_only_where_both_costs_are_complete(tmp_path):
    """Two complete costs are compared (port handling 7 against 17: +10 USD/TEU); a
    lower bound is never subtracted from another: the difference is missing and the
    report and the terminal say why."""
    from corridorsim.cli.show import _difference_line
    from corridorsim.experiments import compare
    from corridorsim.report.compare import points, render_compare

    def loaded(name, **kw):
        (tmp_path / name).mkdir()
        return toy(tmp_path / name, name=name, **kw)

    cheap = loaded("cheap", rates=True, charge=5, handling=7)
    dear = loaded("dear", rates=True, charge=5, handling=17)
    unknown = loaded("unknown", rates=False, charge=None)
    c = compare([cheap, dear, unknown], replications=2, horizon_days=20)
    (with_dear, with_unknown) = c.differences
    assert with_dear.cost_usd_per_teu_diff == pytest.approx(10)
    assert with_unknown.cost_usd_per_teu_diff is None
    assert "cost +10 USD/TEU" in _difference_line(with_dear, points)
    assert "cost not compared (a cost is incomplete)" in _difference_line(with_unknown, points)
    md, html = render_compare(c)
    assert "(incomplete)" in md  # the third scenario's cost, a lower bound
    assert "| +10 |" in md
    assert "Δ cost USD/TEU (where both are complete)" in html
