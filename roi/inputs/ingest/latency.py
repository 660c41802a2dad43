"""Latency percentiles (Prometheus HTTP API JSON or CSV) -> P95 per endpoint.

- Prometheus JSON: ``vector`` (``/api/v1/query``) and ``matrix`` (``/api/v1/query_range``)
  results; values are strings, ``"NaN"`` (no traffic) is filtered out, never read as zero;
  ``status: warning`` is reported, ``status: error`` and native histograms are errors.
- CSV: wide ``endpoint,p95_ms`` (or ``service,endpoint,p95_ms``), or long
  ``timestamp,endpoint,value`` (unit from ``unit``).

A matrix gives one P95 per step; the P95 of an endpoint is then the **mean of its per-step P95
values** (steps are evenly spaced, so this is time-weighted). That is not itself a quantile of
the whole period; ``aggregation`` says so, and ``max_ms`` gives the worst step.

Values that are negative or above :data:`MAX_PLAUSIBLE_MS` after unit conversion are listed in
``warnings`` and kept out of every figure (Jaeger's fixtures hold ``"9223372036854"``).

Examples
--------
>>> endpoint_label({"service_name": "shop", "span_name": "GET /cart", "handler": "x"})
'span_name'
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from roi.inputs.errors import excerpt
from roi.inputs.ingest._common import (
    SCHEMA_VERSION,
    IngestError,
    json_document,
    normalize_header,
    read_text,
    rounded,
    sniff_delimiter,
)

MAX_PLAUSIBLE_MS = 600_000.0
"""[ms] Latencies above 10 minutes are implausible for a request and are kept out."""

ENDPOINT_LABELS = (
    "span_name",
    "operation",
    "http_route",
    "route",
    "endpoint",
    "handler",
    "path",
    "uri",
)
"""Labels that name an endpoint, most specific first (``--label`` overrides)."""

UNITS = {"s": 1000.0, "ms": 1.0}


def endpoint_label(labels: Mapping[str, str], chosen: str | None = None) -> str | None:
    """The label naming the endpoint in one series: ``chosen`` or the most specific present."""
    if chosen is not None:
        return chosen if chosen in labels else None
    return next((name for name in ENDPOINT_LABELS if name in labels), None)


class _Collector:
    """Samples per endpoint [ms], with the values kept out and why."""

    def __init__(self, path: Path, factor: float) -> None:
        self.path = path
        self.factor = factor
        self.samples: dict[str, list[float]] = {}
        self.series: dict[str, int] = {}
        self.nan = 0
        self.implausible: list[str] = []
        self.times: list[float] = []

    def add(self, endpoint: str, raw: Any, where: str, timestamp: float | None = None) -> None:
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise IngestError(
                self.path, f"{where}: value {raw!r} is not a number; allowed: a number or NaN"
            ) from None
        if math.isnan(value):
            self.nan += 1
            return
        ms = value * self.factor
        if not math.isfinite(ms) or ms < 0 or ms > MAX_PLAUSIBLE_MS:
            self.implausible.append(f"{where}: {endpoint} {raw} -> {ms:g} ms")
            return
        self.samples.setdefault(endpoint, []).append(ms)
        if timestamp is not None:
            self.times.append(timestamp)


def read_latency(
    path: str | Path, unit: str | None = None, label: str | None = None
) -> dict[str, Any]:
    """Read a latency export; returns the JSON document of ``roi ingest latency``.

    Parameters
    ----------
    path
        Prometheus API JSON or CSV.
    unit
        ``s`` or ``ms`` of the values. Default: ``ms`` for a ``p95_ms`` column, else seconds
        (the Prometheus convention, with a warning saying so).
    label
        The label naming endpoints (default: the most specific of :data:`ENDPOINT_LABELS`).

    Returns
    -------
    dict
        ``schema_version``, ``file``, ``format``, ``unit``, ``label``, ``aggregation``,
        ``period`` (first to last sample, None without timestamps),
        ``endpoints`` (name -> ``p95_ms``, ``max_ms``, ``samples``, ``series``), ``warnings``.
    """
    if unit is not None and unit not in UNITS:
        raise IngestError("--unit", f"{unit!r} is not allowed; allowed: s, ms")
    file, text = read_text(path)
    warnings: list[str] = []
    if text.lstrip()[:1] in ("{", "["):
        fmt, collector, label_used, unit_used = _prometheus(file, text, unit, label, warnings)
    else:
        fmt, collector, label_used, unit_used = _csv(file, text, unit, warnings)
    if collector.nan:
        warnings.append(
            f"{collector.nan} NaN sample(s) left out (histogram_quantile of a series with no "
            "traffic)"
        )
    if collector.implausible:
        shown = "; ".join(collector.implausible[:5])
        more = len(collector.implausible) - 5
        warnings.append(
            f"{len(collector.implausible)} implausible value(s) kept out (negative or above "
            f"{MAX_PLAUSIBLE_MS / 60000:g} min): {shown}"
            + (f"; and {more} more" if more > 0 else "")
        )
    endpoints = {
        name: {
            "p95_ms": rounded(sum(v) / len(v), 3),
            "max_ms": rounded(max(v), 3),
            "samples": len(v),
            "series": collector.series.get(name, 1),
        }
        for name, v in sorted(collector.samples.items())
    }
    for name, count in sorted(collector.series.items()):
        if count > 1:
            warnings.append(
                f"{count} series name endpoint {name!r} (other labels differ): their samples "
                f"are pooled; pass --label to tell them apart"
            )
    if not endpoints:
        raise IngestError(
            file, "no usable latency values (every value was NaN, implausible or missing)"
        )
    matrix = fmt in ("prometheus-matrix", "csv-long")
    span = ""
    if collector.times:
        from datetime import UTC, datetime

        first = datetime.fromtimestamp(min(collector.times), UTC)
        last = datetime.fromtimestamp(max(collector.times), UTC)
        span = (
            f"{first:%Y-%m-%d %H:%M} UTC"
            if first == last
            else f"{first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} UTC"
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "file": file.name,
        "format": fmt,
        "unit": unit_used,
        "label": label_used,
        "aggregation": (
            "mean of the per-step P95 values (time-weighted: steps are evenly spaced; not "
            "itself a quantile of the period)"
            if matrix
            else "one P95 per endpoint as exported"
        ),
        "period": span or None,
        "endpoints": endpoints,
        "warnings": warnings,
    }


def _unit(unit: str | None, default: str, warnings: list[str], why: str) -> tuple[str, float]:
    if unit is None:
        unit = default
        if why:
            warnings.append(why)
    return unit, UNITS[unit]


def _prometheus(
    file: Path, text: str, unit: str | None, label: str | None, warnings: list[str]
) -> tuple[str, _Collector, str, str]:
    doc = json_document(file, text)
    if not isinstance(doc, dict) or "status" not in doc:
        raise IngestError(
            file,
            "not a Prometheus API response (expected an object with status and data); allowed: "
            "the JSON of /api/v1/query or /api/v1/query_range, or a CSV",
        )
    status = doc.get("status")
    if status == "error":
        raise IngestError(
            file,
            f"Prometheus answered status error ({doc.get('errorType', '?')}: "
            f"{doc.get('error', '?')}); run the query again",
        )
    if status not in ("success", "warning"):
        raise IngestError(file, f"status: {status!r}; allowed: success, warning")
    warnings.extend(f"Prometheus warning: {w}" for w in doc.get("warnings") or [])
    data = doc.get("data") or {}
    kind = data.get("resultType")
    result = data.get("result")
    if result in (None, []):
        raise IngestError(
            file,
            f"data.result is empty (status {status}"
            + (f", warnings: {'; '.join(doc.get('warnings') or [])}" if doc.get("warnings") else "")
            + "): the query matched no series",
        )
    if kind not in ("vector", "matrix"):
        raise IngestError(
            file, f"data.resultType: {kind!r} is not allowed; allowed: vector, matrix"
        )
    unit_used, factor = _unit(
        unit,
        "s",
        warnings,
        "unit assumed seconds (the Prometheus convention); pass --unit ms for spanmetrics "
        "and other millisecond histograms",
    )
    collector = _Collector(file, factor)
    label_used: str | None = label
    for i, series in enumerate(result):
        where = f"data.result[{i}]"
        if "histogram" in series or "histograms" in series:
            raise IngestError(
                file,
                f"{where}: a native histogram; allowed: float samples, e.g. "
                "histogram_quantile(0.95, ...) of classic buckets",
            )
        labels = series.get("metric") or {}
        name = endpoint_label(labels, label)
        if name is None:
            seen = ", ".join(sorted(labels)) or "none"
            if label is not None:  # the label asked for is not there: name it, and what is
                raise IngestError(
                    file, f"{where}.metric: no label {excerpt(label)}; allowed: --label {seen}"
                )
            raise IngestError(
                file,
                f"{where}.metric: no endpoint label (labels: {seen}); allowed: "
                f"--label NAME, or one of {', '.join(ENDPOINT_LABELS)}",
            )
        label_used = label_used or name
        endpoint = str(labels[name])
        collector.series[endpoint] = collector.series.get(endpoint, 0) + 1
        points = [series["value"]] if kind == "vector" else series.get("values") or []
        for j, point in enumerate(points):
            spot = f"{where}.value" if kind == "vector" else f"{where}.values[{j}]"
            if not isinstance(point, list) or len(point) != 2:
                raise IngestError(file, f'{spot}: expected [unix_seconds, "value"]')
            collector.add(endpoint, point[1], spot, float(point[0]))
    return f"prometheus-{kind}", collector, label_used or "", unit_used


def _csv(
    file: Path, text: str, unit: str | None, warnings: list[str]
) -> tuple[str, _Collector, str, str]:
    import pandas as pd

    first_line = text.split("\n", 1)[0]
    try:
        table = pd.read_csv(
            io.StringIO(text), sep=sniff_delimiter(first_line), dtype=str, keep_default_na=False
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise IngestError(
            file, f"not a well-formed CSV: {str(exc).strip().splitlines()[-1]}"
        ) from None
    names = {normalize_header(str(c)): c for c in table.columns}
    endpoint_col = next((names[n] for n in ("endpoint", *ENDPOINT_LABELS) if n in names), None)
    if endpoint_col is None:
        raise IngestError(
            file,
            f"row 1: no endpoint column (header: {', '.join(map(str, table.columns))}); "
            "allowed: endpoint,p95_ms or timestamp,endpoint,value",
        )
    if "p95_ms" in names or "p95_s" in names:
        value_col = names.get("p95_ms") or names["p95_s"]
        default = "ms" if "p95_ms" in names else "s"
        fmt = "csv-wide"
        unit_used, factor = _unit(unit, default, warnings, "")
    elif "value" in names:
        value_col = names["value"]
        fmt = "csv-long"
        unit_used, factor = _unit(
            unit, "s", warnings, "unit assumed seconds; pass --unit ms if the values are ms"
        )
    else:
        raise IngestError(
            file,
            "row 1: no p95_ms or value column; allowed: endpoint,p95_ms or "
            "timestamp,endpoint,value",
        )
    collector = _Collector(file, factor)
    time_col = names.get("timestamp") or names.get("time")
    times = (
        pd.to_datetime(table[time_col], utc=True, errors="coerce", format="ISO8601")
        if time_col is not None
        else None
    )
    for i, (endpoint, raw) in enumerate(zip(table[endpoint_col], table[value_col], strict=True)):
        where = f"row {i + 2}"
        if not str(endpoint).strip():
            raise IngestError(file, f"{where}: the endpoint is empty")
        if str(raw).strip() == "":
            collector.nan += 1
            continue
        ts = None
        if times is not None:
            t = times.iloc[i]
            if pd.isna(t):
                raise IngestError(
                    file,
                    f"{where}: timestamp {table[time_col].iloc[i]!r} is not ISO 8601 with a zone",
                )
            ts = t.timestamp()
        collector.add(str(endpoint).strip(), raw, where, ts)
    if fmt == "csv-wide":
        counts = table[endpoint_col].value_counts()
        collector.series = {str(k): int(v) for k, v in counts.items()}
    return fmt, collector, str(endpoint_col), unit_used


def latency_fragment(summary: dict[str, Any], endpoint: str | None = None) -> dict[str, Any]:
    """A scenario fragment setting ``latency.latency_ms_before`` to the P95 of ``endpoint``
    (default: the only endpoint), sourced to the file."""
    endpoints = summary["endpoints"]
    if endpoint is None:
        if len(endpoints) != 1:
            raise IngestError(
                summary["file"],
                f"{len(endpoints)} endpoints; choose one with --endpoint: {', '.join(endpoints)}",
            )
        endpoint = next(iter(endpoints))
    if endpoint not in endpoints:
        raise IngestError(
            summary["file"],
            f"endpoint {endpoint!r} is not in the export; allowed: {', '.join(endpoints)}",
        )
    e = endpoints[endpoint]
    how = (
        "mean of per-step P95" if summary["format"] in ("prometheus-matrix", "csv-long") else "P95"
    )
    return {
        "latency": {
            "latency_ms_before": {
                "value": e["p95_ms"],
                "unit": "ms",
                "source": f"from {summary['file']} ({summary['format']}): {how} of {endpoint}, "
                f"{e['samples']} sample(s)"
                + (f", {summary['period']}" if summary.get("period") else ""),
            }
        }
    }


def latency_table(summary: dict[str, Any]) -> str:
    """The summary as plain text for people."""
    lines = [
        f"{summary['file']}: {summary['format']}, unit {summary['unit']}, endpoint label "
        f"{summary['label']}",
        f"aggregation: {summary['aggregation']}"
        + (f", {summary['period']}" if summary.get("period") else ""),
        "",
        f"{'endpoint':<32} {'P95 ms':>10} {'max ms':>10} {'samples':>8}",
    ]
    for name, e in summary["endpoints"].items():
        lines.append(f"{name:<32} {e['p95_ms']:>10.1f} {e['max_ms']:>10.1f} {e['samples']:>8}")
    lines += [f"warning: {w}" for w in summary["warnings"]]
    return "\n".join(lines)
