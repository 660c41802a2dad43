"""roi.present.text: the text table, CSV and diff views of breakdown documents."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import SCENARIOS_DIR, SEED

from roi.analysis.cashflows import cashflow_kpis
from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.documents import breakdown
from roi.present.text import (
    breakdown_csv,
    breakdown_table,
    cashflows_table,
    diff_document,
    diff_table,
)


def doc_of(path: Path) -> dict[str, Any]:
    return breakdown(evaluate(load_scenario(path)), str(path))


@pytest.fixture(scope="module")
def seed_doc() -> dict[str, Any]:
    return doc_of(SEED)


def test_table_explains_every_line(seed_doc: dict[str, Any]) -> None:
    text = breakdown_table(seed_doc)
    for o in seed_doc["options"][1:]:
        assert f"== {o['label']} ({o['key']})" in text
        for li in o["line_items"]:
            assert li["label"] in text
    # driver x unit value, with the currency: 672 person-h x $96.15/person-h = $64,615
    assert "672 person-h, contingency incl.  x  $96.15/person-h" in text
    assert "$64,615" in text
    assert "TEI cash flows (risk-adjusted)" in text
    assert "Readiness: all five pre-flight boxes checked" in text
    assert "Do nothing" not in text  # the baseline is not a section


def test_table_shows_gaps_first_and_no_payback() -> None:
    text = breakdown_table(doc_of(SCENARIOS_DIR / "fintech-regulated.yaml"))
    assert "== Readiness: FIX THESE GAPS FIRST" in text
    assert "[ ] Does my manager's manager understand why this matters?" in text
    assert "Payback       not within horizon" in text
    assert "€" in text


def test_csv_has_one_row_per_line_item(seed_doc: dict[str, Any]) -> None:
    rows = list(csv.DictReader(io.StringIO(breakdown_csv(seed_doc))))
    expected = sum(len(o["line_items"]) for o in seed_doc["options"])
    assert len(rows) == expected
    assert list(rows[0])[:3] == ["option", "key", "label"]
    for r in rows:
        if r["one_off"] == "False":
            assert float(r["monthly"]) == pytest.approx(float(r["driver"]) * float(r["unit_value"]))


def test_diff_of_identical_documents_is_empty(seed_doc: dict[str, Any]) -> None:
    doc = diff_document(seed_doc, seed_doc)
    assert doc["kpis"] == doc["figures"] == doc["assumptions"] == []
    assert diff_table(doc).endswith("no differences")


def test_diff_change_fraction_from_zero_is_none(seed_doc: dict[str, Any]) -> None:
    new = {**seed_doc, "assumptions": [dict(a) for a in seed_doc["assumptions"]]}
    for a in new["assumptions"]:
        if a["path"] == "timeline.traffic_growth_per_month":
            a["value"] = 0.02
    doc = diff_document(seed_doc, new)
    (row,) = doc["assumptions"]
    assert row["path"] == "timeline.traffic_growth_per_month"
    assert row["change"] == pytest.approx(0.02)
    assert row["change_fraction"] is None  # no relative change from 0


def test_diff_lists_an_option_present_on_one_side_only(seed_doc: dict[str, Any]) -> None:
    new = {**seed_doc, "options": seed_doc["options"][:2]}  # datadog removed
    doc = diff_document(seed_doc, new)
    gone = [k for k in doc["kpis"] if k["option"] == "datadog"]
    assert gone
    assert all(k["new"] is None for k in gone)
    assert "n/a" in diff_table(doc)


def test_cashflows_table() -> None:
    b, c = np.array([0.0, 900.0, 900.0]), np.array([300.0, 100.0, 100.0])
    text = cashflows_table("t.csv", b, c, 0.1, cashflow_kpis(b, c, 0.1))
    assert text.startswith("t.csv: TEI convention")
    assert "discount rate 10.0%" in text
    assert "Initial  Year 1  Year 2" in text
    # net 800 a year, 66.7 a month: 300 back during month 5
    assert "Payback      5 months" in text


def test_headline_figures_read_as_people_say_them(seed_doc: dict[str, Any]) -> None:
    """Seed: 30 services at 30 a week onboard in 1 week ("1 week", not "1.0 weeks" or
    "1 weeks"); 200 spans x 0.2 ms add 40 ms."""
    text = breakdown_table(seed_doc)
    assert "Managed onboarding" in text
    line = next(x for x in text.splitlines() if "Managed onboarding" in x)
    assert line.rstrip().endswith(" 1 week")
    overhead = next(x for x in text.splitlines() if "Latency added by instrumentation" in x)
    assert overhead.rstrip().endswith(" 40 ms")


def test_diff_of_a_fraction_input_is_in_points(seed_doc: dict[str, Any]) -> None:
    new = {**seed_doc, "assumptions": [dict(a) for a in seed_doc["assumptions"]]}
    for a in new["assumptions"]:
        if a["path"] == "rollout.contingency_fraction":
            a["value"] = 0.5
    doc = diff_document(seed_doc, new)
    (row,) = doc["assumptions"]
    assert row["label"] == "Contingency on estimates"
    assert row["change_points"] == pytest.approx(10.0)  # 40 % -> 50 %
    line = diff_table(doc).splitlines()[-1]
    assert line.split() == ["Contingency", "on", "estimates", "40", "%", "50", "%", "+10.0", "pp"]
