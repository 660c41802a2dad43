"""Shared pieces of the export readers: reading a file as text with errors for people, header
normalisation, delimiter sniffing and percentiles."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from roi.inputs.errors import UserError, plain

SCHEMA_VERSION = 1
"""Version of the JSON documents ``roi ingest`` prints."""

MAX_TEXT_BYTES = 2 * 1024**3
"""Largest export read whole into memory [B]; JSON Lines files are streamed instead."""


class IngestError(UserError):
    """An export that cannot be read; one line naming the file, row or key."""

    def __init__(self, path: str | Path, message: str) -> None:
        self.path = str(path)
        super().__init__(f"{path}: {message}")


def check_file(path: str | Path) -> Path:
    """``path`` as a Path, or an :class:`IngestError` when it is missing, a folder or empty."""
    path = Path(path)
    if path.is_dir():
        raise IngestError(path, "is a directory; give the path of an export file")
    if not path.exists():
        raise IngestError(path, "file not found")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(path, f"cannot read: {exc.strerror or exc}") from None
    if size == 0:
        raise IngestError(path, "the file is empty; export again with at least a header row")
    if size > MAX_TEXT_BYTES:
        raise IngestError(path, f"the file is {size / 1e9:.1f} GB; allowed: up to 2 GB")
    return path


def check_binary(path: Path, data: bytes) -> None:
    """An :class:`IngestError` when the first 64 KiB of ``data`` hold a NUL byte (binary data)."""
    nul = data.find(b"\x00", 0, 1 << 16)
    if nul >= 0:
        raise IngestError(
            path, f"binary data (a NUL byte at offset {nul}); allowed: a UTF-8 CSV or JSON export"
        )


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text of ``data`` without a byte-order mark, line ends as line feeds and without
    control characters (:func:`roi.inputs.errors.plain`); binary data is an
    :class:`IngestError`.

    >>> decode(Path("x.csv"), b"\\xef\\xbb\\xbfid,severity\\n")
    'id,severity\\n'
    """
    check_binary(path, data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            path,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); allowed: a "
            "UTF-8 CSV or JSON export (re-save as UTF-8)",
        ) from None
    if not text.strip():
        raise IngestError(path, "the file holds only white space; nothing to read")
    # Line ends as line feeds, then no control characters or bidirectional overrides: an
    # export's text (a service name, a title) cannot clear a terminal or reorder a line.
    return plain(text.replace("\r\n", "\n").replace("\r", "\n"))


JSON_TOO_DEEP = (
    "nested too deep to read (thousands of levels); allowed: an export as the tool wrote it"
)
"""Why a JSON value nested past the interpreter's recursion limit is refused."""
JSON_TOO_LONG = "a number of thousands of digits; allowed: numbers as a tool writes them"
"""Why a JSON integer beyond Python's digit limit (4,300) is refused."""


def json_document(path: Path, text: str, where: str = "", allowed: str = "") -> Any:
    """The JSON value of ``text``, or an :class:`IngestError` naming the line and column of a
    syntax error, a value nested thousands of levels deep or a number of thousands of digits.
    ``where`` prefixes the position (``"line 3, "`` in JSON Lines); ``allowed`` ends a syntax
    error's message.

    >>> json_document(Path("x.json"), '{"a": [1]}')
    {'a': [1]}
    >>> json_document(Path("x.json"), "[" * 100_000)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    roi.inputs.ingest._common.IngestError: x.json: nested too deep to read (thousands of ...
    """
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        position = (
            f"{where}column {exc.colno}" if where else f"line {exc.lineno}, column {exc.colno}"
        )
        raise IngestError(
            path, f"{position}: truncated or invalid JSON ({exc.msg}){allowed}"
        ) from None
    except RecursionError:
        raise IngestError(path, f"{_lead(where)}{JSON_TOO_DEEP}") from None
    except ValueError:  # an integer beyond sys.get_int_max_str_digits()
        raise IngestError(path, f"{_lead(where)}{JSON_TOO_LONG}") from None


def _lead(where: str) -> str:
    """``"line 3, "`` as the start of a message that has no column: ``"line 3: "``."""
    return f"{where.rstrip(', ')}: " if where else ""


def read_text(path: str | Path) -> tuple[Path, str]:
    """The checked path and its text (see :func:`check_file` and :func:`decode`)."""
    checked = check_file(path)
    try:
        data = checked.read_bytes()
    except OSError as exc:
        raise IngestError(checked, f"cannot read: {exc.strerror or exc}") from None
    return checked, decode(checked, data)


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[\s_\-./()]+")


def normalize_header(name: str) -> str:
    """A header name compared case-, space-, underscore- and camelCase-insensitively.

    >>> [normalize_header(h) for h in ("Created At", "created_at", "createdAt", " TinyID ")]
    ['created_at', 'created_at', 'created_at', 'tiny_id']
    """
    name = _CAMEL.sub("_", name.strip())
    return _SEPARATORS.sub("_", name.lower()).strip("_")


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of a CSV header line: comma, semicolon (European spreadsheets) or tab.

    >>> sniff_delimiter("id;started_at;severity"), sniff_delimiter("a,b")
    (';', ',')
    """
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (linear interpolation, as numpy's default) or None when empty.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50), percentile([], 95)
    (2.5, None)
    """
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def period_text(start: date, end: date) -> str:
    """A human period such as ``1 Jan–31 Mar 2026`` (years shown once when equal).

    >>> period_text(date(2026, 1, 1), date(2026, 3, 31))
    '1 Jan–31 Mar 2026'
    >>> period_text(date(2025, 12, 1), date(2026, 1, 31))
    '1 Dec 2025–31 Jan 2026'
    """
    if start.year == end.year:
        return f"{start.day} {start:%b}–{end.day} {end:%b} {end.year}"
    return f"{start.day} {start:%b} {start.year}–{end.day} {end:%b} {end.year}"


def rounded(value: float | None, digits: int = 4) -> float | None:
    """``value`` rounded for display in JSON (None stays None).

    >>> rounded(2.123456), rounded(None)
    (2.1235, None)
    """
    return None if value is None else round(float(value), digits)
