"""Presentation helpers for the notebooks: HTML blocks, figures for tables and charts, saved
charts and the ``summary.json`` the batch index reads.

The notebooks present; the package computes. Every function here turns an
:class:`roi.model.Evaluation` (and optionally a Monte Carlo simulation) into something a person
outside engineering reads: HTML tiles and tables styled by one small embedded style sheet (no
external resources), with every piece of text from a scenario file HTML-escaped. Sweeps that a
report shows (MTTR break-even, spans per request, elasticity presets, traffic) are single
vectorised calls of :func:`roi.model.evaluate`.

Matplotlib is not imported here; charts are built by :mod:`roi.present.charts.business` and saved by
:func:`save_chart`.

Examples
--------
>>> esc('<script>alert("x")</script> & co')
'&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co'
>>> quantity_text(0.45, "fraction", "USD")
'45 %'
>>> quantity_text(15000, "USD/h", "USD")
'$15,000/h'
>>> readable_path("incidents.severities.sev1.mttr_hours_before")
'Incidents › Sev-1 MTTR before'
"""

from __future__ import annotations

import base64
import html
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from roi.analysis.decision import (
    TRAFFIC_MULTIPLES,
    best_option,
    decision_aid,
    readiness,
    real_options,
    run_rate_cost,
)
from roi.inputs.parameters import parameters
from roi.inputs.presets import DRIVER_UNITS, ELASTICITY, VENDORS
from roi.inputs.references import REFERENCES, cite
from roi.inputs.schema import Quantity, Scenario
from roi.model import Evaluation, LineItem, OptionResult, evaluate, finance
from roi.present.formatting import (
    compact_money,
    horizon_text,
    money,
    months_text,
    number,
    percent,
)
from roi.report.files import write_bytes_atomic

SUMMARY_SCHEMA_VERSION = 1
SUMMARY_FILE = "summary.json"
CHARTS_DIR = "charts"
CHART_DPI = 200
HOURS_PER_FTE_MONTH = 40 * 52 / 12
"""[h/month] One full-time engineer: 40 h a week, 52 weeks a year."""

_CHART_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
"""The repository's ``notebooks/`` folder (exists in a source checkout)."""


# --------------------------------------------------------------------------------------------
# HTML building blocks
# --------------------------------------------------------------------------------------------


class Html(str):
    """A string of trusted HTML that Jupyter displays as HTML (``_repr_html_``)."""

    def _repr_html_(self) -> str:
        return str(self)


def esc(text: object) -> str:
    """``text`` HTML-escaped (``<``, ``>``, ``&``, both quotes): safe anywhere in HTML."""
    return html.escape(str(text), quote=True)


def block(*parts: str, cls: str = "") -> Html:
    """Parts wrapped in the report's container ``<div class="roi ...">``."""
    return Html(f'<div class="{f"roi {cls}".strip()}">' + "".join(parts) + "</div>")


CSS = """
.roi{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;
 color:#222;line-height:1.45;font-size:15px;max-width:62rem}
.roi h1{font-size:1.9rem;margin:.2rem 0 .3rem}
.roi h2{font-size:1.35rem;margin:1.6rem 0 .4rem;border-bottom:2px solid #0072B2;
 padding-bottom:.15rem}
.roi h3{font-size:1.1rem;margin:1rem 0 .3rem}
.roi p{margin:.35rem 0}
.roi .roi-synopsis{font-size:1.15rem;color:#333}
.roi .roi-muted{color:#666;font-size:.88rem}
.roi .roi-tiles{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:.7rem;margin:.8rem 0}
.roi .roi-tile{border:1px solid #d9d9d9;border-top:4px solid #0072B2;border-radius:6px;
 padding:.6rem .8rem;background:#fafafa;break-inside:avoid}
.roi .roi-tile .roi-label{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:#555}
.roi .roi-tile .roi-value{font-size:1.75rem;font-weight:700;color:#111;line-height:1.2}
.roi .roi-tile .roi-range{font-size:.82rem;color:#555}
.roi table.roi-table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem;width:100%}
.roi table.roi-table th,.roi table.roi-table td{padding:.3rem .55rem;
 border-bottom:1px solid #e3e3e3;vertical-align:top;text-align:left}
.roi table.roi-table th{background:#f2f2f2;font-weight:600;border-bottom:2px solid #bbb}
.roi table.roi-table td.roi-num,.roi table.roi-table th.roi-num{text-align:right;
 font-variant-numeric:tabular-nums}
.roi table.roi-table td.roi-num{white-space:nowrap}
.roi table.roi-table tr.roi-total td{font-weight:700;border-top:2px solid #999}
.roi table.roi-table td{overflow-wrap:anywhere}
.roi table.roi-appendix{table-layout:fixed;font-size:.76rem}
.roi table.roi-appendix code{font-size:.68rem;color:#777}
.roi table.roi-appendix td.roi-num{white-space:normal}
.roi table.roi-table tr.roi-best td{background:#eef6fb}
.roi .roi-gaps{border-left:6px solid #D55E00;background:#fdf1e9;padding:.6rem 1rem;margin:.6rem 0}
.roi .roi-gaps strong.roi-alert{color:#A84300;font-size:1.1rem}
.roi .roi-ok{border-left:6px solid #009E73;background:#ecf7f3;padding:.6rem 1rem;margin:.6rem 0}
.roi .roi-note{border-left:4px solid #999;background:#f6f6f6;padding:.5rem .9rem;margin:.6rem 0}
.roi ul.roi-checks{list-style:none;padding-left:.2rem}
.roi ul.roi-checks li{margin:.2rem 0}
.roi .roi-yes{color:#007A5A;font-weight:700}
.roi .roi-no{color:#B84A00;font-weight:700}
.roi .roi-ask{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:.7rem;margin:.6rem 0}
.roi .roi-ask div{border:1px solid #d9d9d9;border-radius:6px;padding:.5rem .8rem}
.roi figure{margin:.6rem 0 1.2rem}
.roi figure img{max-width:100%;width:50rem;height:auto}
.roi .roi-refs li{margin:.2rem 0;font-size:.88rem}
@media print{.roi{max-width:none;font-size:12px}.roi h2{break-after:avoid}
 .roi figure,.roi .roi-tiles,.roi .roi-ask,.roi tr{break-inside:avoid}}
"""


def stylesheet() -> Html:
    """The report's embedded style sheet (no external fonts, scripts or images)."""
    return Html(f"<style>{CSS}</style>")


def heading(text: str, level: int = 2) -> Html:
    """A section heading in the report style; ``text`` is escaped."""
    return block(f"<h{level}>{esc(text)}</h{level}>")


def paragraph(text: str, muted: bool = False) -> Html:
    """A paragraph of plain (escaped) text."""
    cls = ' class="roi-muted"' if muted else ""
    return block(f"<p{cls}>{esc(text)}</p>")


def note(text: str) -> Html:
    """A grey call-out with plain (escaped) text: what does not apply, what is missing."""
    return block(f'<div class="roi-note">{esc(text)}</div>')


