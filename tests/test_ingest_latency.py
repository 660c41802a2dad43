"""roi.inputs.ingest.latency: Prometheus vector and matrix responses (shapes from the Prometheus
HTTP API docs and Jaeger's metricstore fixtures), CSV, units, NaN and implausible values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from roi.inputs.ingest._common import IngestError
from roi.inputs.ingest.latency import latency_fragment, latency_table, read_latency

EXPORTS = ROOT / "data_samples" / "exports"


def prom(
    tmp_path: Path, kind: str, result: list[Any], status: str = "success", **extra: Any
) -> Path:
    path = tmp_path / "q.json"
    doc = {"status": status, "data": {"resultType": kind, "result": result}, **extra}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def series(labels: dict[str, str], values: list[str]) -> dict[str, Any]:
    return {
        "metric": labels,
        "values": [[1435781430.781 + 60 * i, v] for i, v in enumerate(values)],
    }


def test_vector_in_seconds_hand_checked(tmp_path: Path) -> None:
    path = prom(
        tmp_path,
        "vector",
        [
            {
                "metric": {"service_name": "shop", "span_name": "GET /cart"},
                "value": [1435781451.781, "0.5"],
            },
            {
                "metric": {"service_name": "shop", "span_name": "GET /pay"},
                "value": [1435781451.781, "1.25"],
            },
            {
                "metric": {"service_name": "shop", "span_name": "GET /idle"},
                "value": [1435781451.781, "NaN"],
            },
        ],
    )
    doc = read_latency(path)
    assert doc["schema_version"] == 1
    assert doc["format"] == "prometheus-vector"
    assert doc["label"] == "span_name"
    assert doc["unit"] == "s"
    assert doc["endpoints"]["GET /cart"]["p95_ms"] == pytest.approx(500.0)
    assert doc["endpoints"]["GET /pay"]["p95_ms"] == pytest.approx(1250.0)
    assert "GET /idle" not in doc["endpoints"]  # NaN is no traffic, not zero
    assert any("NaN" in w for w in doc["warnings"])
    assert any("assumed seconds" in w for w in doc["warnings"])


def test_matrix_mean_of_steps_and_nan_is_not_zero(tmp_path: Path) -> None:
    path = prom(tmp_path, "matrix", [series({"route": "/a"}, ["1", "NaN", "2", "3"])])
    doc = read_latency(path)
    a = doc["endpoints"]["/a"]
    assert a["p95_ms"] == pytest.approx(2000.0)  # (1 + 2 + 3) / 3 s, the NaN step left out
    assert a["max_ms"] == pytest.approx(3000.0)
    assert a["samples"] == 3
    assert "mean of the per-step P95" in doc["aggregation"]
    assert "not itself a quantile" in doc["aggregation"]


def test_unit_ms_and_label_choice(tmp_path: Path) -> None:
    path = prom(
        tmp_path,
        "matrix",
        [series({"service_name": "s", "span_name": "op", "http_route": "/r"}, ["40"])],
    )
    doc = read_latency(path, unit="ms", label="http_route")
    assert doc["endpoints"] == {"/r": {"p95_ms": 40.0, "max_ms": 40.0, "samples": 1, "series": 1}}
    assert not any("assumed" in w for w in doc["warnings"])


def test_implausible_values_are_flagged_and_kept_out(tmp_path: Path) -> None:
    # "9223372036854" is the sentinel in Jaeger's metricstore fixtures.
    path = prom(
        tmp_path, "matrix", [series({"route": "/a"}, ["0.2", "9223372036854", "-1", "+Inf", "0.4"])]
    )
    doc = read_latency(path)
    assert doc["endpoints"]["/a"]["p95_ms"] == pytest.approx(300.0)
    (warning,) = [w for w in doc["warnings"] if "implausible" in w]
    assert warning.startswith("3 implausible value(s)")
    assert "values[1]" in warning
    fragment = latency_fragment(doc)
    assert fragment["latency"]["latency_ms_before"]["value"] == pytest.approx(300.0)


def test_status_warning_and_empty_result(tmp_path: Path) -> None:
    path = prom(tmp_path, "matrix", [], status="warning", warnings=["query was slow"])
    with pytest.raises(IngestError, match=r"data\.result is empty.*query was slow"):
        read_latency(path)
    path = prom(
        tmp_path,
        "vector",
        [{"metric": {"handler": "/h"}, "value": [1, "0.1"]}],
        status="warning",
        warnings=["partial"],
    )
    assert "Prometheus warning: partial" in read_latency(path)["warnings"]


@pytest.mark.parametrize(
    ("doc", "fragment"),
    [
        (
            {"status": "error", "errorType": "bad_data", "error": "parse error"},
            "bad_data: parse error",
        ),
        (
            {"status": "success", "data": {"resultType": "scalar", "result": [1, "2"]}},
            "'scalar' is not allowed",
        ),
        (
            {
                "status": "success",
                "data": {
                    "resultType": "vector",
                    "result": [{"metric": {"job": "x"}, "value": [1, "2"]}],
                },
            },
            "no endpoint label (labels: job)",
        ),
        (
            {
                "status": "success",
                "data": {
                    "resultType": "matrix",
                    "result": [{"metric": {"route": "/"}, "histograms": []}],
                },
            },
            "native histogram",
        ),
        (
            {
                "status": "success",
                "data": {
                    "resultType": "vector",
                    "result": [{"metric": {"route": "/"}, "value": [1, "fast"]}],
                },
            },
            "'fast' is not a number",
        ),
        ({"data": []}, "not a Prometheus API response"),
    ],
)
def test_bad_prometheus_documents(tmp_path: Path, doc: Any, fragment: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(IngestError) as err:
        read_latency(path)
    assert str(err.value).startswith(str(path))
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


def test_truncated_json_and_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('{"status": "success", "data": {', encoding="utf-8")
    with pytest.raises(IngestError, match="truncated or invalid JSON"):
        read_latency(path)
    path.write_text("", encoding="utf-8")
    with pytest.raises(IngestError, match="empty"):
        read_latency(path)


def test_csv_wide_and_long(tmp_path: Path) -> None:
    wide = tmp_path / "w.csv"
    wide.write_text("service,endpoint,p95_ms\nweb,/a,120\nweb,/b,-3\n", encoding="utf-8")
    doc = read_latency(wide)
    assert doc["format"] == "csv-wide"
    assert doc["endpoints"]["/a"]["p95_ms"] == 120.0
    assert "/b" not in doc["endpoints"]
    long = tmp_path / "l.csv"
    long.write_text(
        "timestamp,endpoint,value\n2026-01-01T00:00:00Z,/a,100\n2026-01-01T01:00:00Z,/a,300\n",
        encoding="utf-8",
    )
    doc = read_latency(long, unit="ms")
    assert doc["format"] == "csv-long"
    assert doc["endpoints"]["/a"]["p95_ms"] == pytest.approx(200.0)
    assert doc["period"] == "2026-01-01 00:00 to 2026-01-01 01:00 UTC"
    bad = tmp_path / "b.csv"
    bad.write_text("when,latency\n1,2\n", encoding="utf-8")
    with pytest.raises(IngestError, match="no endpoint column"):
        read_latency(bad)


def test_fragment_needs_an_endpoint_when_several(tmp_path: Path) -> None:
    doc = read_latency(EXPORTS / "prometheus-matrix.json")
    with pytest.raises(IngestError, match="choose one with --endpoint: /cart, /checkout, /search"):
        latency_fragment(doc)
    before = latency_fragment(doc, "/checkout")["latency"]["latency_ms_before"]
    assert before["unit"] == "ms"
    assert "prometheus-matrix.json" in before["source"]
    assert "/checkout" in before["source"]
    with pytest.raises(IngestError, match="not in the export"):
        latency_fragment(doc, "/nope")


@pytest.mark.parametrize(
    "name",
    ["prometheus-vector.json", "prometheus-matrix.json", "latency-p95.csv", "latency-long.csv"],
)
def test_sample_exports(name: str) -> None:
    doc = read_latency(EXPORTS / name)
    assert doc["endpoints"]
    assert all(0 < e["p95_ms"] < 600_000 for e in doc["endpoints"].values())
    assert latency_table(doc).startswith(name)


@settings(max_examples=30)
@given(st.lists(st.floats(0.001, 500, allow_nan=False), min_size=1, max_size=20))
def test_seconds_and_milliseconds_agree(
    tmp_path_factory: pytest.TempPathFactory, values: list[float]
) -> None:
    folder = tmp_path_factory.mktemp("u")
    s = read_latency(
        prom(folder, "matrix", [series({"route": "/x"}, [repr(v) for v in values])]), unit="s"
    )
    ms = read_latency(
        prom(folder, "matrix", [series({"route": "/x"}, [repr(v * 1000) for v in values])]),
        unit="ms",
    )
    assert s["endpoints"]["/x"]["p95_ms"] == pytest.approx(
        ms["endpoints"]["/x"]["p95_ms"], rel=1e-6, abs=1e-3
    )
