"""Trace exports -> spans per request, bytes per span and span volume per service.

Detects and reads Jaeger v1 (the ``/api/traces`` envelope, a bare trace, or a list of spans
with embedded ``process``), Jaeger v3 (``{"result": {"resourceSpans": ...}}``), OTLP/JSON (one
object, or JSON Lines; ``scopeSpans`` or the older ``instrumentationLibrarySpans``; hex or base64
ids; nanoseconds as strings or numbers) and Zipkin v2 (an array of spans, or an array of
arrays). Zipkin v1 and anything else are rejected with a message saying what was seen.

Conventions
-----------
- *Span records* are the spans as written (ingest and billing volume); *distinct span ids* count
  each (trace id, span id) once (topology): Zipkin's shared client/server halves and late
  fragments repeat an id.
- Ids are normalised: base64 decoded, hex lower-cased and left-padded to 16 or 32 characters.
- Bytes per span are compact JSON bytes of the span record plus its share of the data it shares
  with other spans (a Jaeger trace's ``processes``, an OTLP ``resource`` and ``scope``). JSON is
  larger than protobuf on the wire and than compressed storage: treat it as an upper bound.
- Services are the *emitting* service (Zipkin ``localEndpoint``, never ``remoteEndpoint``);
  a span without one counts under ``unknown_service``.
- An *orphan* is a span whose parent (in the same trace) is not in the files read.
- JSON Lines files are read one line at a time; other files are parsed whole.

Examples
--------
>>> normalize_id("AAAAAAAAAAI="), normalize_id("ABC"), normalize_id("1" + "0" * 16)
('0000000000000002', '0000000000000abc', '00000000000000010000000000000000')
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roi.inputs.ingest._common import (
    SCHEMA_VERSION,
    IngestError,
    check_file,
    decode,
    percentile,
    rounded,
)

UNKNOWN_SERVICE = "unknown_service"
"""Bucket of spans whose emitting service is not named (the OTel SDK default prefix)."""

_HEX = re.compile(r"^[0-9a-fA-F]+$")
_DURATION = re.compile(r"^\s*([0-9.]+)\s*(ns|us|µs|ms|s)\s*$")
_DURATION_US = {"ns": 1e-3, "us": 1.0, "µs": 1.0, "ms": 1e3, "s": 1e6}


def normalize_id(value: Any) -> str:
    """A trace or span id as lower-case hex, left-padded to 16 or 32 characters; base64 ids
    (protobuf JSON, Jaeger's domain format) are decoded first. Empty stays empty."""
    if value is None:
        return ""
    text = str(value).strip()
    if not text:
        return ""
    if not _HEX.match(text):
        try:
            text = base64.b64decode(text, validate=True).hex()
        except (binascii.Error, ValueError):
            return text
    text = text.lower()
    width = 16 if len(text) <= 16 else 32
    return text.rjust(width, "0")


def _nanos(value: Any) -> int | None:
    """Nanoseconds written as a number or a decimal string (OTLP's 64-bit integers)."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _duration_us(value: Any) -> float | None:
    """[µs] A Jaeger/Zipkin duration: an integer of µs or a string such as ``"5000ns"``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    match = _DURATION.match(str(value))
    return float(match.group(1)) * _DURATION_US[match.group(2)] if match else None


def _size(obj: Any) -> int:
    """[B] Compact JSON bytes of ``obj``."""
    return len(json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


@dataclass(frozen=True)
class Span:
    """One span record, normalised."""

    trace_id: str
    span_id: str
    parent_id: str
    service: str
    duration_us: float | None
    error: bool
    attributes: int
    bytes: float
    other_trace_refs: int = 0


@dataclass
class TraceStats:
    """Running totals over span records: memory grows with the number of distinct ids, not with
    the bytes of the files."""

    formats: list[str] = field(default_factory=list)
    span_records: int = 0
    ids: set[tuple[str, str]] = field(default_factory=set)
    per_trace: Counter[str] = field(default_factory=Counter)
    services: Counter[str] = field(default_factory=Counter)
    bytes_total: float = 0.0
    attributes_total: int = 0
    error_spans: int = 0
    parents: list[tuple[str, str]] = field(default_factory=list)
    root_ms: list[float] = field(default_factory=list)
    missing_durations: int = 0
    other_trace_refs: int = 0

    def add(self, span: Span) -> None:
        """Count one span record."""
        self.span_records += 1
        self.ids.add((span.trace_id, span.span_id))
        self.per_trace[span.trace_id] += 1
        self.services[span.service] += 1
        self.bytes_total += span.bytes
        self.attributes_total += span.attributes
        self.error_spans += span.error
        self.other_trace_refs += span.other_trace_refs
        if span.duration_us is None:
            self.missing_durations += 1
        if span.parent_id:
            self.parents.append((span.trace_id, span.parent_id))
        elif span.duration_us is not None:
            self.root_ms.append(span.duration_us / 1000.0)


# --- detection and reading ---------------------------------------------------------------------


def _what(doc: Any) -> str:
    if isinstance(doc, dict):
        keys = ", ".join(list(doc)[:8]) or "none"
        return f"a JSON object with keys {keys}"
    if isinstance(doc, list):
        if not doc:
            return "an empty JSON array"
        first = doc[0]
        inner = _what(first) if isinstance(first, dict | list) else type(first).__name__
        return f"a JSON array of {inner}"
    return f"a JSON {type(doc).__name__}"


def detect_format(doc: Any) -> str:
    """The format of one parsed JSON document (first match wins), or ``""`` if unknown.

    >>> detect_format({"result": {"resourceSpans": []}})
    'jaeger-v3'
    >>> detect_format([{"traceId": "a", "id": "b"}]), detect_format({"traceID": "a", "spans": []})
    ('zipkin-v2', 'jaeger-v1-trace')
    """
    if isinstance(doc, dict):
        result = doc.get("result")
        if isinstance(result, dict) and "resourceSpans" in result:
            return "jaeger-v3"
        if "resourceSpans" in doc:
            return "otlp-json"
        data = doc.get("data")
        if isinstance(data, list) and all(
            isinstance(t, dict) and "traceID" in t and "spans" in t for t in data
        ):
            return "jaeger-v1"
        if "traceID" in doc and "spans" in doc:
            return "jaeger-v1-trace"
        return ""
    if isinstance(doc, list) and doc:
        first = doc[0]
        if isinstance(first, list):
            return "zipkin-v2-traces" if all(isinstance(t, list) for t in doc) else ""
        if isinstance(first, dict):
            if "binaryAnnotations" in first or _zipkin_v1_annotations(first):
                return "zipkin-v1"
            if "traceId" in first and "id" in first:
                return "zipkin-v2"
            if "traceID" in first and "spanID" in first:
                return "jaeger-v1-spans"
    return ""


def _zipkin_v1_annotations(span: dict[str, Any]) -> bool:
    notes = span.get("annotations")
    return isinstance(notes, list) and any(
        isinstance(a, dict) and a.get("value") in ("cs", "sr", "ss", "cr") and "endpoint" in a
        for a in notes
    )


def _documents(path: Path) -> Iterator[tuple[int, Any, bool]]:
    """(line number, document, from JSON Lines) of a JSON file, or of each line of a JSON Lines
    file (streamed)."""
    with path.open("rb") as fh:
        first = fh.readline()
        while first and not first.strip():
            first = fh.readline()
        rest = fh.read(4096)
    first_text = decode(path, first).strip()
    jsonl = False
    if first_text.startswith("{"):
        try:
            json.loads(first_text)
        except json.JSONDecodeError:
            pass
        else:
            # One object on one line is plain JSON unless the name says JSON Lines.
            jsonl = bool(rest.strip()) or path.suffix.lower() in (".jsonl", ".ndjson")
    if jsonl:
        with path.open("rb") as fh:
            for number, raw in enumerate(fh, start=1):
                line = decode(path, raw) if raw.strip() else ""
                if not line.strip():
                    continue
                try:
                    yield number, json.loads(line), True
                except json.JSONDecodeError as exc:
                    raise IngestError(
                        path,
                        f"line {number}, column {exc.colno}: truncated or invalid JSON "
                        f"({exc.msg}); allowed: one OTLP/JSON object per line",
                    ) from None
        return
    text = decode(path, path.read_bytes())
    try:
        yield 1, json.loads(text), False
    except json.JSONDecodeError as exc:
        raise IngestError(
            path, f"line {exc.lineno}, column {exc.colno}: truncated or invalid JSON ({exc.msg})"
        ) from None


def read_traces(paths: Iterable[str | Path]) -> TraceStats:
    """Read trace exports and count their spans.

    Raises
    ------
    IngestError
        For an empty, binary or truncated file, a folder, Zipkin v1 or an unknown shape (naming
        what was seen), or a file without spans.
    """
    stats = TraceStats()
    for raw_path in paths:
        path = check_file(raw_path)
        before = stats.span_records
        formats: set[str] = set()
        for line, doc, jsonl in _documents(path):
            fmt = detect_format(doc)
            where = f"line {line}: " if jsonl else ""
            if fmt == "zipkin-v1":
                raise IngestError(
                    path,
                    f"{where}Zipkin v1 spans (binaryAnnotations, cs/sr annotations) are not "
                    "supported; allowed: Zipkin v2 JSON (GET /api/v2/traces), Jaeger, OTLP/JSON",
                )
            if not fmt:
                raise IngestError(
                    path,
                    f"{where}unknown trace format: {_what(doc)}; allowed: Jaeger v1 "
                    "({data: [...]} or a trace), Jaeger v3 ({result: {resourceSpans}}), "
                    "OTLP/JSON ({resourceSpans}, or JSON Lines), Zipkin v2 (array of spans)",
                )
            formats.add("otlp-jsonl" if fmt == "otlp-json" and jsonl else fmt)
            for span in _spans(fmt, doc):
                stats.add(span)
        if stats.span_records == before:
            raise IngestError(path, f"no spans in this {', '.join(sorted(formats))} export")
        stats.formats.extend(sorted(formats))
    return stats


def _spans(fmt: str, doc: Any) -> Iterator[Span]:
    if fmt == "jaeger-v3":
        yield from _otlp(doc["result"])
    elif fmt == "otlp-json":
        yield from _otlp(doc)
    elif fmt == "jaeger-v1":
        for trace in doc["data"]:
            yield from _jaeger_trace(trace)
    elif fmt == "jaeger-v1-trace":
        yield from _jaeger_trace(doc)
    elif fmt == "jaeger-v1-spans":
        yield from _jaeger_trace({"spans": doc, "processes": {}})
    elif fmt == "zipkin-v2":
        yield from _zipkin(doc)
    elif fmt == "zipkin-v2-traces":
        for trace in doc:
            yield from _zipkin(trace)


def _otlp_value(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        return next(iter(value.values()))
    return value


def _otlp(doc: dict[str, Any]) -> Iterator[Span]:
    for resource_spans in doc.get("resourceSpans") or []:
        resource = resource_spans.get("resource") or {}
        service = UNKNOWN_SERVICE
        for attr in resource.get("attributes") or []:
            if attr.get("key") == "service.name":
                service = str(_otlp_value(attr.get("value"))) or UNKNOWN_SERVICE
        scopes = (
            resource_spans.get("scopeSpans")
            or resource_spans.get("instrumentationLibrarySpans")
            or []
        )
        spans = [(s, span) for s in scopes for span in s.get("spans") or []]
        if not spans:
            continue
        shared = _size(resource) + sum(
            _size(s.get("scope") or s.get("instrumentationLibrary") or {}) for s in scopes
        )
        share = shared / len(spans)
        for _, span in spans:
            start, end = _nanos(span.get("startTimeUnixNano")), _nanos(span.get("endTimeUnixNano"))
            status = span.get("status") or {}
            code = status.get("code")
            yield Span(
                trace_id=normalize_id(span.get("traceId")),
                span_id=normalize_id(span.get("spanId")),
                parent_id=normalize_id(span.get("parentSpanId")),
                service=service,
                duration_us=(end - start) / 1000.0
                if start is not None and end is not None
                else None,
                error=code in (2, "2", "STATUS_CODE_ERROR"),
                attributes=len(span.get("attributes") or []),
                bytes=_size(span) + share,
            )


def _jaeger_error(tags: list[dict[str, Any]]) -> bool:
    return any(
        t.get("key") == "error" and str(t.get("value", t.get("vBool", ""))).lower() == "true"
        for t in tags
    )


def _jaeger_trace(trace: dict[str, Any]) -> Iterator[Span]:
    spans = trace.get("spans") or []
    processes = trace.get("processes") or {}
    share = _size(processes) / len(spans) if spans else 0.0
    trace_id = normalize_id(trace.get("traceID"))
    for span in spans:
        tid = normalize_id(span.get("traceID")) or trace_id
        process = span.get("process") or processes.get(span.get("processID"), {})
        service = str(process.get("serviceName") or UNKNOWN_SERVICE)
        parent, other = "", 0
        for ref in span.get("references") or []:
            if normalize_id(ref.get("traceID")) not in ("", tid):
                other += 1
            elif not parent and ref.get("refType", "CHILD_OF") in ("CHILD_OF", "FOLLOWS_FROM"):
                parent = normalize_id(ref.get("spanID"))
        parent = parent or normalize_id(span.get("parentSpanID"))
        tags = span.get("tags") or []
        yield Span(
            trace_id=tid,
            span_id=normalize_id(span.get("spanID")),
            parent_id="" if parent == "0" * 16 else parent,
            service=service,
            duration_us=_duration_us(span.get("duration")),
            error=_jaeger_error(tags),
            attributes=len(tags),
            bytes=_size(span) + share,
            other_trace_refs=other,
        )


def _zipkin(spans: list[Any]) -> Iterator[Span]:
    for span in spans:
        if not isinstance(span, dict):
            continue
        local = span.get("localEndpoint") or {}
        tags = span.get("tags") or {}
        yield Span(
            trace_id=normalize_id(span.get("traceId")),
            span_id=normalize_id(span.get("id")),
            parent_id=normalize_id(span.get("parentId")),
            service=str(local.get("serviceName") or UNKNOWN_SERVICE),
            duration_us=_duration_us(span.get("duration")),
            error="error" in tags,
            attributes=len(tags),
            bytes=float(_size(span)),
        )


# --- summary -----------------------------------------------------------------------------------


def trace_summary(stats: TraceStats, files: list[str] | None = None) -> dict[str, Any]:
    """The JSON document of ``roi ingest traces`` (``schema_version`` 1).

    Keys: ``schema_version``, ``format``, ``span_records``, ``distinct_span_ids``, ``traces``,
    ``services`` (emitting service -> span records), ``mean_spans_per_trace``,
    ``p95_spans_per_trace``, ``mean_bytes_per_span`` [B], ``mean_attributes_per_span``,
    ``error_spans``, ``orphan_spans``, ``root_duration_ms_p50``, ``root_duration_ms_p95`` [ms]
    (None without root spans), and ``warnings``.
    """
    n = stats.span_records
    counts = [float(c) for c in stats.per_trace.values()]
    orphans = sum(1 for key in stats.parents if key not in stats.ids)
    warnings = []
    if orphans:
        warnings.append(
            f"{orphans} span(s) whose parent is not in the file: the export is partial or "
            "truncated, so spans per trace may be understated"
        )
    if stats.other_trace_refs:
        warnings.append(
            f"{stats.other_trace_refs} reference(s) to spans of other traces (Jaeger "
            "FOLLOWS_FROM/CHILD_OF across traces): not counted as parents"
        )
    if stats.missing_durations:
        warnings.append(
            f"{stats.missing_durations} span record(s) without a duration (late fragments): "
            "counted for volume, left out of latency"
        )
    duplicates = n - len(stats.ids)
    if duplicates:
        warnings.append(
            f"{duplicates} span record(s) repeat a span id (Zipkin shared client/server halves "
            "or late fragments): counted in span_records, once in distinct_span_ids"
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "format": "+".join(dict.fromkeys(stats.formats)),
        "files": [Path(f).name for f in files or []],
        "span_records": n,
        "distinct_span_ids": len(stats.ids),
        "traces": len(stats.per_trace),
        "services": dict(sorted(stats.services.items())),
        "mean_spans_per_trace": rounded(sum(counts) / len(counts)) if counts else None,
        "p95_spans_per_trace": rounded(percentile(counts, 95)),
        "mean_bytes_per_span": rounded(stats.bytes_total / n, 1) if n else None,
        "mean_attributes_per_span": rounded(stats.attributes_total / n) if n else None,
        "error_spans": stats.error_spans,
        "orphan_spans": orphans,
        "root_duration_ms_p50": rounded(percentile(stats.root_ms, 50), 3),
        "root_duration_ms_p95": rounded(percentile(stats.root_ms, 95), 3),
        "warnings": warnings,
    }


def trace_fragment(summary: dict[str, Any]) -> dict[str, Any]:
    """A scenario fragment: ``instrumentation.spans_per_request`` (mean span records per trace)
    and ``bytes_per_span`` (mean compact JSON bytes), sourced to the files."""
    files = ", ".join(summary["files"]) or "trace export"
    base = f"from {files} ({summary['format']})"
    return {
        "instrumentation": {
            "spans_per_request": {
                "value": summary["mean_spans_per_trace"],
                "unit": "count",
                "source": f"{base}: mean span records per trace, {summary['span_records']} spans "
                f"in {summary['traces']} traces",
            },
            "bytes_per_span": {
                "value": summary["mean_bytes_per_span"],
                "unit": "B",
                "source": f"{base}: mean compact JSON bytes per span record, shared resource "
                "data spread over its spans (an upper bound: protobuf and compression are "
                "smaller)",
            },
        }
    }


def traces_table(summary: dict[str, Any]) -> str:
    """The summary as plain text for people."""

    def show(v: Any, unit: str = "") -> str:
        return "-" if v is None else f"{v:g}{unit}"

    lines = [
        f"{', '.join(summary['files'])}: {summary['format']}",
        f"span records        {summary['span_records']}",
        f"distinct span ids   {summary['distinct_span_ids']}",
        f"traces              {summary['traces']}",
        f"spans per trace     mean {show(summary['mean_spans_per_trace'])}, "
        f"P95 {show(summary['p95_spans_per_trace'])}",
        f"bytes per span      {show(summary['mean_bytes_per_span'], ' B')} (compact JSON)",
        f"attributes per span {show(summary['mean_attributes_per_span'])}",
        f"error spans         {summary['error_spans']}",
        f"orphan spans        {summary['orphan_spans']}",
        f"root span duration  P50 {show(summary['root_duration_ms_p50'], ' ms')}, "
        f"P95 {show(summary['root_duration_ms_p95'], ' ms')}",
        "services            "
        + ", ".join(
            f"{k} {v}" for k, v in sorted(summary["services"].items(), key=lambda kv: -kv[1])
        ),
    ]
    lines += [f"warning: {w}" for w in summary["warnings"]]
    return "\n".join(lines)
