"""roi.present.words: quantities, ranges, parameter paths and sources in words."""

from __future__ import annotations

import pytest
from conftest import SCENARIOS_DIR, SEED

from roi.inputs.parameters import parameters
from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present import words

MIDSIZE = SCENARIOS_DIR / "ecommerce-midsize.yaml"


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (0.45, "fraction", "45 %"),
        (0.00204, "fraction", "0.204 %"),
        (0.03, "fraction/month", "3 % per month"),
        (0.1, "fraction/year", "10 % per year"),
        (15000, "USD/h", "$15,000/h"),
        (96.1538, "USD/person-h", "$96.15/person-h"),
        (2500, "EUR", "€2,500"),
        (200, "count", "200"),
        (700, "B", "700 B"),
        (4.3, "h", "4.3 h"),
        (3, None, "3"),
    ],
)
def test_quantity_text(value: float, unit: str | None, expected: str) -> None:
    currency = "EUR" if unit == "EUR" else "USD"
    assert words.quantity_text(value, unit, currency) == expected


def test_pct_of_non_finite_is_not_a_number() -> None:
    assert words.pct(float("nan")) == "n/a"
    assert words.pct(0.2) == "20 %"


def test_readable_path_uses_words() -> None:
    assert words.readable_path("finance.discount_rate") == "Finance › Discount rate"
    assert words.readable_path("incidents.severities.sev2.mttr_hours_before") == (
        "Incidents › Sev-2 MTTR before"
    )
    assert "Datadog APM (annual)" in words.readable_path(
        "managed.prices.datadog.hosts.price_per_unit"
    )


def test_given_and_source_text() -> None:
    assert words.given_text("2.6e+08 USD/year") == "260,000,000 USD/year"
    assert words.given_text("47 min") == "47 min"
    assert words.given_text(None) == ""
    # A reference without date or link prints no empty "(; " in front of its confidence.
    assert "(; " not in words.source_text("ref:roi-assumption")
    assert words.source_text("ref:roi-assumption").endswith("(confidence L)")
    assert words.source_text(None) == "not stated"
    assert words.source_text("our own export") == "our own export"
    assert words.short_source_text("ref:seed-article", {"seed-article": 2}).endswith("[2]")
    assert words.short_source_text("a quote", {}) == "a quote"


def test_range_text_of_a_ranged_assumption() -> None:
    p = parameters(load_scenario(MIDSIZE))
    q = p["incidents.severities.sev1.mttr_reduction_fraction"]
    assert words.range_text(q, "USD") == "20 % to 60 % (90 % interval, normal)"
    assert words.range_text(p["business.margin"], "USD") == ""


def test_driver_and_unit_value_of_a_vendor_line() -> None:
    ev = evaluate(load_scenario(SEED))
    hosts = next(li for li in ev.options["datadog"].lines if li.key == "cost.vendor.hosts")
    assert words.driver_text(hosts) == "40 billable APM hosts"
    assert words.unit_value_text(hosts, "USD") == "$31.00/APM hosts/month"
