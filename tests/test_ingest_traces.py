"""roi.inputs.ingest.traces: format detection, span counting per format (shapes of the upstream
fixtures recorded in FORMATS.md), ns/µs, id normalisation, orphans, errors, and invariances."""

from __future__ import annotations

import base64
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from roi.inputs.ingest import traces
from roi.inputs.ingest._common import IngestError, percentile
from roi.inputs.ingest.traces import (
    detect_format,
    normalize_id,
    read_traces,
    trace_fragment,
    trace_summary,
    traces_table,
)

EXPORTS = ROOT / "data_samples" / "exports"
TRACE = "0000000000000000000000000000abcd"


def dump(tmp_path: Path, doc: Any, name: str = "t.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def summarize(tmp_path: Path, doc: Any, name: str = "t.json") -> dict[str, Any]:
    path = dump(tmp_path, doc, name)
    return trace_summary(read_traces([path]), [str(path)])


def otlp_span(
    span_id: str, parent: str = "", start: Any = "1706678909209712000", **extra: Any
) -> dict[str, Any]:
    end = str(int(start) + 123000) if isinstance(start, str) else start + 123000
    return {
        "traceId": TRACE,
        "spanId": span_id,
        "parentSpanId": parent,
        "name": "op",
        "kind": 2,
        "startTimeUnixNano": start,
        "endTimeUnixNano": end,
        "attributes": [{"key": "http.route", "value": {"stringValue": "/x"}}],
        **extra,
    }


def otlp(spans: list[dict[str, Any]], service: str = "api", old: bool = False) -> dict[str, Any]:
    scopes, scope = (
        ("instrumentationLibrarySpans", "instrumentationLibrary")
        if old
        else ("scopeSpans", "scope")
    )
    return {
        "resourceSpans": [
            {
                "resource": {
                    "attributes": [{"key": "service.name", "value": {"stringValue": service}}]
                },
                scopes: [{scope: {"name": "lib"}, "spans": spans}],
            }
        ]
    }


def test_ns_and_us_agree_jaeger_v1_and_otlp(tmp_path: Path) -> None:
    # Jaeger's conversion fixture pair: 1706678909209712000 ns is startTime 1706678909209712 µs,
    # and 123000 ns of duration is 123 µs.
    otlp_doc = otlp([otlp_span("0000000000000001")])
    jaeger = {
        "traceID": TRACE,
        "spans": [
            {
                "traceID": TRACE,
                "spanID": "0000000000000001",
                "references": [],
                "startTime": 1706678909209712,
                "duration": 123,
                "tags": [{"key": "http.route", "type": "string", "value": "/x"}],
                "processID": "p1",
            }
        ],
        "processes": {"p1": {"serviceName": "api", "tags": []}},
    }
    a = summarize(tmp_path, otlp_doc, "o.json")
    b = summarize(tmp_path, jaeger, "j.json")
    assert a["format"] == "otlp-json"
    assert b["format"] == "jaeger-v1-trace"
    for key in ("span_records", "traces", "services", "root_duration_ms_p50", "error_spans"):
        assert a[key] == b[key], key
    assert a["root_duration_ms_p50"] == pytest.approx(0.123)


def test_otlp_numbers_strings_base64_and_old_keys_count_alike(tmp_path: Path) -> None:
    hexes = ["00000000000000a1", "00000000000000a2"]
    b64 = [base64.b64encode(bytes.fromhex(h)).decode() for h in hexes]
    plain = otlp([otlp_span(hexes[0]), otlp_span(hexes[1], hexes[0])])
    other = otlp(
        [
            otlp_span(b64[0], start=1706678909209712000),
            otlp_span(b64[1], b64[0], start=1706678909209712000),
        ],
        old=True,
    )
    for span in other["resourceSpans"][0]["instrumentationLibrarySpans"][0]["spans"]:
        span["traceId"] = base64.b64encode(bytes.fromhex(TRACE)).decode()
    a, b = summarize(tmp_path, plain, "a.json"), summarize(tmp_path, other, "b.json")
    for key in (
        "span_records",
        "distinct_span_ids",
        "traces",
        "orphan_spans",
        "root_duration_ms_p95",
    ):
        assert a[key] == b[key], key
    assert a["orphan_spans"] == 0
    assert a["traces"] == 1


def test_jaeger_v3_envelope(tmp_path: Path) -> None:
    doc = {"result": otlp([otlp_span("01"), otlp_span("02", "01", status={"code": 2})])}
    summary = summarize(tmp_path, doc)
    assert summary["format"] == "jaeger-v3"
    assert summary["error_spans"] == 1
    assert summary["services"] == {"api": 2}


def test_jsonl_and_one_object_give_the_same_counts(tmp_path: Path) -> None:
    requests = [otlp([otlp_span(f"{i:016x}")], service=f"s{i % 2}") for i in range(1, 6)]
    for i, r in enumerate(requests):
        for span in r["resourceSpans"][0]["scopeSpans"][0]["spans"]:
            span["traceId"] = f"{i + 1:032x}"
    lines = tmp_path / "t.jsonl"
    lines.write_text("".join(json.dumps(r) + "\n" for r in requests), encoding="utf-8")
    merged = {"resourceSpans": [rs for r in requests for rs in r["resourceSpans"]]}
    a = trace_summary(read_traces([lines]), [str(lines)])
    b = summarize(tmp_path, merged)
    assert a["format"] == "otlp-jsonl"
    for key in ("span_records", "distinct_span_ids", "traces", "services", "mean_bytes_per_span"):
        assert a[key] == b[key], key


def test_zipkin_shared_halves_count_once_and_remote_endpoint_is_not_a_service(
    tmp_path: Path,
) -> None:
    spans = [
        {"traceId": "a1", "id": "1", "kind": "SERVER", "timestamp": 10, "duration": 5000,
         "localEndpoint": {"serviceName": "frontend"}},
        {"traceId": "a1", "parentId": "1", "id": "2", "kind": "CLIENT", "timestamp": 20,
         "duration": 900, "localEndpoint": {"serviceName": "frontend"},
         "remoteEndpoint": {"serviceName": "backend"}},
        {"traceId": "a1", "parentId": "1", "id": "2", "kind": "SERVER", "shared": True,
         "timestamp": 30, "duration": 700, "localEndpoint": {"serviceName": "backend"},
         "tags": {"error": "boom"}},
        {"traceId": "a1", "parentId": "9", "id": "3", "localEndpoint": {"serviceName": "unknown"}},
    ]  # fmt: skip
    summary = summarize(tmp_path, spans)
    assert summary["format"] == "zipkin-v2"
    assert summary["span_records"] == 4
    assert summary["distinct_span_ids"] == 3
    assert summary["services"] == {"frontend": 2, "backend": 1, "unknown": 1}
    assert summary["orphan_spans"] == 1  # parent 9 is not in the file
    assert summary["error_spans"] == 1
    assert summary["root_duration_ms_p50"] == pytest.approx(5.0)
    assert any("without a duration" in w for w in summary["warnings"])
    multi = summarize(tmp_path, [spans[:3], [{**spans[0], "traceId": "b2"}]])
    assert multi["format"] == "zipkin-v2-traces"
    assert multi["traces"] == 2
    assert multi["mean_spans_per_trace"] == pytest.approx(2.0)


def test_jaeger_envelope_processes_orphans_and_cross_trace_refs(tmp_path: Path) -> None:
    def span(sid: str, refs: list[dict[str, str]], pid: str, error: bool = False) -> dict[str, Any]:
        tags = [{"key": "error", "type": "bool", "value": True}] if error else []
        return {"traceID": "t1", "spanID": sid, "references": refs, "startTime": 1,
                "duration": 2000, "tags": tags, "processID": pid}  # fmt: skip

    trace = {
        "traceID": "t1",
        "spans": [
            span("a", [], "p1"),
            span("b", [{"refType": "CHILD_OF", "traceID": "t1", "spanID": "a"}], "p2", True),
            span("c", [{"refType": "CHILD_OF", "traceID": "t1", "spanID": "zz"}], "p2"),
            span("d", [{"refType": "FOLLOWS_FROM", "traceID": "t9", "spanID": "q"}], "p1"),
        ],
        "processes": {"p1": {"serviceName": "web"}, "p2": {"serviceName": "db"}},
    }
    summary = summarize(
        tmp_path, {"data": [trace], "total": 0, "limit": 0, "offset": 0, "errors": None}
    )
    assert summary["format"] == "jaeger-v1"
    assert summary["services"] == {"db": 2, "web": 2}
    assert summary["orphan_spans"] == 1
    assert summary["error_spans"] == 1
    assert any("other traces" in w for w in summary["warnings"])


def test_bytes_per_span_spreads_the_shared_resource(tmp_path: Path) -> None:
    spans = [otlp_span("01"), otlp_span("02", "01")]
    doc = otlp(spans)
    compact = lambda o: len(json.dumps(o, separators=(",", ":")).encode())  # noqa: E731
    rs = doc["resourceSpans"][0]
    shared = compact(rs["resource"]) + compact(rs["scopeSpans"][0]["scope"])
    expected = (compact(spans[0]) + compact(spans[1]) + shared) / 2
    assert summarize(tmp_path, doc)["mean_bytes_per_span"] == pytest.approx(expected, abs=0.05)


@pytest.mark.parametrize(
    ("doc", "fragment"),
    [
        ([{"traceId": "a", "id": "b", "binaryAnnotations": []}], "Zipkin v1"),
        (
            [{"traceId": "a", "id": "b", "annotations": [{"value": "sr", "endpoint": {}}]}],
            "Zipkin v1",
        ),
        ({"spans": [], "foo": 1}, "unknown trace format: a JSON object with keys spans, foo"),
        ([], "an empty JSON array"),
        ([1, 2], "a JSON array of int"),
        ({"resourceSpans": []}, "no spans"),
    ],
)
def test_rejected_documents_say_what_was_seen(tmp_path: Path, doc: Any, fragment: str) -> None:
    path = dump(tmp_path, doc)
    with pytest.raises(IngestError) as err:
        read_traces([path])
    assert str(err.value).startswith(str(path))
    assert fragment in str(err.value)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty"),
        (b'{"resourceSpans": [', "truncated or invalid JSON"),
        (b"\x00\x01\x02binary", "binary data"),
        (b'{"resourceSpans": []}\n{"resourceSpans": [\n', "line 2"),
    ],
)
def test_bad_files(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(IngestError, match=fragment):
        read_traces([path])
    with pytest.raises(IngestError, match="is a directory"):
        read_traces([tmp_path])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("AAAAAAAAAAAAAAAAAAAAAQ==", "00000000000000000000000000000001"),  # Jaeger domain_01
        ("AAAAAAAAAAI=", "0000000000000002"),
        ("ABCDEF", "0000000000abcdef"),
        ("1" + "0" * 16, "00000000000000010000000000000000"),
        ("", ""),
    ],
)
def test_normalize_id(raw: str, expected: str) -> None:
    assert normalize_id(raw) == expected


