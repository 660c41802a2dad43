"""The finance workbook (xlsxwriter): assumptions, monthly cash flows per option, TEI summary.

Sheets:

* **TEI summary** (first): one row per option with PV benefits, PV costs, NPV, ROI and payback,
  then each option's TEI table (Initial, Year 1..N, Total, PV). Every figure is a live formula over
  the cash-flow cells; ``PV = Initial + NPV(r, Year 1 : Year N)`` (Excel's ``NPV`` discounts its
  first value, so the Initial column stays outside it), or with ``finance.discounting: monthly``
  ``Month 0 + NPV((1 + r)^(1/12) - 1, Month 1 : Month H)``.
* **Assumptions**: every number evaluated with its unit, stated range and source. The discount
  rate and the two TEI risk adjustments are named cells (``discount_rate``, ``benefit_risk``,
  ``cost_risk``) that the cash flows and the summary read.
* **CF <option>** per option: one column per line item, each month's cell the live formula
  ``driver x unit value x profile`` (driver and unit value in the two rows above the months,
  editable; the profile is the line's ramp and growth, ``series / (driver x unit value)``, a
  number), then risk-adjusted benefits and costs, net, cumulative net and the payback flag.

What is live: the discount rate, the benefit and cost risk adjustments, and each line's driver and
unit value. The other assumptions (traffic growth, rollout months...) shape the profiles and are
listed for audit, not linked. Each formula's value as ``roi`` computed it is stored too, so viewers
that do not recalculate show the numbers, not zeros. Nothing here computes money: every number is
read from the evaluation.

Examples
--------
>>> sheet_name("CF ", "grafana-cloud/traces:[pro]")
'CF grafana-cloud_traces__pro_'
"""

from __future__ import annotations

import io
import math
import re
from typing import Any

import numpy as np

from roi.model import Evaluation, OptionResult

SUMMARY_SHEET = "TEI summary"
ASSUMPTIONS_SHEET = "Assumptions"
NAMED = {
    "finance.discount_rate": "discount_rate",
    "finance.benefit_risk": "benefit_risk",
    "finance.cost_risk": "cost_risk",
}
"""Assumptions that the formulas read, by parameter path -> defined name."""
FIRST_MONTH_ROW = 5
"""0-based row of month 0 on a cash-flow sheet (rows above: title, header, driver, unit value)."""
SUMMARY_HEADER = ["Option key", "Option", "PV benefits", "PV costs", "NPV", "ROI", "Payback"]
_BAD_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(prefix: str, key: str) -> str:
    """A valid, at most 31-character sheet name: Excel refuses ``[]:*?/\\``."""
    return (prefix + _BAD_SHEET_CHARACTERS.sub("_", key))[:31]


