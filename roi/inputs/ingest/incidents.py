"""Incident history exports (CSV) -> incidents per month and MTTR per severity.

Reads the CSV exports of PagerDuty (legacy ``incident_number, description, created_on,
resolved_on, urgency, service_name`` and Title-Case variants), Opsgenie, Jira Service Management
(repeated header names, locale dates), incident.io, GoAlert (zone in the header, ``hh:mm:ss``
durations) and the generic ``id,started_at,resolved_at,severity,service``. Columns are found
through an alias table compared case-, space-, underscore- and camelCase-insensitively; the
tool is detected from the header or forced.

Conventions
-----------
- A *row* is the spreadsheet row number: the header is row 1, the first record row 2.
- An incident without a resolve time is *open*: it counts towards incidents per month and is left
  out of MTTR (which is then that of the resolved incidents only), never treated as zero.
- The period is whole calendar months from the month of the first incident to that of the last,
  in the ``tz`` zone when one is given (else UTC): an export that stops mid-month understates the
  rate of that month.
- Rows not used are listed in ``skipped_rows`` with their reason; nothing is dropped silently.

Examples
--------
>>> severity_class("SEV-1"), severity_class("P2"), severity_class("Highest", "jira")
('sev1', 'sev2', 'sev1')
>>> severity_class("high", "pagerduty"), severity_class("")
('sev1', 'unclassified')
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from roi.inputs.errors import excerpt
from roi.inputs.ingest._common import (
    SCHEMA_VERSION,
    IngestError,
    json_document,
    normalize_header,
    period_text,
    read_text,
    rounded,
    sniff_delimiter,
)

if TYPE_CHECKING:
    import pandas as pd

SOURCES = ("pagerduty", "opsgenie", "jira", "incident-io", "goalert", "generic")
"""Tools whose exports are understood (``--source``)."""

FIELDS = ("id", "start", "end", "severity", "service", "duration", "status")

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "pagerduty": {
        "id": ("incident_number", "incident_id", "number", "id"),
        "start": ("created_on", "created_at", "created"),
        "end": ("resolved_on", "resolved_at", "resolved"),
        "severity": ("priority", "priority_name", "priority_summary", "urgency"),
        "service": ("service_name", "service_summary", "service"),
        "duration": ("seconds_to_resolve",),
        "status": ("status",),
    },
    "opsgenie": {
        "id": ("tiny_id", "id", "alias"),
        "start": ("impact_start_date", "created_at", "created"),
        "end": ("impact_end_date", "closed_at", "resolved_at", "closed"),
        "severity": ("priority",),
        "service": ("service", "entity", "teams"),
        "status": ("status",),
    },
    "jira": {
        "id": ("issue_key", "issue_id"),
        "start": ("created",),
        "end": ("resolved", "resolution_date"),
        "severity": ("custom_field_severity", "priority"),
        "service": ("custom_field_service", "component_s", "components", "component"),
        "status": ("status",),
    },
    "incident-io": {
        "id": ("reference", "id"),
        "start": ("impact_started_at", "reported_at", "created_at"),
        "end": ("resolved_at", "closed_at"),
        "severity": ("severity", "severity_name"),
        "service": ("affected_services", "service", "services"),
        "status": ("status", "incident_status_category", "incident_status", "status_category"),
    },
    "goalert": {
        "id": ("alert_id",),
        "start": ("created_at",),
        "end": ("closed_at",),
        "service": ("service_name",),
        "duration": ("time_to_close",),
        "status": ("status",),
    },
    "generic": {
        "id": ("id", "incident_id"),
        "start": ("started_at", "start", "created_at"),
        "end": ("resolved_at", "resolved", "end", "ended_at"),
        "severity": ("severity", "priority"),
        "service": ("service", "service_name"),
        "duration": ("duration_seconds", "seconds_to_resolve"),
        "status": ("status",),
    },
}
"""Per tool and canonical field, the accepted header names (normalised), best first; a row takes
the first non-empty one."""

EXCLUDED_STATUSES = {
    "incident-io": ("declined", "merged", "canceled", "cancelled"),
}
"""Statuses of records that are not incidents (incident.io: declined, merged, canceled)."""

IMPLAUSIBLY_LONG_HOURS = 7 * 24.0
"""[h] Resolution times above a week are listed in warnings (a forgotten incident, or a ticket
closed in a clean-up); they are kept."""

_SEVERITY_WORDS = {
    "critical": 1,
    "blocker": 1,
    "highest": 1,
    "emergency": 1,
    "major": 2,
    "high": 2,
    "medium": 3,
    "moderate": 3,
    "minor": 3,
    "low": 4,
    "lowest": 5,
    "trivial": 5,
    "info": 5,
}
_SEVERITY_BY_SOURCE = {
    "pagerduty": {"high": 1, "low": 2},
    "jira": {"critical": 2, "major": 3, "minor": 4},
}
_SEVERITY_NUMBER = re.compile(r"(?:sev|severity|p|priority|s|impact)?[\s\-_]*([0-9])")
_CLASS_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
_OFFSET = r"(?:[zZ]|[+-]\d\d:?\d\d)$"
_GOALERT_ZONE = re.compile(r"^\s*(Created|Closed) At \(([^)]*)\)\s*$")
_HMS = re.compile(r"^(\d+):([0-5]\d):([0-5]\d)$")

LOCAL_FORMATS = (
    "%d/%b/%y %I:%M %p",
    "%d/%b/%Y %I:%M %p",
    "%d/%b/%y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%d/%m/%Y %I:%M %p",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%d",
)
"""Zone-less date formats tried after ISO 8601 (Jira locale exports, SQL-style GoAlert)."""


def severity_class(label: str, source: str = "generic") -> str:
    """The scenario's severity class (``sev1`` the worst) of a label as written in an export.

    Numbers (``SEV1``, ``P2``, ``Sev 3``, ``S4``) keep their number; words follow an ordinal
    table (critical 1 ... lowest 5; PagerDuty urgency high 1, low 2; Jira's old Blocker, Critical,
    Major, Minor, Trivial 1-5); anything else becomes its own lower-case class, or
    ``unclassified`` when empty or not a valid class name.
    """
    text = label.strip().lower()
    if not text:
        return "unclassified"
    match = _SEVERITY_NUMBER.fullmatch(text)
    if match:
        return f"sev{match.group(1)}"
    rank = _SEVERITY_BY_SOURCE.get(source, {}).get(text, _SEVERITY_WORDS.get(text))
    if rank is not None:
        return f"sev{rank}"
    slug = re.sub(r"[^a-z0-9_-]+", "-", text).strip("-")
    return slug if _CLASS_NAME.match(slug) else "unclassified"


def zone(name: str) -> tzinfo:
    """The time zone ``name`` (IANA name, ``UTC`` or an offset ``+02:00``), or a UserError.

    >>> zone("+05:30"), zone("UTC").key
    (datetime.timezone(datetime.timedelta(seconds=19800)), 'UTC')
    """
    match = re.fullmatch(r"(?:UTC|GMT)?\s*([+-])(\d\d):?(\d\d)", name.strip())
    if match:
        sign = 1 if match.group(1) == "+" else -1
        delta = timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
        return timezone(sign * delta)
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise IngestError(
            "--tz",
            f"{name!r} is not a time zone; allowed: an IANA name (UTC, Europe/Berlin, "
            "America/New_York) or an offset such as +02:00",
        ) from None


@dataclass(frozen=True)
class Skipped:
    """A row that was not used, and why."""

    row: int
    reason: str


@dataclass
class IncidentHistory:
    """The incidents read from one export, one record per incident used.

    ``frame`` has the columns ``row`` (spreadsheet row), ``id``, ``start`` and ``end`` (UTC,
    ``end`` NaT when open), ``hours`` (time to resolve [h], NaN when open), ``severity`` (label
    as written), ``severity_class`` and ``service``.
    """

    file: Path
    source: str
    frame: pd.DataFrame
    zone: tzinfo | None
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- reading -----------------------------------------------------------------------------------


def read_incidents(
    path: str | Path, source: str = "auto", tz: str | tzinfo | None = None
) -> IncidentHistory:
    """Read an incident export.

    Parameters
    ----------
    path
        The CSV file.
    source
        ``auto`` (detect from the header) or one of :data:`SOURCES`.
    tz
        Zone of timestamps written without an offset (IANA name or ``+hh:mm``). Without it such
        timestamps are an error, as their zone is ambiguous.

    Raises
    ------
    IngestError
        One line naming the file and row or column: empty, binary, a directory, no known header,
        a required column missing, an unparsable or zone-less date without ``tz``.
    """
    import pandas as pd

    file, text = read_text(path)
    if source not in ("auto", *SOURCES):
        raise IngestError(
            file, f"--source {source!r} is unknown; allowed: auto, {', '.join(SOURCES)}"
        )
    zone_info: tzinfo | None = zone(tz) if isinstance(tz, str) else tz
    json_table: pd.DataFrame | None = None
    if text.lstrip()[:1] in ("[", "{"):
        header, json_table = _json_records(file, text)
        delimiter, first_row = ",", 1
    else:
        end = text.find("\n")
        first_line = (text if end < 0 else text[:end]).rstrip("\r")
        delimiter, first_row = sniff_delimiter(first_line), 2
        header = next(csv.reader([first_line], delimiter=delimiter))
        if len(header) < 2:
            raise IngestError(
                file,
                f"row 1: the header has one column ({header[0][:60]!r}); allowed: a CSV with "
                "comma, semicolon or tab delimiters",
            )
    header_zone, header = _goalert_header(file, header)
    names = [normalize_header(h) for h in header]
    if source == "auto":
        source = detect_source(file, header, names, header_zone is not None)
    warnings: list[str] = []
    if header_zone is not None:
        if zone_info is not None and zone_info != header_zone:
            warnings.append(f"--tz {tz} ignored: the header gives the zone {header_zone}")
        zone_info = header_zone
    columns = _columns(file, source, names)
    if json_table is not None:
        table = json_table
    else:
        usecols = sorted({i for idx in columns.values() for i in idx})
        table = _read_csv(file, text, delimiter, len(header), usecols)
    rows = pd.Series(range(first_row, len(table) + first_row), index=table.index)
    stripped = {col: table[col].str.strip() for col in table.columns}
    values = {name: _coalesce([stripped[i] for i in idx]) for name, idx in columns.items()}
    skipped: list[Skipped] = []
    empty = pd.Series(True, index=table.index)
    for col in stripped.values():
        empty &= col == ""
    _skip(skipped, rows[empty], "empty row")
    keep = ~empty

    start_header = header[columns["start"][0]]
    no_start = keep & (values["start"] == "")
    _skip(skipped, rows[no_start], f"no start time ({start_header} is empty)")
    keep &= ~no_start

    if "status" in values and source in EXCLUDED_STATUSES:
        status = values["status"].str.lower()
        for word in EXCLUDED_STATUSES[source]:
            excluded = keep & (status == word)
            _skip(skipped, rows[excluded], f"status {word!r}: not an incident ({source})")
            keep &= ~excluded

    start = parse_times(file, values["start"].where(keep, ""), rows, start_header, zone_info)
    end_values = values.get("end", pd.Series("", index=table.index)).where(keep, "")
    end_header = header[columns["end"][0]] if "end" in columns else "end"
    end = parse_times(file, end_values, rows, end_header, zone_info)
    hours = (end - start).dt.total_seconds() / 3600.0
    if "duration" in values:
        fallback = _duration_hours(file, values["duration"].where(keep & end.isna(), ""), rows)
        hours = hours.where(hours.notna(), fallback)
        end = end.where(end.notna(), start + pd.to_timedelta(fallback, unit="h"))

    backwards = keep & (hours < 0)
    for row, s, e in zip(rows[backwards], start[backwards], end[backwards], strict=True):
        skipped.append(
            Skipped(
                int(row),
                f"resolved before it started ({e:%Y-%m-%d %H:%M} < {s:%Y-%m-%d %H:%M} UTC)",
            )
        )
    keep &= ~backwards

    ids = values.get("id", pd.Series("", index=table.index))
    with_id = keep & (ids != "")
    repeat = ids[with_id].duplicated(keep="first")
    duplicated = pd.Series(False, index=table.index)
    duplicated[repeat.index[repeat.to_numpy()]] = True
    if duplicated.any():
        first_row = rows[with_id].groupby(ids[with_id]).transform("min")
        for idx in duplicated[duplicated].index:
            skipped.append(
                Skipped(
                    int(rows[idx]), f"duplicate id {ids[idx]!r} (first at row {first_row[idx]})"
                )
            )
        dup_rows = rows[duplicated].tolist()
        warnings.append(
            f"{len(dup_rows)} duplicate id{'s' if len(dup_rows) > 1 else ''} skipped (rows "
            f"{_row_list(dup_rows)})"
        )
    keep &= ~duplicated

    severity = values.get("severity", pd.Series("", index=table.index))
    label = severity.where(severity != "", "unclassified")
    classes = {lab: severity_class(lab, source) for lab in label[keep].unique()}
    frame = pd.DataFrame(
        {
            "row": rows[keep],
            "id": ids[keep],
            "start": start[keep],
            "end": end[keep],
            "hours": hours[keep],
            "severity": label[keep],
            "severity_class": label[keep].map(classes),
            "service": values.get("service", pd.Series("", index=table.index))[keep],
        }
    ).reset_index(drop=True)
    warnings.extend(_plausibility(frame))
    skipped.sort(key=lambda s: s.row)
    if frame.empty:
        raise IngestError(
            file,
            f"no incident rows left to use ({len(skipped)} skipped, e.g. row "
            f"{skipped[0].row}: {skipped[0].reason})"
            if skipped
            else "no incident rows after the header",
        )
    return IncidentHistory(file, source, frame, zone_info, skipped, warnings)


def _read_csv(
    file: Path, text: str, delimiter: str, width: int, usecols: list[int]
) -> pd.DataFrame:
    """The records after the header as a table of strings (columns numbered from 0, ``""`` for
    an empty cell), one row per record.

    Arrow's multi-threaded CSV reader takes a well-formed file (every record ``width`` fields);
    anything else (blank lines, short or long rows) goes to pandas' C parser, which keeps blank
    lines as empty rows (reported as skipped) and names the row that has too many fields.
    """
    import pandas as pd

    try:
        import pyarrow as pa
        import pyarrow.csv as pa_csv
    except ImportError:  # pragma: no cover - pyarrow is a dependency; the C parser still works
        pa = None
    if pa is not None:
        names = [str(i) for i in range(width)]
        try:
            arrow = pa_csv.read_csv(
                io.BytesIO(text.encode("utf-8")),
                read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1),
                parse_options=pa_csv.ParseOptions(
                    delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
                ),
                convert_options=pa_csv.ConvertOptions(
                    include_columns=[names[i] for i in usecols],
                    column_types=dict.fromkeys(names, pa.string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except (pa.ArrowInvalid, ValueError):
            pass  # not one record of ``width`` fields per line: pandas' parser says where
        else:
            table = arrow.to_pandas()
            table.columns = pd.Index(usecols)
            return table
    try:
        table = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            skiprows=1,
            names=list(range(width)),
            usecols=usecols,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError) as exc:
        message = str(exc).strip().splitlines()[-1]
        raise IngestError(file, f"not a well-formed CSV: {message}") from None
    return table.fillna("")


def _json_records(file: Path, text: str) -> tuple[list[str], pd.DataFrame]:
    """Header names and a table of strings from a JSON export: a list of incidents, or an
    object holding one under ``incidents`` (PagerDuty REST v2, incident.io API v2) or ``data``
    (Opsgenie). Nested objects are flattened with ``_`` (``priority.summary`` ->
    ``priority_summary``). Rows are numbered from 1, the record's place in the list."""
    import pandas as pd

    doc = json_document(file, text)
    records = doc
    if isinstance(doc, dict):
        key = next((k for k in ("incidents", "data", "alerts") if k in doc), None)
        if key is None:
            keys = ", ".join(list(doc)[:8])
            raise IngestError(
                file,
                f"a JSON object with keys {keys}; allowed: a list of incidents, or an object "
                "with incidents (PagerDuty, incident.io) or data (Opsgenie)",
            )
        records = doc[key]
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise IngestError(file, "expected a list of incident objects")
    if not records:
        raise IngestError(file, "the JSON export holds no incidents")
    frame = pd.json_normalize(records, sep="_")
    header = [str(c) for c in frame.columns]
    frame = frame.astype(object).where(frame.notna(), "").astype(str)
    frame.columns = pd.Index(range(len(header)))
    return header, frame


