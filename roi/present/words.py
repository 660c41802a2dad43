"""Numbers and sources in words for the report: quantities with their units, ranges, parameter
paths, citations.

Examples
--------
>>> quantity_text(0.45, "fraction", "USD")
'45 %'
>>> quantity_text(15000, "USD/h", "USD")
'$15,000/h'
>>> readable_path("incidents.severities.sev1.mttr_hours_before")
'Incidents › Sev-1 MTTR before'
>>> pct(0.2035)
'20.4 %'
>>> quantity_text(47 / 60, "h", "USD"), quantity_text(3200, "ms", "USD")
('47 min', '3.2 s')
>>> quantity_text(1, "days/week", "USD"), quantity_text(12, "points", "USD")
('1 day a week', '+12 points')
>>> quantity_text(0.023, "USD/GB-month", "USD")
'$0.023/GB-month'
"""

from __future__ import annotations

import math

import numpy as np

from roi.inputs.labels import input_label
from roi.inputs.references import REFERENCES, cite
from roi.inputs.schema import Quantity, Scenario
from roi.model import LineItem
from roi.present.formatting import amount, hours_text, money, ms_text, number, price


def pct(fraction: float) -> str:
    """A fraction as a percentage with up to three significant digits: 0.2035 -> 20.4 %."""
    if not math.isfinite(fraction):
        return "n/a"
    v = fraction * 100
    if v == round(v) and abs(v) < 1e4:
        return f"{v:,.0f} %"
    return f"{v:.3g} %"


def signed_pct(fraction: float) -> str:
    """A change as a signed percentage, as people write a lift: 0.047 -> '+4.7 %'.

    >>> signed_pct(0.047), signed_pct(-0.2), signed_pct(0.0)
    ('+4.7 %', '-20 %', '0 %')
    """
    text = pct(fraction)
    return "+" + text if math.isfinite(fraction) and fraction > 0 else text


def quantity_text(value: float, unit: str | None, currency: str) -> str:
    """A number with its unit the way people say it: fractions as percent, money with its
    currency, unit prices with their precision, hours below one as minutes, milliseconds from
    1,000 as seconds, a change in points signed, rates per period in words."""
    if unit is None or unit in ("", "count", "ratio"):
        return number(value) + ("x" if unit == "ratio" else "")
    if unit == "fraction":
        return pct(value)
    if unit in ("fraction/month", "fraction/year"):
        return f"{pct(value)} per {unit.split('/')[1]}"
    if unit == currency:
        return money(value, currency)
    if unit.startswith(currency + "/"):
        return price(value, currency) + unit[len(currency) :]
    if unit == "h":
        return hours_text(value)
    if unit == "ms":
        return ms_text(value)
    if unit == "points":
        return ("+" if value > 0 else "") + amount(value, unit)
    return amount(value, unit)


_SECTIONS = {
    "timeline": "Timeline",
    "business": "Business",
    "incidents": "Incidents",
    "latency": "Latency",
    "instrumentation": "Instrumentation",
    "rollout": "Rollout",
    "self_run": "Self-run stack",
    "managed": "Managed vendors",
    "lock_in": "Lock-in",
    "finance": "Finance",
    "kpis": "KPIs",
}
"""Scenario section titles (the schema's sections carry no title yet)."""


def readable_path(path: str, scenario: Scenario | None = None) -> str:
    """A parameter path in words: its section, then the assumption's name.

    ``self_run.retention_days`` -> ``Self-run stack › Trace retention``; names come from
    :func:`roi.inputs.labels.input_label`, so the appendix and the tornado use the same words.
    """
    section = path.split(".", 1)[0]
    name = input_label(path, "", scenario)
    return f"{_SECTIONS.get(section, section)} › {name[:1].upper()}{name[1:]}"


def range_text(q: Quantity, currency: str) -> str:
    """A ranged assumption's distribution in words; empty for a point value."""
    if q.dist is None:
        return ""
    unit = q.unit

    def v(x: float | None) -> str:
        return quantity_text(x, unit, currency) if x is not None else "?"

    if q.mean is not None and q.sd is not None:
        return f"normal, mean {v(q.mean)}, sd {v(q.sd)}"
    if q.dist in ("triangular", "pert"):
        return f"{q.dist} {between(v(q.low), v(q.high))}, most likely {v(q.mode)}"
    if q.dist == "uniform":
        return f"uniform {between(v(q.low), v(q.high))}"
    return f"{between(v(q.low), v(q.high))} (90 % interval, {q.dist})"


def between(low: str, high: str) -> str:
    """Two ends of a range as people write them: ``2–4 months`` when both ends share their
    unit, ``$10,000/h to $22,500/h`` otherwise.

    >>> between("2 months", "4 months"), between("10 %", "20 %"), between("30 min", "2 h")
    ('2–4 months', '10–20 %', '30 min to 2 h')
    """
    lo_num, _, lo_unit = low.partition(" ")
    hi_unit = high.partition(" ")[2]
    numeric = lo_num.replace(",", "").replace(".", "").lstrip("-").isdigit()
    if lo_unit and lo_unit == hi_unit and numeric and not lo_num.startswith("-"):
        return f"{lo_num}–{high}"
    return f"{low} to {high}"


def source_text(source: str | None) -> str:
    """A source for people: ``ref:`` keys expanded by :func:`roi.inputs.references.cite`."""
    if not source:
        return "not stated"
    return cite(source)


def short_source_text(source: str | None, numbers: dict[str, int]) -> str:
    """A source for a table cell: a registered reference by its short name and its number in
    the References list; free text as it is."""
    if source and source.startswith("ref:") and source[4:] in numbers:
        key = source[4:]
        return f"{REFERENCES[key].short} [{numbers[key]}]"
    return source_text(source)


def given_text(given: str | None) -> str:
    """The value as the file wrote it, with readable digits: '2.6e+08 USD/year' ->
    '260,000,000 USD/year'."""
    if not given:
        return ""
    head, _, unit = given.partition(" ")
    try:
        value = float(head)
    except ValueError:
        return given
    return f"{number(value)} {unit}".strip()


def driver_text(line: LineItem) -> str:
    """A line item's driver with its unit in words: ``40 billable APM hosts``,
    ``28.1 person-h a month``; a lift (a fraction) as a signed percentage,
    ``+4.7 % conversion lift credited``."""
    value = float(np.asarray(line.driver, dtype=float))
    if "lift" in line.driver_unit.split():
        return f"{signed_pct(value)} {line.driver_unit}"
    return amount(value, line.driver_unit)


def unit_value_text(line: LineItem, currency: str) -> str:
    """A line item's unit value with its unit, a price with the precision it carries:
    ``$31.00/APM hosts/month``, ``$0.023/GB-month``."""
    unit = line.unit_value_unit
    value = float(np.asarray(line.unit_value, dtype=float))
    if unit.startswith(currency):
        return price(value, currency) + unit[len(currency) :]
    return f"{number(value)} {unit}"
