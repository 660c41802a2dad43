"""Plain-text and CSV views of breakdown documents, cash-flow checks and diffs."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

import numpy as np

from roi.inputs.labels import input_label
from roi.present.documents import BREAKDOWN_SCHEMA_VERSION, tei_columns
from roi.present.formatting import (
    amount,
    compact_money,
    money,
    months_text,
    ms_text,
    number,
    percent,
    table,
)
from roi.present.words import quantity_text

_HEADLINE_FIGURES = (
    ("downtime_hours_per_year_before", "Incident hours a year today", "h"),
    ("downtime_hours_per_year_after", "Incident hours a year with tracing", "h"),
    ("incident_cost_per_year_before", "What incidents cost a year today", "money"),
    ("conversion_lift", "Conversion lift", "percent"),
    ("revenue_per_100ms_per_quarter", "Each 100 ms is worth, per quarter", "money"),
    ("instrumentation_overhead_ms", "Latency added by instrumentation", "ms"),
    ("net_latency_improvement_ms", "Net latency improvement", "ms"),
    ("ingest_gb_per_month", "Span data today", "GB/month"),
    ("managed_onboarding_weeks", "Managed onboarding", "weeks"),
    ("exit_cost_proprietary_sdk", "Exit cost with a proprietary SDK", "money"),
    ("exit_cost_otel", "Exit cost with OpenTelemetry", "money"),
)


def _fmt(value: float | None, kind: str, currency: str) -> str:
    if kind == "money":
        return money(value, currency)
    if kind == "percent":
        return percent(value, 2)
    if kind == "ms":
        return ms_text(value)
    return amount(value, kind)


def _kpi_rows(kpis: dict[str, Any], currency: str) -> list[list[str]]:
    return [
        ["PV benefits", compact_money(kpis["pv_benefits"], currency)],
        ["PV costs", compact_money(kpis["pv_costs"], currency)],
        ["NPV", compact_money(kpis["npv"], currency)],
        ["ROI", percent(kpis["roi"])],
        ["Payback", months_text(kpis["payback_months"])],
        ["IRR (yearly)", percent(kpis.get("irr"), 1)],
    ]


def breakdown_table(doc: dict[str, Any]) -> str:
    """The breakdown as an Infracost-style text report."""
    s = doc["scenario"]
    cur = s["currency"]
    out = [
        f"{s['name']}",
        f"  {cur}, Initial + {s['horizon_months']} months, "
        f"{'TEI' if s['discounting'] == 'tei' else 'monthly'} discounting"
        + (f", file {s['file']}" if s.get("file") else ""),
        f"  North-star KPI: {s['north_star_kpi']}",
        "",
    ]
    for option in doc["options"]:
        if option["kind"] == "baseline":
            continue
        out.append(f"== {option['label']} ({option['key']})")
        rows = []
        for category, title in (("benefit", "Benefits"), ("cost", "Costs")):
            rows.append([title.upper(), "", "", "", "", "", ""])
            for li in option["line_items"]:
                if li["category"] != category:
                    continue
                unit_value = (
                    money(li["unit_value"], cur) + li["unit_value_unit"].removeprefix(cur)
                    if li["unit_value_unit"].startswith(cur)
                    else f"{number(li['unit_value'])} {li['unit_value_unit']}"
                )
                if li["one_off"]:
                    monthly, annual = money(li["one_off_amount"], cur), "one-off"
                else:
                    monthly, annual = money(li["monthly"], cur), money(li["annual"], cur)
                rows.append(
                    [
                        f"  {li['label']}",
                        f"{number(li['driver'])} {li['driver_unit']}",
                        "x",
                        unit_value,
                        monthly,
                        annual,
                        money(li["horizon_total"], cur),
                    ]
                )
        out.append(
            table(
                rows,
                [
                    "Line item",
                    "Driver",
                    "",
                    "Unit value",
                    "Monthly",
                    "Annual",
                    f"{s['horizon_months']}-month total",
                ],
                "llllrrr",
            )
        )
        t = option["totals"]
        out.append("")
        out.append(
            f"  Totals over the horizon: benefits {money(t['benefits_unadjusted'], cur)}"
            f", costs {money(t['costs_unadjusted'], cur)}; risk-adjusted "
            f"{money(t['benefits_risk_adjusted'], cur)} and "
            f"{money(t['costs_risk_adjusted'], cur)}"
        )
        cf = option["cashflow_table"]
        out.append("")
        out.append("  TEI cash flows (risk-adjusted)")
        out.append(
            table(
                [
                    [row.capitalize(), *(money(v, cur) for v in cf[row])]
                    for row in ("benefits", "costs", "net")
                ],
                ["", *cf["columns"]],
                indent=4,
            )
        )
        out.append("")
        out.append(table(_kpi_rows(option["kpis"], cur), align="lr"))
        figures = option["figures"]
        if figures.get("bill_growth_vs_traffic"):
            out.append(
                f"  Bill growth vs traffic growth: "
                f"{figures['bill_growth_vs_traffic']:.2f}x; exit cost "
                f"{money(figures.get('exit_cost'), cur)}"
            )
        out.append("")
    out.append("== Scenario figures")
    fig = doc["figures"]
    rows = [
        [label, _fmt(fig[key], kind, cur)] for key, label, kind in _HEADLINE_FIGURES if key in fig
    ]
    for sev, hours in (fig.get("mttr_hours_saved_per_incident") or {}).items():
        rows.append([f"MTTR saved per {sev} incident", f"{number(hours)} h"])
    out.append(table(rows, align="lr"))
    out.append("")
    d = doc["decision"]
    out.append("== Self-run or managed")
    out.append(f"  {d['recommendation']}")
    for c in d["crossovers"]:
        month = c["month"]
        when = (
            "never within the horizon"
            if month is None
            else "from the start"
            if month == 0
            else f"from month {month:.0f} on"
        )
        traffic = (
            f"from {number(c['traffic_multiple'])}x today's traffic"
            if c["traffic_multiple"] is not None
            else "at no traffic up to 1000x today's"
        )
        out.append(
            f"  Self-run vs {c['vendor']}: cumulative cost lower {when}; "
            f"monthly run rate lower {traffic}"
        )
    gaps = [b["text"] for b in doc["readiness"] if not b["checked"]]
    out.append("")
    if gaps:
        out.append("== Readiness: FIX THESE GAPS FIRST")
        out += [f"  [ ] {g}" for g in gaps]
    else:
        out.append("== Readiness: all five pre-flight boxes checked")
    out.append("")
    out.append("Every number's unit and source: roi breakdown FILE --format json (assumptions).")
    return "\n".join(out)


_CSV_COLUMNS = (
    "option",
    "key",
    "label",
    "category",
    "group",
    "one_off",
    "driver",
    "driver_unit",
    "unit_value",
    "unit_value_unit",
    "monthly",
    "annual",
    "one_off_amount",
    "horizon_total",
)


def breakdown_csv(doc: dict[str, Any]) -> str:
    """One CSV row per line item per option."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(_CSV_COLUMNS)
    for option in doc["options"]:
        for li in option["line_items"]:
            w.writerow([option["key"], *("" if li[c] is None else li[c] for c in _CSV_COLUMNS[1:])])
    return buf.getvalue()