def _skip(skipped: list[Skipped], rows: pd.Series, reason: str) -> None:
    skipped.extend(Skipped(int(r), reason) for r in rows)


def _row_list(rows: list[int], limit: int = 10) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (f" and {len(rows) - limit} more" if len(rows) > limit else "")


def _goalert_header(file: Path, header: list[str]) -> tuple[tzinfo | None, list[str]]:
    """GoAlert writes the zone into the header, ``Created At (America/Chicago -05:00)``: the zone
    and the header without it."""
    found: tzinfo | None = None
    out = []
    for name in header:
        match = _GOALERT_ZONE.match(name)
        if not match:
            out.append(name)
            continue
        out.append(f"{match.group(1)} At")
        parts = match.group(2).split()
        candidate: tzinfo | None = None
        for part in parts:
            try:
                candidate = zone(part)
                break
            except IngestError:
                continue
        if candidate is None:
            raise IngestError(
                file,
                f"row 1, column {name!r}: cannot read the time zone {match.group(2)!r}; "
                "allowed: an IANA name or an offset such as -05:00",
            )
        found = found or candidate
    return found, out


def detect_source(file: Path, header: list[str], names: list[str], zone_in_header: bool) -> str:
    """The tool that wrote a CSV, from its (normalised) header names."""
    have = set(names)
    if zone_in_header or ("alert_id" in have and "time_to_close" in have):
        return "goalert"
    if "issue_key" in have and "created" in have:
        return "jira"
    if have & {"incident_number", "urgency", "seconds_to_resolve"}:
        return "pagerduty"
    if "tiny_id" in have or {"alias", "message"} <= have:
        return "opsgenie"
    if "reference" in have and have & {"severity", "status"}:
        return "incident-io"
    if have & {"started_at", "start"}:
        return "generic"
    shown = ", ".join(header[:8]) + (", ..." if len(header) > 8 else "")
    raise IngestError(
        file,
        f"row 1: cannot tell which tool wrote this export (header: {shown}); allowed: "
        f"--source {'|'.join(SOURCES)}, or the generic header id,started_at,resolved_at,"
        "severity,service",
    )


