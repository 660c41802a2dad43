"""Units of the scenario file: each assumption has one canonical unit; a file may use another
unit of the same dimension, which is converted on load.

Money units carry the scenario's currency in place of ``{cur}`` (``{cur}/h`` reads ``USD/h``).

Examples
--------
>>> to_canonical(47, "min", "h")
0.7833333333333333
>>> to_canonical(40, "%", "fraction")
0.4
>>> to_canonical(3.2, "s", "ms")
3200.0
"""

from __future__ import annotations

import re

from roi.inputs.errors import excerpt

MAX_MAGNITUDE = 1e18
"""Largest magnitude of any number a user states [canonical unit or currency]: above every real
figure (a year of the world's output is about 1e14 USD, 4e18 in the smallest currencies' units
would be a bound for nobody) and far enough below the float limit (1.8e308) that products of a few
such numbers never overflow to infinity."""

HOURS_PER_WORK_WEEK = 40.0
"""[h] A working week, used to turn engineer-weeks into hours (40 h)."""
HOURS_PER_WORK_DAY = 8.0
"""[h] A working day (8 h)."""
WEEKS_PER_MONTH = 52.0 / 12.0
"""[week/month] 52 weeks over 12 months, about 4.33."""
DAYS_PER_MONTH = 365.25 / 12.0
"""[d/month] Mean calendar days in a month, 30.44."""
SECONDS_PER_MONTH = DAYS_PER_MONTH * 86_400.0
"""[s/month] Mean seconds in a month."""

# For each canonical unit: every accepted spelling and the factor that turns it into the canonical
# unit. A canonical unit absent from this table accepts only its own spelling.
_ALTERNATIVES: dict[str, dict[str, float]] = {
    "h": {
        "h": 1.0,
        "hour": 1.0,
        "hours": 1.0,
        "min": 1 / 60,
        "minute": 1 / 60,
        "minutes": 1 / 60,
        "s": 1 / 3600,
        "d": 24.0,
        "day": 24.0,
        "days": 24.0,
    },
    "ms": {"ms": 1.0, "s": 1000.0, "us": 1e-3, "µs": 1e-3},
    "fraction": {"fraction": 1.0, "%": 0.01, "percent": 0.01},
    "B": {"B": 1.0, "bytes": 1.0, "KB": 1e3, "KiB": 1024.0, "MB": 1e6},
    "months": {
        "months": 1.0,
        "month": 1.0,
        "years": 12.0,
        "year": 12.0,
        "weeks": 1 / WEEKS_PER_MONTH,
    },
    "weeks": {"weeks": 1.0, "week": 1.0, "days": 1 / 5, "months": WEEKS_PER_MONTH},
    "days": {"days": 1.0, "day": 1.0},
    "fraction/month": {"fraction/month": 1.0, "%/month": 0.01},
    "fraction/year": {"fraction/year": 1.0, "%/year": 0.01},
    "{cur}/year": {"{cur}/year": 1.0, "{cur}/month": 12.0, "{cur}/quarter": 4.0},
    "{cur}/h": {
        "{cur}/h": 1.0,
        "{cur}/hour": 1.0,
        "{cur}/min": 60.0,
        "{cur}/day": 1 / 24,
        "{cur}/year": 1 / (24 * 365.25),
    },
    # People are paid for working hours: a person-year is 52 weeks of 40 h (2080 h).
    "{cur}/person-h": {"{cur}/person-h": 1.0, "{cur}/person-year": 1 / (52 * HOURS_PER_WORK_WEEK)},
}


class UnitError(ValueError):
    """A unit that cannot be converted to the field's canonical unit."""


def allowed_units(canonical: str, currency: str = "{cur}") -> list[str]:
    """Spellings accepted for a field whose canonical unit is ``canonical``."""
    spellings = _ALTERNATIVES.get(canonical, {canonical: 1.0})
    return [s.replace("{cur}", currency) for s in spellings]


def to_canonical(value: float, unit: str, canonical: str, currency: str = "{cur}") -> float:
    """Convert ``value`` given in ``unit`` to the ``canonical`` unit.

    Parameters
    ----------
    value : float
        The number as written in the scenario file.
    unit : str
        Its unit as written; ``{cur}`` stands for the scenario currency.
    canonical : str
        The field's canonical unit.
    currency : str
        The scenario's ISO 4217 currency code.

    Raises
    ------
    UnitError
        When ``unit`` is not a spelling of ``canonical``'s dimension.
    """
    spellings = _ALTERNATIVES.get(canonical, {canonical: 1.0})
    key = unit.strip()
    if currency != "{cur}":
        key = key.replace(currency, "{cur}")
    elif re.match(r"^[A-Z]{3}\b", key):
        # The scenario's currency is unknown (itself invalid): accept any code here.
        key = "{cur}" + key[3:]
    if key not in spellings:
        allowed = ", ".join(allowed_units(canonical, currency))
        raise UnitError(f"unit {excerpt(unit)} is not allowed here (allowed: {allowed})")
    return value * spellings[key]


def display_unit(canonical: str, currency: str) -> str:
    """The canonical unit with the scenario currency filled in."""
    return canonical.replace("{cur}", currency)
