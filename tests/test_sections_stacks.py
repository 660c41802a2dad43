"""roi.present.sections.stacks: the self-run drivers, each vendor's bill and its caption show the
prices evaluated: a quote through ``managed.prices`` replaces the list price everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SCENARIOS_DIR, SEED

from roi.inputs.scenario import load_scenario
from roi.model import Evaluation, evaluate
from roi.present.sections import appendix, costs, stacks

MIDSIZE = SCENARIOS_DIR / "ecommerce-midsize.yaml"
FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"
QUOTE = "our 2026 quote"


@pytest.fixture(scope="module")
def quoted(tmp_path_factory: pytest.TempPathFactory) -> Evaluation:
    """The seed scenario with Datadog quoted at $25 per host (list price $31)."""
    path = tmp_path_factory.mktemp("quote") / "quote.yaml"
    path.write_text(
        f"extends: {SEED}\n"
        "managed:\n  prices:\n    datadog:\n      hosts:\n"
        f"        price_per_unit: {{value: 25, source: '{QUOTE}'}}\n",
        encoding="utf-8",
    )
    return evaluate(load_scenario(path))


def test_vendor_table_and_caption_show_the_quote(quoted: Evaluation) -> None:
    html = stacks.vendor_components(quoted)
    assert "$25.00/APM hosts/month" in html
    assert "$1,000" in html  # 40 hosts x $25
    assert f"APM hosts at $25.00/APM hosts/month ({QUOTE})" in html
    # The list price the quote replaces is not restated, in the table or in its caption.
    assert "$31" not in html
    assert "Other prices are list prices on 2026-09-05" in html


def test_cost_table_shows_the_quote(quoted: Evaluation) -> None:
    html = costs.costs_explained(quoted, "datadog")
    assert "40 billable APM hosts × $25.00/APM hosts/month" in html
    assert "$31" not in html


def test_appendix_shows_the_quote_and_its_source(quoted: Evaluation) -> None:
    html = appendix.assumptions_appendix(quoted)
    row = next(r for r in html.split("<tr>") if "datadog.hosts.price_per_unit" in r)
    assert "$25.00" in row
    assert QUOTE in row
    # Not the list price ($31); the quote's default range (x/÷ 1.25, own data) is shown.
    assert "$31/" not in row
    assert "$31.00" not in row
    assert "$20.00/unit-month to $31.25/unit-month" in row


def test_a_price_override_through_values_is_no_list_price() -> None:
    ev = evaluate(load_scenario(SEED), {"managed.prices.datadog.hosts.price_per_unit": 20.0})
    html = stacks.vendor_components(ev)
    assert "$20.00/APM hosts/month" in html
    assert "Prices from the scenario: APM hosts at $20.00" in html


def test_vendor_prices_carry_their_date_and_a_warning() -> None:
    html = stacks.vendor_components(evaluate(load_scenario(MIDSIZE)))
    assert html.count("check current pricing") == 4
    assert "2026-09-05" in html  # Datadog's price-list date
    assert "Prices from the scenario" not in html
    assert "no-SaaS" in stacks.vendor_components(evaluate(load_scenario(FINTECH)))


def test_self_run_drivers_of_seed() -> None:
    html = stacks.self_run_drivers(evaluate(load_scenario(SEED)))
    assert "10,000,000,000" in html  # spans kept a month
    assert "5,000 GB" in html
    assert "Costs of" in html


def test_lock_in_text(tmp_path: Path) -> None:
    html = stacks.lock_in_text(evaluate(load_scenario(SEED)))
    assert "No migration is scheduled" in html
    assert "no vendor" in stacks.lock_in_text(evaluate(load_scenario(FINTECH)))
