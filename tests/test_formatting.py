"""roi.present.formatting: money, percentages, months and plain-text tables for people."""

from __future__ import annotations

import math

import pytest

from roi.present.formatting import compact_money, money, months_text, number, percent, table


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        (1234567.8, "USD", "$1,234,568"),
        (96.1538, "EUR", "€96.15"),
        (-2500, "CHF", "-CHF 2,500"),
        (0, "USD", "$0"),
        (0.5, "GBP", "£0.50"),
        (100, "USD", "$100"),
    ],
)
def test_money(value: float, currency: str, expected: str) -> None:
    assert money(value, currency) == expected


@pytest.mark.parametrize("bad", [None, math.nan, math.inf, -math.inf])
def test_non_finite_is_not_available(bad: float | None) -> None:
    assert money(bad, "USD") == "n/a"
    assert compact_money(bad, "USD") == "n/a"
    assert percent(bad) == "n/a"
    assert number(bad) == "n/a"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7_032_950, "$7.03M"),
        (1_335_444, "$1.34M"),
        (280_043, "$280k"),
        (2.5e9, "$2.5B"),
        (999, "$999"),
        (-41_462, "-$41.5k"),
    ],
)
def test_compact_money(value: float, expected: str) -> None:
    assert compact_money(value, "USD") == expected


def test_percent() -> None:
    assert percent(3.29) == "329 %"
    assert percent(0.047, 2) == "4.70 %"
    assert percent(-0.5) == "-50 %"
    assert percent(0) == "0 %"
    # beyond the cap, say so; exactly at the cap is still a number
    assert percent(250.0) == "> 10,000 %"
    assert percent(-250.0) == "< 10,000 %"
    assert percent(100.0) == "10,000 %"


def test_months_text() -> None:
    assert months_text(0) == "immediate"
    assert months_text(1) == "1 month"
    assert months_text(3) == "3 months"
    assert months_text(None) == "not within horizon"
    assert months_text(math.nan) == "not within horizon"


def test_number() -> None:
    assert number(5000) == "5,000"
    assert number(2464.07) == "2,464"
    assert number(34.6667) == "34.7"
    assert number(40.0) == "40"
    assert number(0) == "0"
    assert number(7.0333) == "7.03"
    assert number(0.047) == "0.047"


def test_table_aligns_columns() -> None:
    text = table([["a", "1"], ["bbb", "22"]], ["Name", "N"])
    lines = text.splitlines()
    assert lines == ["  Name   N", "  ----  --", "  a      1", "  bbb   22"]
    assert table([]) == ""
    # ragged rows are padded
    assert table([["x"], ["y", "2"]], indent=0).splitlines() == ["x", "y  2"]
