"""Numbers for people: money with its currency, unit prices with the precision they carry,
percentages, durations the way people say them (minutes below an hour, seconds from 1,000 ms),
quantities with their units in words; plain-text tables.

Examples
--------
>>> money(1234567.8, "USD")
'$1,234,568'
>>> money(96.1538, "EUR")
'€96.15'
>>> money(-2500, "CHF")
'-CHF 2,500'
>>> compact_money(7_032_950, "USD")
'$7.03M'
>>> percent(3.29)
'329 %'
>>> months_text(float("nan"))
'not within horizon'
>>> hours_text(47 / 60), ms_text(3200), amount(1, "weeks"), price(0.023, "USD")
('47 min', '3.2 s', '1 week', '$0.023')
"""

from __future__ import annotations

import math
from collections.abc import Sequence

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


def _prefix(currency: str) -> str:
    symbol = _SYMBOLS.get(currency)
    return symbol if symbol else f"{currency} "


def money(value: float | None, currency: str) -> str:
    """Money with thousands separators; cents only below 100."""
    if value is None or not math.isfinite(value):
        return "n/a"
    sign = "-" if value < 0 else ""
    v = abs(value)
    digits = f"{v:,.2f}" if 0 < v < 100 else f"{v:,.0f}"
    return f"{sign}{_prefix(currency)}{digits}"


def compact_money(value: float | None, currency: str) -> str:
    """Money in k / M / B for headlines."""
    if value is None or not math.isfinite(value):
        return "n/a"
    sign = "-" if value < 0 else ""
    v = abs(value)
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if v >= size:
            return f"{sign}{_prefix(currency)}{v / size:.3g}{suffix}"
    return f"{sign}{_prefix(currency)}{v:.3g}"


def percent(fraction: float | None, digits: int = 0, cap: float = 100.0) -> str:
    """A fraction as a percentage: 3.29 -> '329 %'; beyond ``cap`` (100 = 10,000 %) it says
    so rather than print a meaningless number.

    >>> percent(250.0)
    '> 10,000 %'
    """
    if fraction is None or not math.isfinite(fraction):
        return "n/a"
    if abs(fraction) > cap:
        return f"{'>' if fraction > 0 else '<'} {cap * 100:,.0f} %"
    return f"{fraction * 100:,.{digits}f} %"


def months_text(months: float | None) -> str:
    """A payback or crossover month for people."""
    if months is None or not math.isfinite(months):
        return "not within horizon"
    if months == 0:
        return "immediate"
    return f"{months:.0f} month" + ("" if months == 1 else "s")


def horizon_text(horizon_months: int) -> str:
    """A horizon in words: whole years as years, otherwise months.

    >>> horizon_text(36), horizon_text(12), horizon_text(30)
    ('3 years', '1 year', '30 months')
    """
    if horizon_months % 12 == 0:
        n = horizon_months // 12
        return f"{n} year" + ("" if n == 1 else "s")
    return f"{horizon_months} months"


