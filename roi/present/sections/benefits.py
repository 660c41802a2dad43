"""Each benefit as driver × unit value = value, with how its numbers come about."""

from __future__ import annotations

from roi.analysis.decision import best_option
from roi.model import Evaluation, LineItem
from roi.present.formatting import compact_money, hours_text, money, ms_text, number
from roi.present.html import Html, block, esc, html_table
from roi.present.read import benefit_rows, figures, input_point, option_figures, scalar
from roi.present.sections.incidents import mttr_example_text
from roi.present.sections.latency import elasticity_text, latency_figures_text
from roi.present.words import driver_text, pct, unit_value_text


def benefit_story(evaluation: Evaluation, line: LineItem) -> str:
    """How the driver and the unit value of a benefit line come about, in words (the numbers
    evaluated, overrides included)."""
    cur = evaluation.scenario.currency

    def value(path: str) -> float:
        return input_point(evaluation, path)

    if line.key.startswith("benefit.mttr_"):
        sev = line.key.rsplit(".", 1)[1]
        p = f"incidents.severities.{sev}."
        f = figures(evaluation)
        before = scalar(f[f"mttr_hours_before.{sev}"])
        after = scalar(f[f"mttr_hours_after.{sev}"])
        inc = value(p + "incidents_per_month")
        if line.key.startswith("benefit.mttr_revenue"):
            return (
                f"{number(inc)} {sev} incidents a month, MTTR {hours_text(before)} → "
                f"{hours_text(after)}; an hour of {sev} costs "
                f"{money(value('business.revenue_per_hour'), cur)} of revenue × "
                f"{pct(value(p + 'revenue_impact_fraction'))} impact × "
                f"{pct(value('business.margin'))} margin. " + mttr_example_text(evaluation)
            )
        return (
            f"{number(value(p + 'responders'))} responders on each {sev} incident, "
            f"{hours_text(before - after)} sooner free, at the loaded rate of "
            f"{money(value('business.loaded_hourly_rate'), cur)} per hour."
        )
    lat = evaluation.scenario.latency
    if line.key == "benefit.conversion" and lat is not None:
        return (
            f"{lat.percentile} {lat.journey} latency "
            f"{ms_text(value('latency.latency_ms_before'))} → "
            f"{ms_text(value('latency.latency_ms_after'))}; conversion lift "
            f"{pct(value('latency.conversion_lift_per_100ms'))} per 100 ms (capped at "
            f"{pct(value('latency.max_conversion_lift'))}), "
            f"{pct(value('latency.latency_attribution_fraction'))} of it credited to tracing, "
            f"on {money(value('latency.revenue_through_path_per_year'), cur)} a year through "
            f"{lat.journey} × {pct(value('business.margin'))} margin. "
            + latency_figures_text(evaluation)
            + " "
            + elasticity_text(evaluation)
        )
    return ""


def benefits_explained(evaluation: Evaluation, option_key: str | None = None) -> Html:
    """Each benefit as driver × unit value = value, with how the numbers come about."""
    key = option_key or best_option(evaluation)
    cur = evaluation.scenario.currency
    per_option = option_figures(evaluation, key)
    rows = []
    zero = []
    for line, pv in benefit_rows(evaluation, key):
        if scalar(line.run_rate) == 0:
            zero.append(line.label)
            continue
        rows.append(
            [
                f"<strong>{esc(line.label)}</strong><br>"
                f'<span class="roi-muted">{esc(benefit_story(evaluation, line))}</span>',
                esc(driver_text(line)),
                esc(unit_value_text(line, cur)),
                esc(money(scalar(per_option[f"per_year.{line.key}"]), cur)),
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
