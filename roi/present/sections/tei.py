"""The Forrester TEI cash-flow table (risk-adjusted) with ROI, payback and NPV."""

from __future__ import annotations

from typing import Any

import numpy as np

from roi.analysis.decision import best_option
from roi.model import Evaluation, Input
from roi.present.formatting import money, months_text, percent
from roi.present.html import Html, block, esc, html_table
from roi.present.read import scalar
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