def price(value: float | None, currency: str) -> str:
    """A unit price with the precision it carries: as :func:`money`, but below one unit of the
    currency up to four significant digits (never fewer than two decimals).

    A price of 0.023 a GB-month is shown as ``$0.023``, not ``$0.02``: the products next to it
    were computed at 0.023.

    >>> price(0.023, "USD"), price(0.1, "USD"), price(0.00012, "EUR"), price(31, "USD")
    ('$0.023', '$0.10', '€0.00012', '$31.00')
    >>> price(0.123456, "USD"), price(-0.05, "USD")
    ('$0.1235', '-$0.05')
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    v = abs(value)
    if v == 0 or v >= 1:
        return money(value, currency)
    decimals = max(2, 3 - math.floor(math.log10(v)))
    digits = f"{v:.{decimals}f}".rstrip("0")
    whole, _, frac = digits.partition(".")
    sign = "-" if value < 0 else ""
    return f"{sign}{_prefix(currency)}{whole}.{frac.ljust(2, '0')}"


def hours_text(hours: float | None) -> str:
    """A duration in hours the way people say it: whole minutes below an hour, hours from one.

    >>> hours_text(47 / 60), hours_text(4.3), hours_text(1), hours_text(0.5), hours_text(0.9999)
    ('47 min', '4.3 h', '1 h', '30 min', '1 h')
    >>> hours_text(0.004)
    '0.24 min'
    """
    if hours is None or not math.isfinite(hours):
        return "n/a"
    minutes = abs(hours) * 60
    if minutes < 1 and hours:
        return f"{number(hours * 60)} min"
    if round(minutes) < 60:
        return f"{'-' if hours < 0 else ''}{minutes:.0f} min"
    return f"{number(hours)} h"


def ms_text(ms: float | None) -> str:
    """A latency the way people say it: milliseconds below one second, seconds from 1,000 ms.

    >>> ms_text(890), ms_text(3200), ms_text(40), ms_text(0.24), ms_text(2310)
    ('890 ms', '3.2 s', '40 ms', '0.24 ms', '2.31 s')
    """
    if ms is None or not math.isfinite(ms):
        return "n/a"
    if abs(ms) >= 1000:
        return f"{number(ms / 1000)} s"
    return f"{number(ms)} ms"


_SINGULAR = {
    "weeks": "week",
    "days": "day",
    "months": "month",
    "years": "year",
    "hours": "hour",
    "minutes": "minute",
    "services": "service",
    "points": "point",
    "engineer-weeks": "engineer-week",
    "person-weeks": "person-week",
}
"""Plural units that take the singular after exactly 1 ("1 week", not "1 weeks")."""
_PER_PERIOD = {"day": "a day", "week": "a week", "month": "a month", "year": "a year"}
"""Per-period rates read as words: ``days/week`` -> ``a week``."""


def amount(value: float | None, unit: str) -> str:
    """A quantity with its unit in words: ``1 week``, ``1 day a week``, ``5 h a month``,
    ``30 services a week``, ``2 a month`` (a count); other units as they are.

    >>> amount(1, "days/week"), amount(5, "h/month"), amount(30, "services/week")
    ('1 day a week', '5 h a month', '30 services a week')
    >>> amount(2, "count/month"), amount(3, "weeks"), amount(4, "MB/s"), amount(200, "count")
    ('2 a month', '3 weeks', '4 MB/s', '200')
    """
    text = number(value)
    if not unit or unit == "count":
        return text
    head, slash, period = unit.partition("/")
    if text == "1":
        head = _SINGULAR.get(head, head)
    if slash and period in _PER_PERIOD:
        words = _PER_PERIOD[period]
        return f"{text} {words}" if head == "count" else f"{text} {head} {words}"
    return f"{text} {head}{slash}{period}"


def number(value: float | None) -> str:
    """A quantity with sensible precision: whole numbers as they are, other values to three
    significant digits (no spurious digits: 158,113,883.4 -> 158,000,000).

    >>> number(50_000_000), number(158_113_883.4), number(2464.07), number(7.0333)
    ('50,000,000', '158,000,000', '2,464', '7.03')
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    v = abs(value)
    if v >= 1e4 and value != round(value):
        rounded = round(value, 2 - math.floor(math.log10(v)))
        return f"{rounded:,.0f}"
    if v >= 1000:
        return f"{value:,.0f}"
    if v >= 10 or v == 0:
        return f"{value:,.1f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


def table(
    rows: Sequence[Sequence[str]],
    header: Sequence[str] | None = None,
    align: str | None = None,
    indent: int = 2,
) -> str:
    """A plain-text table; ``align`` has one of ``l``/``r`` per column (default: first left)."""
    all_rows = [list(header)] if header else []
    all_rows += [list(r) for r in rows]
    if not all_rows:
        return ""
    n = max(len(r) for r in all_rows)
    for r in all_rows:
        r.extend([""] * (n - len(r)))
    widths = [max(len(r[i]) for r in all_rows) for i in range(n)]
    align = align or "l" + "r" * (n - 1)
    out = []
    for k, r in enumerate(all_rows):
        cells = [
            c.ljust(w) if a == "l" else c.rjust(w)
            for c, w, a in zip(r, widths, align, strict=False)
        ]
        out.append(" " * indent + "  ".join(cells).rstrip())
        if header and k == 0:
            out.append(" " * indent + "  ".join("-" * w for w in widths))
    return "\n".join(out)