@settings(max_examples=50)
@given(st.binary(min_size=8, max_size=8) | st.binary(min_size=16, max_size=16))
def test_hex_and_base64_ids_normalise_alike(raw: bytes) -> None:
    assert normalize_id(raw.hex().upper()) == normalize_id(base64.b64encode(raw).decode())
    assert normalize_id(raw.hex().lstrip("0")) == raw.hex() or raw.hex().lstrip("0") == ""


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 25), seed=st.integers(0, 10_000))
def test_reordering_spans_changes_nothing(
    tmp_path_factory: pytest.TempPathFactory, n: int, seed: int
) -> None:
    rng = random.Random(seed)
    spans = []
    for i in range(n):
        span: dict[str, Any] = {"traceId": f"{rng.randrange(3):x}", "id": f"{i + 1:x}",
                                "timestamp": 1, "duration": rng.randint(1, 10_000),
                                "localEndpoint": {"serviceName": rng.choice("abc")}}  # fmt: skip
        if i and rng.random() < 0.7:
            span["parentId"] = f"{rng.randrange(1, i + 1):x}"
        spans.append(span)
    shuffled = spans[:]
    rng.shuffle(shuffled)
    folder = tmp_path_factory.mktemp("z")
    a = trace_summary(read_traces([dump(folder, spans, "a.json")]))
    b = trace_summary(read_traces([dump(folder, shuffled, "b.json")]))
    assert a == b


