"""Speed and memory of ``roi ingest``: trace exports (OTLP JSON Lines, Jaeger v1) and an incident
CSV, against goals.

Generated in a temporary folder (removed afterwards), never in the repository:

1. ``otlp_jsonl``: ``--spans`` (1 000 000) spans as OTLP/JSON Lines, one export request per line
   (batches of 200 spans from 6 services, traces of 10 spans cut across batch boundaries, as a
   collector's file exporter writes them).
2. ``jaeger_v1``: the same number of spans as one Jaeger ``/api/traces`` envelope
   (``{"data": [trace, ...]}``, one line, as the query API returns it).
3. ``incidents_csv``: ``--rows`` (1 000 000) incidents in the generic CSV
   (``id,started_at,resolved_at,severity,service``, ISO 8601 with offsets).

Each reader runs in a fresh interpreter, which reports the CPU and wall time of the read (imports
excluded) and its peak resident set (``VmHWM``). Trace files are also read at a quarter of
the size: the peak must not grow with the file. Reference computations on the same files, in
their own interpreters: ``json.loads`` of every line (JSON Lines), ``json.loads`` of the whole
file (Jaeger) and ``pandas.read_csv`` (incidents); the ratios say what ``roi`` costs beyond
parsing. Before anything is timed, the summaries must equal the counts the generator wrote.

Goals: >= 150 000 spans/s (CPU time), peak resident set < 300 MB at every size, 1 000 000
incident rows in < 4 s (CPU time). ``--json`` prints one JSON object, ``--check`` exits 1 when
a goal is missed. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

SPANS = 1_000_000
ROWS = 1_000_000
SPANS_PER_TRACE = 10
SPANS_PER_BATCH = 200
SERVICES = ("frontend", "checkout", "cart", "payments", "catalog", "auth")
SEVERITIES = ("SEV1", "SEV2", "SEV3")
SEED = 20260101

SPANS_PER_S_GOAL = 150_000.0
PEAK_MB_GOAL = 300.0
INCIDENT_SECONDS_GOAL = 4.0


# --------------------------------------------------------------------------------------------
# Generated files, and the counts they must give
# --------------------------------------------------------------------------------------------


def _span_plan(spans: int, rng: random.Random) -> list[tuple[int, int, int, int, int]]:
    """(trace number, span number in trace, parent number or -1, service index, duration µs)."""
    plan = []
    for i in range(spans):
        trace, k = divmod(i, SPANS_PER_TRACE)
        parent = -1 if k == 0 else rng.randrange(k)
        plan.append((trace, k, parent, k % len(SERVICES), rng.randrange(200, 300_000)))
    return plan


def _expected(spans: int) -> dict[str, Any]:
    traces = -(-spans // SPANS_PER_TRACE)
    per_service = dict.fromkeys(SERVICES, 0)
    for i in range(spans):
        per_service[SERVICES[(i % SPANS_PER_TRACE) % len(SERVICES)]] += 1
    return {
        "span_records": spans,
        "distinct_span_ids": spans,
        "traces": traces,
        "orphan_spans": 0,
        "services": {k: v for k, v in sorted(per_service.items()) if v},
    }


def _ids(trace: int, k: int) -> tuple[str, str]:
    return f"{trace + 1:032x}", f"{trace + 1:08x}{k + 1:08x}"


def write_otlp_jsonl(path: Path, spans: int, seed: int = SEED) -> dict[str, Any]:
    """OTLP/JSON Lines of ``spans`` spans; returns the counts a reader must find."""
    rng = random.Random(seed)
    plan = _span_plan(spans, rng)
    start0 = 1_767_261_600_000_000_000
    with path.open("w", encoding="utf-8") as fh:
        for first in range(0, spans, SPANS_PER_BATCH):
            by_service: dict[int, list[dict[str, Any]]] = {}
            for trace, k, parent, service, duration in plan[first : first + SPANS_PER_BATCH]:
                trace_id, span_id = _ids(trace, k)
                start = start0 + trace * 1_000_000_000 + k * 1000
                span = {
                    "traceId": trace_id,
                    "spanId": span_id,
                    "parentSpanId": _ids(trace, parent)[1] if parent >= 0 else "",
                    "name": f"{SERVICES[service]}.handle",
                    "kind": 2 if k == 0 else 3,
                    "startTimeUnixNano": str(start),
                    "endTimeUnixNano": str(start + duration * 1000),
                    "attributes": [
                        {"key": "http.route", "value": {"stringValue": f"/api/{k}"}},
                        {"key": "http.response.status_code", "value": {"intValue": "200"}},
                    ],
                    "status": {"code": 2} if duration > 290_000 else {},
                }
                by_service.setdefault(service, []).append(span)
            request = {
                "resourceSpans": [
                    {
                        "resource": {
                            "attributes": [
                                {"key": "service.name", "value": {"stringValue": SERVICES[s]}},
                                {"key": "k8s.pod.name", "value": {"stringValue": "pod-1"}},
                            ]
                        },
                        "scopeSpans": [
                            {"scope": {"name": "otel", "version": "1.28.0"}, "spans": items}
                        ],
                    }
                    for s, items in sorted(by_service.items())
                ]
            }
            fh.write(json.dumps(request, separators=(",", ":")) + "\n")
    return _expected(spans)


def write_jaeger_v1(path: Path, spans: int, seed: int = SEED) -> dict[str, Any]:
    """One Jaeger v1 ``/api/traces`` envelope of ``spans`` spans (one line)."""
    rng = random.Random(seed)
    plan = _span_plan(spans, rng)
    processes = {
        f"p{i + 1}": {
            "serviceName": name,
            "tags": [{"key": "hostname", "type": "string", "value": f"{name}-1"}],
        }
        for i, name in enumerate(SERVICES)
    }
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"data":[')
        for first in range(0, spans, SPANS_PER_TRACE):
            items = []
            for trace, k, parent, service, duration in plan[first : first + SPANS_PER_TRACE]:
                trace_id, span_id = _ids(trace, k)
                refs = (
                    [{"refType": "CHILD_OF", "traceID": trace_id, "spanID": _ids(trace, parent)[1]}]
                    if parent >= 0
                    else []
                )
                items.append(
                    {
                        "traceID": trace_id,
                        "spanID": span_id,
                        "operationName": f"{SERVICES[service]} GET /api/{k}",
                        "references": refs,
                        "startTime": 1_767_261_600_000_000 + trace * 1_000_000 + k,
                        "duration": duration,
                        "tags": [{"key": "span.kind", "type": "string", "value": "server"}],
                        "logs": [],
                        "processID": f"p{service + 1}",
                        "warnings": None,
                    }
                )
            trace_doc = {
                "traceID": items[0]["traceID"],
                "spans": items,
                "processes": processes,
                "warnings": None,
            }
            fh.write(("," if first else "") + json.dumps(trace_doc, separators=(",", ":")))
        fh.write('],"total":0,"limit":0,"offset":0,"errors":null}\n')
    return _expected(spans)


def write_incidents_csv(path: Path, rows: int, seed: int = SEED) -> dict[str, Any]:
    """The generic incident CSV with ``rows`` resolved incidents over 2025."""
    rng = random.Random(seed)
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    counts = dict.fromkeys(SEVERITIES, 0)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("id,started_at,resolved_at,severity,service\n")
        for i in range(rows):
            start = t0 + timedelta(seconds=rng.randrange(364 * 86400))
            end = start + timedelta(minutes=rng.randrange(5, 600))
            severity = SEVERITIES[i % len(SEVERITIES)]
            counts[severity] += 1
            fh.write(
                f"INC-{i + 1},{start:%Y-%m-%dT%H:%M:%S}+00:00,{end:%Y-%m-%dT%H:%M:%S}Z,"
                f"{severity},{SERVICES[i % len(SERVICES)]}\n"
            )
    return {"incidents": rows, "by_severity": counts}


# --------------------------------------------------------------------------------------------
# Children: one measurement per fresh interpreter
# --------------------------------------------------------------------------------------------


def _child(kind: str, file: str) -> dict[str, Any]:
    """Run one measurement in this process (imports done before the clock starts)."""
    import pandas as pd

    from roi.inputs.ingest.incidents import incident_summary, read_incidents
    from roi.inputs.ingest.traces import read_traces, trace_summary

    cpu0, wall0 = time.process_time(), time.perf_counter()
    out: dict[str, Any] = {}
    if kind == "traces":
        summary = trace_summary(read_traces([file]), [file])
        out["summary"] = {k: summary[k] for k in ("format", *_expected(1))}
        out["warnings"] = summary["warnings"]
    elif kind == "json-lines":
        with open(file, "rb") as fh:
            out["lines"] = sum(1 for line in fh if json.loads(line) is not None)
    elif kind == "json-whole":
        with open(file, "rb") as fh:
            out["keys"] = list(json.loads(fh.read()))
    elif kind == "incidents":
        summary = incident_summary(read_incidents(file, source="generic"))
        out["incidents"] = sum(s["count"] for s in summary["severities"].values())
        out["by_severity"] = {k: s["count"] for k, s in summary["severities"].items()}
    elif kind == "read-csv":
        out["rows"] = len(pd.read_csv(file, dtype=str))
    else:
        raise SystemExit(f"unknown child kind {kind}")
    out["cpu_s"] = time.process_time() - cpu0
    out["wall_s"] = time.perf_counter() - wall0
    out["peak_mb"] = _peak_mb()
    return out


def _peak_mb() -> float:
    """[MB] Peak resident set of this process: ``VmHWM`` (Linux; reset by exec, unlike
    ``ru_maxrss``, which keeps the parent's peak at fork), else ``ru_maxrss``."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_child(kind: str, file: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(file)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"{kind} {file.name} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _r(x: float, digits: int = 3) -> float:
    return round(float(x), digits)


def _traces(name: str, writer: Any, folder: Path, spans: int, reference: str) -> dict[str, Any]:
    big, small = folder / f"{name}-full", folder / f"{name}-quarter"
    expected = writer(big, spans)
    expected_small = writer(small, max(spans // 4, SPANS_PER_TRACE))
    # Correctness first: the summaries must give the counts written.
    full = run_child("traces", big)
    quarter = run_child("traces", small)
    for got, want, file in ((full, expected, big), (quarter, expected_small, small)):
        seen = {k: got["summary"][k] for k in want}
        if seen != want:
            raise SystemExit(f"{file.name}: read {seen}, generated {want}")
    ref = run_child(reference, big)
    peak = max(full["peak_mb"], quarter["peak_mb"])
    rate = spans / full["cpu_s"]
    return {
        "spans": spans,
        "file_mb": _r(big.stat().st_size / 1e6, 1),
        "format": full["summary"]["format"],
        "agree": True,
        "cpu_s": _r(full["cpu_s"]),
        "wall_s": _r(full["wall_s"]),
        "spans_per_s": round(rate),
        "wall_spans_per_s": round(spans / full["wall_s"]),
        "peak_mb": _r(full["peak_mb"], 1),
        "quarter_size_peak_mb": _r(quarter["peak_mb"], 1),
        "reference": reference,
        "reference_cpu_s": _r(ref["cpu_s"]),
        "reference_peak_mb": _r(ref["peak_mb"], 1),
        "ratio_to_reference": _r(full["cpu_s"] / ref["cpu_s"], 2),
        "goal_spans_per_s": SPANS_PER_S_GOAL,
        "goal_peak_mb": PEAK_MB_GOAL,
        "met": rate >= SPANS_PER_S_GOAL and peak < PEAK_MB_GOAL,
    }


def _incidents(folder: Path, rows: int) -> dict[str, Any]:
    file = folder / "incidents.csv"
    expected = write_incidents_csv(file, rows)
    got = run_child("incidents", file)
    if got["incidents"] != expected["incidents"] or got["by_severity"] != expected["by_severity"]:
        raise SystemExit(f"incidents.csv: read {got}, generated {expected}")
    ref = run_child("read-csv", file)
    return {
        "rows": rows,
        "file_mb": _r(file.stat().st_size / 1e6, 1),
        "agree": True,
        "cpu_s": _r(got["cpu_s"]),
        "wall_s": _r(got["wall_s"]),
        "peak_mb": _r(got["peak_mb"], 1),
        "reference": "pandas.read_csv",
        "reference_cpu_s": _r(ref["cpu_s"]),
        "ratio_to_reference": _r(got["cpu_s"] / ref["cpu_s"], 2),
        "goal_s": INCIDENT_SECONDS_GOAL,
        "met": got["cpu_s"] < INCIDENT_SECONDS_GOAL * rows / ROWS,
    }


def measure(spans: int, rows: int) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="roi-bench-ingest-") as tmp:
        folder = Path(tmp)
        otlp = _traces("otlp.jsonl", write_otlp_jsonl, folder, spans, "json-lines")
        for old in folder.iterdir():
            old.unlink()
        jaeger = _traces("jaeger-v1.json", write_jaeger_v1, folder, spans, "json-whole")
        for old in folder.iterdir():
            old.unlink()
        incidents = _incidents(folder, rows)
    return {
        "benchmark": "bench_ingest",
        "environment": {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "load_average_before_after": [_r(load_before, 2), _r(os.getloadavg()[0], 2)],
        },
        "otlp_jsonl": otlp,
        "jaeger_v1": jaeger,
        "incidents_csv": incidents,
        "met": otlp["met"] and jaeger["met"] and incidents["met"],
    }


def human(doc: dict[str, Any]) -> str:
    lines = [f"bench_ingest on {doc['environment']}"]
    for key in ("otlp_jsonl", "jaeger_v1"):
        d = doc[key]
        lines.append(
            f"{key}: {d['spans']} spans, {d['file_mb']} MB: {d['spans_per_s']} spans/s CPU "
            f"({d['wall_spans_per_s']} wall), peak {d['peak_mb']} MB (quarter size "
            f"{d['quarter_size_peak_mb']} MB); {d['ratio_to_reference']}x {d['reference']} "
            f"({d['reference_cpu_s']} s, peak {d['reference_peak_mb']} MB); "
            f"{'met' if d['met'] else 'MISSED'}"
        )
    d = doc["incidents_csv"]
    lines.append(
        f"incidents_csv: {d['rows']} rows, {d['file_mb']} MB: {d['cpu_s']} s CPU "
        f"({d['wall_s']} wall), peak {d['peak_mb']} MB; {d['ratio_to_reference']}x "
        f"{d['reference']} ({d['reference_cpu_s']} s); {'met' if d['met'] else 'MISSED'}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--spans", type=int, default=SPANS, help="spans per trace file")
    parser.add_argument("--rows", type=int, default=ROWS, help="rows of the incident CSV")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(*args.child)))
        return 0
    doc = measure(args.spans, args.rows)
    print(json.dumps(doc, indent=1) if args.json else human(doc))
    return 1 if args.check and not doc["met"] else 0


if __name__ == "__main__":
    sys.exit(main())
