"""Figures the report shows that :func:`roi.model.evaluate` does not return yet, computed from an
evaluation's own arrays (its inputs, figures and line items), never from the scenario file.

Two pure functions: :func:`derived_figures` (scenario level, like ``Evaluation.figures``) and
:func:`derived_option_figures` (one option, like ``OptionResult.figures``). Both are meant to be
merged into ``evaluate``'s result; until then :mod:`roi.present.read` reads them beside the
evaluation's own figures through one accessor.

Examples
--------
>>> from roi.inputs.scenario import load_scenario
>>> from roi.model import evaluate
>>> ev = evaluate(load_scenario("data_samples/scenarios/seed-article.yaml"))
>>> float(derived_figures(ev)["mttr_hours_before.sev1"])
4.3
>>> round(float(derived_option_figures(ev, "self-run")["ask_engineer_fte"]), 3)
0.329
"""

from __future__ import annotations

from typing import Any

import numpy as np

from roi.model import finance, mttr
from roi.model.evaluation import Evaluation, LineItem, OptionResult
from roi.model.timeline import growth

Array = np.ndarray

HOURS_PER_FTE_MONTH = 40 * 52 / 12
"""[h/month] One full-time engineer: 40 h a week, 52 weeks a year."""
MIGRATION_LINE = "cost.migration"
"""The line of a migration the scenario schedules later (a future one-off, not part of the ask)."""


def _value(evaluation: Evaluation, path: str) -> Array:
    return np.asarray(evaluation.inputs[path].value, dtype=float)


def _sum(values: list[Any]) -> Array:
    return np.sum([np.asarray(v, dtype=float) for v in values], axis=0) if values else np.zeros(())


def derived_figures(evaluation: Evaluation) -> dict[str, Array]:
    """Scenario-level figures for the incident, latency and growth tables and charts.

    Parameters
    ----------
    evaluation : Evaluation
        A result of :func:`roi.model.evaluate` (overrides included in its ``inputs``).

    Returns
    -------
    dict of str to ndarray
        Per severity ``sev`` (and summed over severities where it makes sense):
        ``mttr_hours_before.sev``, ``mttr_hours_after.sev`` [h];
        ``incident_hours_avoided_per_year.sev`` [h/year];
        ``incident_cost_per_hour.sev`` [currency/h] = revenue/h x impact x margin + responders x
        loaded rate; ``incident_exposure_per_year_before.sev`` and ``..._after.sev``
        [currency/year] = downtime hours x cost per hour.
        With a latency section: ``conversion_value_per_year`` [currency/year] at full adoption,
        ``latency_ms_with_tracing`` and ``latency_fixes_ms`` [ms].
        Always: ``traffic_index`` [ratio], traffic as a multiple of today's per month.
    """
    f = evaluation.figures
    out: dict[str, Array] = {}
    rate = _value(evaluation, "business.loaded_hourly_rate")
    margin = _value(evaluation, "business.margin")
    revenue = _value(evaluation, "business.revenue_per_hour")
    prefix = "mttr_hours_saved_per_incident."
    sevs = [k[len(prefix) :] for k in f if k.startswith(prefix)]
    totals: dict[str, list[Array]] = {"avoided": [], "before": [], "after": []}
    for sev in sevs:
        p = f"incidents.severities.{sev}."
        before = _value(evaluation, p + "mttr_hours_before")
        per_hour = (
            mttr.downtime_cost_per_hour(
                revenue, _value(evaluation, p + "revenue_impact_fraction"), margin
            )
            + _value(evaluation, p + "responders") * rate
        )
        down_before = np.asarray(f[f"downtime_hours_per_year_before.{sev}"], dtype=float)
        down_after = np.asarray(f[f"downtime_hours_per_year_after.{sev}"], dtype=float)
        out[f"mttr_hours_before.{sev}"] = before
        out[f"mttr_hours_after.{sev}"] = before - np.asarray(f[prefix + sev], dtype=float)
        out[f"incident_hours_avoided_per_year.{sev}"] = down_before - down_after
        out[f"incident_cost_per_hour.{sev}"] = per_hour
        out[f"incident_exposure_per_year_before.{sev}"] = down_before * per_hour
        out[f"incident_exposure_per_year_after.{sev}"] = down_after * per_hour
        totals["avoided"].append(down_before - down_after)
        totals["before"].append(down_before * per_hour)
        totals["after"].append(down_after * per_hour)
    out["incident_hours_avoided_per_year"] = _sum(totals["avoided"])
    out["incident_exposure_per_year_before"] = _sum(totals["before"])
    out["incident_exposure_per_year_after"] = _sum(totals["after"])
    conversion = _conversion_line(evaluation)
    if conversion is not None:
        out["conversion_value_per_year"] = np.asarray(conversion.run_rate, dtype=float) * 12
    if "net_latency_improvement_ms" in f:
        before = _value(evaluation, "latency.latency_ms_before")
        after = _value(evaluation, "latency.latency_ms_after")
        overhead = np.asarray(f["instrumentation_overhead_ms"], dtype=float)
        latency = evaluation.scenario.latency
        measured_with_tracing = latency is not None and latency.after_includes_overhead
        with_tracing = after if measured_with_tracing else after + overhead
        out["latency_ms_with_tracing"] = with_tracing
        out["latency_fixes_ms"] = before - (with_tracing - overhead)
    out["traffic_index"] = growth(
        np.asarray(evaluation.months, dtype=float),
        _value(evaluation, "timeline.traffic_growth_per_month")[..., None],
    )
    return out


