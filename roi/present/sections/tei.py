"""The Forrester TEI layout: the composite organisation, each benefit year by year with its risk
adjustment, unquantified benefits, flexibility (the OpenTelemetry exit as an option value),
risks, and the cash-flow table (risk-adjusted) with ROI, payback and NPV."""

from __future__ import annotations

from typing import Any

import numpy as np

from roi.analysis.decision import best_option, focus_option
from roi.model import Evaluation, Input
from roi.present.formatting import (
    compact_money,
    hours_text,
    money,
    months_text,
    ms_text,
    number,
    percent,
)
from roi.present.html import Html, block, esc, html_table
from roi.present.read import benefit_rows, option_figures, scalar
from roi.present.sections.flip import input_name
from roi.present.words import pct, source_text


def risk_text(benefit_risk: Input, cost_risk: Input) -> str:
    """The TEI risk adjustments and their sources, each source named once."""
    b, c = pct(benefit_risk.point), pct(cost_risk.point)
    sb, sc = source_text(benefit_risk.source), source_text(cost_risk.source)
    if sb == sc:
        return f"Risk adjustments: benefits reduced by {b}, costs raised by {c} (source: {sb})."
    return (
        f"Risk adjustments: benefits reduced by {b} (source: {sb}); costs raised by {c} "
        f"(source: {sc})."
    )


def discounting_text(evaluation: Evaluation) -> str:
    """How the scenario discounts, in words."""
    if evaluation.scenario.finance.discounting == "tei":
        return "the Initial column undiscounted and each year discounted at its end"
    return "each month discounted at the equivalent monthly rate"


def tei_table(evaluation: Evaluation, option_key: str | None = None) -> Html:
    """The TEI cash-flow table (risk-adjusted): Initial, Year 1..N, Total, Present value."""
    key = option_key or best_option(evaluation)
    option = evaluation.options[key]
    cur = evaluation.scenario.currency
    inputs = evaluation.inputs
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
    risks = risk_text(inputs["finance.benefit_risk"], inputs["finance.cost_risk"])
    rate = pct(inputs["finance.discount_rate"].point)
    return block(
        f"<h2>Cash-flow analysis (risk-adjusted): {esc(option.label)}</h2>",
        html_table(
            ["", *cols],
            rows,
            [False, *([True] * len(cols))],
            ["", "", "roi-total"],
        ),
        f"<p><strong>ROI</strong> {esc(percent(scalar(k['roi'])))} · <strong>Payback</strong> "
        f"{esc(months_text(scalar(k['payback_months'])))} · <strong>NPV</strong> "
        f"{esc(money(scalar(k['npv']), cur))}</p>",
        f'<p class="roi-muted">{esc(risks)} Discount rate {esc(rate)} a '
        f"year, {esc(discounting_text(evaluation))}. Costs and negative amounts in "
        "parentheses.</p>",
    )


def composite_organisation(evaluation: Evaluation) -> Html:
    """Who the scenario is, TEI's "composite organisation": its business, services, traffic,
    incidents and people, in the numbers the evaluation used."""
    s = evaluation.scenario
    cur = s.currency

    def v(path: str) -> float:
        return evaluation.inputs[path].point

    def has(path: str) -> bool:
        return path in evaluation.inputs

    sevs = sorted(
        {p.split(".")[2] for p in evaluation.inputs if p.startswith("incidents.severities.")}
    )
    incidents = ", ".join(
        f"{number(v(f'incidents.severities.{sev}.incidents_per_month'))} {sev} "
        f"(resolved in {hours_text(v(f'incidents.severities.{sev}.mttr_hours_before'))})"
        for sev in sevs
    )
    parts = [
        f"{s.name}. An hour of full outage costs it "
        f"{money(v('business.revenue_per_hour'), cur)} of revenue, at a "
        f"{pct(v('business.margin'))} margin; an engineer's hour costs "
        f"{money(v('business.loaded_hourly_rate'), cur)} loaded.",
    ]
    if has("rollout.services_to_instrument"):
        g = v("timeline.traffic_growth_per_month")
        growth = f"growing {pct(g)} a month" if g else "flat"
        parts.append(
            f"It runs {number(v('rollout.services_to_instrument'))} services to instrument, "
            f"serving {number(v('instrumentation.requests_per_month'))} requests a month "
            f"(traffic {growth})."
        )
    if incidents:
        parts.append(f"Incidents a month by severity: {incidents}.")
    lat = s.latency
    if lat is not None and has("latency.latency_ms_before"):
        parts.append(
            f"Its {lat.percentile} {lat.journey} latency is "
            f"{ms_text(v('latency.latency_ms_before'))}, with "
            f"{money(v('latency.revenue_through_path_per_year'), cur)} a year of revenue "
            f"through the {lat.journey}."
        )
    parts.append(f"North-star KPI: {s.kpis.north_star_kpi}.")
    return block(
        "<h2>The composite organisation</h2>",
        f"<p>{esc(' '.join(parts))}</p>",
        '<p class="roi-muted">As in a Forrester TEI study, the case is built for one composite '
        "organisation described by these numbers; the appendix lists every one with its "
        "source.</p>",
    )


