"""roi.present.sections.costs: cost lines by group with their totals."""

from __future__ import annotations

from conftest import SEED

from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.formatting import money
from roi.present.sections.costs import costs_explained

RATE = 200_000 / 2080


def test_costs_of_seed_datadog_by_hand() -> None:
    html = costs_explained(evaluate(load_scenario(SEED)), "datadog")
    monthly = (4 * 52 / 12 + 4) * RATE + 40 * 31 + 60 * 1.70 + 600 * 0.05
    assert money(monthly, "USD") in html
    assert money(12 * monthly, "USD") in html
    assert money(672 * RATE, "USD") in html
    assert 'class="roi-total"' in html
    assert "36-month total" in html