def cashflows_table(
    file: str, benefits: np.ndarray, costs: np.ndarray, rate: float, kpis: dict[str, float]
) -> str:
    """The check of a TEI cash-flow table."""
    columns = tei_columns(len(benefits) - 1)[:-2]
    rows = [
        [name, *(f"{v:,.0f}" for v in values)]
        for name, values in (("Benefits", benefits), ("Costs", costs), ("Net", benefits - costs))
    ]
    out = [
        f"{file}: TEI convention, Initial undiscounted, years at year end, "
        f"discount rate {rate:.1%}",
        table(rows, ["", *columns]),
        "",
    ]
    out.append(
        table(
            [
                ["PV costs", f"{kpis['pv_costs']:,.0f}"],
                ["PV benefits", f"{kpis['pv_benefits']:,.0f}"],
                ["NPV", f"{kpis['npv']:,.0f}"],
                ["ROI", percent(kpis["roi"])],
                ["Payback", months_text(kpis["payback_months"])],
                ["IRR", percent(kpis["irr"], 1)],
            ],
            align="lr",
        )
    )
    return "\n".join(out)


def _flat(prefix: str, value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(_flat(f"{prefix}.{k}" if prefix else str(k), v))
        return out
    return {prefix: value}


def _delta(base: Any, new: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"base": base, "new": new, "change": None, "change_fraction": None}
    if isinstance(base, int | float) and isinstance(new, int | float):
        row["change"] = new - base
        if base and math.isfinite(base):
            row["change_fraction"] = (new - base) / abs(base)
    return row


_KPI_LABELS = {
    "npv": "NPV",
    "roi": "ROI",
    "payback_months": "Payback",
    "pv_benefits": "PV benefits",
    "pv_costs": "PV costs",
}
_FIGURE_LABELS = {key: label for key, label, _ in _HEADLINE_FIGURES}
_FIGURE_UNITS = {k: kind for k, _, kind in _HEADLINE_FIGURES if kind not in ("money", "percent")}
_POINTS_FIGURES = ("roi", "conversion_lift", "conversion_rate")
"""Fractions whose change is told in percentage points, not as a relative change."""


def figure_label(key: str) -> str:
    """A readable name for a scenario figure of a breakdown document.

    >>> figure_label("revenue_per_100ms_per_quarter"), figure_label("spans_per_month")
    ('Each 100 ms is worth, per quarter', 'Spans per month')
    >>> figure_label("mttr_hours_saved_per_incident.sev1")
    'Mttr hours saved per incident (sev1)'
    """
    name, _, detail = key.partition(".")
    text = _FIGURE_LABELS.get(name) or name.replace("_", " ").capitalize()
    return f"{text} ({detail})" if detail else text


def _in_points(key: str) -> bool:
    return key.startswith(_POINTS_FIGURES)


def diff_document(base: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Figure-by-figure differences between two breakdown documents.

    Every row keeps its key (``option`` and ``kpi``, ``figure``, ``path``) and adds a readable
    ``label`` (and ``option_label``); a fraction's row (ROI, conversion lift, a fraction input)
    adds ``change_points``, its change in percentage points.
    """
    kpis = []
    base_opts = {o["key"]: o for o in base["options"]}
    new_opts = {o["key"]: o for o in new["options"]}
    for key in [*base_opts, *(k for k in new_opts if k not in base_opts)]:
        if key == "do-nothing":
            continue
        label = (new_opts.get(key) or base_opts.get(key) or {}).get("label", key)
        b = base_opts.get(key, {}).get("kpis", {})
        n = new_opts.get(key, {}).get("kpis", {})
        for kpi in ("npv", "roi", "payback_months", "pv_benefits", "pv_costs"):
            row = _delta(b.get(kpi), n.get(kpi))
            if row["base"] != row["new"]:
                if kpi == "roi":
                    row["change_points"] = _points(row["change"])
                kpis.append(
                    {"option": key, "option_label": label, "kpi": kpi, "label": _KPI_LABELS[kpi]}
                    | row
                )
    fb, fn = _flat("", base["figures"]), _flat("", new["figures"])
    figures = []
    for k in [*fb, *(k for k in fn if k not in fb)]:
        if fb.get(k) != fn.get(k):
            row = {"figure": k, "label": figure_label(k), **_delta(fb.get(k), fn.get(k))}
            if _in_points(k):
                row["change_points"] = _points(row["change"])
            figures.append(row)
    ab = {a["path"]: a for a in base["assumptions"]}
    an = {a["path"]: a for a in new["assumptions"]}
    assumptions = []
    for path in [*ab, *(p for p in an if p not in ab)]:
        b, n = ab.get(path), an.get(path)
        if (b and b["value"]) != (n and n["value"]) or b is None or n is None:
            unit = (n or b or {}).get("unit")
            row = {
                "path": path,
                "label": input_label(path, ""),
                **_delta(b and b["value"], n and n["value"]),
                "unit": unit,
                "source": (n or {}).get("source"),
            }
            if unit and unit.startswith("fraction"):
                row["change_points"] = _points(row["change"])
            assumptions.append(row)
    return {
        "schema_version": BREAKDOWN_SCHEMA_VERSION,
        "base": base["scenario"]["file"],
        "new": new["scenario"]["file"],
        "currency": new["scenario"]["currency"],
        "kpis": kpis,
        "figures": figures,
        "assumptions": assumptions,
    }


def _points(change: float | None) -> float | None:
    """A change of a fraction in percentage points (0.028 -> 2.8)."""
    return None if change is None else change * 100


def _change_text(row: dict[str, Any]) -> str:
    """A row's change for people: percentage points for fractions, else relative."""
    points = row.get("change_points")
    if points is not None:
        if abs(points) >= 0.1 or points == 0:
            return f"{points:+.1f} pp"
        return f"{points:+.{1 - math.floor(math.log10(abs(points)))}f} pp"  # two digits
    frac = row["change_fraction"]
    return "" if frac is None else f"{frac:+.1%}"


def diff_table(doc: dict[str, Any]) -> str:
    """A diff document as text: options, figures and assumptions by their labels; ROI and
    other fractions change in percentage points (pp), everything else relatively."""
    cur = doc["currency"]

    def show(kpi: str, v: Any) -> str:
        if v is None:
            return "n/a"
        if _in_points(kpi):
            return percent(v, 1)
        if kpi == "payback_months":
            return months_text(v)
        if kpi.startswith(("npv", "pv_", "revenue", "incident_cost", "exit_cost", "otel_opt")):
            return money(v, cur)
        if not isinstance(v, int | float):
            return str(v)
        unit = _FIGURE_UNITS.get(kpi, "")
        return ms_text(v) if unit == "ms" else amount(v, unit)

    def value(v: Any, unit: str | None) -> str:
        if not isinstance(v, int | float):
            return "n/a"
        return format_input(v, unit or "").replace(" count", "")

    out = [f"{doc['base']} -> {doc['new']}", ""]
    if not (doc["kpis"] or doc["figures"] or doc["assumptions"]):
        return out[0] + "\n  no differences"
    if doc["kpis"]:
        out.append(
            table(
                [
                    [
                        r.get("option_label", r["option"]),
                        r.get("label", r["kpi"]),
                        show(r["kpi"], r["base"]),
                        show(r["kpi"], r["new"]),
                        _change_text(r),
                    ]
                    for r in doc["kpis"]
                ],
                ["Option", "Figure", "Base", "New", "Change"],
                "llrrr",
            )
        )
        out.append("")
    if doc["figures"]:
        out.append(
            table(
                [
                    [
                        r.get("label", r["figure"]),
                        show(r["figure"], r["base"]),
                        show(r["figure"], r["new"]),
                        _change_text(r),
                    ]
                    for r in doc["figures"]
                ],
                ["Scenario figure", "Base", "New", "Change"],
                "lrrr",
            )
        )
        out.append("")
    if doc["assumptions"]:
        out.append(
            table(
                [
                    [
                        r.get("label", r["path"]),
                        value(r["base"], r["unit"]),
                        value(r["new"], r["unit"]),
                        _change_text(r),
                    ]
                    for r in doc["assumptions"]
                ],
                ["Assumption", "Base", "New", "Change"],
                "lrrr",
            )
        )
    return "\n".join(out).rstrip()


def format_input(value: float, unit: str) -> str:
    """An input value for people, the way the report writes it
    (:func:`roi.present.words.quantity_text`; the currency is read off the unit).

    >>> format_input(0.45, "fraction"), format_input(4000.0, "B"), format_input(0.783, "h")
    ('45 %', '4,000 B', '47 min')
    >>> format_input(0.1, "fraction/year"), format_input(3200, "ms"), format_input(1, "days/week")
    ('10 % per year', '3.2 s', '1 day a week')
    """
    head = unit[:3]
    currency = head if len(head) == 3 and head.isalpha() and head.isupper() else ""
    return quantity_text(value, unit, currency)


def format_kpi(value: float | None, kpi: str, currency: str) -> str:
    """A KPI value for people: money compact, ROI as a percentage, payback in months."""

    if kpi == "roi":
        return percent(value)
    if kpi == "payback_months":
        if value is None or not math.isfinite(value):
            return "never"
        return months_text(value)
    return compact_money(value, currency)


def _option_label(doc: dict[str, Any], key: str) -> str:
    """The label of option ``key`` in a document's ``options`` (the key itself if absent)."""
    if key == "do-nothing":
        return "Do nothing"
    return next((str(o["label"]) for o in doc["options"] if o["key"] == key), key)


def simulation_table(doc: dict[str, Any]) -> str:
    """The ``roi simulate`` document as a text report."""

    d = doc
    scenario = d["scenario"]
    cur = str(scenario["currency"])
    inputs = d["ranged_inputs"]
    options = d["options"]
    out = [
        str(scenario["name"]),
        f"  Monte Carlo: {d['samples']:,} samples, seed {d['seed']}, "
        f"{len(inputs)} ranged input{'s' if len(inputs) != 1 else ''}; risk-adjusted, {cur}",
        f"  Best option (point estimate, policy applied): {_option_label(d, d['best_option'])}",
        "  P10, P50, P90: the values 10 %, 50 %, 90 % of samples fall below; point: every "
        "input at its median",
        "",
    ]
    if not inputs:
        out += [
            "  No ranged inputs: every sample is the point estimate. Give uncertain assumptions "
            "as {low, high} ranges (see roi init).",
            "",
        ]
    names = {"npv": "NPV", "roi": "ROI", "payback_months": "Payback"}
    for o in options:
        out.append(f"== {o['label']} ({o['key']})")
        rows = []
        for kpi, name in names.items():
            stats = o["summary"][kpi]
            rows.append(
                [name]
                + [format_kpi(stats[k], kpi, cur) for k in ("p10", "p50", "p90")]
                + [
                    format_kpi(stats["mean"], kpi, cur) if stats["mean"] is not None else "n/a",
                    format_kpi(o["point"][kpi], kpi, cur),
                ]
            )
        out.append(table(rows, ["", "P10", "P50", "P90", "Mean", "Point"]))
        out.append(
            f"  P(NPV < 0): {o['prob_npv_negative'] * 100:.1f} %   "
            f"P(payback within 12 months): {o['prob_payback_within_12_months'] * 100:.1f} %"
        )
        out.append("")
    if inputs:
        out.append("Ranged inputs (P5 to P95, median; roi sensitivity ranks them)")
        rows = [
            [
                i["label"],
                f"{format_input(i['p5'], i['unit'])} to {format_input(i['p95'], i['unit'])}",
                format_input(i["median"], i["unit"]),
                i["distribution"],
                i["source"] or "",
            ]
            for i in inputs
        ]
        out.append(
            table(rows, ["Input", "90 % interval", "Median", "Distribution", "Source"], "lrrll")
        )
    return "\n".join(out).rstrip() + "\n"


# --- roi sensitivity ---------------------------------------------------------------------------

NO_RANGES = "  No ranged inputs: give uncertain assumptions as {low, high} ranges (see roi init)."

_METRIC_NAMES = {"npv": "NPV", "roi": "ROI", "payback_months": "Payback"}


def tornado_table(doc: dict[str, Any]) -> str:
    """The tornado document as a text report."""
    cur = doc["scenario"]["currency"]
    metric = doc["metric"]
    name = _METRIC_NAMES[metric]
    out = [
        doc["scenario"]["name"],
        f"  Tornado: {name} of {doc['option_label']} ({doc['option']}), "
        f"point estimate {format_kpi(doc['base'], metric, cur)}",
        "  Each input at its 5th and 95th percentile, every other input at its median; "
        "largest swing first",
        "",
    ]
    if not doc["rows"]:
        return "\n".join([*out, NO_RANGES]) + "\n"
    rows = []
    for r in doc["rows"]:
        swing = r["swing"]
        rows.append(
            [
                r["label"],
                format_input(r["low"], r["unit"]),
                format_input(r["high"], r["unit"]),
                format_kpi(r["metric_low"], metric, cur),
                format_kpi(r["metric_high"], metric, cur),
                "unbounded"
                if swing is None
                else (
                    f"{swing:.0f} month{'' if round(swing) == 1 else 's'}"
                    if metric == "payback_months"
                    else format_kpi(swing, metric, cur)
                ),
            ]
        )
    header = ["Input", "Low (P5)", "High (P95)", f"{name} at low", f"{name} at high", "Swing"]
    out.append(table(rows, header))
    return "\n".join(out) + "\n"


def sobol_table(doc: dict[str, Any]) -> str:
    """The Sobol document as a text report."""
    name = _METRIC_NAMES[doc["metric"]]
    out = [
        doc["scenario"]["name"],
        f"  Sobol indices: {name} of {doc['option_label']} ({doc['option']}); "
        f"N = {doc['samples']:,}, {doc['evaluations']:,} model runs",
        "  S1: share of the variance from the input alone; ST: with its interactions "
        "(± 95 % confidence)",
        "",
    ]
    rows = [
        [
            r["label"],
            f"{r['first_order']:.3f} ± {r['first_order_conf']:.3f}",
            f"{r['total_order']:.3f} ± {r['total_order_conf']:.3f}",
        ]
        for r in doc["rows"]
    ]
    out.append(table(rows, ["Input", "S1", "ST"]))
    if doc["censored_payback"]:
        out.append(
            f"  {doc['censored_payback']:,} runs never paid back: counted as horizon + 1 months"
        )
    return "\n".join(out) + "\n"


# --- roi breakeven ----------------------------------------------------------------------------


def flip_text(value: float | None, base: float, unit: str, percentile: float | None) -> str:
    """``40.8 % (+36 %, P72)``: the flip value, its change from the base and where it sits in
    the input's range; ``never`` when no value within the field's bounds gets there."""
    if value is None:
        return "never"
    change = ""
    if base != 0.0:
        ratio = value / base
        change = (
            f"{ratio:,.0f} x base, "
            if ratio > 10.0
            else f"{(value - base) / abs(base) * 100.0:+.0f} %, "
        )
    where = "" if percentile is None else percentile_text(percentile)
    return f"{format_input(value, unit)} ({change}{where})"


def percentile_text(p: float) -> str:
    """A percentile for people: P3, P72, P99.9 -- never a rounded P0 or P100.

    >>> [percentile_text(p) for p in (0.03, 0.724, 0.9991, 0.999999, 0.0, 0.004)]
    ['P3', 'P72', 'P99.9', 'beyond P99.99', 'below P0.01', 'P0.4']
    """
    x = p * 100.0
    if x < 0.01:
        return "below P0.01"
    if x > 99.99:
        return "beyond P99.99"
    if 1.0 <= x <= 99.0:
        return f"P{x:.0f}"
    digits = 1
    while round(x, digits) in (0.0, 100.0) or (round(x, digits) in (99.0, 1.0) and digits < 2):
        digits += 1
    return f"P{x:.{digits}f}".rstrip("0").rstrip(".")


def breakeven_table(doc: dict[str, Any]) -> str:
    """The ``roi breakeven`` document as a text report."""
    cur = doc["scenario"]["currency"]
    labels = {"do-nothing": "do nothing"}
    recommended = labels.get(doc["recommended"], doc["recommended"])
    out = [
        doc["scenario"]["name"],
        f"  What would flip the decision: {doc['option_label']} ({doc['option']}), NPV "
        f"{format_kpi(doc['base_npv'], 'npv', cur)} at the point estimate; recommended: "
        f"{recommended}",
        "  One input at a time, others at their median; (change from base, where the value sits "
        "in the input's own range)",
    ]
    if doc["evpi_total"] is not None:
        out.append(
            f"  EVPI: what knowing an input before deciding is worth ({doc['samples']:,} samples, "
            f"seed {doc['seed']}); all inputs at once: {format_kpi(doc['evpi_total'], 'npv', cur)}"
        )
    out.append("")
    if not doc["rows"]:
        return "\n".join([*out, NO_RANGES]) + "\n"
    rows = []
    for r in doc["rows"]:
        to = r["option_changes_to"]
        change = flip_text(
            r["option_changes_at"], r["base"], r["unit"], r["option_change_percentile"]
        )
        rows.append(
            [
                r["label"],
                format_input(r["base"], r["unit"]),
                flip_text(r["npv_zero_at"], r["base"], r["unit"], r["percentile_in_range"]),
                change if to is None else f"{change} -> {labels.get(to, to)}",
                "n/a" if r["evpi"] is None else format_kpi(r["evpi"], "npv", cur),
            ]
        )
    header = ["Input", "Base", "NPV = 0 at", "Recommendation changes at", "EVPI"]
    out.append(table(rows, header, "lrrrr"))
    return "\n".join(out) + "\n"