def _columns(file: Path, source: str, names: list[str]) -> dict[str, list[int]]:
    """Column positions per canonical field (a repeated header counts at its first place)."""
    aliases = ALIASES[source]
    out: dict[str, list[int]] = {}
    for name, candidates in aliases.items():
        idx = [names.index(c) for c in candidates if c in names]
        if idx:
            out[name] = idx
    if "start" not in out:
        raise IngestError(
            file,
            f"row 1: no start-time column for a {source} export; allowed: "
            f"{', '.join(aliases['start'])} (header has: {', '.join(names[:10])})",
        )
    if "end" not in out and "duration" not in out:
        allowed = ", ".join(aliases["end"] + aliases.get("duration", ()))
        raise IngestError(
            file, f"row 1: no resolve-time column for a {source} export; allowed: {allowed}"
        )
    return out


def _coalesce(columns: list[pd.Series]) -> pd.Series:
    out = columns[0]
    for col in columns[1:]:
        out = out.where(out != "", col)
    return out


def _has_offset(values: pd.Series) -> pd.Series:
    """Whether each value ends in an offset or ``Z`` (one vectorised regex match per column)."""
    return values.str.contains(_OFFSET, regex=True).fillna(False).astype(bool)


def parse_times(
    file: Path, values: pd.Series, rows: pd.Series, column: str, tz: tzinfo | None
) -> pd.Series:
    """Timestamps of one column as UTC; empty strings become NaT.

    ISO 8601 with an offset or ``Z`` is read as written (offsets may differ from row to row);
    zone-less values (ISO, SQL-style or locale formats such as ``14/Jul/25 3:42 PM``) need ``tz``
    and one format for the whole column. A day/month order that no value decides, a local time
    that daylight saving makes ambiguous or non-existent, or an unparsable value is an error
    naming the row.
    """
    import pandas as pd

    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
    present = values != ""
    if not present.any():
        return out
    aware = present & _has_offset(values)
    if aware.any():
        parsed = pd.to_datetime(values[aware], format="ISO8601", utc=True, errors="coerce")
        _fail_unparsed(file, values[aware], parsed, rows, column, "ISO 8601 with an offset")
        _check_years(file, values[aware], parsed, rows, column)
        out[aware] = parsed
    naive = present & ~aware
    if not naive.any():
        return out
    if tz is None:
        row = int(rows[naive].iloc[0])
        value = values[naive].iloc[0]
        raise IngestError(
            file,
            f"row {row}, column {column}: {value!r} has no time zone, so it is ambiguous; pass "
            "--tz ZONE (e.g. --tz UTC, --tz Europe/Berlin, --tz -05:00) or export with offsets",
        )
    local = _parse_local(file, values[naive], rows, column)
    _check_years(file, values[naive], local, rows, column)
    localized = local.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    bad = localized.isna()
    if bad.any():
        idx = bad[bad].index[0]
        raise IngestError(
            file,
            f"row {int(rows[idx])}, column {column}: local time {values[idx]!r} is ambiguous or "
            f"does not exist in {tz} (a daylight-saving change); allowed: a timestamp with an "
            "offset, or --tz with a fixed offset such as +01:00",
        )
    out[naive] = localized.dt.tz_convert("UTC")
    return out


