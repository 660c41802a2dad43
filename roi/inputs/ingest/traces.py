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

Memory
------
Files stream: memory is bounded by the largest unit of a file, never by its size.

- JSON Lines are read one line at a time. Other JSON files are read in chunks of
  :data:`CHUNK_CHARS` by :class:`JsonStream`, which decodes one element at a time of the
  arrays that hold the spans (``resourceSpans``, ``data``, a Zipkin array); the unit is one
  OTLP resource block, one Jaeger trace or one Zipkin span. A bare Jaeger trace (one trace,
  its ``processes`` possibly after its spans) is read whole.
- Per-trace state (span ids, parent ids) is kept only for the traces seen most recently: at most
  :data:`OPEN_SPANS` span records in open traces; the trace touched least recently is then
  closed (counted and forgotten). Counts are **exact** as long as no trace gets spans again
  after more than :data:`OPEN_SPANS` span records of other traces (every sample, and exporters
  that write a trace's spans near each other). A trace that comes back later counts as a
  second trace, its distinct ids and orphans against that part alone; when it comes back
  within the last :data:`RECENTLY_CLOSED` closed traces, a warning says how many did.
- Spans per trace are counted in a histogram (exact); root durations are kept exactly up to
  :data:`EXACT_VALUES` values, then in logarithmic buckets of relative width
  :data:`BUCKET_WIDTH` (P50/P95 within 0.05 %).

Examples
--------
>>> normalize_id("AAAAAAAAAAI="), normalize_id("ABC"), normalize_id("1" + "0" * 16)
('0000000000000002', '0000000000000abc', '00000000000000010000000000000000')
"""

from __future__ import annotations

import base64
import binascii
import codecs
import contextlib
import gc
import json
import math
import re
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from roi.inputs.ingest._common import (
    JSON_TOO_DEEP,
    JSON_TOO_LONG,
    SCHEMA_VERSION,
    IngestError,
    check_binary,
    check_file,
    decode,
    json_document,
    percentile,
    rounded,
)

UNKNOWN_SERVICE = "unknown_service"
"""Bucket of spans whose emitting service is not named (the OTel SDK default prefix)."""

OPEN_SPANS = 200_000
"""Span records held in open traces before the least recently touched trace is closed."""
RECENTLY_CLOSED = 65_536
"""Closed trace ids remembered to tell when a trace comes back after being closed."""
EXACT_VALUES = 250_000
"""Root durations kept exactly; beyond, they go to logarithmic buckets."""
BUCKET_WIDTH = 1e-3
"""Relative width of a duration bucket beyond :data:`EXACT_VALUES` values (0.1 %)."""
CHUNK_CHARS = 1 << 20
"""Characters read at a time from a JSON file that is not JSON Lines."""
FIRST_LINE_BYTES = 16 << 20
"""Bytes of the first line read to tell JSON Lines from one JSON document."""
PARSED_LINE_BYTES = 1 << 20
"""A first line longer than this is not parsed to tell JSON Lines (see :func:`_is_json_lines`)."""
BATCH = 1024
"""Spans of a flat array (Zipkin, Jaeger span list) handled together."""

_HEX = re.compile(r"^[0-9a-fA-F]+$")
_HEX_DIGITS = "0123456789abcdef"
_DURATION = re.compile(r"^\s*([0-9.]+)\s*(ns|us|µs|ms|s)\s*$")
_DURATION_US = {"ns": 1e-3, "us": 1.0, "µs": 1.0, "ms": 1e3, "s": 1e6}
_dumps = orjson.dumps
_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False).encode


def normalize_id(value: Any) -> str:
    """A trace or span id as lower-case hex, left-padded to 16 or 32 characters; base64 ids
    (protobuf JSON, Jaeger's domain format) are decoded first. Empty stays empty."""
    if value.__class__ is str and len(value) in (16, 32) and not value.strip(_HEX_DIGITS):
        return value  # already normal (the usual case): no copy, no regex
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


def _duration_us(value: Any) -> float | None:
    """[µs] A Jaeger/Zipkin duration: an integer of µs or a string such as ``"5000ns"``."""
    if value.__class__ is int:
        return float(value)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    match = _DURATION.match(str(value))
    return float(match.group(1)) * _DURATION_US[match.group(2)] if match else None


def _size(obj: Any) -> int:
    """[B] Compact UTF-8 JSON bytes of ``obj`` (orjson; :mod:`json` for what orjson does not
    write, such as integers beyond 64 bits)."""
    try:
        return len(_dumps(obj))
    except TypeError:
        text = _ENCODE(obj)
        return len(text) if text.isascii() else len(text.encode("utf-8"))


def _items_size(items: list[Any]) -> int:
    """[B] The sum of the compact JSON bytes of each item: the list's, less brackets and commas.

    >>> _items_size([{"a": 1}, "é"]) == _size({"a": 1}) + _size("é")
    True
    """
    return _size(items) - len(items) - 1 if items else 0


def _histogram_percentile(counts: dict[Any, int], q: float, value: Any = float) -> float | None:
    """The ``q``-th percentile (linear interpolation) of values given as ``{key: count}``, the
    value of a key being ``value(key)``; equal to :func:`percentile` of the expanded list.

    >>> _histogram_percentile({1: 2, 4: 2}, 50), percentile([1.0, 1.0, 4.0, 4.0], 50)
    (2.5, 2.5)
    """
    n = sum(counts.values())
    if not n:
        return None
    rank = (n - 1) * q / 100.0
    low = math.floor(rank)
    high = min(low + 1, n - 1)
    at_low = at_high = None
    seen = 0
    for key in sorted(counts):
        seen += counts[key]
        if at_low is None and seen > low:
            at_low = value(key)
        if seen > high:
            at_high = value(key)
            break
    assert at_low is not None
    assert at_high is not None
    return float(at_low + (at_high - at_low) * (rank - low))


class RunningQuantiles:
    """Values for percentiles in bounded memory: exact up to ``exact`` values, then counted in
    logarithmic buckets of relative width ``width`` (a percentile is then within ``width / 2``
    of a value of the data, relatively).

    >>> q = RunningQuantiles(exact=2)
    >>> for x in (1.0, 2.0, 4.0, 8.0):
    ...     q.add(x)
    >>> round(q.percentile(50), 2), q.count
    (3.0, 4)
    """

    def __init__(self, exact: int = EXACT_VALUES, width: float = BUCKET_WIDTH) -> None:
        self.exact = exact
        self.step = math.log1p(width)
        self.values: array[float] | None = array("d")
        self.buckets: Counter[tuple[int, int]] = Counter()
        self.count = 0

    def _key(self, x: float) -> tuple[int, int]:
        if x == 0 or not math.isfinite(x):
            return (0, 0) if x == 0 else (1 if x > 0 else -1, 1 << 62 if x > 0 else -(1 << 62))
        index = math.floor(math.log(abs(x)) / self.step)
        return (1, index) if x > 0 else (-1, -index)

    def _value(self, key: tuple[int, int]) -> float:
        sign, index = key
        if sign == 0:
            return 0.0
        return sign * math.exp((sign * index + 0.5) * self.step)

    def add(self, x: float) -> None:
        """Count one value."""
        self.count += 1
        if self.values is not None:
            self.values.append(x)
            if len(self.values) > self.exact:
                for v in self.values:
                    self.buckets[self._key(v)] += 1
                self.values = None
        else:
            self.buckets[self._key(x)] += 1

    def percentile(self, q: float) -> float | None:
        """The ``q``-th percentile, or None without values."""
        if self.values is not None:
            return percentile(self.values, q)
        return _histogram_percentile(self.buckets, q, self._value)


@dataclass
class TraceStats:
    """Running totals over span records, in memory bounded by :data:`OPEN_SPANS` open span
    records (see the module's Memory notes), whatever the size of the files."""

    formats: list[str] = field(default_factory=list)
    span_records: int = 0
    distinct_span_ids: int = 0
    traces: int = 0
    spans_per_trace: Counter[int] = field(default_factory=Counter)
    services: Counter[str] = field(default_factory=Counter)
    bytes_total: float = 0.0
    attributes_total: int = 0
    error_spans: int = 0
    orphan_spans: int = 0
    root_ms: RunningQuantiles = field(default_factory=RunningQuantiles)
    missing_durations: int = 0
    other_trace_refs: int = 0
    reopened_traces: int = 0
    open_spans_limit: int = OPEN_SPANS
    _open: OrderedDict[str, list[Any]] = field(default_factory=OrderedDict, repr=False)
    _open_spans: int = 0
    _last_id: str | None = None
    _last: list[Any] = field(default_factory=list, repr=False)
    _closed: OrderedDict[str, None] = field(default_factory=OrderedDict, repr=False)

    def add(
        self,
        trace_id: str,
        span_id: str,
        parent_id: str,
        duration_us: float | None,
        error: bool,
        attributes: int,
    ) -> None:
        """Count one span record (its service and bytes are counted by the caller)."""
        self.span_records += 1
        if trace_id == self._last_id:
            state = self._last
        else:
            found = self._open.get(trace_id)
            if found is None:
                if trace_id in self._closed:
                    self.reopened_traces += 1
                    del self._closed[trace_id]
                state = self._open[trace_id] = [0, set(), []]
            else:
                state = found
                self._open.move_to_end(trace_id)
            self._last_id, self._last = trace_id, state
        state[0] += 1
        state[1].add(span_id)
        if parent_id:
            state[2].append(parent_id)
        elif duration_us is not None:
            self.root_ms.add(duration_us / 1000.0)
        if duration_us is None:
            self.missing_durations += 1
        self.attributes_total += attributes
        if error:
            self.error_spans += 1
        self._open_spans += 1
        if self._open_spans > self.open_spans_limit:
            self._close_oldest()

    def _close(self, trace_id: str, state: list[Any]) -> None:
        records, ids, parents = state
        self.traces += 1
        self.distinct_span_ids += len(ids)
        self.orphan_spans += sum(1 for p in parents if p not in ids)
        self.spans_per_trace[records] += 1
        self._open_spans -= records
        self._closed[trace_id] = None
        if len(self._closed) > RECENTLY_CLOSED:
            self._closed.popitem(last=False)

    def _close_oldest(self) -> None:
        # The trace being added to is the most recent, so it stays open.
        while self._open_spans > self.open_spans_limit and len(self._open) > 1:
            self._close(*self._open.popitem(last=False))

    def finish(self) -> TraceStats:
        """Close every open trace (done by :func:`read_traces`; calling again does nothing)."""
        while self._open:
            self._close(*self._open.popitem(last=False))
        self._last_id, self._last = None, []
        return self


# --- detection ---------------------------------------------------------------------------------


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
        if isinstance(data, list) and all(_is_jaeger_trace(t) for t in data):
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


def _is_jaeger_trace(doc: Any) -> bool:
    return isinstance(doc, dict) and "traceID" in doc and "spans" in doc


def _zipkin_v1_annotations(span: dict[str, Any]) -> bool:
    notes = span.get("annotations")
    return isinstance(notes, list) and any(
        isinstance(a, dict) and a.get("value") in ("cs", "sr", "ss", "cr") and "endpoint" in a
        for a in notes
    )


def _check_format(path: Path, fmt: str, doc: Any, where: str = "") -> None:
    """An IngestError for Zipkin v1 and unknown documents (``doc`` as far as it was read)."""
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


# --- a JSON file in bounded chunks ------------------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_RAW_DECODE = json.JSONDecoder().raw_decode


class JsonStream:
    """One JSON file read in chunks: values, array elements and object members one at a time,
    each decoded by :mod:`json` (its C scanner), so memory is bounded by the largest value
    decoded at once, not by the file.

    Examples
    --------
    >>> import io
    >>> s = JsonStream(Path("x.json"), io.BytesIO(b'{"n": 1, "data": [{"a": 1}, [2]]}'), chunk=4)
    >>> [(key, list(s.items()) if key == "data" else s.value()) for key in s.members()]
    [('n', 1), ('data', [{'a': 1}, [2]])]
    """

    def __init__(self, path: Path, fh: IO[bytes], chunk: int = CHUNK_CHARS) -> None:
        self.path = path
        self.fh = fh
        self.chunk = chunk
        self.text = ""
        self.pos = 0
        self.eof = False
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._bytes = 0
        self._line = 1  # line of text[0]
        self._column = 0  # 0-based column of text[0] on that line

    def _more(self) -> bool:
        """Read more text (at least as much as is pending, so retries stay linear); False at
        the end of the file."""
        if self.eof:
            return False
        data = self.fh.read(max(self.chunk, len(self.text) - self.pos))
        if self._bytes == 0 and data:
            check_binary(self.path, data)
        try:
            chunk = self._decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            at = self._bytes + exc.start
            raise IngestError(
                self.path,
                f"not UTF-8 text (at byte offset {at}); allowed: a UTF-8 JSON export "
                "(re-save as UTF-8)",
            ) from None
        self._bytes += len(data)
        if not data:
            self.eof = True
            return False
        done = self.text[: self.pos]
        newlines = done.count("\n")
        if newlines:
            self._line += newlines
            self._column = self.pos - done.rfind("\n") - 1
        else:
            self._column += self.pos
        self.text = self.text[self.pos :] + chunk
        self.pos = 0
        return True

    def error(self, pos: int, message: str) -> IngestError:
        """An IngestError at ``pos`` of the current text, with the file's line and column."""
        before = self.text[:pos]
        newlines = before.count("\n")
        line = self._line + newlines
        column = pos - before.rfind("\n") if newlines else self._column + pos + 1
        return IngestError(
            self.path, f"line {line}, column {column}: truncated or invalid JSON ({message})"
        )

    def peek(self) -> str:
        """The next character that is not white space (``""`` at the end)."""
        while True:
            self.pos = _WHITESPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self._more():
                return ""

    def value(self) -> Any:
        """The next JSON value, decoded whole."""
        self.peek()
        while True:
            try:
                obj, end = _RAW_DECODE(self.text, self.pos)
            except json.JSONDecodeError as exc:
                if self._more():
                    continue
                raise self.error(exc.pos, exc.msg) from None
            except RecursionError:
                raise IngestError(self.path, JSON_TOO_DEEP) from None
            except ValueError:  # an integer beyond sys.get_int_max_str_digits()
                raise IngestError(self.path, JSON_TOO_LONG) from None
            if end == len(self.text) and self._more():
                continue  # a number may go on in the next chunk
            self.pos = end
            return obj

    def _expect(self, char: str, what: str) -> None:
        if self.peek() != char:
            raise self.error(self.pos, f"Expecting {what}")
        self.pos += 1

    def items(self) -> Iterator[Any]:
        """The elements of the array that comes next, one at a time."""
        self._expect("[", "'['")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            char = self.peek()
            self.pos += 1
            if char == "]":
                return
            if char != ",":
                self.pos -= 1
                raise self.error(self.pos, "Expecting ',' delimiter")

    def members(self) -> Iterator[str]:
        """The keys of the object that comes next; the caller reads each key's value (with
        :meth:`value`, :meth:`items` or :meth:`members`) before asking for the next key."""
        self._expect("{", "'{'")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            if self.peek() != '"':
                raise self.error(self.pos, "Expecting property name enclosed in double quotes")
            key = self.value()
            self._expect(":", "':' delimiter")
            yield key
            char = self.peek()
            self.pos += 1
            if char == "}":
                return
            if char != ",":
                self.pos -= 1
                raise self.error(self.pos, "Expecting ',' delimiter")


# --- reading -----------------------------------------------------------------------------------


def _is_json_lines(path: Path) -> bool:
    """JSON Lines: the first line is a whole JSON object and more follows (or the name says
    ``.jsonl``/``.ndjson``); reads at most :data:`FIRST_LINE_BYTES` of the first line."""
    named = path.suffix.lower() in (".jsonl", ".ndjson")
    with path.open("rb") as fh:
        first = fh.readline(FIRST_LINE_BYTES)
        while first and not first.strip():
            first = fh.readline(FIRST_LINE_BYTES)
        whole = first.endswith(b"\n") or len(first) < FIRST_LINE_BYTES
        rest = fh.read(4096)
    first_text = decode(path, first).strip()
    if not first_text.startswith("{"):
        return False
    if not whole:
        return named
    if len(first) > PARSED_LINE_BYTES:
        # A long complete first line: one document (maybe a whole file on one line) or the
        # first of several lines; not parsed here, so a one-line file is never read whole.
        return bool(rest.strip()) or named
    try:
        json.loads(first_text)
    except (json.JSONDecodeError, RecursionError, ValueError):
        return False
    # One object on one line is plain JSON unless the name says JSON Lines.
    return bool(rest.strip()) or named


_loads = orjson.loads
_BLANK = object()


def _read_line(path: Path, raw: bytes, number: int) -> Any:
    """One line that orjson would not read, read with :mod:`json` (blank lines, a byte-order
    mark, ``NaN``, binary data, broken JSON), for its value or the reader's message."""
    line = decode(path, raw) if raw.strip() else ""
    if not line.strip():
        return _BLANK
    return json_document(path, line, f"line {number}, ", "; allowed: one OTLP/JSON object per line")


def _read_json_lines(path: Path, stats: TraceStats) -> set[str]:
    formats: set[str] = set()
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                doc = _loads(raw)  # bytes straight in: orjson checks the UTF-8
            except orjson.JSONDecodeError:
                doc = _read_line(path, raw, number)
                if doc is _BLANK:
                    continue
            fmt = detect_format(doc)
            _check_format(path, fmt, doc, f"line {number}: ")
            formats.add("otlp-jsonl" if fmt == "otlp-json" else fmt)
            _add_document(stats, fmt, doc)
    return formats


def _read_json(path: Path, stats: TraceStats) -> set[str]:
    """Stream one JSON document (or several, one after the other)."""
    formats: set[str] = set()
    with path.open("rb") as fh:
        stream = JsonStream(path, fh, CHUNK_CHARS)
        if not stream.peek():
            decode(path, b" ")  # white space only: the reader's message
        while stream.peek():
            formats.add(_stream_document(path, stream, stats))
    return formats


def _stream_document(path: Path, stream: JsonStream, stats: TraceStats) -> str:
    char = stream.peek()
    if char == "[":
        return _stream_array(path, stream, stats)
    if char == "{":
        return _stream_object(path, stream, stats)
    doc = stream.value()
    _check_format(path, "", doc)
    return ""


def _stream_array(path: Path, stream: JsonStream, stats: TraceStats) -> str:
    items = stream.items()
    first: Any = next(items, _END)
    if first is _END:
        _check_format(path, "", [])
    fmt = detect_format([first])
    _check_format(path, fmt, [first])
    if fmt == "zipkin-v2-traces":
        _add_zipkin(stats, first)
        for trace in items:
            if not isinstance(trace, list):
                _check_format(path, "", [first, trace])
            _add_zipkin(stats, trace)
        return fmt
    batch = [first]
    if fmt == "jaeger-v1-spans":
        stats.bytes_total += _size({})  # the (empty) processes the spans share
    for span in items:
        batch.append(span)
        if len(batch) == BATCH:
            _add_flat(stats, fmt, batch)
            batch = []
    _add_flat(stats, fmt, batch)
    return fmt


_END = object()


def _add_flat(stats: TraceStats, fmt: str, spans: list[Any]) -> None:
    if fmt == "zipkin-v2":
        _add_zipkin(stats, spans)
    else:
        _add_jaeger_trace(stats, {"spans": spans}, shared=False)


def _stream_object(path: Path, stream: JsonStream, stats: TraceStats) -> str:
    """The spans of an object streamed from the first key that holds them (``resourceSpans``,
    ``result.resourceSpans``, ``data``); other keys are read whole, and an object with none of
    those keys (a bare Jaeger trace, or an unknown shape) is read whole and detected."""
    rest: dict[str, Any] = {}
    fmt = ""
    for key in stream.members():
        nxt = stream.peek()
        if not fmt and key == "resourceSpans" and nxt == "[":
            fmt = "otlp-json"
            for resource_spans in stream.items():
                _add_otlp_resource(stats, resource_spans)
        elif not fmt and key == "result" and nxt == "{":
            inner: dict[str, Any] = {}
            for inner_key in stream.members():
                if not fmt and inner_key == "resourceSpans" and stream.peek() == "[":
                    fmt = "jaeger-v3"
                    for resource_spans in stream.items():
                        _add_otlp_resource(stats, resource_spans)
                else:
                    inner[inner_key] = stream.value()
            if fmt != "jaeger-v3":
                rest[key] = inner
        elif not fmt and key == "data" and nxt == "[":
            kept: list[Any] = []
            for trace in stream.items():
                if fmt:
                    if not _is_jaeger_trace(trace):
                        _check_format(path, "", {**rest, key: [trace]})
                    _add_jaeger_trace(stats, trace)
                elif not kept and _is_jaeger_trace(trace):
                    fmt = "jaeger-v1"
                    _add_jaeger_trace(stats, trace)
                else:
                    kept.append(trace)  # not a Jaeger envelope: kept for detection
            if not fmt:
                rest[key] = kept
        else:
            rest[key] = stream.value()
    if not fmt:
        fmt = detect_format(rest)
        _check_format(path, fmt, rest)
        _add_document(stats, fmt, rest)
    return fmt


def read_traces(paths: Iterable[str | Path], open_spans: int = OPEN_SPANS) -> TraceStats:
    """Read trace exports and count their spans, streaming (see the module's Memory notes).

    ``open_spans`` is the number of span records kept in open traces (:data:`OPEN_SPANS`).

    Raises
    ------
    IngestError
        For an empty, binary or truncated file, a folder, Zipkin v1 or an unknown shape (naming
        what was seen), or a file without spans.
    """
    stats = TraceStats(open_spans_limit=open_spans)
    with _no_cycle_collection():
        for raw_path in paths:
            path = check_file(raw_path)
            before = stats.span_records
            read = _read_json_lines if _is_json_lines(path) else _read_json
            formats = read(path, stats)
            if stats.span_records == before:
                raise IngestError(path, f"no spans in this {', '.join(sorted(formats))} export")
            stats.formats.extend(sorted(formats))
        return stats.finish()


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cyclic garbage collector off while spans are counted, then as it was.

    Decoded documents and the running totals hold no reference cycles, so the collector finds
    nothing; but every few thousand new objects it walks everything alive, the open traces
    included, which made a 1 000 000-span file a third slower than five 200 000-span ones.
    Memory is unaffected: what is not referenced any more is freed at once by reference counts.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _add_document(stats: TraceStats, fmt: str, doc: Any) -> None:
    """Count the spans of one whole document of a detected format."""
    if fmt == "jaeger-v3":
        for resource_spans in doc["result"].get("resourceSpans") or []:
            _add_otlp_resource(stats, resource_spans)
    elif fmt == "otlp-json":
        for resource_spans in doc.get("resourceSpans") or []:
            _add_otlp_resource(stats, resource_spans)
    elif fmt == "jaeger-v1":
        for trace in doc["data"]:
            _add_jaeger_trace(stats, trace)
    elif fmt == "jaeger-v1-trace":
        _add_jaeger_trace(stats, doc)
    elif fmt == "jaeger-v1-spans":
        _add_jaeger_trace(stats, {"spans": doc, "processes": {}})
    elif fmt == "zipkin-v2":
        _add_zipkin(stats, doc)
    elif fmt == "zipkin-v2-traces":
        for trace in doc:
            _add_zipkin(stats, trace)


def _otlp_value(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        return next(iter(value.values()))
    return value


def _add_otlp_resource(stats: TraceStats, resource_spans: Any) -> None:
    """Count the spans of one OTLP ``resourceSpans`` element."""
    if not isinstance(resource_spans, dict):
        return
    resource = resource_spans.get("resource") or {}
    service = UNKNOWN_SERVICE
    for attr in resource.get("attributes") or []:
        if attr.get("key") == "service.name":
            service = str(_otlp_value(attr.get("value"))) or UNKNOWN_SERVICE
    scopes = (
        resource_spans.get("scopeSpans") or resource_spans.get("instrumentationLibrarySpans") or []
    )
    shared = _size(resource)
    records = 0
    span_bytes = 0
    add = stats.add
    for scope in scopes:
        shared += _size(scope.get("scope") or scope.get("instrumentationLibrary") or {})
        spans = [s for s in scope.get("spans") or [] if isinstance(s, dict)]
        if not spans:
            continue
        records += len(spans)
        span_bytes += _items_size(spans)
        for span in spans:
            end: Any = span.get("endTimeUnixNano")
            start: Any = span.get("startTimeUnixNano")
            try:
                duration: float | None = (int(end) - int(start)) / 1000.0
            except (TypeError, ValueError):
                duration = None  # a missing or unparsable time: no duration
            status = span.get("status") or {}
            add(
                normalize_id(span.get("traceId")),
                normalize_id(span.get("spanId")),
                normalize_id(span.get("parentSpanId")),
                duration,
                status.get("code") in (2, "2", "STATUS_CODE_ERROR"),
                len(span.get("attributes") or ()),
            )
    if records:
        # The resource and scopes are shared by the resource's spans: spread over them.
        stats.bytes_total += shared + span_bytes
        stats.services[service] += records


def _jaeger_error(tags: list[dict[str, Any]]) -> bool:
    for t in tags:
        if t.get("key") == "error" and str(t.get("value", t.get("vBool", ""))).lower() == "true":
            return True
    return False


def _add_jaeger_trace(stats: TraceStats, trace: dict[str, Any], shared: bool = True) -> None:
    """Count the spans of one Jaeger trace (``shared``: count its ``processes`` bytes)."""
    spans = [s for s in trace.get("spans") or [] if isinstance(s, dict)]
    if not spans:
        return
    processes = trace.get("processes") or {}
    stats.bytes_total += (_size(processes) if shared else 0) + _items_size(spans)
    raw_trace = trace.get("traceID")
    trace_id = normalize_id(raw_trace)
    services = stats.services
    add = stats.add
    for span in spans:
        raw = span.get("traceID")
        # The ids of a trace are written alike: normalised once, compared as written.
        tid = trace_id if raw == raw_trace else (normalize_id(raw) or trace_id)
        process = span.get("process") or processes.get(span.get("processID"), {})
        services[str(process.get("serviceName") or UNKNOWN_SERVICE)] += 1
        parent = ""
        for ref in span.get("references") or ():
            ref_trace = ref.get("traceID")
            if ref_trace != raw and normalize_id(ref_trace) not in ("", tid):
                stats.other_trace_refs += 1
            elif not parent and ref.get("refType", "CHILD_OF") in ("CHILD_OF", "FOLLOWS_FROM"):
                parent = normalize_id(ref.get("spanID"))
        parent = parent or normalize_id(span.get("parentSpanID"))
        tags = span.get("tags") or []
        add(
            tid,
            normalize_id(span.get("spanID")),
            "" if parent == "0" * 16 else parent,
            _duration_us(span.get("duration")),
            _jaeger_error(tags),
            len(tags),
        )


def _add_zipkin(stats: TraceStats, spans: list[Any]) -> None:
    """Count a list of Zipkin v2 spans."""
    spans = [s for s in spans if isinstance(s, dict)]
    stats.bytes_total += _items_size(spans)
    services = stats.services
    add = stats.add
    for span in spans:
        local = span.get("localEndpoint") or {}
        tags = span.get("tags") or {}
        services[str(local.get("serviceName") or UNKNOWN_SERVICE)] += 1
        add(
            normalize_id(span.get("traceId")),
            normalize_id(span.get("id")),
            normalize_id(span.get("parentId")),
            _duration_us(span.get("duration")),
            "error" in tags,
            len(tags),
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
    stats.finish()
    n = stats.span_records
    orphans = stats.orphan_spans
    warnings = []
    if stats.reopened_traces:
        warnings.append(
            f"{stats.reopened_traces} trace(s) got spans again after more than "
            f"{stats.open_spans_limit} span records of other traces: each part counted as a "
            "trace, so traces, distinct span ids and orphans are approximate"
        )
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
    duplicates = n - stats.distinct_span_ids
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
        "distinct_span_ids": stats.distinct_span_ids,
        "traces": stats.traces,
        "services": dict(sorted(stats.services.items())),
        "mean_spans_per_trace": rounded(n / stats.traces) if stats.traces else None,
        "p95_spans_per_trace": rounded(_histogram_percentile(stats.spans_per_trace, 95)),
        "mean_bytes_per_span": rounded(stats.bytes_total / n, 1) if n else None,
        "mean_attributes_per_span": rounded(stats.attributes_total / n) if n else None,
        "error_spans": stats.error_spans,
        "orphan_spans": orphans,
        "root_duration_ms_p50": rounded(stats.root_ms.percentile(50), 3),
        "root_duration_ms_p95": rounded(stats.root_ms.percentile(95), 3),
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