def _col(index: int) -> str:
    """Spreadsheet column letters of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(row: int, col: int, absolute: bool = False) -> str:
    """A1 reference of 0-based ``row``, ``col``."""
    d = "$" if absolute else ""
    return f"{d}{_col(col)}{d}{row + 1}"


def _number(x: Any) -> float | None:
    v = float(np.asarray(x).reshape(-1)[0])
    return v if math.isfinite(v) else None


def workbook_bytes(evaluation: Evaluation, title: str) -> bytes:
    """The workbook of ``evaluation`` as ``.xlsx`` bytes.

    Parameters
    ----------
    evaluation : Evaluation
        A point-estimate evaluation (shape ``()``).
    title : str
        The scenario's name, shown on every sheet.

    Returns
    -------
    bytes
        An Office Open XML workbook.
    """
    import xlsxwriter

    if evaluation.shape != ():
        raise ValueError("the workbook shows a point estimate; evaluate without samples")
    buf = io.BytesIO()
    # Text is text: a scenario's name, label or source that starts with "=" stays a string (no
    # formula injection); formulas are written with write_formula only.
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False})
    currency = evaluation.scenario.currency
    fmt = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "head": book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"}),
        "money": book.add_format({"num_format": f'#,##0.00 "{currency}"'}),
        "number": book.add_format({"num_format": "#,##0.######"}),
        "pct": book.add_format({"num_format": "0.0%"}),
        "input": book.add_format({"bg_color": "#FFF2CC", "num_format": "#,##0.######"}),
        "note": book.add_format({"italic": True, "font_color": "#555555"}),
        "bold_money": book.add_format({"bold": True, "num_format": f'#,##0.00 "{currency}"'}),
    }
    summary = book.add_worksheet(SUMMARY_SHEET)
    assumptions = book.add_worksheet(ASSUMPTIONS_SHEET)
    _assumptions(book, assumptions, evaluation, title, fmt)
    options = [o for o in evaluation.options.values() if o.kind != "baseline"]
    refs = {o.key: _cash_flows(book, o, evaluation, title, fmt) for o in options}
    _summary(summary, options, refs, evaluation, title, fmt)
    book.close()
    return buf.getvalue()


def _assumptions(
    book: Any, sheet: Any, evaluation: Evaluation, title: str, fmt: dict[str, Any]
) -> None:
    sheet.write(0, 0, f"{title}: assumptions", fmt["title"])
    header = ["Parameter", "Value", "Unit", "Low", "High", "Source"]
    for c, h in enumerate(header):
        sheet.write(2, c, h, fmt["head"])
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 2, 22)
    sheet.set_column(3, 4, 12)
    sheet.set_column(5, 5, 70)
    for r, (path, item) in enumerate(evaluation.inputs.items(), start=3):
        live = path in NAMED
        sheet.write(r, 0, path)
        value = _number(item.value)
        if value is None:
            sheet.write_string(r, 1, "n/a")
        else:
            sheet.write_number(r, 1, value, fmt["input"] if live else fmt["number"])
        sheet.write(r, 2, item.unit)
        for c, bound in ((3, item.quantity.low), (4, item.quantity.high)):
            if bound is not None:
                sheet.write_number(r, c, float(bound), fmt["number"])
        sheet.write(r, 5, item.source or "")
        if live:
            book.define_name(NAMED[path], f"='{ASSUMPTIONS_SHEET}'!{_cell(r, 1, True)}")
    sheet.write(
        1,
        0,
        "Yellow cells are live: the cash flows and the TEI summary read them.",
        fmt["note"],
    )


def _cash_flows(
    book: Any, option: OptionResult, evaluation: Evaluation, title: str, fmt: dict[str, Any]
) -> dict[str, Any]:
    """Write one option's monthly sheet; the cell ranges the summary reads."""
    sheet = book.add_worksheet(sheet_name("CF ", option.key))
    months = np.asarray(evaluation.months)
    n = months.shape[-1]
    first, last = FIRST_MONTH_ROW, FIRST_MONTH_ROW + n - 1
    lines = list(option.lines)
    sheet.write(0, 0, f"{title}: {option.label}, monthly cash flows", fmt["title"])
    sheet.write(
        1,
        0,
        "Line items before risk adjustment: driver x unit value x profile (ramp and growth).",
        fmt["note"],
    )
    sheet.write(2, 0, "Month", fmt["head"])
    sheet.write(3, 0, "driver", fmt["note"])
    sheet.write(4, 0, "unit value", fmt["note"])
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, len(lines) + 6, 18)
    benefit_cols: list[int] = []
    cost_cols: list[int] = []
    for c, item in enumerate(lines, start=1):
        (benefit_cols if item.category == "benefit" else cost_cols).append(c)
        sheet.write(2, c, f"{item.label} [{item.category}]", fmt["head"])
        driver, unit_value = _number(item.driver), _number(item.unit_value)
        series = np.asarray(item.series, dtype=float).reshape(n)
        rate = (driver or 0.0) * (unit_value or 0.0)
        linked = driver is not None and unit_value is not None and rate != 0.0
        if linked:
            sheet.write_number(3, c, driver, fmt["input"])
            sheet.write_number(4, c, unit_value, fmt["input"])
            sheet.write_comment(
                3, c, f"{item.driver_unit} x {item.unit_value_unit}", {"x_scale": 1.5}
            )
        for r, value in enumerate(series, start=first):
            if linked:
                profile = float(value) / rate
                sheet.write_formula(
                    r,
                    c,
                    f"={_cell(3, c, True)}*{_cell(4, c, True)}*{profile!r}",
                    fmt["money"],
                    float(value),
                )
            else:
                sheet.write_number(r, c, float(value), fmt["money"])
    k = len(lines) + 1
    cols = {"benefits": k, "costs": k + 1, "net": k + 2, "cumulative": k + 3, "negative": k + 4}
    for name, c in cols.items():
        label = {
            "benefits": "Benefits, risk-adjusted",
            "costs": "Costs, risk-adjusted",
            "net": "Net",
            "cumulative": "Cumulative net",
            "negative": "Month if cumulative < 0 (else -1)",
        }[name]
        sheet.write(2, c, label, fmt["head"])
    benefits = np.asarray(option.benefits, dtype=float).reshape(n)
    costs = np.asarray(option.costs, dtype=float).reshape(n)
    cumulative = np.cumsum(benefits - costs)
    for i in range(n):
        r = first + i
        sheet.write_number(r, 0, float(months[i]))
        b_sum = "+".join(_cell(r, c) for c in benefit_cols) or "0"
        c_sum = "+".join(_cell(r, c) for c in cost_cols) or "0"
        sheet.write_formula(
            r, cols["benefits"], f"=({b_sum})*(1-benefit_risk)", fmt["money"], float(benefits[i])
        )
        sheet.write_formula(
            r, cols["costs"], f"=({c_sum})*(1+cost_risk)", fmt["money"], float(costs[i])
        )
        sheet.write_formula(
            r,
            cols["net"],
            f"={_cell(r, cols['benefits'])}-{_cell(r, cols['costs'])}",
            fmt["money"],
            float(benefits[i] - costs[i]),
        )
        previous = f"{_cell(r - 1, cols['cumulative'])}+" if i else ""
        sheet.write_formula(
            r,
            cols["cumulative"],
            f"={previous}{_cell(r, cols['net'])}",
            fmt["money"],
            float(cumulative[i]),
        )
        sheet.write_formula(
            r,
            cols["negative"],
            f"=IF({_cell(r, cols['cumulative'])}<0,{_cell(r, 0)},-1)",
            None,
            float(months[i]) if cumulative[i] < 0 else -1.0,
        )
    sheet.freeze_panes(first, 1)
    name = sheet.get_name()
    return {
        "sheet": name,
        "first": first,
        "last": last,
        "n": n,
        "cols": cols,
        "range": lambda col, a=first, b=last: f"'{name}'!{_cell(a, col)}:{_cell(b, col)}",
        "cell": lambda col, row: f"'{name}'!{_cell(row, col)}",
    }