def _parse_local(file: Path, values: pd.Series, rows: pd.Series, column: str) -> pd.Series:
    import pandas as pd

    iso = pd.to_datetime(values, format="ISO8601", errors="coerce")
    if iso.notna().all():
        return iso
    results = []
    for fmt in LOCAL_FORMATS:
        parsed = pd.to_datetime(values, format=fmt, errors="coerce")
        if parsed.notna().all():
            results.append((fmt, parsed))
    if not results:
        best = max(
            (pd.to_datetime(values, format=f, errors="coerce") for f in LOCAL_FORMATS),
            key=lambda p: int(p.notna().sum()),
        )
        best = best if best.notna().sum() >= iso.notna().sum() else iso
        _fail_unparsed(file, values, best, rows, column, "ISO 8601 or one locale format")
    fmt, first = results[0]
    for other_fmt, other in results[1:]:
        if not other.equals(first):
            idx = (other != first).idxmax()
            raise IngestError(
                file,
                f"row {int(rows[idx])}, column {column}: {values[idx]!r} reads as {fmt} and as "
                f"{other_fmt} (no value has a day above 12); allowed: ISO 8601 dates "
                "(YYYY-MM-DD): export again with them",
            )
    return first


YEARS = (1900, 2200)
"""First and last year of a timestamp an export may hold (pandas holds 1677 to 2262)."""


