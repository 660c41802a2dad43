"""roi.inputs.ingest.fragments: ``incidents_from``, ``traces_from`` and ``latency_from`` in a
scenario: exports and fragments pulled in, sourced to the file, paths kept inside the scenario's
folder tree, and one-line errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SCENARIOS_DIR

from roi.inputs.errors import ScenarioError
from roi.inputs.scenario import load_scenario

EXPORTS = ROOT / "data_samples" / "exports"


@pytest.fixture
def case(tmp_path: Path) -> Path:
    """A folder with the shipped scenarios and the sample exports under ``exports/``."""
    for path in SCENARIOS_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path)
    shutil.copytree(EXPORTS, tmp_path / "exports")
    return tmp_path


def scenario(case: Path, body: str, name: str = "s.yaml") -> Path:
    path = case / name
    path.write_text("extends: ecommerce-midsize.yaml\n" + body, encoding="utf-8")
    return path


def test_incidents_from_a_csv_replaces_values_and_sources(case: Path) -> None:
    s = load_scenario(scenario(case, "incidents_from: exports/generic-incidents.csv\n"))
    sev1 = s.incidents.severities["sev1"]
    # generic-incidents.csv: SEV1 INC-1 took 2.5 h, INC-4 is open; March-April: 2 months.
    assert sev1.incidents_per_month.value == pytest.approx(1.0)
    assert sev1.mttr_hours_before.value == pytest.approx(2.5)
    assert "generic-incidents.csv" in (sev1.mttr_hours_before.source or "")
    assert "1 Mar–30 Apr 2026" in (sev1.incidents_per_month.source or "")
    # What the export does not hold stays as the scenario wrote it.
    assert sev1.revenue_impact_fraction.value == pytest.approx(0.5)


def test_incidents_from_options_and_fragment(case: Path) -> None:
    path = scenario(case, "incidents_from: {file: exports/jira-jsm.csv, tz: UTC}\n")
    assert "jira-jsm.csv" in (
        load_scenario(path).incidents.severities["sev2"].mttr_hours_before.source or ""
    )
    fragment = case / "frag.yaml"
    fragment.write_text(
        "incidents:\n  severities:\n    sev2:\n      incidents_per_month: "
        "{value: 7, unit: count/month, source: from x.csv}\n",
        encoding="utf-8",
    )
    s = load_scenario(scenario(case, "incidents_from: frag.yaml\n"))
    assert s.incidents.severities["sev2"].incidents_per_month.value == 7


def test_traces_and_latency_from(case: Path) -> None:
    body = (
        "traces_from: exports/zipkin-v2.json\n"
        "latency_from: {file: exports/prometheus-matrix.json, endpoint: /checkout}\n"
    )
    s = load_scenario(scenario(case, body))
    assert s.instrumentation.spans_per_request.value == pytest.approx(10.0)  # 10 records, 1 trace
    assert "zipkin-v2.json" in (s.instrumentation.bytes_per_span.source or "")
    assert s.latency is not None
    assert 1000 < s.latency.latency_ms_before.value < 3000
    assert "/checkout" in (s.latency.latency_ms_before.source or "")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("incidents_from: ../outside.csv\n", "is outside the scenario's folder"),
        ("incidents_from: exports/nope.csv\n", "incidents_from: file not found"),
        (
            "incidents_from: {file: exports/generic-incidents.csv, zone: UTC}\n",
            "incidents_from.zone: unknown option",
        ),
        ("incidents_from: 3\n", "must be a path to an export"),
        ("incidents_from: exports/jira-jsm.csv\n", "has no time zone"),
        ("incidents_from: exports/goalert-alert-metrics.csv\n", "severity class unclassified"),
        ("latency_from: exports/prometheus-matrix.json\n", "choose one with --endpoint"),
        ("traces_from: exports/zipkin-v1.json\n", "Zipkin v1"),
    ],
)
def test_bad_references_are_one_line(case: Path, body: str, fragment: str) -> None:
    (case.parent / "outside.csv").write_text("id,started_at\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(scenario(case, body))
    assert fragment in str(err.value)
    assert len(str(err.value).splitlines()) == 1


def test_fragment_with_other_sections_is_refused(case: Path) -> None:
    (case / "f.yaml").write_text("business: {margin: 1}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="holds only incidents"):
        load_scenario(scenario(case, "incidents_from: f.yaml\n"))