SAMPLES = {
    "jaeger-v1-envelope.json": "jaeger-v1",
    "jaeger-v1-trace.json": "jaeger-v1-trace",
    "jaeger-v3.json": "jaeger-v3",
    "otlp.json": "otlp-json",
    "otlp.jsonl": "otlp-jsonl",
    "zipkin-v2.json": "zipkin-v2",
    "zipkin-v2-traces.json": "zipkin-v2-traces",
}


@pytest.mark.parametrize(("name", "fmt"), sorted(SAMPLES.items()))
def test_sample_exports(name: str, fmt: str) -> None:
    summary = trace_summary(read_traces([EXPORTS / name]), [name])
    assert summary["format"] == fmt
    assert summary["span_records"] >= summary["distinct_span_ids"] > 0
    assert summary["mean_bytes_per_span"] > 50
    fragment = trace_fragment(summary)["instrumentation"]
    assert fragment["spans_per_request"]["value"] == summary["mean_spans_per_trace"]
    assert name in fragment["bytes_per_span"]["source"]
    assert traces_table(summary).startswith(name)


def test_zipkin_v1_sample_is_rejected() -> None:
    with pytest.raises(IngestError, match="Zipkin v1"):
        read_traces([EXPORTS / "zipkin-v1.json"])


def test_detect_format_jaeger_span_list() -> None:
    assert detect_format([{"traceID": "a", "spanID": "b", "process": {}}]) == "jaeger-v1-spans"


