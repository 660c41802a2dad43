"""The incidents deep dive: per severity MTTR, hours avoided and exposure, DORA's recovery bands,
and the MTTR reduction each option needs to break even."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from roi.analysis.sweeps import MttrSweep
from roi.inputs.references import cite
from roi.model import Evaluation
from roi.present.formatting import compact_money, hours_text, money, number
from roi.present.html import Html, block, esc, html_table, note
from roi.present.read import figures, input_point, scalar
from roi.present.words import pct


def severities(evaluation: Evaluation) -> list[str]:
    """The incident classes evaluated, in the scenario's order."""
    return list(evaluation.scenario.incidents.severities)


def incident_table(evaluation: Evaluation) -> Html:
    """Per severity: incidents, MTTR before and after, hours avoided, cost per hour, exposure.

    Every number is the one evaluated (``Evaluation.inputs`` and figures), overrides included.
    """
    cur = evaluation.scenario.currency
    f = {k: scalar(v) for k, v in figures(evaluation).items() if np.ndim(v) == 0}
    rows = []
    for sev in severities(evaluation):
        incidents = input_point(evaluation, f"incidents.severities.{sev}.incidents_per_month")
        rows.append(
            [
                esc(sev),
                esc(number(incidents)),
                esc(hours_text(f[f"mttr_hours_before.{sev}"])),
                esc(hours_text(f[f"mttr_hours_after.{sev}"])),
                esc(f"{number(f[f'incident_hours_avoided_per_year.{sev}'])} h"),
                esc(money(f[f"incident_cost_per_hour.{sev}"], cur)),
                esc(money(f[f"incident_exposure_per_year_before.{sev}"], cur)),
                esc(money(f[f"incident_exposure_per_year_after.{sev}"], cur)),
            ]
        )
    rows.append(
        [
            "Total",
            "",
            "",
            "",
            esc(f"{number(f['incident_hours_avoided_per_year'])} h"),
            "",
            esc(money(f["incident_exposure_per_year_before"], cur)),
            esc(money(f["incident_exposure_per_year_after"], cur)),
        ]
    )
    r = input_point(evaluation, "incidents.incident_reduction_fraction")
    extra = f" After also counts {pct(r)} fewer incidents (repeat incidents avoided)." if r else ""
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


def dora_band(hours: float) -> str:
    """The DORA recovery-time band an MTTR [h] falls in."""
    if hours < 1:
        return "Elite (< 1 h)"
    if hours < 24:
        return "High / Medium (< 1 day)"
    if hours < 168:
        return "between Medium and Low (1 day to 1 week)"
    return "Low (1 week to 1 month)"


def dora_context(evaluation: Evaluation) -> Html:
    """Where each severity's MTTR (as evaluated) sits against DORA's recovery-time bands."""
    f = figures(evaluation)
    rows = []
    for sev in severities(evaluation):
        before = scalar(f[f"mttr_hours_before.{sev}"])
        after = scalar(f[f"mttr_hours_after.{sev}"])
        rows.append(
            [
                esc(sev),
                esc(hours_text(before)),
                esc(dora_band(before)),
                esc(hours_text(after)),
                esc(dora_band(after)),
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
        return f"does not break even, even with MTTR {pct(top)} shorter"
    if x == 0:
        return "pays for itself with no MTTR reduction at all"
    return f"breaks even once MTTR falls by {pct(x)}"


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
    current = ", ".join(f"{k} {pct(v)}" for k, v in sweep.current.items())
    return block(
        f"<ul>{''.join(items)}</ul>",
        f'<p class="roi-muted">The scenario assumes MTTR reductions of {esc(current)}. The sweep '
        "applies one reduction to every severity, all other assumptions as in the scenario.</p>",
    )


_EXPORTED = {"incidents_per_month": "incidents a month", "mttr_hours_before": "MTTR before"}


def incident_export_sources(evaluation: Evaluation) -> list[tuple[str, str, str]]:
    """(severity, quantity, source) of each incident number read from an export
    (``incidents_from:``): an evaluated input, not overridden, whose source names the file."""
    export = evaluation.scenario.incidents_from
    if export is None:
        return []
    file = export if isinstance(export, str) else export.file
    prefix = f"from {Path(file).name}"
    out = []
    for sev in severities(evaluation):
        for field, label in _EXPORTED.items():
            item = evaluation.inputs.get(f"incidents.severities.{sev}.{field}")
            source = item.source if item is not None and not item.overridden else None
            if source and source.startswith(prefix):
                out.append((sev, label, source))
    return out


def incident_source_note(evaluation: Evaluation | None = None) -> Html:
    """Where the incident numbers come from: the export each was read from, or the scenario."""
    sources = [] if evaluation is None else incident_export_sources(evaluation)
    if not sources or evaluation is None:
        return note(
            "No incident export given (PagerDuty or Opsgenie CSV); incident counts and "
            "resolution times are the numbers in the scenario file, with the sources listed in "
            "its appendix."
        )
    text = "Incident numbers read from an export: " + "; ".join(
        f"{sev} {label}: {source}" for sev, label, source in sources
    )
    by_hand = [sev for sev in severities(evaluation) if sev not in {s for s, _, _ in sources}]
    if by_hand:
        text += f". {', '.join(by_hand)}: not in the export, the numbers in the scenario file"
    return note(text + ".")


def mttr_example_text(evaluation: Evaluation) -> str:
    """The seed article's pitch at this scenario's incident history: what cutting every
    incident's MTTR from 4 h to 1 h would be worth a year.

    Value [currency/year] = 3 h × Σ over severities of incidents a month × 12 × cost per
    incident hour (revenue lost + responders, as evaluated), at today's incident counts and
    before the TEI risk adjustment.
    """
    f = figures(evaluation)
    per_hour_cut = 0.0
    for sev in severities(evaluation):
        incidents = input_point(evaluation, f"incidents.severities.{sev}.incidents_per_month")
        per_hour_cut += incidents * 12 * scalar(f[f"incident_cost_per_hour.{sev}"])
    if not per_hour_cut:
        return ""
    cur = evaluation.scenario.currency
    return (
        f"Each hour cut from every incident's resolution is worth ≈ "
        f"{compact_money(per_hour_cut, cur)} a year at this incident history, so the article's "
        f"4 h → 1 h would save ≈ {compact_money(3 * per_hour_cut, cur)} a year."
    )