def benefits_by_year(evaluation: Evaluation, option_key: str | None = None) -> Html:
    """Each quantified benefit, year by year and risk-adjusted, with its own risk adjustment,
    and the total benefits row of the TEI table."""
    key = option_key or focus_option(evaluation)
    option = evaluation.options[key]
    cur = evaluation.scenario.currency
    f = option_figures(evaluation, key)
    risk = evaluation.inputs["finance.benefit_risk"]
    total = np.asarray(option.tei_table()["benefits"], dtype=float)
    n_years = total.shape[-1] - 3
    cols = [f"Year {k}" for k in range(1, n_years + 1)]
    rows = []
    for line, pv in benefit_rows(evaluation, key):
        years = np.asarray(f[f"tei_years.{line.key}"], dtype=float)[1:]
        if not np.any(years):
            continue
        rows.append(
            [
                esc(line.label),
                esc(f"−{pct(risk.point)}"),
                *(esc(money(y, cur)) for y in years),
                esc(money(pv, cur)),
            ]
        )
    rows.append(
        [
            "<strong>Total benefits</strong>",
            "",
            *(esc(money(y, cur)) for y in total[1 : 1 + n_years]),
            esc(money(total[-1], cur)),
        ]
    )
    return block(
        f"<h3>Benefits year by year, risk-adjusted: {esc(option.label)}</h3>",
        html_table(
            ["Benefit", "Risk adjustment", *cols, "Present value"],
            rows,
            [False, True, *([True] * n_years), True],
            ["" for _ in rows[:-1]] + ["roi-total"],
        ),
        f'<p class="roi-muted">Each benefit is reduced by its risk adjustment (source: '
        f"{esc(source_text(risk.source))}) before it is summed; the years follow adoption over "
        "the rollout and growth.</p>",
    )


def unquantified_benefits(evaluation: Evaluation) -> Html:
    """Benefits shown and never summed into money: the NPS change, the north-star KPI."""
    s = evaluation.scenario
    items = [f"North-star KPI: {s.kpis.north_star_kpi}."]
    nps = evaluation.inputs.get("kpis.nps_change")
    if nps is not None:
        items.append(
            f"Net Promoter Score: {nps.point:+g} points expected (source: "
            f"{source_text(nps.source)})."
        )
    items.append(
        "Not counted either: developer time spent understanding the system outside incidents, "
        "onboarding of new engineers, confidence in releases."
    )
    return block(
        "<h3>Unquantified benefits</h3>",
        "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>",
        '<p class="roi-muted">Shown for the decision, never added to the NPV.</p>',
    )


def flexibility(evaluation: Evaluation) -> Html:
    """TEI's flexibility: the OpenTelemetry exit as an option value (``otel_option_value``)."""
    f = evaluation.figures
    if "otel_option_value" not in f:
        return block(
            "<h3>Flexibility</h3>",
            "<p>No managed vendor is evaluated, so there is no vendor exit to value; the "
            "self-run stack is OpenTelemetry end to end.</p>",
        )
    s = evaluation.scenario
    cur = s.currency
    value = scalar(f["otel_option_value"])
    prop, otel = scalar(f["exit_cost_proprietary_sdk"]), scalar(f["exit_cost_otel"])
    uses_otel = s.instrumentation.sdk == "otel"
    held = (
        "The scenario instruments with OpenTelemetry, so it holds this option"
        if uses_otel
        else "The scenario instruments with a proprietary SDK, so it gives this option up"
    )
    counted = (
        f"a migration is scheduled in month {s.lock_in.migration_month}, so its exit cost is in "
        "the cash flows"
        if s.lock_in.migration_month
        else "no migration is scheduled, so it is not in the NPV"
    )
    return block(
        "<h3>Flexibility: the OpenTelemetry exit</h3>",
        f"<p>Instrumenting with OpenTelemetry keeps the way out of a vendor open: leaving later "
        f"costs {esc(money(otel, cur))} (configuration and dashboards) instead of "
        f"{esc(money(prop, cur))} with a proprietary SDK (rewriting every service). That "
        f"option is worth <strong>{esc(money(value, cur))}</strong> should the team ever "
        f"switch. {esc(held)}; {esc(counted)}.</p>",
    )


def risks(evaluation: Evaluation, tornado: Any = None, flips: Any = None) -> Html:
    """TEI's risks: the risk adjustments applied, and the inputs that matter most (the tornado's
    widest bars and the largest expected values of perfect information)."""
    cur = evaluation.scenario.currency
    inputs = evaluation.inputs
    items = [risk_text(inputs["finance.benefit_risk"], inputs["finance.cost_risk"])]
    rows = [r for r in getattr(tornado, "rows", []) if r.swing and np.isfinite(r.swing)]
    if rows:
        top = "; ".join(
            f"{input_name(r.label)} ({compact_money(abs(r.swing), cur)})" for r in rows[:3]
        )
        items.append(f"Inputs that move the NPV most, low to high of their range: {top}.")
    if flips is not None and flips.evpi_total is not None:
        worth = [r for r in flips.rows if r.evpi]
        if worth:
            top = "; ".join(
                f"{input_name(r.label)} ({compact_money(r.evpi, cur)})"
                for r in sorted(worth, key=lambda r: -(r.evpi or 0.0))[:3]
            )
            items.append(f"Worth knowing before deciding (EVPI): {top}.")
        else:
            items.append("No input's uncertainty is worth resolving before deciding (EVPI zero).")
    return block("<h3>Risks</h3>", "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")
