"""Numbers for people: money with its currency, percentages, months; plain-text tables.

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


def number(value: float | None) -> str:
    """A quantity with sensible precision."""
    if value is None or not math.isfinite(value):
        return "n/a"
    v = abs(value)
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