def _check_years(
    file: Path, values: pd.Series, parsed: pd.Series, rows: pd.Series, column: str
) -> None:
    """An :class:`IngestError` naming the first row whose timestamp lies outside :data:`YEARS`."""
    years = parsed.dt.year
    bad = parsed.notna() & ((years < YEARS[0]) | (years > YEARS[1]))
    _fail_first(
        file,
        bad,
        rows,
        column,
        lambda i: (
            f"{excerpt(values[i])} is out of range; allowed: dates from {YEARS[0]} to {YEARS[1]}"
        ),
    )


def _fail_unparsed(
    file: Path, values: pd.Series, parsed: pd.Series, rows: pd.Series, column: str, allowed: str
) -> None:
    _fail_first(
        file,
        parsed.isna(),
        rows,
        column,
        lambda i: (
            f"cannot read {values[i]!r} as a date and "
            f"time; allowed: {allowed}, one format per column"
        ),
    )


def _fail_first(
    file: Path, bad: pd.Series, rows: pd.Series, column: str, problem: Callable[[Any], str]
) -> None:
    """An :class:`IngestError` naming the row and column of the first ``bad`` value."""
    if bad.any():
        idx = bad[bad].index[0]
        raise IngestError(file, f"row {int(rows[idx])}, column {column}: {problem(idx)}")


