"""roi.present.read: what presentation reads off an evaluation, through one accessor."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SCENARIOS_DIR, SEED, SHIPPED_SCENARIOS

from roi.analysis.decision import best_allowed, decision_aid, focus_option
from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present import read

MIDSIZE = SCENARIOS_DIR / "ecommerce-midsize.yaml"
FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"


@pytest.mark.parametrize("path", SHIPPED_SCENARIOS, ids=lambda p: p.stem)
def test_benefit_rows_add_up_to_pv_benefits(path: Path) -> None:
    ev = evaluate(load_scenario(path))
    for option in read.non_baseline(ev):
        rows = read.benefit_rows(ev, option.key)
        assert sum(pv for _, pv in rows) == pytest.approx(float(option.kpis["pv_benefits"]))
        assert [pv for _, pv in rows] == sorted((pv for _, pv in rows), reverse=True)


def test_figures_hold_the_evaluations_own_and_the_derived_ones() -> None:
    ev = evaluate(load_scenario(SEED))
    table = read.figures(ev)
    assert set(ev.figures) <= set(table)
    assert "incident_cost_per_hour.sev1" in table
    assert read.figure(ev, "instrumentation_overhead_ms") == pytest.approx(40.0)
    assert read.figure(ev, "onboarding_months", "datadog") == pytest.approx(
        float(ev.options["datadog"].figures["onboarding_months"])
    )


def test_input_point_reads_an_override() -> None:
    s = load_scenario(SEED)
    ev = evaluate(s, {"timeline.traffic_growth_per_month": 0.0})
    assert read.input_point(ev, "timeline.traffic_growth_per_month") == 0.0
    assert not read.traffic_grows(ev)
    assert read.traffic_grows(evaluate(s, {"timeline.traffic_growth_per_month": 0.02}))


def test_focus_and_stack_comparison() -> None:
    for path in SHIPPED_SCENARIOS:
        ev = evaluate(load_scenario(path))
        best = decision_aid(ev).best_option
        assert focus_option(ev) == (best if best != "do-nothing" else best_allowed(ev))
    assert read.compares_stacks(evaluate(load_scenario(MIDSIZE)))
    assert not read.compares_stacks(evaluate(load_scenario(FINTECH)))


def test_finite_or_none() -> None:
    assert read.finite_or_none(None) is None
    assert read.finite_or_none(float("inf")) is None
    assert read.finite_or_none(2) == 2.0
    assert read.sim_option(None, "x") is None


def test_bill_growth_reasons_name_the_component_and_its_driver() -> None:
    from conftest import SCENARIOS_DIR, scenario_from

    from roi.present.read import bill_growth_reasons

    path = SCENARIOS_DIR / "ecommerce-midsize.yaml"
    found = {b.option: b for b in bill_growth_reasons(evaluate(load_scenario(path)))}
    # Span-priced bills outgrow traffic because checkout traces deepen 1 %/month: the
    # component's growth against traffic compounds 1.01 a month from full adoption (month 4).
    grafana = found["grafana-cloud"]
    assert grafana.component == "GB ingested"
    assert grafana.reason == "spans per request grow 1 %/month"
    assert grafana.component_ratio == pytest.approx(1.01 ** (36 - 4), rel=0.05)
    assert found["honeycomb"].component == "M events"
    assert found["aws-xray"].component is None  # traces recorded: per request, not per span
    flat_depth = scenario_from(path, {"timeline.span_depth_growth_per_month": {"value": 0}})
    assert all(b.component is None for b in bill_growth_reasons(evaluate(flat_depth)))
