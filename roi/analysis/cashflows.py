"""Checking a published TEI study: read its cash-flow table and recompute PV, NPV, ROI, payback.

The CSV has a ``line`` column whose rows are ``costs`` and ``benefits`` (costs as positive
magnitudes) and columns ``initial,year_1,...,year_N``. Under the TEI convention the Initial column
is not discounted and each year is discounted at its end.

Example (``doctest``)::

    >>> import numpy as np
    >>> kpis = cashflow_kpis(np.array([0, 1.0e6, 1.2e6, 1.4e6]),
    ...                      np.array([3.0e5, 1.0e5, 1.0e5, 1.0e5]), 0.10)
    >>> round(kpis["roi"], 2), kpis["payback_months"]
    (4.38, 4.0)
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import numpy as np

from roi.inputs.errors import UserError, excerpt
from roi.inputs.ingest._common import read_text
from roi.inputs.units import MAX_MAGNITUDE
from roi.model import finance
from roi.model.timeline import Array

_YEAR = re.compile(r"^year_(\d+)$")


def read_cashflows(path: str | Path) -> tuple[Array, Array]:
    """Benefits and costs rows of a TEI cash-flow CSV, Initial first [currency].

    Raises
    ------
    UserError
        Naming the file, row and column of the first problem.
    """
    p, text = read_text(path)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        rows = list(reader)
    except csv.Error as exc:
        raise UserError(f"{p}: not a well-formed CSV: {exc}") from None
    allowed = "columns line,initial,year_1,...,year_N"
    if "line" not in header or "initial" not in header:
        raise UserError(f"{p}: header must have {allowed}; got {','.join(header) or 'nothing'}")
    years = sorted(int(m.group(1)) for h in header if (m := _YEAR.match(h)))
    if not years or years != list(range(1, len(years) + 1)):
        raise UserError(
            f"{p}: year columns must be year_1..year_N, each once and without gaps ({allowed})"
        )
    unknown = [h for h in header if h not in ("line", "initial") and not _YEAR.match(h)]
    if unknown:
        raise UserError(f"{p}: unknown column {unknown[0]!r}; allowed: {allowed}")
    columns = ["initial", *(f"year_{k}" for k in years)]
    found: dict[str, Array] = {}
    for number, raw in enumerate(rows, start=2):
        if None in raw:  # csv.DictReader keeps cells beyond the header under the key None
            raise UserError(
                f"{p}: row {number}: more cells than the header's {len(header)} columns; "
                "allowed: one cell per column"
            )
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        line = row.get("line", "").lower()
        if line not in ("costs", "benefits"):
            raise UserError(f"{p}: row {number}: line is {line!r}; allowed: costs, benefits")
        if line in found:
            raise UserError(f"{p}: row {number}: a second {line!r} row; give each line once")
        values = []
        for col in columns:
            text = row.get(col, "").replace(",", "").replace("$", "")
            try:
                v = float(text)
            except ValueError:
                raise UserError(
                    f"{p}: row {number}, column {col}: {excerpt(row.get(col))} is not a number; "
                    "allowed: a number such as 125000 or $125,000"
                ) from None
            if not (math.isfinite(v) and abs(v) <= MAX_MAGNITUDE):
                raise UserError(
                    f"{p}: row {number}, column {col}: {excerpt(text)} is out of range; allowed: "
                    f"a finite number up to {MAX_MAGNITUDE:.0e} in magnitude"
                )
            if line == "costs" and v < 0:
                raise UserError(
                    f"{p}: row {number}, column {col}: costs are positive magnitudes; got {v:g}"
                )
            values.append(v)
        found[line] = np.asarray(values)
    missing = [name for name in ("benefits", "costs") if name not in found]
    if missing:
        raise UserError(f"{p}: no {missing[0]!r} row; the line column needs costs and benefits")
    return found["benefits"], found["costs"]


def monthly_from_yearly(yearly: Array) -> Array:
    """Initial, then each year's amount spread evenly over its 12 months [currency]."""
    return np.concatenate(
        [yearly[..., :1], np.repeat(yearly[..., 1:] / 12.0, 12, axis=-1)], axis=-1
    )


def cashflow_kpis(benefits: Array, costs: Array, discount_rate: float) -> dict[str, float]:
    """PV of costs and benefits, NPV, ROI, payback (months) and IRR of a TEI table.

    Payback assumes each year's cash arrives evenly over its months, as TEI studies do.
    """
    pv_b = float(finance.npv(discount_rate, benefits))
    pv_c = float(finance.npv(discount_rate, costs))
    net = benefits - costs
    return {
        "pv_costs": pv_c,
        "pv_benefits": pv_b,
        "npv": pv_b - pv_c,
        "roi": float(finance.roi(pv_b, pv_c)),
        "payback_months": float(finance.payback_months(monthly_from_yearly(net))),
        "irr": finance.irr(net),
    }