def _summary(
    sheet: Any,
    options: list[OptionResult],
    refs: dict[str, dict[str, Any]],
    evaluation: Evaluation,
    title: str,
    fmt: dict[str, Any],
) -> None:
    monthly = evaluation.scenario.finance.discounting == "monthly"
    sheet.write(0, 0, f"{title}: Total Economic Impact summary", fmt["title"])
    sheet.write(
        1,
        0,
        "Live formulas over the cash-flow sheets. "
        + (
            "Discounting: each month at (1 + discount_rate)^(1/12) - 1; month 0 undiscounted."
            if monthly
            else "Discounting: TEI years at year end; Initial undiscounted (outside NPV())."
        ),
        fmt["note"],
    )
    for c, h in enumerate(SUMMARY_HEADER):
        sheet.write(3, c, h, fmt["head"])
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 40)
    sheet.set_column(2, 12, 16)
    tables_row = 5 + len(options) + 1
    for i, option in enumerate(options):
        ref = refs[option.key]
        table_row = tables_row + i * 6
        pv = _tei_table(sheet, option, ref, table_row, monthly, fmt)
        r = 4 + i
        kpis = {k: _number(v) for k, v in option.kpis.items()}
        sheet.write(r, 0, option.key)
        sheet.write(r, 1, option.label)
        sheet.write_formula(r, 2, f"={pv['benefits']}", fmt["money"], kpis["pv_benefits"] or 0.0)
        sheet.write_formula(r, 3, f"={pv['costs']}", fmt["money"], kpis["pv_costs"] or 0.0)
        sheet.write_formula(r, 4, f"={_cell(r, 2)}-{_cell(r, 3)}", fmt["money"], kpis["npv"])
        roi = kpis["roi"]
        sheet.write_formula(
            r,
            5,
            f'=IF({_cell(r, 3)}>0,({_cell(r, 2)}-{_cell(r, 3)})/{_cell(r, 3)},"n/a")',
            fmt["pct"],
            roi if roi is not None else "n/a",
        )
        negative = ref["range"](ref["cols"]["negative"])
        payback = kpis["payback_months"]
        sheet.write_formula(
            r,
            6,
            f'=IF(MAX({negative})={ref["n"] - 1},"no payback",MAX({negative})+1)',
            None,
            payback if payback is not None else "no payback",
        )
    sheet.write(
        4 + len(options), 1, "Payback: months until cumulative net stays >= 0.", fmt["note"]
    )