def _duration_hours(file: Path, values: pd.Series, rows: pd.Series) -> pd.Series:
    """[h] Durations written as seconds (``seconds_to_resolve``) or ``hh:mm:ss`` (GoAlert)."""
    import pandas as pd

    out = pd.Series(float("nan"), index=values.index)
    present = values != ""
    if not present.any():
        return out
    numeric = pd.to_numeric(values[present], errors="coerce")
    out[present] = numeric / 3600.0
    hms = values[present & out.isna()]
    for idx, text in hms.items():
        match = _HMS.match(text)
        if not match:
            raise IngestError(
                file,
                f"row {int(rows[idx])}: duration {text!r} is not a number of seconds or hh:mm:ss",
            )
        h, m, s = (int(g) for g in match.groups())
        out[idx] = h + m / 60.0 + s / 3600.0
    return out


def _plausibility(frame: pd.DataFrame) -> list[str]:
    long = frame[frame["hours"] > IMPLAUSIBLY_LONG_HOURS]
    zero = frame[frame["hours"] == 0]
    out = []
    if len(long):
        out.append(
            f"{len(long)} incident(s) took longer than {IMPLAUSIBLY_LONG_HOURS:g} h to resolve "
            f"(rows {_row_list(long['row'].tolist())}; longest {long['hours'].max():.0f} h): kept; "
            "check they are not forgotten tickets"
        )
    if len(zero):
        out.append(
            f"{len(zero)} incident(s) resolved the moment they started (rows "
            f"{_row_list(zero['row'].tolist())}): kept; auto-resolved alerts?"
        )
    open_count = int(frame["hours"].isna().sum())
    if open_count:
        out.append(
            f"{open_count} incident(s) still open (no resolve time): counted in incidents per "
            "month, left out of MTTR (the MTTR of resolved incidents may understate)"
        )
    return out