def _conversion_line(evaluation: Evaluation) -> LineItem | None:
    """The conversion benefit line (the same in every option that has it)."""
    for option in evaluation.options.values():
        for line in option.lines:
            if line.key == "benefit.conversion":
                return line
    return None


def line_present_value(evaluation: Evaluation, option: OptionResult, line: LineItem) -> Array:
    """Risk-adjusted present value of one line item [currency], discounted as the option is.

    PV = present_value(rate, series) x (1 - benefit risk) for a benefit, x (1 + cost risk) for
    a cost (the TEI risk adjustment of :func:`roi.model.finance.risk_adjusted`).
    """
    pv = finance.present_value(
        option.figures["discount_rate"], line.series, evaluation.scenario.finance.discounting
    )
    risk = _value(evaluation, f"finance.{line.category}_risk")
    return finance.risk_adjusted(pv, risk, line.category)


def derived_option_figures(evaluation: Evaluation, option_key: str) -> dict[str, Array]:
    """One option's figures for the benefit, cost and ask tables.

    Returns
    -------
    dict of str to ndarray
        For every line ``k``: ``pv.k`` [currency] risk-adjusted present value over the horizon,
        ``per_year.k`` [currency/year] run rate x 12 (one-off lines: their amount),
        ``tei_years.k`` [currency] the line's TEI columns (Initial, Year 1..N), risk-adjusted.
        Cost totals before risk adjustment: ``cost_one_off`` [currency], ``cost_per_month``
        [currency/month], ``cost_per_year`` [currency/year], ``cost_total`` [currency] over the
        horizon. The ask (a scheduled migration left out): ``ask_one_off``,
        ``ask_one_off_risk_adjusted`` [currency], ``ask_run_per_year``,
        ``ask_run_per_year_risk_adjusted`` [currency/year], ``ask_engineering_hours_one_off``
        [person-h], ``ask_engineering_hours_per_month`` [person-h/month], ``ask_engineer_fte``
        [engineers] = hours per month / :data:`HOURS_PER_FTE_MONTH`, ``ask_migration``
        [currency] and ``ask_cost_risk`` [fraction].
    """
    option = evaluation.options[option_key]
    out: dict[str, Array] = {}
    for line in option.lines:
        out[f"pv.{line.key}"] = line_present_value(evaluation, option, line)
        rate = np.asarray(line.run_rate, dtype=float)
        out[f"per_year.{line.key}"] = rate if line.one_off else rate * 12
        out[f"tei_years.{line.key}"] = finance.risk_adjusted(
            finance.yearly(line.series),
            _value(evaluation, f"finance.{line.category}_risk")[..., None],
            line.category,
        )
    costs = [line for line in option.lines if line.category == "cost"]
    out["cost_one_off"] = _sum([line.run_rate for line in costs if line.one_off])
    out["cost_per_month"] = _sum([line.run_rate for line in costs if not line.one_off])
    out["cost_per_year"] = out["cost_per_month"] * 12
    out["cost_total"] = _sum([line.total for line in costs])
    asked = [line for line in costs if line.key != MIGRATION_LINE]
    risk = _value(evaluation, "finance.cost_risk")
    one_off = _sum([line.run_rate for line in asked if line.one_off])
    run = _sum([line.run_rate for line in asked if not line.one_off]) * 12
    hours_month = _sum(
        [
            line.driver
            for line in asked
            if not line.one_off and line.driver_unit.startswith("person-h/month")
        ]
    )
    out["ask_one_off"] = one_off
    out["ask_one_off_risk_adjusted"] = finance.risk_adjusted(one_off, risk, "cost")
    out["ask_run_per_year"] = run
    out["ask_run_per_year_risk_adjusted"] = finance.risk_adjusted(run, risk, "cost")
    out["ask_engineering_hours_one_off"] = _sum(
        [line.driver for line in asked if line.one_off and line.driver_unit.startswith("person-h")]
    )
    out["ask_engineering_hours_per_month"] = hours_month
    out["ask_engineer_fte"] = hours_month / HOURS_PER_FTE_MONTH
    out["ask_migration"] = _sum([line.run_rate for line in costs if line.key == MIGRATION_LINE])
    out["ask_cost_risk"] = risk
    return out