def _tei_table(
    sheet: Any,
    option: OptionResult,
    ref: dict[str, Any],
    row: int,
    monthly: bool,
    fmt: dict[str, Any],
) -> dict[str, str]:
    """One option's TEI table at ``row``; the cells of its PV of benefits and costs."""
    table = option.tei_table()
    n_years = table["benefits"].shape[-1] - 3
    columns = ["Initial", *(f"Year {k}" for k in range(1, n_years + 1)), "Total", "PV"]
    sheet.write(row, 1, option.label, fmt["head"])
    for c, h in enumerate(columns, start=2):
        sheet.write(row, c, h, fmt["head"])
    out = {}
    first = ref["first"]
    for j, name in enumerate(("benefits", "costs", "net"), start=1):
        r = row + j
        sheet.write(r, 1, {"benefits": "Benefits", "costs": "Costs", "net": "Net"}[name])
        values = np.asarray(table[name], dtype=float).reshape(-1)
        if name == "net":
            for c in range(2, len(columns) + 2):
                formula = f"={_cell(r - 2, c)}-{_cell(r - 1, c)}"
                sheet.write_formula(r, c, formula, fmt["bold_money"], float(values[c - 2]))
            continue
        col = ref["cols"][name]
        sheet.write_formula(r, 2, f"={ref['cell'](col, first)}", fmt["money"], float(values[0]))
        for k in range(1, n_years + 1):
            a = first + 12 * (k - 1) + 1
            b = min(first + 12 * k, ref["last"])
            sheet.write_formula(
                r,
                2 + k,
                f"=SUM('{ref['sheet']}'!{_cell(a, col)}:{_cell(b, col)})",
                fmt["money"],
                float(values[k]),
            )
        total_col = 2 + n_years + 1
        sheet.write_formula(
            r,
            total_col,
            f"=SUM({_cell(r, 2)}:{_cell(r, 2 + n_years)})",
            fmt["money"],
            float(values[-2]),
        )
        if monthly:
            months = f"'{ref['sheet']}'!{_cell(first + 1, col)}:{_cell(ref['last'], col)}"
            pv = f"={_cell(r, 2)}+NPV((1+discount_rate)^(1/12)-1,{months})"
        else:
            pv = f"={_cell(r, 2)}+NPV(discount_rate,{_cell(r, 3)}:{_cell(r, 2 + n_years)})"
        sheet.write_formula(r, total_col + 1, pv, fmt["money"], float(values[-1]))
        out[name] = _cell(r, total_col + 1)
    return out
