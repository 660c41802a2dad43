"""The breakdown: every line item as driver x unit value = monthly and annual value, then totals,
TEI cash flows and headline figures per option, as one JSON-able document.

The same document feeds ``roi breakdown`` (table, JSON, CSV), ``roi diff`` and the reports'
``summary.json``. Its layout is versioned by ``schema_version``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from roi.analysis.breakeven import Breakeven
from roi.analysis.decision import decision_aid, readiness
from roi.analysis.montecarlo import PERCENTILES, Simulation
from roi.analysis.sampling import RangedInput
from roi.analysis.sensitivity import SobolIndices, Tornado
from roi.inputs.parameters import parameters
from roi.inputs.references import cite
from roi.inputs.schema import Scenario
from roi.model import Evaluation, OptionResult, finance

BREAKDOWN_SCHEMA_VERSION = 1


def _num(x: Any) -> float | None:
    """A plain float for JSON; None for NaN or infinity."""
    v = float(np.asarray(x))
    return v if math.isfinite(v) else None


def tei_columns(n_years: int) -> list[str]:
    """Column names of a TEI cash-flow table."""
    return ["Initial", *(f"Year {k}" for k in range(1, n_years + 1)), "Total", "Present value"]


def option_document(option: OptionResult) -> dict[str, Any]:
    """One option: line items, totals, KPIs, TEI cash-flow table, option figures."""
    lines = []
    for line in option.lines:
        run_rate = line.run_rate
        lines.append(
            {
                "key": line.key,
                "label": line.label,
                "category": line.category,
                "group": line.group,
                "one_off": line.one_off,
                "driver": _num(line.driver),
                "driver_unit": line.driver_unit,
                "unit_value": _num(line.unit_value),
                "unit_value_unit": line.unit_value_unit,
                "monthly": None if line.one_off else _num(run_rate),
                "annual": None if line.one_off else _num(run_rate * 12),
                "one_off_amount": _num(run_rate) if line.one_off else None,
                "horizon_total": _num(line.total),
            }
        )
    benefits = [line.total for line in option.lines if line.category == "benefit"]
    costs = [line.total for line in option.lines if line.category == "cost"]
    table = option.tei_table()
    n_years = table["net"].shape[-1] - 3
    kpis = {k: _num(v) for k, v in option.kpis.items()}
    if option.kind != "baseline" and option.net.ndim == 1:
        kpis["irr"] = _num(finance.irr(finance.yearly(option.net)))
    else:
        kpis["irr"] = None
    return {
        "key": option.key,
        "label": option.label,
        "kind": option.kind,
        "line_items": lines,
        "totals": {
            "benefits_unadjusted": _num(np.sum(benefits)),
            "costs_unadjusted": _num(np.sum(costs)),
            "benefits_risk_adjusted": _num(option.benefits.sum()),
            "costs_risk_adjusted": _num(option.costs.sum()),
        },
        "kpis": kpis,
        "cashflow_table": {
            "columns": tei_columns(n_years),
            **{row: [_num(v) for v in values] for row, values in table.items()},
        },
        "figures": {k: _num(v) for k, v in option.figures.items()},
    }


def _figures(evaluation: Evaluation) -> dict[str, Any]:
    """Scenario-level figures; per-severity ones nested by severity."""
    out: dict[str, Any] = {}
    for key, value in evaluation.figures.items():
        name, _, severity = key.partition(".")
        if severity:
            nested = f"{name}_by_severity" if name in evaluation.figures else name
            out.setdefault(nested, {})[severity] = _num(value)
        else:
            out[name] = _num(value)
    return out


def assumption_rows(evaluation: Evaluation) -> list[dict[str, Any]]:
    """Every number used, with unit and source, for appendices and diffs."""
    rows = []
    for path, q in parameters(evaluation.scenario).items():
        rows.append(
            {
                "path": path,
                "value": q.value,
                "unit": q.unit,
                "given": q.given,
                "source": q.source,
                "citation": cite(q.source) if q.source else None,
                "note": q.note,
            }
        )
    return rows


def breakdown(
    evaluation: Evaluation, source_file: str | None = None, option: str | None = None
) -> dict[str, Any]:
    """The breakdown document of a point evaluation.

    Parameters
    ----------
    evaluation : Evaluation
        A point evaluation (sample shape ``()``).
    source_file : str, optional
        The scenario file, recorded in the document.
    option : str, optional
        Keep only this option (the baseline ``do-nothing`` is always kept).
    """
    if evaluation.shape != ():
        raise ValueError("a breakdown needs a point evaluation")
    s = evaluation.scenario
    aid = decision_aid(evaluation)
    options = [
        o for k, o in evaluation.options.items() if option is None or k in (option, "do-nothing")
    ]
    return {
        "schema_version": BREAKDOWN_SCHEMA_VERSION,
        "scenario": {
            "name": s.name,
            "description": s.description,
            "file": source_file,
            "currency": s.currency,
            "horizon_months": int(s.timeline.horizon_months.value),
            "discounting": s.finance.discounting,
            "north_star_kpi": s.kpis.north_star_kpi,
            "nps_change": s.kpis.nps_change.value if s.kpis.nps_change else None,
            "elasticity_preset": (
                s.latency.elasticity_preset
                if s.latency and s.latency.conversion_lift_per_100ms is None
                else None
            ),
        },
        "figures": _figures(evaluation),
        "options": [option_document(o) for o in options],
        "decision": {
            "best_option": aid.best_option,
            "recommendation": aid.recommendation,
            "score_self_run": aid.score_self_run,
            "score_managed": aid.score_managed,
            "managed_allowed": aid.managed_allowed,
            "criteria": [
                {"key": c.key, "question": c.question, "answer": c.answer, "favours": c.favours}
                for c in aid.criteria
            ],
            "crossovers": [
                {
                    "vendor": c.vendor,
                    "month": _num(c.month),
                    "traffic_multiple": _num(c.traffic_multiple),
                    "requests_per_month": _num(c.requests_per_month),
                }
                for c in aid.crossovers
            ],
        },
        "readiness": [{"key": b.key, "text": b.text, "checked": b.checked} for b in readiness(s)],
        "assumptions": assumption_rows(evaluation),
    }


# --- presentation: the document of `roi simulate` and its table ---------------------------------

SIMULATION_SCHEMA_VERSION = 1


def _json_number(x: float) -> float | None:
    """A float for JSON; NaN and inf (undefined, never) become null."""
    return float(x) if math.isfinite(x) else None


def input_document(i: RangedInput) -> dict[str, Any]:
    """One ranged input as JSON: path, label, distribution and its 90 % interval."""
    d = i.distribution
    low, high = d.interval90
    return {
        "path": i.path,
        "label": i.label,
        "unit": i.unit,
        "distribution": d.kind,
        "p5": low,
        "median": d.median,
        "p95": high,
        "min": d.low if d.bounded else None,
        "mode": d.mode,
        "max": d.high if d.bounded else None,
        "source": i.source,
    }


def simulation_document(sim: Simulation, source_file: str | None = None) -> dict[str, Any]:
    """The JSON document of ``roi simulate``: per option the P10/P50/P90 and mean of every KPI,
    the point estimate, and the probabilities of a negative NPV and of payback within 12 months.

    Payback percentiles are null where they are not reached within the horizon.
    """
    options = []
    for o in sim.options.values():
        summary = {
            kpi: {k: _json_number(v) for k, v in stats.items()}
            for kpi, stats in o.summary().items()
        }
        options.append(
            {
                "key": o.key,
                "label": o.label,
                "kind": o.kind,
                "point": {k: _json_number(v) for k, v in o.point.items()},
                "summary": summary,
                "prob_npv_negative": o.prob_npv_negative,
                "prob_payback_within_12_months": o.prob_payback_within_12_months,
                "prob_payback_within_horizon": o.prob_payback_within_horizon,
            }
        )
    s = sim.scenario
    return {
        "schema_version": SIMULATION_SCHEMA_VERSION,
        "command": "simulate",
        "scenario": {
            "file": source_file,
            "name": s.name,
            "currency": s.currency,
            "horizon_months": int(s.timeline.horizon_months.value),
        },
        "samples": sim.samples,
        "seed": sim.seed,
        "best_option": sim.best_option,
        "percentiles": list(PERCENTILES),
        "ranged_inputs": [input_document(i) for i in sim.inputs],
        "options": options,
        "notes": [
            "KPIs are risk-adjusted (TEI); the point estimate puts every input at its median.",
            "payback_months is null where it is not reached within the horizon; its mean is "
            "null when any sample never pays back.",
            "The do-nothing baseline is left out: every option is measured against it.",
        ],
    }


# --- roi sensitivity ---------------------------------------------------------------------------

SENSITIVITY_SCHEMA_VERSION = 1


def _scenario_doc(scenario: Scenario, source_file: str | None) -> dict[str, Any]:
    return {"file": source_file, "name": scenario.name, "currency": scenario.currency}


def tornado_document(
    t: Tornado, scenario: Scenario, source_file: str | None = None
) -> dict[str, Any]:
    """The JSON document of ``roi sensitivity`` (tornado); null payback means never."""
    return {
        "schema_version": SENSITIVITY_SCHEMA_VERSION,
        "command": "sensitivity",
        "method": "tornado",
        "scenario": _scenario_doc(scenario, source_file),
        "option": t.option,
        "option_label": t.option_label,
        "metric": t.metric,
        "metric_unit": t.metric_unit,
        "base": _json_number(t.base),
        "rows": [
            {
                "path": r.path,
                "label": r.label,
                "unit": r.unit,
                "low": r.low,
                "high": r.high,
                "metric_low": _json_number(r.metric_low),
                "metric_high": _json_number(r.metric_high),
                "swing": _json_number(r.swing),
            }
            for r in t.rows
        ],
        "notes": [
            "Each input at its 5th (low) and 95th (high) percentile with every other input at "
            "its median; base is the point estimate.",
            "A null payback is not reached within the horizon; a null swing is unbounded.",
        ],
    }


def sobol_document(
    s: SobolIndices, scenario: Scenario, source_file: str | None = None
) -> dict[str, Any]:
    """The JSON document of ``roi sensitivity --method sobol``."""
    return {
        "schema_version": SENSITIVITY_SCHEMA_VERSION,
        "command": "sensitivity",
        "method": "sobol",
        "scenario": _scenario_doc(scenario, source_file),
        "option": s.option,
        "option_label": s.option_label,
        "metric": s.metric,
        "samples": s.samples,
        "evaluations": s.evaluations,
        "censored_payback": s.censored_payback,
        "rows": [
            {
                "path": r.path,
                "label": r.label,
                "first_order": r.first_order,
                "first_order_conf": r.first_order_conf,
                "total_order": r.total_order,
                "total_order_conf": r.total_order_conf,
            }
            for r in s.rows
        ],
        "notes": [
            "first_order (S1): share of the metric's variance from this input alone; "
            "total_order (ST): including its interactions; *_conf: 95 % bootstrap half-width.",
            "Saltelli design with N (D + 2) model runs (SALib).",
        ],
    }


# --- roi breakeven ----------------------------------------------------------------------------

BREAKEVEN_SCHEMA_VERSION = 1


def breakeven_document(
    b: Breakeven, scenario: Scenario, source_file: str | None = None
) -> dict[str, Any]:
    """The JSON document of ``roi breakeven``: per ranged input, where the option's NPV crosses
    zero and where the recommended option changes (in the input's unit, null when no value
    within the field's bounds gets there), where that sits in the input's range, and EVPI."""
    return {
        "schema_version": BREAKEVEN_SCHEMA_VERSION,
        "command": "breakeven",
        "scenario": _scenario_doc(scenario, source_file),
        "option": b.option,
        "option_label": b.option_label,
        "recommended": b.recommended,
        "base_npv": _json_number(b.base_npv),
        "evpi_total": None if b.evpi_total is None else _json_number(b.evpi_total),
        "samples": b.samples,
        "seed": b.seed,
        "rows": [
            {
                "path": r.path,
                "label": r.label,
                "unit": r.unit,
                "base": r.base,
                "npv_zero_at": r.npv_zero_at,
                "option_changes_at": r.option_changes_at,
                "option_changes_to": r.option_changes_to,
                "percentile_in_range": r.percentile_in_range,
                "option_change_percentile": r.option_change_percentile,
                "evpi": None if r.evpi is None else _json_number(r.evpi),
            }
            for r in b.rows
        ],
        "notes": [
            "One input at a time, every other input at its point estimate (the median).",
            "percentile_in_range: the share of the input's own range below the flip value.",
            "evpi: what knowing the input exactly before deciding is worth on average "
            f"({b.currency}); zero when it cannot change the decision.",
        ],
    }
