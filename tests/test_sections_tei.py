"""roi.present.sections.tei: the TEI cash-flow table, costs in parentheses."""

from __future__ import annotations

from conftest import SEED

from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.formatting import money
from roi.present.sections.tei import tei_table


def test_tei_table_puts_costs_in_parentheses() -> None:
    ev = evaluate(load_scenario(SEED))
    html = tei_table(ev, "datadog")
    initial_cost = float(ev.options["datadog"].tei_table()["costs"][0])
    assert f"({money(initial_cost, 'USD')})" in html
    assert "benefits reduced by 15 %, costs raised by 10 %" in html
    assert "Discount rate 10 % a year" in html


def test_a_risk_override_shows_in_the_caption() -> None:
    ev = evaluate(load_scenario(SEED), {"finance.benefit_risk": 0.3})
    assert "benefits reduced by 30 %" in tei_table(ev, "datadog")


def test_benefits_by_year_add_up_to_the_tei_row() -> None:
    import numpy as np

    from roi.model.figures import derived_option_figures
    from roi.present.sections.tei import benefits_by_year

    ev = evaluate(load_scenario(SEED))
    html = benefits_by_year(ev, "datadog")
    table = ev.options["datadog"].tei_table()["benefits"]
    for year in np.asarray(table)[1:-2]:
        assert money(float(year), "USD") in html
    f = derived_option_figures(ev, "datadog")
    first = float(f["tei_years.benefit.mttr_revenue.sev1"][1])
    assert money(first, "USD") in html
    # Each benefit row carries its risk adjustment (the seed's 15 %).
    assert html.count('<td class="roi-num">−15 %</td>') == 3


def test_unquantified_benefits_are_shown_not_summed() -> None:
    from roi.present.sections.tei import unquantified_benefits

    html = unquantified_benefits(evaluate(load_scenario(SEED)))
    assert "+12 points" in html  # the article's NPS +12
    assert "never added to the NPV" in html


def test_flexibility_is_the_otel_option_value() -> None:
    from roi.present.sections.tei import flexibility

    ev = evaluate(load_scenario(SEED))
    f = ev.figures
    html = flexibility(ev)
    assert money(float(f["otel_option_value"]), "USD") in html
    assert money(float(f["exit_cost_proprietary_sdk"]), "USD") in html
    assert "not in the NPV" in html


def test_composite_organisation_and_risks() -> None:
    from conftest import SCENARIOS_DIR

    from roi.analysis.sensitivity import tornado
    from roi.present.sections.flip import input_name
    from roi.present.sections.tei import composite_organisation, risks

    ev = evaluate(load_scenario(SCENARIOS_DIR / "fintech-regulated.yaml"))
    html = composite_organisation(ev)
    assert "€10,267" in html  # revenue per hour of the fintech scenario
    assert "45 services" in html
    t = tornado(ev.scenario, "npv", "self-run")
    r = risks(ev, t)
    assert "benefits reduced by 20 %" in r
    assert input_name(t.rows[0].label) in r
