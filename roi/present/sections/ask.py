"""The north-star KPI and what the recommended option asks for: investment, run cost and
engineering time (figures of :func:`roi.model.figures.derived_option_figures`)."""

from __future__ import annotations

from roi.analysis.decision import best_option
from roi.model import Evaluation
from roi.present.formatting import compact_money, money, number
from roi.present.html import Html, block, esc
from roi.present.read import input_point, option_figures, scalar
from roi.present.words import pct


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
    if "kpis.nps_change" in evaluation.inputs:
        nps = input_point(evaluation, "kpis.nps_change")
        parts.append(
            f'<p class="roi-muted">Expected NPS change: {esc(number(nps))} '
            "points (shown, never added to the money).</p>"
        )
    if option.kind == "baseline":
        parts.append("<p>No tracing option is recommended, so nothing is asked for yet.</p>")
        return block(*parts)
    f = {k: scalar(v) for k, v in option_figures(evaluation, key).items() if k.startswith("ask_")}
    risk = pct(f["ask_cost_risk"])
    parts.append(
        '<div class="roi-ask">'
        f"<div><strong>{esc(compact_money(f['ask_one_off'], cur))}</strong> one-off<br>"
        f'<span class="roi-muted">{esc(money(f["ask_one_off_risk_adjusted"], cur))} with the '
        f"{esc(risk)} cost-risk allowance</span></div>"
        f"<div><strong>{esc(compact_money(f['ask_run_per_year'], cur))}</strong> a year to run<br>"
        '<span class="roi-muted">at today&#x27;s traffic; '
        f"{esc(money(f['ask_run_per_year_risk_adjusted'], cur))} with the risk allowance"
        "</span></div>"
        f"<div><strong>{esc(number(f['ask_engineering_hours_one_off']))} engineer-hours</strong> "
        'to roll out<br><span class="roi-muted">then '
        f"{esc(number(f['ask_engineering_hours_per_month']))} h a month "
        f"(about {f['ask_engineer_fte']:.2f} of an engineer)</span></div>"
        "</div>"
    )
    later = (
        f" A migration away from the vendor, scheduled in month {s.lock_in.migration_month}, "
        f"would cost a further {money(f['ask_migration'], cur)}."
        if f["ask_migration"]
        else ""
    )
    parts.append(
        f'<p class="roi-muted">For {esc(option.label)}. Engineering time is included in the '
        "money above at the loaded hourly rate; contingency is included in the hours."
        f"{esc(later)}</p>"
    )
    return block(*parts)
