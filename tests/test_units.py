"""roi.inputs.units: canonical units and the spellings a scenario may use instead."""

from __future__ import annotations

import math

import pytest

from roi.inputs.units import (
    DAYS_PER_MONTH,
    HOURS_PER_WORK_WEEK,
    SECONDS_PER_MONTH,
    WEEKS_PER_MONTH,
    UnitError,
    allowed_units,
    display_unit,
    to_canonical,
)


def test_constants() -> None:
    assert math.isclose(WEEKS_PER_MONTH * 12, 52.0)
    assert math.isclose(DAYS_PER_MONTH * 12, 365.25)
    assert math.isclose(SECONDS_PER_MONTH / 86_400, 30.4375)
    assert HOURS_PER_WORK_WEEK == 40.0


@pytest.mark.parametrize(
    ("value", "unit", "canonical", "expected"),
    [
        (47, "min", "h", 47 / 60),  # the article's Sev-1 after
        (4.3, "h", "h", 4.3),
        (2, "days", "h", 48.0),
        (3.2, "s", "ms", 3200.0),  # checkout P95 before
        (350, "us", "ms", 0.35),
        (40, "%", "fraction", 0.4),  # contingency
        (1.5, "KB", "B", 1500.0),
        (1, "KiB", "B", 1024.0),
        (3, "years", "months", 36.0),
        (1, "weeks", "months", 12 / 52),
        (10, "days", "weeks", 2.0),
        (3, "%/month", "fraction/month", 0.03),
        (1_000_000, "USD/month", "{cur}/year", 12_000_000),
        (260_000_000, "USD/year", "{cur}/h", 260_000_000 / (24 * 365.25)),
        (200_000, "USD/person-year", "{cur}/person-h", 200_000 / 2080),
        (5600, "USD/min", "{cur}/h", 336_000.0),  # Gartner's $5,600 a minute
    ],
)
def test_to_canonical_hand_checked(
    value: float, unit: str, canonical: str, expected: float
) -> None:
    assert to_canonical(value, unit, canonical, "USD") == pytest.approx(expected)


def test_currency_code_is_the_scenarios_own() -> None:
    assert to_canonical(100, "EUR/day", "{cur}/h", "EUR") == pytest.approx(100 / 24)
    with pytest.raises(UnitError, match=r"allowed: EUR/h"):
        to_canonical(100, "USD/h", "{cur}/h", "EUR")


def test_unknown_unit_names_allowed_spellings() -> None:
    with pytest.raises(UnitError) as info:
        to_canonical(3, "fortnights", "weeks", "USD")
    message = str(info.value)
    assert "'fortnights'" in message
    assert "allowed: weeks, week, days, months" in message


def test_canonical_without_alternatives_accepts_only_itself() -> None:
    assert to_canonical(7, "count", "count") == 7
    assert allowed_units("count") == ["count"]
    with pytest.raises(UnitError):
        to_canonical(7, "pieces", "count")


def test_zero_and_nan_pass_through() -> None:
    assert to_canonical(0, "min", "h") == 0.0
    assert math.isnan(to_canonical(float("nan"), "min", "h"))


def test_display_unit() -> None:
    assert display_unit("{cur}/person-h", "GBP") == "GBP/person-h"
    assert allowed_units("{cur}/year", "EUR") == ["EUR/year", "EUR/month", "EUR/quarter"]
