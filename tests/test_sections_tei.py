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