# --- streaming and bounded memory -------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_tiny_chunks_and_a_small_window_change_nothing_on_the_samples(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = trace_summary(read_traces([EXPORTS / name]), [name])
    monkeypatch.setattr(traces, "CHUNK_CHARS", 7)  # every value crosses chunk boundaries
    # Traces are contiguous in the samples: a window of 12 open spans (the largest trace) is
    # enough for exact counts.
    assert trace_summary(read_traces([EXPORTS / name], open_spans=12), [name]) == whole


def test_streamed_json_equals_the_document_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The Jaeger envelope pretty-printed with data after other keys, and the OTLP object: read
    # in chunks of 5 characters they give what a whole-document read of the same shapes gives
    # (the bare trace below is read whole by design).
    envelope = json.loads((EXPORTS / "jaeger-v1-envelope.json").read_text(encoding="utf-8"))
    moved = {"total": 0, "errors": None, "data": envelope["data"], "limit": 0}
    processes = {k: v for t in envelope["data"] for k, v in t["processes"].items()}
    bare = {"spans": [s for t in envelope["data"] for s in t["spans"]], "processes": processes}
    bare["traceID"] = "x"
    expected = summarize(tmp_path, envelope, "a.json")
    monkeypatch.setattr(traces, "CHUNK_CHARS", 5)
    path = tmp_path / "b.json"
    path.write_text(json.dumps(moved, indent=3, ensure_ascii=False), encoding="utf-8")
    got = trace_summary(read_traces([path]), [str(tmp_path / "a.json")])
    assert got == expected
    assert summarize(tmp_path, bare)["span_records"] == expected["span_records"]


def test_truncation_is_reported_at_its_line_across_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(traces, "CHUNK_CHARS", 3)
    path = tmp_path / "cut.json"
    text = '{\n "data": [\n  {"traceID": "a", "spans": [],\n'
    path.write_text(text, encoding="utf-8")
    with pytest.raises(json.JSONDecodeError) as whole:
        json.loads(text)  # the reference: the same line and column as read whole
    where = f"line {whole.value.lineno}, column {whole.value.colno}: truncated or invalid JSON"
    assert where.startswith("line 4")
    with pytest.raises(IngestError, match=where):
        read_traces([path])


def _zipkin_trace(trace: int, spans: int) -> list[dict[str, Any]]:
    out = []
    for k in range(spans):
        span: dict[str, Any] = {"traceId": f"{trace + 1:x}", "id": f"{trace + 1:x}{k:04x}",
                                "duration": 10, "localEndpoint": {"serviceName": "s"}}  # fmt: skip
        if k:
            span["parentId"] = f"{trace + 1:x}{k - 1:04x}"
        out.append(span)
    return out