def html_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[bool] | None = None,
    row_classes: Sequence[str] | None = None,
    widths: Sequence[int] | None = None,
    cls: str = "",
) -> Html:
    """A table of already-escaped cells; ``numeric`` right-aligns columns, ``widths`` sets
    column widths in percent."""
    numeric = numeric or [False] * len(header)
    cell = ['class="roi-num"' if n else "" for n in numeric]
    head = "".join(f"<th {c}>{h}</th>" for h, c in zip(header, cell, strict=True))
    body = []
    for k, row in enumerate(rows):
        rc = row_classes[k] if row_classes else ""
        rc_attr = f' class="{rc}"' if rc else ""
        body.append(
            f"<tr{rc_attr}>"
            + "".join(f"<td {c}>{v}</td>" for v, c in zip(row, cell, strict=True))
            + "</tr>"
        )
    cols = (
        "<colgroup>" + "".join(f'<col style="width:{w}%">' for w in widths) + "</colgroup>"
        if widths
        else ""
    )
    return Html(
        f'<table class="roi-table {cls}">{cols}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


# --------------------------------------------------------------------------------------------
# Numbers and words
# --------------------------------------------------------------------------------------------


def _f(x: Any) -> float:
    """A plain float of a scalar or 0-d array."""
    return float(np.asarray(x, dtype=float))


def _num(x: Any) -> float | None:
    """A JSON number: None for NaN and infinities."""
    if x is None:
        return None
    v = _f(x)
    return v if math.isfinite(v) else None


def _pct(fraction: float) -> str:
    """A fraction as a percentage with up to three significant digits: 0.2035 -> 20.4 %."""
    if not math.isfinite(fraction):
        return "n/a"
    v = fraction * 100
    if v == round(v) and abs(v) < 1e4:
        return f"{v:,.0f} %"
    return f"{v:.3g} %"


def quantity_text(value: float, unit: str | None, currency: str) -> str:
    """A number with its unit for people: fractions as percent, money with its currency."""
    if unit is None or unit in ("", "count", "ratio"):
        return number(value) + ("x" if unit == "ratio" else "")
    if unit == "fraction":
        return _pct(value)
    if unit in ("fraction/month", "fraction/year"):
        return f"{_pct(value)} per {unit.split('/')[1]}"
    if unit == currency:
        return money(value, currency)
    if unit.startswith(currency + "/"):
        return money(value, currency) + unit[len(currency) :]
    return f"{number(value)} {unit}"


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


def readable_path(path: str, scenario: Scenario | None = None) -> str:
    """A parameter path in words: its section, then the assumption's name.

    ``self_run.retention_days`` -> ``Self-run stack › Trace retention``; names come from
    :func:`roi.inputs.labels.input_label`, so the appendix and the tornado use the same words.
    """
    from roi.inputs.labels import input_label

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
        return f"{q.dist} {v(q.low)} to {v(q.high)}, most likely {v(q.mode)}"
    if q.dist == "uniform":
        return f"uniform {v(q.low)} to {v(q.high)}"
    return f"{v(q.low)} to {v(q.high)} (90 % interval, {q.dist})"


def _years(evaluation: Evaluation) -> int:
    horizon = int(evaluation.months[-1])
    return max(1, -(-horizon // 12))


def _horizon_text(evaluation: Evaluation) -> str:
    return horizon_text(int(evaluation.months[-1]))


# --------------------------------------------------------------------------------------------
# Figures computed from an evaluation (for tables and charts)
# --------------------------------------------------------------------------------------------


def _risk_factor(option: OptionResult, category: str) -> float:
    """Risk-adjusted over unadjusted totals of one category (TEI risk adjustment applied)."""
    raw = sum(_f(line.total) for line in option.lines if line.category == category)
    adjusted = _f((option.benefits if category == "benefit" else option.costs).sum())
    if raw == 0:
        return 1.0
    return adjusted / raw


def line_present_value(evaluation: Evaluation, option: OptionResult, line: LineItem) -> float:
    """Risk-adjusted present value of one line item [currency] (point evaluation)."""
    rate = option.figures["discount_rate"]
    pv = finance.present_value(rate, line.series, evaluation.scenario.finance.discounting)
    return _f(pv) * _risk_factor(option, line.category)


def non_baseline(evaluation: Evaluation) -> list[OptionResult]:
    """Every option but the do-nothing baseline, in evaluation order."""
    return [evaluation.options[k] for k in real_options(evaluation)]


def traffic_grows(scenario: Scenario) -> bool:
    """True when the scenario's traffic grows (or shrinks) over the horizon."""
    return parameters(scenario)["timeline.traffic_growth_per_month"].value != 0


def compares_stacks(evaluation: Evaluation) -> bool:
    """True when the scenario has both a self-run stack and at least one managed vendor."""
    kinds = {o.kind for o in evaluation.options.values()}
    return {"self_run", "managed"} <= kinds


def stacks_note(evaluation: Evaluation) -> Html:
    """Why there is no self-run against managed comparison in this scenario."""
    s = evaluation.scenario
    if "self-run" not in evaluation.options:
        return note("Only managed vendors are evaluated (the self-run stack is switched off).")
    if s.decision.no_saas_policy:
        return note(
            "Only the self-run stack is evaluated: a no-SaaS / data-sovereignty policy rules out "
            "managed vendors, so there is no crossover to show."
        )
    return note("No managed vendor is listed, so only the self-run stack is evaluated.")


def incident_source_note(scenario: Scenario) -> Html:
    """Where the incident numbers come from (an export import is a later feature)."""
    return note(
        "No incident export given (PagerDuty or Opsgenie CSV); incident counts and resolution "
        "times are the numbers in the scenario file, with the sources listed in its appendix."
    )


@dataclass(frozen=True)
class Ask:
    """What the recommended option asks for."""

    one_off: float
    """[currency] One-off investment, before risk adjustment."""
    one_off_risk_adjusted: float
    run_per_year: float
    """[currency/year] Recurring cost at today's volumes and full adoption."""
    run_per_year_risk_adjusted: float
    engineering_hours_one_off: float
    """[person-h] One-off engineering time (contingency included)."""
    engineering_hours_per_month: float
    """[person-h/month] Ongoing engineering time."""
    cost_risk: float
    migration: float = 0.0
    """[currency] A migration the scenario schedules later (not part of the ask)."""


MIGRATION_LINE = "cost.migration"


def the_ask_figures(evaluation: Evaluation, option_key: str) -> Ask:
    """One-off investment, yearly run cost and engineering time of one option.

    A migration the scenario schedules later is a future one-off cost, not part of the ask; it
    is returned separately.
    """
    option = evaluation.options[option_key]
    costs = [line for line in option.lines if line.category == "cost"]
    migration = sum(_f(line.run_rate) for line in costs if line.key == MIGRATION_LINE)
    costs = [line for line in costs if line.key != MIGRATION_LINE]
    one_off = sum(_f(line.run_rate) for line in costs if line.one_off)
    run = sum(_f(line.run_rate) for line in costs if not line.one_off) * 12
    hours_once = sum(
        _f(line.driver)
        for line in costs
        if line.one_off and line.driver_unit.startswith("person-h")
    )
    hours_month = sum(
        _f(line.driver)
        for line in costs
        if not line.one_off and line.driver_unit.startswith("person-h/month")
    )
    risk = _f(parameters(evaluation.scenario)["finance.cost_risk"].value)
    return Ask(
        one_off,
        one_off * (1 + risk),
        run,
        run * (1 + risk),
        hours_once,
        hours_month,
        risk,
        migration,
    )


def _percentiles(sim_option: Any, kpi: str) -> tuple[float, float, float]:
    """P10, P50 and P90 of one KPI from ``OptionSimulation.summary()`` (a payback that is never
    reached counts as +inf)."""
    row = sim_option.summary()[kpi]
    return (float(row["p10"]), float(row["p50"]), float(row["p90"]))


class SimulationLike(Protocol):
    """What this module reads of a :class:`roi.analysis.montecarlo.Simulation`: ``options`` maps
    option
    keys (not the do-nothing baseline) to objects with ``kpis``, ``summary()``,
    ``prob_npv_negative`` and ``prob_payback_within_12_months``."""

    options: Mapping[str, Any]


def _sim_option(simulation: SimulationLike | None, key: str) -> Any:
    if simulation is None:
        return None
    return simulation.options.get(key)


# --------------------------------------------------------------------------------------------
# Report sections
# --------------------------------------------------------------------------------------------


def title(
    evaluation: Evaluation, simulation: SimulationLike | None = None, kicker: str = ""
) -> Html:
    """Style sheet, title, the scenario's description and a one-sentence synopsis."""
    s = evaluation.scenario
    key = best_option(evaluation)
    option = evaluation.options[key]
    cur = s.currency
    k = option.kpis
    sim = _sim_option(simulation, key)
    loss = ""
    if sim is not None and option.kind != "baseline":
        loss = f"; chance of a loss {_pct(_f(sim.prob_npv_negative))}"
    npv, roi_, payback = _f(k["npv"]), _f(k["roi"]), _f(k["payback_months"])
    horizon = _horizon_text(evaluation)
    if option.kind == "baseline":
        synopsis = (
            "No tracing option is allowed under this scenario's policy: nothing is recommended "
            "until the gaps below are fixed."
        )
    elif npv < 0:
        synopsis = (
            f"Under these assumptions the best option allowed, {option.label}, does not pay for "
            f"itself: a net present value of {compact_money(npv, cur)} over {horizon} "
            f"(ROI {percent(roi_)}), risk-adjusted{loss}."
        )
    else:
        when = (
            f"pays back in {months_text(payback)}"
            if math.isfinite(payback)
            else "does not pay back within the horizon"
        )
        synopsis = (
            f"Recommended: {option.label}. Over {horizon} it returns a net present value of "
            f"{compact_money(npv, cur)} (ROI {percent(roi_)}) and {when}, risk-adjusted{loss}."
        )
    h = kicker or "The business case for distributed tracing"
    return Html(
        stylesheet()
        + block(
            f'<p class="roi-muted">{esc(h)}</p>',
            f"<h1>{esc(s.name)}</h1>",
            f'<p class="roi-synopsis">{esc(synopsis)}</p>',
            f'<p class="roi-muted">{esc(s.description)}</p>',
        )
    )


def _tile(label: str, value: str, range_text: str) -> str:
    return (
        f'<div class="roi-tile"><div class="roi-label">{esc(label)}</div>'
        f'<div class="roi-value">{esc(value)}</div>'
        f'<div class="roi-range">{esc(range_text)}</div></div>'
    )


def headline_tiles(
    evaluation: Evaluation, option_key: str | None = None, simulation: SimulationLike | None = None
) -> Html:
    """ROI, NPV, payback and PV of benefits of one option, each with its P10-P90 range."""
    key = option_key or best_option(evaluation)
    option = evaluation.options[key]
    cur = evaluation.scenario.currency
    k = option.kpis
    sim = _sim_option(simulation, key)

    def rng(kpi: str, fmt: Any) -> str:
        if sim is None:
            return "point estimate (no simulation)"
        p10, _, p90 = _percentiles(sim, kpi)
        low, high = fmt(p10), fmt(p90)
        return f"P10 and P90: {low}" if low == high else f"P10–P90: {low} to {high}"

    horizon = int(evaluation.months[-1])

    def payback_fmt(v: float) -> str:
        return months_text(v) if math.isfinite(v) else f"> {horizon} months"

    def cm(v: float) -> str:
        return compact_money(v, cur)

    tiles = [
        _tile("ROI (risk-adjusted)", percent(_f(k["roi"])), rng("roi", percent)),
        _tile("Net present value", cm(_f(k["npv"])), rng("npv", cm)),
        _tile("Payback", payback_fmt(_f(k["payback_months"])), rng("payback_months", payback_fmt)),
        _tile("PV of benefits", cm(_f(k["pv_benefits"])), rng("pv_benefits", cm)),
    ]
    caption = f"{option.label}, {_horizon_text(evaluation)}, risk-adjusted"
    if sim is not None:
        n = np.asarray(sim.kpis["npv"]).size
        caption += f"; ranges from {n:,} simulated scenarios"
    return block(
        f'<div class="roi-tiles">{"".join(tiles)}</div>',
        f'<p class="roi-muted">{esc(caption)}</p>',
    )


def options_table(evaluation: Evaluation, simulation: SimulationLike | None = None) -> Html:
    """All options side by side: NPV with its range, ROI, payback, PV benefits and costs."""
    cur = evaluation.scenario.currency
    best = best_option(evaluation)
    rows, classes = [], []
    for option in non_baseline(evaluation):
        k = option.kpis
        sim = _sim_option(simulation, option.key)
        if sim is not None:
            p10, _, p90 = _percentiles(sim, "npv")
            npv_range = f"{compact_money(p10, cur)} to {compact_money(p90, cur)}"
            loss = _pct(_f(sim.prob_npv_negative))
        else:
            npv_range, loss = "n/a", "n/a"
        name = esc(option.label) + (" <strong>(recommended)</strong>" if option.key == best else "")
        rows.append(
            [
                name,
                esc(compact_money(_f(k["npv"]), cur)),
                esc(npv_range),
                esc(percent(_f(k["roi"]))),
                esc(months_text(_f(k["payback_months"]))),
                esc(compact_money(_f(k["pv_benefits"]), cur)),
                esc(compact_money(_f(k["pv_costs"]), cur)),
                esc(loss),
            ]
        )
        classes.append("roi-best" if option.key == best else "")
    table = html_table(
        [
            "Option",
            "NPV",
            "NPV P10 to P90",
            "ROI",
            "Payback",
            "PV benefits",
            "PV costs",
            "Chance of loss",
        ],
        rows,
        [False, True, True, True, True, True, True, True],
        classes,
    )
    return block("<h3>All options compared</h3>", table)


def north_star_and_ask(evaluation: Evaluation, option_key: str | None = None) -> Html:
    """The north-star KPI and what is asked for: investment, run cost, engineering time."""
    s = evaluation.scenario
    cur = s.currency
    key = option_key or best_option(evaluation)
    option = evaluation.options[key]
    parts = [
        "<h2>North-star KPI and the ask</h2>",
        f"<p><strong>North-star KPI:</strong> {esc(s.kpis.north_star_kpi)}</p>",
    ]
    if s.kpis.nps_change is not None:
        parts.append(
            f'<p class="roi-muted">Expected NPS change: {esc(number(s.kpis.nps_change.value))} '
            "points (shown, never added to the money).</p>"
        )
    if option.kind == "baseline":
        parts.append("<p>No tracing option is recommended, so nothing is asked for yet.</p>")
        return block(*parts)
    ask = the_ask_figures(evaluation, key)
    fte = ask.engineering_hours_per_month / HOURS_PER_FTE_MONTH
    risk = _pct(ask.cost_risk)
    parts.append(
        '<div class="roi-ask">'
        f"<div><strong>{esc(compact_money(ask.one_off, cur))}</strong> one-off<br>"
        f'<span class="roi-muted">{esc(money(ask.one_off_risk_adjusted, cur))} with the '
        f"{esc(risk)} cost-risk allowance</span></div>"
        f"<div><strong>{esc(compact_money(ask.run_per_year, cur))}</strong> a year to run<br>"
        '<span class="roi-muted">at today&#x27;s traffic; '
        f"{esc(money(ask.run_per_year_risk_adjusted, cur))} with the risk allowance</span></div>"
        f"<div><strong>{esc(number(ask.engineering_hours_one_off))} engineer-hours</strong> "
        'to roll out<br><span class="roi-muted">then '
        f"{esc(number(ask.engineering_hours_per_month))} h a month "
        f"(about {fte:.2f} of an engineer)</span></div>"
        "</div>"
    )
    later = (
        f" A migration away from the vendor, scheduled in month {s.lock_in.migration_month}, "
        f"would cost a further {money(ask.migration, cur)}."
        if ask.migration
        else ""
    )
    parts.append(
        f'<p class="roi-muted">For {esc(option.label)}. Engineering time is included in the '
        "money above at the loaded hourly rate; contingency is included in the hours."
        f"{esc(later)}</p>"
    )
    return block(*parts)


def readiness_checklist(scenario: Scenario) -> Html:
    """The article's five pre-flight boxes; unchecked boxes shown as gaps to fix first."""
    boxes = readiness(scenario)
    gaps = [b for b in boxes if not b.checked]
    items = []
    for b in boxes:
        mark = (
            '<span class="roi-yes">☑ yes</span>'
            if b.checked
            else '<span class="roi-no">☐ no</span>'
        )
        items.append(f"<li>{mark} {esc(b.text)}</li>")
    services = scenario.readiness.critical_services
    svc = (
        f'<p class="roi-muted">Critical services named: {esc(", ".join(services))}.</p>'
        if services
        else '<p class="roi-muted">No critical services named yet.</p>'
    )
    if gaps:
        box = (
            '<div class="roi-gaps"><strong class="roi-alert">Fix these gaps first</strong>'
            f"<p>{len(gaps)} of {len(boxes)} pre-flight boxes are unchecked. The article's rule: "
            "if you can't check all five boxes, stop and fix them before asking for budget.</p><ul>"
            + "".join(f"<li>{esc(b.text)}</li>" for b in gaps)
            + "</ul></div>"
        )
    else:
        box = '<div class="roi-ok"><strong>All five pre-flight boxes are checked.</strong></div>'
    return block("<h2>Readiness</h2>", box, f'<ul class="roi-checks">{"".join(items)}</ul>', svc)


def _elasticity_text(scenario: Scenario) -> str:
    lat = scenario.latency
    if lat is None:
        return ""
    q = parameters(scenario)["latency.conversion_lift_per_100ms"]
    lo = min(e.conversion_lift_per_100ms for e in ELASTICITY.values())
    hi = max(e.conversion_lift_per_100ms for e in ELASTICITY.values())
    spread = (
        f"Published elasticities span {hi / lo:.0f}x ({_pct(lo)} to {_pct(hi)} per 100 ms); "
        "choose the one measured closest to your own journey."
    )
    if lat.conversion_lift_per_100ms is None:
        e = ELASTICITY[lat.elasticity_preset]
        return (
            f"Elasticity preset '{e.key}': {_pct(e.conversion_lift_per_100ms)} more conversions "
            f"per 100 ms ({e.what}). Source: {source_text(e.source)}. {spread}"
        )
    return (
        f"Elasticity given in the scenario: {_pct(q.value)} per 100 ms. "
        f"Source: {source_text(q.source)}. {spread}"
    )


def _benefit_story(scenario: Scenario, line: LineItem) -> str:
    """How the driver and the unit value of a benefit line come about, in words."""
    p = parameters(scenario)
    cur = scenario.currency
    if line.key.startswith("benefit.mttr_"):
        sev = line.key.rsplit(".", 1)[1]
        sv = scenario.incidents.severities[sev]
        before = sv.mttr_hours_before.value
        after = sv.mttr_hours_after_value
        inc = sv.incidents_per_month.value
        if line.key.startswith("benefit.mttr_revenue"):
            impact = sv.revenue_impact_fraction.value
            margin = p["business.margin"].value
            return (
                f"{number(inc)} {sev} incidents a month, each resolved in {number(after)} h "
                f"instead of {number(before)} h; an hour of {sev} costs "
                f"{money(p['business.revenue_per_hour'].value, cur)} of revenue × "
                f"{_pct(impact)} impact × {_pct(margin)} margin."
            )
        return (
            f"{number(sv.responders.value)} responders on each {sev} incident, "
            f"{number(before - after)} h sooner free, at the loaded rate of "
            f"{money(p['business.loaded_hourly_rate'].value, cur)} per hour."
        )
    if line.key == "benefit.conversion" and scenario.latency is not None:
        lat = scenario.latency
        return (
            f"{lat.percentile} {lat.journey} latency {number(lat.latency_ms_before.value)} ms → "
            f"{number(lat.latency_ms_after.value)} ms; conversion lift "
            f"{_pct(p['latency.conversion_lift_per_100ms'].value)} per 100 ms (capped at "
            f"{_pct(p['latency.max_conversion_lift'].value)}), "
            f"{_pct(p['latency.latency_attribution_fraction'].value)} of it credited to tracing, "
            f"on {money(lat.revenue_through_path_per_year.value, cur)} a year through "
            f"{lat.journey} × {_pct(p['business.margin'].value)} margin. "
            + _elasticity_text(scenario)
        )
    return ""


def _driver_text(line: LineItem, currency: str) -> str:
    return f"{number(_f(line.driver))} {line.driver_unit}"


def _unit_value_text(line: LineItem, currency: str) -> str:
    unit = line.unit_value_unit
    if unit.startswith(currency):
        return money(_f(line.unit_value), currency) + unit[len(currency) :]
    return f"{number(_f(line.unit_value))} {unit}"


def benefit_rows(evaluation: Evaluation, option_key: str) -> list[tuple[LineItem, float]]:
    """Benefit lines of one option with their risk-adjusted PV, largest first."""
    option = evaluation.options[option_key]
    rows = [
        (line, line_present_value(evaluation, option, line))
        for line in option.lines
        if line.category == "benefit"
    ]
    return sorted(rows, key=lambda r: -r[1])


def benefits_explained(evaluation: Evaluation, option_key: str | None = None) -> Html:
    """Each benefit as driver × unit value = value, with how the numbers come about."""
    key = option_key or best_option(evaluation)
    cur = evaluation.scenario.currency
    rows = []
    zero = []
    for line, pv in benefit_rows(evaluation, key):
        if _f(line.run_rate) == 0:
            zero.append(line.label)
            continue
        rows.append(
            [
                f"<strong>{esc(line.label)}</strong><br>"
                f'<span class="roi-muted">{esc(_benefit_story(evaluation.scenario, line))}</span>',
                esc(_driver_text(line, cur)),
                esc(_unit_value_text(line, cur)),
                esc(money(_f(line.run_rate) * 12, cur)),
                esc(compact_money(pv, cur)),
            ]
        )
    parts: list[str] = [
        html_table(
            ["Benefit", "Driver", "× Unit value", "= Value a year", "PV (risk-adjusted)"],
            rows,
            # Driver and unit value are phrases that may wrap; fixed widths keep the benefit
            # column readable in print.
            [False, False, False, True, True],
            widths=[38, 19, 19, 12, 12],
        )
    ]
    if zero:
        parts.append(
            '<p class="roi-muted">Worth nothing under these assumptions: '
            f"{esc('; '.join(zero))}.</p>"
        )
    parts.append(
        '<p class="roi-muted">Values a year are at full adoption and today\'s volumes, before the '
        "TEI risk adjustment; the present values are over the whole horizon, ramp-up, growth and "
        "risk adjustment included.</p>"
    )
    return block(*parts)


def costs_explained(evaluation: Evaluation, option_key: str | None = None) -> Html:
    """Cost lines of one option by group: driver × unit value, one-off or recurring."""
    key = option_key or best_option(evaluation)
    option = evaluation.options[key]
    cur = evaluation.scenario.currency
    rows, classes = [], []
    groups: dict[str, list[LineItem]] = {}
    for line in option.lines:
        if line.category == "cost":
            groups.setdefault(line.group, []).append(line)
    for group, lines in groups.items():
        rows.append([f"<strong>{esc(group)}</strong>", "", "", "", "", ""])
        classes.append("")
        for line in lines:
            rate = _f(line.run_rate)
            rows.append(
                [
                    "&nbsp;&nbsp;" + esc(line.label),
                    esc(f"{_driver_text(line, cur)} × {_unit_value_text(line, cur)}"),
                    esc(money(rate, cur)) if line.one_off else "",
                    "" if line.one_off else esc(money(rate, cur)),
                    "" if line.one_off else esc(money(rate * 12, cur)),
                    esc(money(_f(line.total), cur)),
                ]
            )
            classes.append("")
    total_once = sum(_f(li.run_rate) for li in option.lines if li.category == "cost" and li.one_off)
    total_month = sum(
        _f(li.run_rate) for li in option.lines if li.category == "cost" and not li.one_off
    )
    total = sum(_f(li.total) for li in option.lines if li.category == "cost")
    rows.append(
        [
            "Total",
            "",
            esc(money(total_once, cur)),
            esc(money(total_month, cur)),
            esc(money(total_month * 12, cur)),
            esc(money(total, cur)),
        ]
    )
    classes.append("roi-total")
    table = html_table(
        [
            "Cost",
            "Driver × unit price",
            "One-off",
            "Monthly",
            "A year",
            f"{int(evaluation.months[-1])}-month total",
        ],
        rows,
        [False, False, True, True, True, True],
        classes,
    )
    return block(
        f"<h3>Costs of {esc(option.label)}</h3>",
        table,
        '<p class="roi-muted">Monthly and yearly figures at today\'s volumes after rollout; the '
        "horizon total includes growth and the rollout ramp; all before the TEI cost-risk "
        "adjustment.</p>",
    )


def decision_checklist(evaluation: Evaluation) -> Html:
    """The article's criteria, the scenario's answers and which side each favours."""
    aid = decision_aid(evaluation)
    rows = []
    for c in aid.criteria:
        answer = {True: "Yes", False: "No", None: "Unknown"}[c.answer]
        rows.append([esc(c.question), esc(answer), esc(c.favours or "neither")])
    table = html_table(["Question", "Answer", "Favours"], rows)
    cur = evaluation.scenario.currency
    crossings = []
    for x in aid.crossovers:
        vendor = evaluation.options[x.vendor].label
        when = (
            f"from month {x.month:.0f}"
            if math.isfinite(x.month) and x.month > 0
            else "from the start"
            if x.month == 0
            else f"not within {int(evaluation.months[-1])} months"
        )
        traffic = (
            f"its monthly run rate is lower from {x.traffic_multiple:.2g}× today's traffic "
            f"({number(x.requests_per_month)} requests a month)"
            if math.isfinite(x.traffic_multiple)
            else "its run rate stays higher at every traffic level searched (up to 1000×)"
        )
        crossings.append(
            f"<li>Against {esc(vendor)}: self-run is cheaper in cumulative cost {esc(when)}; "
            f"{esc(traffic)}.</li>"
        )
    cross = f"<ul>{''.join(crossings)}</ul>" if crossings else ""
    del cur
    return block(
        "<h2>Decision checklist: self-run or managed</h2>",
        f"<p>{esc(aid.recommendation)}</p>",
        table,
        cross,
    )


def uncertainty_text(
    evaluation: Evaluation, simulation: SimulationLike, option_key: str | None = None
) -> Html:
    """P10/P50/P90 of NPV, the chance of a loss and of payback within 12 months."""
    key = option_key or best_option(evaluation)
    sim = _sim_option(simulation, key)
    cur = evaluation.scenario.currency
    if sim is None:
        return note("No simulation of this option.")
    p10, p50, p90 = _percentiles(sim, "npv")
    n = np.asarray(sim.kpis["npv"]).size
    spread = p90 - p10
    parts = [
        f"<p>Across {n:,} simulated scenarios, the NPV of {esc(evaluation.options[key].label)} "
        f"is {esc(compact_money(p10, cur))} at P10, {esc(compact_money(p50, cur))} at P50 and "
        f"{esc(compact_money(p90, cur))} at P90. Chance of a loss (NPV below zero): "
        f"<strong>{esc(_pct(_f(sim.prob_npv_negative)))}</strong>. Chance of paying back within "
        f"12 months: <strong>{esc(_pct(_f(sim.prob_payback_within_12_months)))}</strong>.</p>"
    ]
    ranged = ranged_inputs(evaluation.scenario)
    if not ranged:
        parts.append(
            '<div class="roi-note">Every assumption is a single value, so the simulation has no '
            "spread. Give the uncertain ones as ranges (<code>{low, high}</code>, a 90 % "
            "interval) to see how sure the case is.</div>"
        )
    elif spread == 0:
        parts.append(
            '<div class="roi-note">None of the ranged assumptions moves this option\'s NPV, so '
            "its simulation has no spread.</div>"
        )
    else:
        parts.append(
            f'<p class="roi-muted">{len(ranged)} assumptions are ranges: '
            f"{esc('; '.join(readable_path(p, evaluation.scenario) for p in ranged))}.</p>"
        )
    return block(*parts)


def ranged_inputs(scenario: Scenario) -> list[str]:
    """Paths of the assumptions given as a range (zero-width ranges left out)."""
    from roi.analysis.sampling import ranged_inputs as ranged

    return [i.path for i in ranged(scenario)]


def tornado_text(tornado: Any, currency: str) -> Html:
    """The assumptions that move the NPV most, in words."""
    every = list(getattr(tornado, "rows", []))
    rows = [r for r in every if r.swing and math.isfinite(r.swing)]
    if not every:
        return note(
            "No assumption is given as a range, so there is nothing to rank. Give ranges "
            "({low, high}) for the numbers you are unsure of."
        )
    if not rows:
        return note("None of the ranged assumptions moves the NPV of this option.")
    items = []
    for r in rows[:3]:
        items.append(
            f"<li><strong>{esc(r.label)}</strong>: from "
            f"{esc(quantity_text(r.low, r.unit, currency))} to "
            f"{esc(quantity_text(r.high, r.unit, currency))} moves the NPV by "
            f"{esc(compact_money(abs(r.swing), currency))}.</li>"
        )
    return block("<p>What matters most:</p>", f"<ol>{''.join(items)}</ol>")


def _risk_text(benefit_risk: Quantity, cost_risk: Quantity) -> str:
    """The TEI risk adjustments and their sources, each source named once."""
    b, c = _pct(benefit_risk.value), _pct(cost_risk.value)
    sb, sc = source_text(benefit_risk.source), source_text(cost_risk.source)
    if sb == sc:
        return f"Risk adjustments: benefits reduced by {b}, costs raised by {c} (source: {sb})."
    return (
        f"Risk adjustments: benefits reduced by {b} (source: {sb}); costs raised by {c} "
        f"(source: {sc})."
    )


def tei_table(evaluation: Evaluation, option_key: str | None = None) -> Html:
    """The TEI cash-flow table (risk-adjusted): Initial, Year 1..N, Total, Present value."""
    key = option_key or best_option(evaluation)
    option = evaluation.options[key]
    s = evaluation.scenario
    cur = s.currency
    p = parameters(s)
    table = option.tei_table()
    n_years = table["net"].shape[-1] - 3
    cols = ["Initial", *(f"Year {k}" for k in range(1, n_years + 1)), "Total", "Present value"]

    def cells(values: Any, negative: bool) -> list[str]:
        out = []
        for v in np.asarray(values, dtype=float):
            if (negative and v != 0) or v < 0:
                out.append(esc(f"({money(abs(v), cur)})"))
            else:
                out.append(esc(money(v, cur)))
        return out

    rows = [
        ["Total benefits", *cells(table["benefits"], False)],
        ["Total costs", *cells(table["costs"], True)],
        ["Net benefits", *cells(table["net"], False)],
    ]
    k = option.kpis
    br, cr = p["finance.benefit_risk"], p["finance.cost_risk"]
    dr = p["finance.discount_rate"]
    discounting = (
        "the Initial column undiscounted and each year discounted at its end"
        if s.finance.discounting == "tei"
        else "each month discounted at the equivalent monthly rate"
    )
    return block(
        f"<h2>Cash-flow analysis (risk-adjusted): {esc(option.label)}</h2>",
        html_table(
            ["", *cols],
            rows,
            [False, *([True] * len(cols))],
            ["", "", "roi-total"],
        ),
        f"<p><strong>ROI</strong> {esc(percent(_f(k['roi'])))} · <strong>Payback</strong> "
        f"{esc(months_text(_f(k['payback_months'])))} · <strong>NPV</strong> "
        f"{esc(money(_f(k['npv']), cur))}</p>",
        f'<p class="roi-muted">{esc(_risk_text(br, cr))} Discount rate {esc(_pct(dr.value))} a '
        f"year, {esc(discounting)}. Costs and negative amounts in parentheses.</p>",
    )


def source_text(source: str | None) -> str:
    """A scenario source for people: ``ref:`` keys expanded by
    :func:`roi.inputs.references.cite`."""
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


def assumptions_appendix(evaluation: Evaluation) -> Html:
    """Every number used: name in words, value with unit, range, as given, source, note."""
    s = evaluation.scenario
    cur = s.currency
    rows = []
    numbers = {key: k for k, key in enumerate(references_used(s), start=1)}
    for path, q in parameters(s).items():
        source = short_source_text(q.source, numbers)
        rows.append(
            [
                f"{esc(readable_path(path, s))}<br>"
                f'<span class="roi-muted"><code>{esc(path)}</code></span>',
                esc(quantity_text(q.value, q.unit, cur)),
                esc(range_text(q, cur)),
                esc(given_text(q.given)),
                esc(source),
                esc(q.note or ""),
            ]
        )
    return block(
        "<h2>Appendix: every assumption</h2>",
        '<p class="roi-muted">Values in the model\'s units (the median of a range); "as given" '
        "shows the number as the scenario file wrote it when its unit was converted; [n] is the "
        "number of the source in the References.</p>",
        html_table(
            ["Assumption", "Value", "Range", "As given", "Source", "Note"],
            rows,
            [False, True, False, True, False, False],
            widths=[24, 9, 12, 8, 30, 17],
            cls="roi-appendix",
        ),
    )


def references_used(scenario: Scenario) -> list[str]:
    """Keys of the public references the scenario's numbers cite, in registry order."""
    keys = set()
    for q in parameters(scenario).values():
        if q.source and q.source.startswith("ref:") and q.source[4:] in REFERENCES:
            keys.add(q.source[4:])
    if scenario.latency is not None and scenario.latency.conversion_lift_per_100ms is None:
        keys.add(ELASTICITY[scenario.latency.elasticity_preset].source[4:])
    keys.add("forrester-tei")
    return [k for k in REFERENCES if k in keys]


def references_list(scenario: Scenario) -> Html:
    """The references behind the numbers, with dates, links and confidence."""
    items = []
    for key in references_used(scenario):
        r = REFERENCES[key]
        url = f" {esc(r.url)}" if r.url else ""
        items.append(
            f"<li><strong>{esc(r.citation)}</strong> ({esc(r.date or 'undated')}).{url} "
            f'<span class="roi-muted">Confidence {esc(r.confidence)}; cited as '
            f"<code>ref:{esc(key)}</code>.</span></li>"
        )
    return block(
        "<h2>References</h2>",
        f'<ol class="roi-refs">{"".join(items)}</ol>',
        '<p class="roi-muted">Confidence: H read in a primary source; M a good secondary source '
        "or several agreeing; L a single secondary source or unverified.</p>",
    )


def methods_note(evaluation: Evaluation) -> Html:
    """How the numbers are made: TEI conventions, discounting, risk, what is left out."""
    s = evaluation.scenario
    p = parameters(s)
    horizon = int(evaluation.months[-1])
    margin = p["business.margin"].value
    margin_text = (
        "Revenue-type benefits count in full (margin 100 %): the scenario speaks in revenue."
        if margin == 1
        else f"Revenue-type benefits become cash through a {_pct(margin)} margin."
    )
    items = [
        f"Forrester Total Economic Impact (TEI) form: an Initial period for one-off costs, then "
        f"{horizon} months of operations, summed into years.",
        f"Discounting at {_pct(p['finance.discount_rate'].value)} a year: "
        + (
            "the Initial column is not discounted, each year's total is discounted at the end of "
            "the year."
            if s.finance.discounting == "tei"
            else "each month is discounted at the equivalent monthly rate."
        ),
        f"Risk adjustment: benefits reduced by {_pct(p['finance.benefit_risk'].value)}, costs "
        f"raised by {_pct(p['finance.cost_risk'].value)}, before NPV, ROI and payback.",
        "ROI = (PV benefits − PV costs) / PV costs. Payback = first month from which cumulative "
        "net cash (risk-adjusted, undiscounted) stays at or above zero.",
        margin_text,
        "Benefits ramp up with adoption over the rollout; volumes grow with traffic; engineering "
        "time is priced at the loaded hourly rate.",
        "Ranges come from a Monte Carlo simulation of every ranged assumption at once "
        "(P10 / P50 / P90); the tornado moves one assumption at a time from its low to its high.",
        "Not modelled: SLA penalties and regulatory fines, reputational damage, taxes and "
        "depreciation, inflation and future price changes, negotiated discounts (unless the "
        "scenario gives them), query and retrieval fees, and the opportunity cost of engineers.",
    ]
    return block(
        "<h2>Methods</h2>", "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"
    )


# --------------------------------------------------------------------------------------------
# Sweeps (one vectorised evaluate call each)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrafficSweep:
    """Monthly run rate of every option against a multiple of today's traffic."""

    multiples: np.ndarray
    run_rate: dict[str, np.ndarray]
    """[currency/month] Recurring cost at full adoption, before risk adjustment, by option."""
    labels: dict[str, str]
    currency: str


def traffic_sweep(scenario: Scenario, multiples: np.ndarray = TRAFFIC_MULTIPLES) -> TrafficSweep:
    """Run rate of each option as requests (and APM hosts) scale by ``multiples``."""
    m = np.asarray(multiples, dtype=float)
    values: dict[str, Any] = {
        "instrumentation.requests_per_month": scenario.instrumentation.requests_per_month.value * m
    }
    if scenario.managed.apm_hosts is not None:
        values["managed.apm_hosts"] = scenario.managed.apm_hosts.value * m
    grid = evaluate(scenario, values)
    options = [o for o in grid.options.values() if o.kind != "baseline"]
    return TrafficSweep(
        m,
        {o.key: np.broadcast_to(run_rate_cost(o), m.shape).copy() for o in options},
        {o.key: o.label for o in options},
        scenario.currency,
    )


@dataclass(frozen=True)
class SpansSweep:
    """Value of the latency benefit and stack costs against spans per request."""

    spans: np.ndarray
    overhead_ms: np.ndarray
    latency_value_per_year: np.ndarray
    """[currency/year] Conversion benefit at full adoption, before risk adjustment."""
    stack_cost_per_year: dict[str, np.ndarray]
    """[currency/year] Recurring cost of each option at today's traffic."""
    labels: dict[str, str]
    current: float
    currency: str


def spans_sweep(scenario: Scenario, spans: np.ndarray | None = None) -> SpansSweep:
    """Sweep ``spans_per_request`` in one evaluation: the "start lean" curve.

    When the scenario's latency after was measured with tracing on (``after_includes_overhead``),
    that measurement holds today's span count, so for another count it moves by the difference
    times the per-span overhead.
    """
    current = scenario.instrumentation.spans_per_request.value
    if spans is None:
        top = max(4 * current, 50.0)
        spans = np.unique(np.concatenate([np.linspace(0, top, 61).round(), [current]]))
    s = np.asarray(spans, dtype=float)
    values: dict[str, Any] = {"instrumentation.spans_per_request": s}
    lat = scenario.latency
    if lat is not None and lat.after_includes_overhead:
        # The 'after' latency was measured with today's spans: other span counts move it.
        per_span = parameters(scenario)["instrumentation.overhead_ms_per_span"].value
        values["latency.latency_ms_after"] = lat.latency_ms_after.value + (s - current) * per_span
    grid = evaluate(scenario, values)
    some = next(o for o in grid.options.values() if o.kind != "baseline")
    conv = [li for li in some.lines if li.key == "benefit.conversion"]
    value = np.broadcast_to(conv[0].run_rate * 12, s.shape).copy() if conv else np.zeros_like(s)
    options = [o for o in grid.options.values() if o.kind != "baseline"]
    return SpansSweep(
        s,
        np.broadcast_to(grid.figures["instrumentation_overhead_ms"], s.shape).copy(),
        value,
        {o.key: np.broadcast_to(run_rate_cost(o) * 12, s.shape).copy() for o in options},
        {o.key: o.label for o in options},
        current,
        scenario.currency,
    )


@dataclass(frozen=True)
class ElasticityRow:
    key: str
    what: str
    source: str
    conversion_lift_per_100ms: float
    value_per_year: float
    """[currency/year] Conversion benefit at full adoption with this elasticity."""
    used: bool


def elasticity_comparison(scenario: Scenario) -> list[ElasticityRow]:
    """The conversion benefit under every published elasticity preset (one evaluation)."""
    lat = scenario.latency
    if lat is None:
        return []
    presets = list(ELASTICITY.values())
    lifts = np.array([e.conversion_lift_per_100ms for e in presets])
    grid = evaluate(scenario, {"latency.conversion_lift_per_100ms": lifts})
    some = next(o for o in grid.options.values() if o.kind != "baseline")
    line = next(li for li in some.lines if li.key == "benefit.conversion")
    value = np.broadcast_to(line.run_rate * 12, lifts.shape)
    used = lat.elasticity_preset if lat.conversion_lift_per_100ms is None else None
    return [
        ElasticityRow(e.key, e.what, e.source, float(lift), float(v), e.key == used)
        for e, lift, v in zip(presets, lifts, value, strict=True)
    ]


@dataclass(frozen=True)
class MttrSweep:
    """NPV of each option against a uniform MTTR reduction for every severity."""

    reductions: np.ndarray
    npv: dict[str, np.ndarray]
    npv_incidents_only: dict[str, np.ndarray]
    """NPV with the latency benefit switched off (attribution 0)."""
    breakeven: dict[str, float]
    breakeven_incidents_only: dict[str, float]
    labels: dict[str, str]
    current: dict[str, float]
    """Each severity's MTTR reduction in the scenario [fraction]."""
    currency: str


def _breakeven(x: np.ndarray, y: np.ndarray) -> float:
    """Smallest x where y crosses to >= 0, linearly interpolated; 0 if y[0] >= 0; NaN never."""
    if y[0] >= 0:
        return 0.0
    above = np.nonzero(y >= 0)[0]
    if above.size == 0:
        return math.nan
    k = int(above[0])
    x0, x1, y0, y1 = x[k - 1], x[k], y[k - 1], y[k]
    return float(x0 + (0 - y0) * (x1 - x0) / (y1 - y0))


def mttr_sweep(scenario: Scenario, reductions: np.ndarray | None = None) -> MttrSweep:
    """NPV against the MTTR reduction applied to every severity (one evaluation).

    Severities given as ``mttr_hours_after`` get ``before × (1 − reduction)``; the second half of
    the sweep sets the latency attribution to 0, so incidents alone must carry the case.
    """
    r = np.linspace(0.0, 0.9, 91) if reductions is None else np.asarray(reductions, dtype=float)
    has_latency = scenario.latency is not None
    cases = np.concatenate([r, r]) if has_latency else r
    values: dict[str, Any] = {}
    current = {}
    for sev, s in scenario.incidents.severities.items():
        p = f"incidents.severities.{sev}."
        before = s.mttr_hours_before.value
        current[sev] = 1 - s.mttr_hours_after_value / before if before else 0.0
        if s.mttr_hours_after is not None:
            values[p + "mttr_hours_after"] = before * (1 - cases)
        else:
            values[p + "mttr_reduction_fraction"] = cases
    if has_latency:
        base = parameters(scenario)["latency.latency_attribution_fraction"].value
        values["latency.latency_attribution_fraction"] = np.concatenate(
            [np.full(r.shape, base), np.zeros(r.shape)]
        )
    grid = evaluate(scenario, values)
    npv, only = {}, {}
    for o in grid.options.values():
        if o.kind == "baseline":
            continue
        n = np.asarray(o.kpis["npv"], dtype=float)
        npv[o.key] = n[: r.size]
        only[o.key] = n[r.size :] if has_latency else n
    return MttrSweep(
        r,
        npv,
        only,
        {k: _breakeven(r, v) for k, v in npv.items()},
        {k: _breakeven(r, v) for k, v in only.items()},
        {o.key: o.label for o in grid.options.values() if o.kind != "baseline"},
        current,
        scenario.currency,
    )


# --------------------------------------------------------------------------------------------
# Deep-dive tables
# --------------------------------------------------------------------------------------------


def incident_table(evaluation: Evaluation) -> Html:
    """Per severity: incidents, MTTR before and after, hours avoided, cost per hour, exposure."""
    s = evaluation.scenario
    cur = s.currency
    p = parameters(s)
    f = evaluation.figures
    option = next(iter(non_baseline(evaluation)))
    rate = p["business.loaded_hourly_rate"].value
    rows = []
    totals = [0.0, 0.0, 0.0, 0.0]
    for sev, sv in s.incidents.severities.items():
        revenue_line = next(li for li in option.lines if li.key == f"benefit.mttr_revenue.{sev}")
        per_hour = _f(revenue_line.unit_value) + sv.responders.value * rate
        hours_before = _f(f[f"downtime_hours_per_year_before.{sev}"])
        hours_after = _f(f[f"downtime_hours_per_year_after.{sev}"])
        rows.append(
            [
                esc(sev),
                esc(number(sv.incidents_per_month.value)),
                esc(f"{number(sv.mttr_hours_before.value)} h"),
                esc(f"{number(sv.mttr_hours_after_value)} h"),
                esc(f"{number(hours_before - hours_after)} h"),
                esc(money(per_hour, cur)),
                esc(money(hours_before * per_hour, cur)),
                esc(money(hours_after * per_hour, cur)),
            ]
        )
        totals[0] += hours_before - hours_after
        totals[1] += hours_before * per_hour
        totals[2] += hours_after * per_hour
    rows.append(
        [
            "Total",
            "",
            "",
            "",
            esc(f"{number(totals[0])} h"),
            "",
            esc(money(totals[1], cur)),
            esc(money(totals[2], cur)),
        ]
    )
    r = p["incidents.incident_reduction_fraction"].value
    extra = f" After also counts {_pct(r)} fewer incidents (repeat incidents avoided)." if r else ""
    return block(
        html_table(
            [
                "Severity",
                "Incidents a month",
                "MTTR before",
                "MTTR after",
                "Incident hours avoided a year",
                "Cost per incident hour",
                "Yearly exposure before",
                "Yearly exposure after",
            ],
            rows,
            [False, True, True, True, True, True, True, True],
            [""] * (len(rows) - 1) + ["roi-total"],
        ),
        '<p class="roi-muted">Cost per incident hour = revenue lost (hourly revenue × impact × '
        "margin) + responders × loaded hourly rate. Exposure at full adoption, before the TEI "
        f"risk adjustment.{esc(extra)}</p>",
    )


DORA_BANDS = (
    ("Elite", "less than 1 hour", 0.0, 1.0),
    ("High", "less than 1 day", 1.0, 24.0),
    ("Medium", "less than 1 day", 1.0, 24.0),
    ("Low", "1 week to 1 month", 168.0, 720.0),
)
"""DORA 2024 failed-deployment recovery time clusters [h] (ref:dora-2024)."""


def dora_context(scenario: Scenario) -> Html:
    """Where each severity's MTTR sits against DORA's recovery-time bands."""

    def band(hours: float) -> str:
        if hours < 1:
            return "Elite (< 1 h)"
        if hours < 24:
            return "High / Medium (< 1 day)"
        if hours < 168:
            return "between Medium and Low (1 day to 1 week)"
        return "Low (1 week to 1 month)"

    rows = []
    for sev, sv in scenario.incidents.severities.items():
        rows.append(
            [
                esc(sev),
                esc(f"{number(sv.mttr_hours_before.value)} h"),
                esc(band(sv.mttr_hours_before.value)),
                esc(f"{number(sv.mttr_hours_after_value)} h"),
                esc(band(sv.mttr_hours_after_value)),
            ]
        )
    return block(
        html_table(
            ["Severity", "MTTR today", "DORA band today", "MTTR with tracing", "DORA band after"],
            rows,
        ),
        f'<p class="roi-muted">Plausibility context, not a benchmark of this team: '
        f"{esc(cite('ref:dora-2024'))}. Evidence on MTTR with tracing is survey correlation "
        f"({esc(cite('ref:splunk-2022'))}); no rigorous before/after study exists, so keep the "
        "reduction a range (20-60 %).</p>",
    )


def _breakeven_phrase(x: float, top: float) -> str:
    if math.isnan(x):
        return f"does not break even, even with MTTR {_pct(top)} shorter"
    if x == 0:
        return "pays for itself with no MTTR reduction at all"
    return f"breaks even once MTTR falls by {_pct(x)}"


def mttr_breakeven_text(sweep: MttrSweep) -> Html:
    """The MTTR reduction each option needs to break even, in words."""
    items = []
    top = float(sweep.reductions[-1])
    for key, label in sweep.labels.items():
        be, only = sweep.breakeven[key], sweep.breakeven_incidents_only[key]
        text = f"{label} {_breakeven_phrase(be, top)}"
        if not np.array_equal(sweep.npv[key], sweep.npv_incidents_only[key]):
            text += f"; on incidents alone (no latency benefit) it {_breakeven_phrase(only, top)}"
        items.append(f"<li>{esc(text)}.</li>")
    current = ", ".join(f"{k} {_pct(v)}" for k, v in sweep.current.items())
    return block(
        f"<ul>{''.join(items)}</ul>",
        f'<p class="roi-muted">The scenario assumes MTTR reductions of {esc(current)}. The sweep '
        "applies one reduction to every severity, all other assumptions as in the scenario.</p>",
    )


def latency_table(evaluation: Evaluation) -> Html:
    """Latency before and after, instrumentation overhead, net improvement, lift and revenue."""
    s = evaluation.scenario
    lat = s.latency
    if lat is None:
        return note("This scenario has no latency section: no revenue is priced on latency.")
    cur = s.currency
    p = parameters(s)
    f = evaluation.figures
    option = next(iter(non_baseline(evaluation)))
    line = next(li for li in option.lines if li.key == "benefit.conversion")
    spans = p["instrumentation.spans_per_request"].value
    per_span = p["instrumentation.overhead_ms_per_span"]
    rows = [
        [
            f"{lat.percentile} {lat.journey} latency today",
            f"{number(lat.latency_ms_before.value)} ms",
        ],
        [
            f"{lat.percentile} {lat.journey} latency with tracing-led fixes"
            + (" (measured with tracing on)" if lat.after_includes_overhead else " (target)"),
            f"{number(lat.latency_ms_after.value)} ms",
        ],
        [
            "Instrumentation overhead: spans per request × ms per span",
            f"{number(spans)} × {number(per_span.value)} ms = "
            f"{number(_f(f['instrumentation_overhead_ms']))} ms",
        ],
        ["Net improvement", f"{number(_f(f['net_latency_improvement_ms']))} ms"],
        [
            f"Conversion lift (cap {_pct(p['latency.max_conversion_lift'].value)})",
            _pct(_f(f["conversion_lift"])),
        ],
        [
            "Credited to tracing",
            _pct(p["latency.latency_attribution_fraction"].value),
        ],
        ["Conversion revenue a year", money(_f(line.run_rate) * 12, cur)],
        ["Each 100 ms is worth, per quarter", money(_f(f["revenue_per_100ms_per_quarter"]), cur)],
    ]
    if "conversion_rate_after" in f and lat.conversion_rate is not None:
        rows.insert(
            5,
            [
                "Conversion rate",
                f"{_pct(lat.conversion_rate.value)} → {_pct(_f(f['conversion_rate_after']))}",
            ],
        )
    overhead_src = source_text(per_span.source)
    return block(
        html_table(["", "Value"], [[esc(a), esc(b)] for a, b in rows], [False, True]),
        f'<p class="roi-muted">{esc(_elasticity_text(s))} Per-span overhead source: '
        f"{esc(overhead_src)}.</p>",
    )


def elasticity_table(rows: Sequence[ElasticityRow], currency: str) -> Html:
    """Every elasticity preset with the conversion value it gives, the scenario's marked."""
    if not rows:
        return note("This scenario has no latency section: elasticities do not apply.")
    out, classes = [], []
    for r in rows:
        out.append(
            [
                esc(r.key) + (" <strong>(used)</strong>" if r.used else ""),
                esc(_pct(r.conversion_lift_per_100ms)),
                esc(money(r.value_per_year, currency)),
                esc(r.what),
                esc(source_text(r.source)),
            ]
        )
        classes.append("roi-best" if r.used else "")
    used = [r.key for r in rows if r.used]
    lo = min(r.conversion_lift_per_100ms for r in rows)
    hi = max(r.conversion_lift_per_100ms for r in rows)
    msg = (
        f"The scenario uses '{used[0]}'."
        if used
        else "The scenario gives its own elasticity rather than a preset."
    )
    return block(
        html_table(
            ["Preset", "Lift per 100 ms", "Value a year", "What was measured", "Source"],
            out,
            [False, True, True, False, False],
            classes,
        ),
        f'<p class="roi-muted">{esc(msg)} The presets span {hi / lo:.0f}x; values a year at full '
        "adoption, before risk adjustment.</p>",
    )


def self_run_drivers(evaluation: Evaluation) -> Html:
    """The self-run stack's cost drivers: volume, storage, compute replicas, people."""
    if "self-run" not in evaluation.options:
        return note("This scenario does not evaluate a self-run stack.")
    s = evaluation.scenario
    p = parameters(s)
    f = evaluation.figures
    option = evaluation.options["self-run"]
    rows = [
        ["Requests a month", number(p["instrumentation.requests_per_month"].value)],
        ["Spans per request", number(p["instrumentation.spans_per_request"].value)],
        ["Sampling rate", _pct(p["instrumentation.sampling_rate"].value)],
        ["Spans kept a month", number(_f(f["spans_per_month"]))],
        ["Bytes per span", f"{number(p['instrumentation.bytes_per_span'].value)} B"],
        ["Span data a month", f"{number(_f(f['ingest_gb_per_month']))} GB"],
        ["Retention", f"{number(p['self_run.retention_days'].value)} days"],
    ]
    table = html_table(
        ["Volume driver", "Today"], [[esc(a), esc(b)] for a, b in rows], [False, True]
    )
    return block(
        "<h3>Self-run: from traffic to bills</h3>", table, costs_explained(evaluation, option.key)
    )


def vendor_components(evaluation: Evaluation) -> Html:
    """Each vendor's bill component by component, with the price date and a pricing warning."""
    vendors = [o for o in evaluation.options.values() if o.kind == "managed"]
    if not vendors:
        return note(
            "This scenario evaluates no managed vendor"
            + (
                " (a no-SaaS policy rules them out)."
                if evaluation.scenario.decision.no_saas_policy
                else "."
            )
        )
    cur = evaluation.scenario.currency
    parts = []
    for o in vendors:
        v = VENDORS[o.key]
        rows = []
        for li in o.lines:
            if not li.key.startswith("cost.vendor."):
                continue
            last = _f(np.asarray(li.series)[..., -1])
            rows.append(
                [
                    esc(DRIVER_UNITS[li.key.rsplit(".", 1)[1]]),
                    esc(f"{number(_f(li.driver))} {li.driver_unit}"),
                    esc(_unit_value_text(li, cur)),
                    esc(money(_f(li.run_rate), cur)),
                    esc(money(last, cur)),
                ]
            )
        bill_growth = _f(o.figures.get("bill_growth_vs_traffic", math.nan))
        note_text = f" {v.note[:1].upper()}{v.note[1:]}." if v.note else ""
        parts.append(
            f"<h3>{esc(o.label)}</h3>"
            + html_table(
                [
                    "Component",
                    "Billable today",
                    "× Price",
                    "= Monthly today",
                    f"Month {int(evaluation.months[-1])}",
                ],
                rows,
                [False, True, True, True, True],
            )
            + f'<p class="roi-muted">List prices on {esc(v.price_date)} '
            f"({esc(source_text(v.source))}); "
            f"<strong>check current pricing</strong>.{esc(note_text)} The bill grows "
            f"{esc(f'{bill_growth:.2f}')}× as fast as traffic after onboarding.</p>"
        )
    return block(*parts)


def lock_in_text(evaluation: Evaluation) -> Html:
    """Exit cost with a proprietary SDK against OpenTelemetry: the option value of OTel."""
    f = evaluation.figures
    if "exit_cost_proprietary_sdk" not in f:
        return note("No managed vendor is evaluated, so there is no vendor to be locked into.")
    cur = evaluation.scenario.currency
    s = evaluation.scenario
    sdk = "OpenTelemetry" if s.instrumentation.sdk == "otel" else "a proprietary SDK"
    prop = _f(f["exit_cost_proprietary_sdk"])
    otel = _f(f["exit_cost_otel"])
    migration = s.lock_in.migration_month
    flows = (
        f"A migration is scheduled in month {migration}, so its exit cost is in the cash flows."
        if migration
        else "No migration is scheduled, so the exit cost is an option value, not a cash flow."
    )
    return block(
        f"<p>The scenario instruments with {esc(sdk)}. Leaving a vendor later would cost "
        f"<strong>{esc(money(prop, cur))}</strong> with a proprietary SDK (rewriting every "
        f"service) against <strong>{esc(money(otel, cur))}</strong> with OpenTelemetry "
        "(configuration and dashboards). "
        f"{esc(flows)}</p>"
    )


# --------------------------------------------------------------------------------------------
# Files: charts and summary.json
# --------------------------------------------------------------------------------------------


def _render(fig: Any, fmt: str, dpi: int = CHART_DPI) -> bytes:
    import io

    buf = io.BytesIO()
    metadata = {"Software": None} if fmt == "png" else {"Date": None}
    fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata)
    return buf.getvalue()


def save_chart(fig: Any, charts_dir: str | Path, name: str) -> tuple[Path, Path]:
    """Write ``fig`` as ``<charts_dir>/<name>.png`` (200 dpi) and ``.svg``, each atomically.

    ``name`` is a slug (lower-case letters, digits, ``-`` and ``_``), so files stay inside
    ``charts_dir``.
    """
    if not _CHART_NAME.match(name):
        raise ValueError(
            f"chart name {name!r}: use lower-case letters, digits, '-' and '_' (at most 64)"
        )
    folder = Path(charts_dir)
    png, svg = folder / f"{name}.png", folder / f"{name}.svg"
    write_bytes_atomic(png, _render(fig, "png"))
    write_bytes_atomic(svg, _render(fig, "svg"))
    return png, svg


def save_charts(figures: Mapping[str, Any], charts_dir: str | Path) -> list[Path]:
    """Save several figures by name; returns every file written."""
    out: list[Path] = []
    for name, fig in figures.items():
        out.extend(save_chart(fig, charts_dir, name))
    return out


@dataclass(frozen=True)
class Chart:
    """A rendered chart for display: an inline PNG (no external file) with its title as alt."""

    png: bytes
    alt: str

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        return (
            f'<div class="roi"><figure><img alt="{esc(self.alt)}" '
            f'src="data:image/png;base64,{data}"></figure></div>'
        )


def _title_of(fig: Any) -> str:
    """The figure's title (its finding), for the image's alt text."""
    suptitle = fig.get_suptitle() if hasattr(fig, "get_suptitle") else ""
    if suptitle:
        return str(suptitle)
    for ax in fig.axes:
        for loc in ("left", "center"):
            t = ax.get_title(loc=loc)
            if t:
                return str(t)
    return "chart"


def chart(fig: Any, name: str, output_dir: str = "") -> Chart:
    """Display ``fig`` inline; with an ``output_dir`` also save it under ``charts/``."""
    if output_dir:
        png, _ = save_chart(fig, Path(output_dir) / CHARTS_DIR, name)
        data = png.read_bytes()
    else:
        data = _render(fig, "png", 150)
    return Chart(data, _title_of(fig))


def summary(
    evaluation: Evaluation,
    simulation: SimulationLike | None,
    scenario_file: str | None,
    samples: int | None = None,
    seed: int | None = None,
) -> dict[str, Any]:
    """The headline figures as a JSON-able document (``summary.json``, schema version 1).

    NPV, ROI and payback are the point estimates; the P10/P50/P90 and the chance of a loss come
    from ``simulation`` (null without one). NaN becomes null.
    """
    s = evaluation.scenario
    aid = decision_aid(evaluation)
    options = []
    n_samples = samples
    for key, o in evaluation.options.items():
        sim = _sim_option(simulation, key)
        entry: dict[str, Any] = {
            "key": o.key,
            "label": o.label,
            "kind": o.kind,
            "kpis": {
                k: _num(o.kpis[k])
                for k in ("npv", "roi", "payback_months", "pv_benefits", "pv_costs")
            },
        }
        for kpi in ("npv", "roi"):
            p = _percentiles(sim, kpi) if sim is not None else (None, None, None)
            for name, v in zip(("p10", "p50", "p90"), p, strict=True):
                entry[f"{kpi}_{name}"] = _num(v)
        entry["prob_npv_negative"] = _num(sim.prob_npv_negative) if sim is not None else None
        if sim is not None and n_samples is None:
            n_samples = int(np.asarray(sim.kpis["npv"]).size)
        options.append(entry)
    if seed is None and simulation is not None:
        seed = getattr(simulation, "seed", None)
    return {
        "schema_version": SUMMARY_SCHEMA_VERSION,
        "scenario": {
            "name": s.name,
            "description": s.description,
            "currency": s.currency,
            "file": scenario_file,
            "north_star_kpi": s.kpis.north_star_kpi,
        },
        "best_option": aid.best_option,
        "recommendation": aid.recommendation,
        "options": options,
        "readiness_gaps": [b.text for b in readiness(s) if not b.checked],
        "samples": n_samples,
        "seed": seed,
    }


_SUMMARY_KEYS = {
    "schema_version",
    "scenario",
    "best_option",
    "recommendation",
    "options",
    "readiness_gaps",
    "samples",
    "seed",
}
_SCENARIO_KEYS = {"name", "description", "currency", "file", "north_star_kpi"}
_OPTION_KEYS = {
    "key",
    "label",
    "kind",
    "kpis",
    "npv_p10",
    "npv_p50",
    "npv_p90",
    "roi_p10",
    "roi_p50",
    "roi_p90",
    "prob_npv_negative",
}
_KPI_KEYS = {"npv", "roi", "payback_months", "pv_benefits", "pv_costs"}


def _is_number(v: Any) -> bool:
    return v is None or (
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
    )


def validate_summary(doc: Any) -> None:
    """Raise ``ValueError`` naming the first place where ``doc`` breaks the summary contract."""

    def keys(where: str, obj: Any, expected: set[str]) -> None:
        if not isinstance(obj, dict):
            raise ValueError(f"{where}: expected an object")
        missing, extra = expected - obj.keys(), obj.keys() - expected
        if missing or extra:
            raise ValueError(f"{where}: missing {sorted(missing)}, unexpected {sorted(extra)}")

    keys("summary", doc, _SUMMARY_KEYS)
    if doc["schema_version"] != SUMMARY_SCHEMA_VERSION:
        raise ValueError(f"summary.schema_version: expected {SUMMARY_SCHEMA_VERSION}")
    keys("summary.scenario", doc["scenario"], _SCENARIO_KEYS)
    for k in ("name", "description", "currency", "north_star_kpi"):
        if not isinstance(doc["scenario"][k], str):
            raise ValueError(f"summary.scenario.{k}: expected a string")
    if not isinstance(doc["options"], list) or not doc["options"]:
        raise ValueError("summary.options: expected a non-empty list")
    option_keys = []
    for i, o in enumerate(doc["options"]):
        keys(f"summary.options[{i}]", o, _OPTION_KEYS)
        keys(f"summary.options[{i}].kpis", o["kpis"], _KPI_KEYS)
        if o["kind"] not in ("baseline", "self_run", "managed"):
            raise ValueError(f"summary.options[{i}].kind: {o['kind']!r} is not a known kind")
        for k, v in [
            *o["kpis"].items(),
            *((k, o[k]) for k in _OPTION_KEYS - {"key", "label", "kind", "kpis"}),
        ]:
            if not _is_number(v):
                raise ValueError(f"summary.options[{i}].{k}: expected a finite number or null")
        option_keys.append(o["key"])
    if doc["best_option"] not in option_keys:
        raise ValueError(f"summary.best_option: {doc['best_option']!r} is not an option")
    if not isinstance(doc["recommendation"], str):
        raise ValueError("summary.recommendation: expected a string")
    gaps = doc["readiness_gaps"]
    if not isinstance(gaps, list) or not all(isinstance(g, str) for g in gaps):
        raise ValueError("summary.readiness_gaps: expected a list of strings")
    for k in ("samples", "seed"):
        v = doc[k]
        if v is not None and (not isinstance(v, int) or isinstance(v, bool)):
            raise ValueError(f"summary.{k}: expected an integer or null")


def write_summary(output_dir: str | Path, doc: Mapping[str, Any]) -> Path | None:
    """Write ``doc`` as ``<output_dir>/summary.json`` atomically; an empty dir writes nothing."""
    if not str(output_dir):
        return None
    validate_summary(doc)
    data = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    path = Path(output_dir) / SUMMARY_FILE
    write_bytes_atomic(path, data.encode("utf-8"))
    return path


def scenario_file(scenario_path: str) -> Path:
    """The scenario file a notebook parameter names.

    An absolute path is used as is; a relative one is resolved against the repository's
    ``notebooks/`` folder (where the notebooks live, as when run standalone in JupyterLab), then
    against the working directory.
    """
    p = Path(scenario_path).expanduser()
    if p.is_absolute():
        return p
    for base in (NOTEBOOKS_DIR, Path.cwd()):
        candidate = (base / p).resolve()
        if candidate.exists():
            return candidate
    return (NOTEBOOKS_DIR / p).resolve()
