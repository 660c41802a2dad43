"""The report's opening: title with a one-sentence synopsis, the headline tiles and all options
side by side."""

from __future__ import annotations

import math
from typing import Any

from roi.analysis.decision import best_option
from roi.model import Evaluation
from roi.present.formatting import compact_money, horizon_text, months_text, percent
from roi.present.html import Html, block, esc, html_table, stylesheet
from roi.present.read import (
    SimulationLike,
    horizon_months,
    non_baseline,
    percentiles,
    samples_of,
    scalar,
    sim_option,
)
from roi.present.words import pct


def title(
    evaluation: Evaluation, simulation: SimulationLike | None = None, kicker: str = ""
) -> Html:
    """Style sheet, title, the scenario's description and a one-sentence synopsis."""
    s = evaluation.scenario
    key = best_option(evaluation)
    option = evaluation.options[key]
    cur = s.currency
    k = option.kpis
    sim = sim_option(simulation, key)
    loss = ""
    if sim is not None and option.kind != "baseline":
        loss = f"; chance of a loss {pct(scalar(sim.prob_npv_negative))}"
    npv, roi_, payback = scalar(k["npv"]), scalar(k["roi"]), scalar(k["payback_months"])
    horizon = horizon_text(horizon_months(evaluation))
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
    sim = sim_option(simulation, key)

    def rng(kpi: str, fmt: Any) -> str:
        if sim is None:
            return "point estimate (no simulation)"
        p10, _, p90 = percentiles(sim, kpi)
        low, high = fmt(p10), fmt(p90)
        return f"P10 and P90: {low}" if low == high else f"P10–P90: {low} to {high}"

    horizon = horizon_months(evaluation)

    def payback_fmt(v: float) -> str:
        return months_text(v) if math.isfinite(v) else f"> {horizon} months"

    def cm(v: float) -> str:
        return compact_money(v, cur)

    tiles = [
        _tile("ROI (risk-adjusted)", percent(scalar(k["roi"])), rng("roi", percent)),
        _tile("Net present value", cm(scalar(k["npv"])), rng("npv", cm)),
        _tile(
            "Payback",
            payback_fmt(scalar(k["payback_months"])),
            rng("payback_months", payback_fmt),
        ),
        _tile("PV of benefits", cm(scalar(k["pv_benefits"])), rng("pv_benefits", cm)),
    ]
    caption = f"{option.label}, {horizon_text(horizon)}, risk-adjusted"
    if sim is not None:
        caption += f"; ranges from {samples_of(sim):,} simulated scenarios"
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
        sim = sim_option(simulation, option.key)
        if sim is not None:
            p10, _, p90 = percentiles(sim, "npv")
            npv_range = f"{compact_money(p10, cur)} to {compact_money(p90, cur)}"
            loss = pct(scalar(sim.prob_npv_negative))
        else:
            npv_range, loss = "n/a", "n/a"
        name = esc(option.label) + (" <strong>(recommended)</strong>" if option.key == best else "")
        rows.append(
            [
                name,
                esc(compact_money(scalar(k["npv"]), cur)),
                esc(npv_range),
                esc(percent(scalar(k["roi"]))),
                esc(months_text(scalar(k["payback_months"]))),
                esc(compact_money(scalar(k["pv_benefits"]), cur)),
                esc(compact_money(scalar(k["pv_costs"]), cur)),
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
