"""``roi ingest``: tables, versioned JSON, fragments that ``roi validate`` accepts, and one-line
errors with exit code 2 and nothing written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from conftest import ROOT, SCENARIOS_DIR, RunCli

EXPORTS = ROOT / "data_samples" / "exports"


def test_incidents_json_keys(run_cli: RunCli) -> None:
    code, out, err = run_cli(
        "ingest", "incidents", EXPORTS / "pagerduty-2026-q1.csv", "--format", "json"
    )
    assert code == 0, err
    doc = json.loads(out)
    for key in (
        "schema_version", "source", "period_start", "period_end", "months_covered",
        "severities", "open_incidents", "services", "skipped_rows", "warnings",
    ):  # fmt: skip
        assert key in doc, key
    for entry in doc["severities"].values():
        assert set(entry) == {
            "count",
            "incidents_per_month",
            "mttr_hours_mean",
            "mttr_hours_median",
            "mttr_hours_p90",
        }


def test_fragment_round_trip_through_validate(run_cli: RunCli, tmp_path: Path) -> None:
    for path in SCENARIOS_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path)
    fragment = tmp_path / "pd.yaml"
    code, out, err = run_cli(
        "ingest", "incidents", EXPORTS / "pagerduty-2026-q1.csv", "--out", fragment
    )
    assert code == 0, err
    assert "117 incidents" in out
    data = yaml.safe_load(fragment.read_text())
    assert set(data["incidents"]["severities"]) == {"sev1", "sev2"}
    case = tmp_path / "case.yaml"
    case.write_text("extends: ecommerce-midsize.yaml\nincidents_from: pd.yaml\n", encoding="utf-8")
    code, out, err = run_cli("validate", case)
    assert code == 0, err
    code, out, err = run_cli("breakdown", case, "--format", "json")
    assert code == 0, err
    sources = [
        a["source"]
        for a in json.loads(out)["assumptions"]
        if a["path"].endswith("mttr_hours_before")
    ]
    assert any("pagerduty-2026-q1.csv" in s and "1 Jan–31 Mar 2026" in s for s in sources)


def test_traces_and_latency_commands(run_cli: RunCli, tmp_path: Path) -> None:
    code, out, err = run_cli(
        "ingest", "traces", EXPORTS / "otlp.jsonl", EXPORTS / "jaeger-v1-envelope.json",
        "--format", "json", "--out", tmp_path / "t.yaml",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["format"] == "otlp-jsonl+jaeger-v1"
    assert "spans_per_request" in (tmp_path / "t.yaml").read_text()
    code, out, err = run_cli(
        "ingest", "latency", EXPORTS / "prometheus-matrix.json", "--endpoint", "/checkout",
        "--out", tmp_path / "l.yaml",
    )  # fmt: skip
    assert code == 0, err
    assert "latency_ms_before" in (tmp_path / "l.yaml").read_text()


def test_errors_are_one_line_exit_2_and_write_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    out_path = tmp_path / "never.yaml"
    cases = [
        ("incidents", EXPORTS / "jira-jsm.csv"),
        ("traces", EXPORTS / "zipkin-v1.json"),
        ("latency", EXPORTS / "prometheus-matrix.json"),  # several endpoints, no --endpoint
        ("incidents", tmp_path),
    ]
    for kind, path in cases:
        code, _out, err = run_cli("ingest", kind, path, "--out", out_path)
        assert code == 2, (kind, err)
        assert "Traceback" not in err
        assert len(err.strip().splitlines()) == 1, err
        assert str(path.name) in err
        assert not out_path.exists()
        assert list(tmp_path.iterdir()) == []
