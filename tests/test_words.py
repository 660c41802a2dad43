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
        # the seed article's figures, in its words
        (47 / 60, "h", "47 min"),
        (3200, "ms", "3.2 s"),
        (890, "ms", "890 ms"),
        (3, "weeks", "3 weeks"),
        (1, "weeks", "1 week"),
        (1, "days/week", "1 day a week"),
        (5, "h/month", "5 h a month"),
        (30, "services/week", "30 services a week"),
        (12, "points", "+12 points"),
        (-3, "points", "-3 points"),
        (2, "count/month", "2 a month"),
        (0.023, "USD/GB-month", "$0.023/GB-month"),
        (4, "MB/s", "4 MB/s"),
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
    assert words.range_text(q, "USD") == "20–60 % (90 % interval, normal)"
    assert words.range_text(p["business.margin"], "USD") == ""


def test_driver_and_unit_value_of_a_vendor_line() -> None:
    ev = evaluate(load_scenario(SEED))
    hosts = next(li for li in ev.options["datadog"].lines if li.key == "cost.vendor.hosts")
    assert words.driver_text(hosts) == "40 billable APM hosts"
    assert words.unit_value_text(hosts, "USD") == "$31.00/APM hosts/month"


def test_seed_lines_read_as_the_article_says() -> None:
    """The conversion benefit's driver is '+4.7 % conversion lift credited', not '0.047 ...';
    the self-run storage price keeps its three decimals ($0.023, the S3 list price)."""
    ev = evaluate(load_scenario(SEED))
    lines = {li.key: li for o in ev.options.values() for li in o.lines}
    assert words.driver_text(lines["benefit.conversion"]).startswith("+4.7 % ")
    storage = next(li for k, li in lines.items() if "storage" in k)
    assert words.unit_value_text(storage, "USD").startswith("$0.023/")


def test_between_keeps_unlike_ends_apart() -> None:
    assert words.between("2 months", "4 months") == "2–4 months"
    assert words.between("1 month", "4 months") == "1 month to 4 months"
    assert words.between("$10,000/h", "$22,500/h") == "$10,000/h to $22,500/h"
    assert words.between("-5 %", "5 %") == "-5 % to 5 %"
