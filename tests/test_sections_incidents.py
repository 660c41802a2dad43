"""roi.present.sections.incidents: the incident table, DORA bands and break-even text show the
numbers evaluated, overrides included."""

from __future__ import annotations

import re

from conftest import ROOT, SCENARIOS_DIR, SEED

from roi.analysis.sweeps import mttr_sweep
from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.formatting import compact_money, money, number
from roi.present.sections import incidents

MTTR_BEFORE = "incidents.severities.sev1.mttr_hours_before"
RATE = 200_000 / 2080


def _cells(html: str) -> list[list[str]]:
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html)
    return [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r) for r in rows]


def test_incident_table_of_seed_by_hand() -> None:
    ev = evaluate(load_scenario(SEED))
    rows = _cells(incidents.incident_table(ev))
    sev1 = rows[1]
    assert sev1[:4] == ["sev1", "2", "4.3 h", "47 min"]
    assert sev1[4] == f"{number(24 * (4.3 - 47 / 60))} h"
    revenue = ev.inputs["business.revenue_per_hour"].point
    per_hour = revenue * 0.3 * ev.inputs["business.margin"].point + 4 * RATE
    assert sev1[5] == money(per_hour, "USD")
    assert sev1[6] == money(24 * 4.3 * per_hour, "USD")
    assert rows[-1][0] == "Total"


def test_an_mttr_override_shows_in_the_incident_table() -> None:
    """MTTR before overridden to 8 h (as the explorer and sweeps do): the table shows 8 h beside
    the hours avoided computed from 8 h, not the file's 4.3 h."""
    ev = evaluate(load_scenario(SEED), {MTTR_BEFORE: 8.0})
    html = incidents.incident_table(ev)
    sev1 = _cells(html)[1]
    assert sev1[2] == "8 h"
    assert sev1[3] == "47 min"  # after as the file states it (47 min), not 0.783 h
    assert sev1[4] == f"{number(24 * (8 - 47 / 60))} h"
    assert "4.3 h" not in html


def test_an_mttr_override_shows_in_the_dora_context() -> None:
    ev = evaluate(load_scenario(SEED), {MTTR_BEFORE: 30.0})
    sev1 = _cells(incidents.dora_context(ev))[1]
    assert sev1[1:3] == ["30 h", "between Medium and Low (1 day to 1 week)"]
    assert sev1[3:] == ["47 min", "Elite (&lt; 1 h)"]


def test_dora_bands() -> None:
    assert incidents.dora_band(0.5) == "Elite (< 1 h)"
    assert incidents.dora_band(5) == "High / Medium (< 1 day)"
    assert incidents.dora_band(200) == "Low (1 week to 1 month)"


def test_mttr_breakeven_text_names_each_option() -> None:
    s = load_scenario(SCENARIOS_DIR / "fintech-regulated.yaml")
    html = incidents.mttr_breakeven_text(mttr_sweep(s))
    assert "breaks even once MTTR falls by" in html
    assert "sev1 60 %, sev2 30 %" in html


def test_incident_source_note() -> None:
    assert "No incident export given" in incidents.incident_source_note()


def test_incident_source_note_names_the_export() -> None:
    # The shipped export-driven scenario: sev1/sev2 from the PagerDuty CSV, sev3 by hand.
    ev = evaluate(load_scenario(ROOT / "data_samples" / "northwind-from-exports.yaml"))
    text = incidents.incident_source_note(ev)
    assert "Incident numbers read from an export" in text
    assert "sev1 incidents a month: from pagerduty-2026-q1.csv" in text
    assert "sev2 MTTR before: from pagerduty-2026-q1.csv" in text
    assert "1 Jan–31 Mar 2026" in text
    assert "sev3: not in the export" in text
    assert "No incident export given" in incidents.incident_source_note(
        evaluate(load_scenario(SEED))
    )


def test_mttr_example_text_of_seed_by_hand() -> None:
    """The article's 4 h -> 1 h at the seed's history: 24 Sev-1 incidents a year, each hour of
    one costing $15,000 x 30 % revenue + 4 responders at the loaded rate."""
    ev = evaluate(load_scenario(SEED))
    per_hour_cut = 24 * (15_000 * 0.3 + 4 * RATE)
    text = incidents.mttr_example_text(ev)
    assert f"worth ≈ {compact_money(per_hour_cut, 'USD')} a year" in text
    assert f"4 h → 1 h would save ≈ {compact_money(3 * per_hour_cut, 'USD')} a year" in text
    no_incidents = evaluate(
        load_scenario(SEED), {"incidents.severities.sev1.incidents_per_month": 0.0}
    )
    assert incidents.mttr_example_text(no_incidents) == ""