def test_the_window_closes_old_traces_and_says_when_one_comes_back(tmp_path: Path) -> None:
    spans = [s for t in range(50) for s in _zipkin_trace(t, 4)]  # 200 spans, 50 traces
    path = dump(tmp_path, spans)
    stats = read_traces([path], open_spans=8)
    summary = trace_summary(stats)
    assert (summary["traces"], summary["distinct_span_ids"], summary["orphan_spans"]) == (
        50,
        200,
        0,
    )
    assert not stats._open  # everything closed, nothing held
    # The last half of trace 0 comes back 196 spans later: counted as another trace, and said.
    late = spans[2:4]
    path = dump(tmp_path, spans[:2] + spans[4:] + late, "late.json")
    summary = trace_summary(read_traces([path], open_spans=8))
    assert summary["traces"] == 51
    assert summary["orphan_spans"] == 1  # span 2's parent is in the closed part
    assert any("got spans again" in w for w in summary["warnings"])
    # With a window larger than the file, the same file is exact.
    exact = trace_summary(read_traces([path]))
    assert (exact["traces"], exact["orphan_spans"], exact["warnings"]) == (50, 0, [])


@settings(max_examples=50)
@given(st.lists(st.integers(1, 40), min_size=1, max_size=60), st.floats(0, 100))
def test_histogram_percentile_equals_the_expanded_list(counts: list[int], q: float) -> None:
    histogram = Counter(counts)
    expected = percentile([float(c) for c in counts], q)
    assert traces._histogram_percentile(histogram, q) == pytest.approx(expected)


def test_running_quantiles_past_the_exact_limit_stay_within_the_bucket_width() -> None:
    rng = np.random.default_rng(0)
    values = np.concatenate([rng.lognormal(3.0, 1.5, 5000), [0.0] * 10])
    exact = traces.RunningQuantiles(exact=10**6)
    bucketed = traces.RunningQuantiles(exact=100)
    for v in values:
        exact.add(float(v))
        bucketed.add(float(v))
    assert bucketed.values is None
    assert exact.values is not None
    for q in (50, 95, 99):
        want = float(np.percentile(values, q))
        assert exact.percentile(q) == pytest.approx(want, rel=1e-12)
        assert bucketed.percentile(q) == pytest.approx(want, rel=traces.BUCKET_WIDTH)


@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers(-(2**70), 2**70)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=12,
    )
)
@settings(max_examples=200, deadline=None)
def test_span_bytes_are_compact_utf8_json_whichever_encoder_writes_them(doc: Any) -> None:
    """orjson writes the bytes; json (beyond 64-bit integers) agrees on everything but how a
    float is spelled (``1e-05`` and ``1e-5`` are the same number), so the sizes may differ by
    those few characters only."""
    by_json = len(json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    floats = json.dumps(doc).count(".") + json.dumps(doc).count("e")
    assert abs(traces._size(doc) - by_json) <= 2 * floats


def test_json_lines_orjson_refuses_are_read_by_json(tmp_path: Path) -> None:
    """Lines orjson will not parse (a byte-order mark, NaN, a blank line, an integer beyond 64
    bits) are read by json, so they count like any other line."""
    good = otlp([otlp_span("01"), otlp_span("02", "01")])
    odd = json.loads(json.dumps(otlp([otlp_span("03", traceId="b" * 32)])))
    odd["resourceSpans"][0]["resource"]["attributes"].append(
        {"key": "big", "value": {"intValue": 2**70}}
    )
    lines = [json.dumps(good), "", json.dumps(odd).replace('"big"', '"nan", "x": NaN, "k": "big"')]
    path = tmp_path / "x.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode() + b"\n")
    summary = trace_summary(read_traces([path]), [str(path)])
    assert summary["span_records"] == 3
    assert summary["traces"] == 2


def test_the_cyclic_collector_is_back_as_it_was_after_reading(tmp_path: Path) -> None:
    import gc

    path = tmp_path / "x.json"
    path.write_text(json.dumps(otlp([otlp_span("01")])))
    assert gc.isenabled()
    read_traces([path])
    assert gc.isenabled()
    path.write_text("{")
    with pytest.raises(IngestError):
        read_traces([path])
    assert gc.isenabled()