# --- summary -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole calendar months covered by the incidents' start times."""

    start: date
    end: date
    months: int

    @property
    def text(self) -> str:
        """``1 Jan–31 Mar 2026``."""
        return period_text(self.start, self.end)


def period(history: IncidentHistory) -> Period:
    """The calendar months from the first incident's month to the last one's (in its zone)."""
    starts = history.frame["start"]
    if history.zone is not None:
        starts = starts.dt.tz_convert(history.zone)
    first, last = starts.min(), starts.max()
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    start = date(first.year, first.month, 1)
    nxt = date(last.year + last.month // 12, last.month % 12 + 1, 1)
    return Period(start, nxt - timedelta(days=1), months)


def _stats(hours: pd.Series) -> dict[str, float | None]:
    resolved = hours.dropna()
    if resolved.empty:
        return {"mttr_hours_mean": None, "mttr_hours_median": None, "mttr_hours_p90": None}
    return {
        "mttr_hours_mean": rounded(resolved.mean()),
        "mttr_hours_median": rounded(resolved.median()),
        "mttr_hours_p90": rounded(resolved.quantile(0.9)),
    }


def incident_summary(history: IncidentHistory) -> dict[str, Any]:
    """The JSON document of ``roi ingest incidents`` (``schema_version`` 1).

    Keys: ``schema_version``, ``source``, ``period_start``, ``period_end``, ``months_covered``,
    ``severities`` (label as written -> ``count``, ``incidents_per_month``,
    ``mttr_hours_mean``, ``mttr_hours_median``, ``mttr_hours_p90`` [h]), ``severity_classes``
    (label -> scenario class), ``open_incidents``, ``services`` (name -> incidents),
    ``skipped_rows`` (``row``, ``reason``) and ``warnings``.
    """
    frame = history.frame
    span = period(history)
    severities: dict[str, Any] = {}
    for label, group in sorted(frame.groupby("severity"), key=lambda kv: str(kv[0])):
        severities[str(label)] = {
            "count": len(group),
            "incidents_per_month": rounded(len(group) / span.months),
            **_stats(group["hours"]),
        }
    services = frame.loc[frame["service"] != "", "service"].value_counts()
    return {
        "schema_version": SCHEMA_VERSION,
        "source": history.source,
        "file": history.file.name,
        "period_start": span.start.isoformat(),
        "period_end": span.end.isoformat(),
        "months_covered": span.months,
        "incidents": len(frame),
        "severities": severities,
        "severity_classes": {
            str(k): str(v)
            for k, v in sorted(
                frame[["severity", "severity_class"]].drop_duplicates().itertuples(index=False)
            )
            if k
        },
        "open_incidents": int(frame["hours"].isna().sum()),
        "services": {str(k): int(v) for k, v in sorted(services.items())},
        "skipped_rows": [{"row": s.row, "reason": s.reason} for s in history.skipped],
        "warnings": list(history.warnings),
    }


def incident_fragment(history: IncidentHistory) -> dict[str, Any]:
    """A scenario fragment: ``incidents.severities.<class>.incidents_per_month`` and
    ``mttr_hours_before`` (mean of resolved incidents), each with its source naming the file,
    the count and the period. A class whose incidents are all open gets no MTTR."""
    frame = history.frame
    span = period(history)
    name = history.file.name
    tool = f"{history.source} export"
    severities: dict[str, Any] = {}
    for cls, group in sorted(frame.groupby("severity_class"), key=lambda kv: str(kv[0])):
        labels = ", ".join(sorted(set(group["severity"])))
        entry: dict[str, Any] = {
            "incidents_per_month": {
                "value": rounded(len(group) / span.months),
                "unit": "count/month",
                "source": f"from {name} ({tool}), {_plural(len(group), 'incident')} ({labels}) "
                f"over {_plural(span.months, 'month')}, {span.text}",
            }
        }
        resolved = group["hours"].dropna()
        open_count = len(group) - len(resolved)
        if len(resolved):
            left_out = f"; {open_count} open left out" if open_count else ""
            entry["mttr_hours_before"] = {
                "value": rounded(resolved.mean()),
                "unit": "h",
                "source": f"from {name} ({tool}), mean time to resolve of "
                f"{_plural(len(resolved), 'resolved incident')} ({labels}){left_out}, {span.text}",
            }
        severities[str(cls)] = entry
    return {"incidents": {"severities": severities}}


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def incidents_table(summary: dict[str, Any]) -> str:
    """The summary as plain text for people."""
    lines = [
        f"{summary['file']}: {summary['source']} export, {summary['incidents']} incidents, "
        f"{summary['period_start']} to {summary['period_end']} ({summary['months_covered']} "
        f"months), {summary['open_incidents']} open",
        "",
        f"{'severity':<16} {'class':<13} {'count':>6} {'per month':>10} {'MTTR mean h':>12} "
        f"{'median h':>9} {'P90 h':>8}",
    ]

    def num(v: float | None, width: int) -> str:
        return f"{'-':>{width}}" if v is None else f"{v:>{width}.2f}"

    for label, s in summary["severities"].items():
        lines.append(
            f"{label:<16} {summary['severity_classes'].get(label, ''):<13} {s['count']:>6} "
            f"{s['incidents_per_month']:>10.2f} {num(s['mttr_hours_mean'], 12)} "
            f"{num(s['mttr_hours_median'], 9)} {num(s['mttr_hours_p90'], 8)}"
        )
    if summary["services"]:
        top = sorted(summary["services"].items(), key=lambda kv: -kv[1])[:8]
        lines += ["", "services: " + ", ".join(f"{k} {v}" for k, v in top)]
    for s in summary["skipped_rows"][:20]:
        lines.append(f"skipped: row {s['row']}: {s['reason']}")
    if len(summary["skipped_rows"]) > 20:
        lines.append(f"skipped: {len(summary['skipped_rows']) - 20} more rows (see --format json)")
    lines += [f"warning: {w}" for w in summary["warnings"]]
    return "\n".join(lines)
