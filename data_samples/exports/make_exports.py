"""Write the synthetic sample exports of this folder: `python make_exports.py`.

Every file is FICTIONAL: generated from a fixed seed, shaped after the formats recorded in the
project's FORMATS.md (upstream fixtures and documentation: PagerDuty CSV via mrtazz/pd, GoAlert's
``useAlertCSV.ts``, Jira importers' tests, Jaeger's ``http_handler.go`` / apiv3 snapshots / UI
fixtures, the OTLP/JSON spec and ``examples/trace.json``, Zipkin's ``Span.java``, Prometheus'
``docs/querying/api.md``). Running the script again rewrites the same bytes.

Incidents: ``pagerduty-2026-q1.csv`` (legacy headers, offsets, 117 incidents in Q1 2026, 2 open),
``pagerduty-title-case.csv``, ``pagerduty-rest-v2.json``, ``opsgenie-incidents.csv``,
``jira-jsm.csv`` (repeated headers, ``14/Jul/25 3:42 PM`` dates: needs ``--tz``),
``incident-io.csv`` (declined and merged rows excluded), ``goalert-alert-metrics.csv`` (zone in
the header, ``hh:mm:ss``, CRLF), ``generic-incidents.csv`` (``-05:00`` and ``Z`` in one file, an
open incident, a duplicate id, a resolve-before-start row).
Traces: ``jaeger-v1-envelope.json``, ``jaeger-v1-trace.json`` (bare), ``jaeger-v3.json``,
``otlp.json``, ``otlp.jsonl`` (base64 ids, number nanos, old key names on one line),
``zipkin-v2.json``, ``zipkin-v2-traces.json`` (array of arrays, shared client/server halves),
``zipkin-v1.json`` (rejected by design).
Latency: ``prometheus-vector.json``, ``prometheus-matrix.json`` (``NaN`` gaps, one implausible
value), ``latency-p95.csv`` (wide), ``latency-long.csv``.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
SERVICES = ("checkout", "cart", "search", "payments", "catalog", "auth")


def _write(name: str, text: str, newline: str = "\n") -> None:
    (HERE / name).write_bytes(text.replace("\n", newline).encode("utf-8"))


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _incidents(rng: random.Random, n: int, start: datetime, days: int) -> list[dict[str, object]]:
    """``n`` incidents spread over ``days`` from ``start``: severity 1 rare and long."""
    out = []
    for i in range(n):
        sev = rng.choices((1, 2, 3), weights=(1, 3, 8))[0]
        began = start + timedelta(seconds=rng.randrange(days * 86400))
        mean_h = {1: 3.5, 2: 2.0, 3: 1.5}[sev]
        hours = round(min(rng.expovariate(1 / mean_h) + 0.1, 60) * 3600) / 3600
        out.append(
            {"n": i + 1, "sev": sev, "start": began, "hours": hours, "svc": rng.choice(SERVICES)}
        )
    out.sort(key=lambda r: r["start"])
    return out


def incidents(rng: random.Random) -> None:
    est = timezone(timedelta(hours=-5))
    q1 = _incidents(rng, 117, datetime(2026, 1, 1, 1, tzinfo=UTC), 89)
    rows = [
        ["incident_number", "description", "created_on", "resolved_on", "urgency", "service_name"]
    ]
    for k, r in enumerate(q1):
        began = r["start"].astimezone(est)
        end = "" if k in (50, 110) else (began + timedelta(hours=r["hours"])).isoformat()
        urgency = "high" if r["sev"] == 1 else "low"
        rows.append(
            [
                str(1000 + r["n"]),
                f"{r['svc']} errors above SLO",
                began.isoformat(),
                end,
                urgency,
                r["svc"],
            ]
        )
    _write("pagerduty-2026-q1.csv", _csv(rows))

    few = _incidents(rng, 30, datetime(2026, 4, 1, tzinfo=UTC), 60)
    rows = [
        [
            "Incident Number",
            "Title",
            "Status",
            "Priority",
            "Urgency",
            "Created At",
            "Resolved At",
            "Service Name",
        ]
    ]
    for r in few:
        began = r["start"]
        end = began + timedelta(hours=r["hours"])
        prio = "" if r["n"] % 7 == 0 else f"P{r['sev']}"
        z = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
        rows.append(
            [
                str(r["n"]),
                f"{r['svc']} latency",
                "resolved",
                prio,
                "high" if r["sev"] < 3 else "low",
                z(began),
                z(end),
                r["svc"],
            ]
        )
    _write("pagerduty-title-case.csv", _csv(rows))

    doc = {"incidents": [], "limit": 25, "offset": 0, "more": False}
    for r in few[:12]:
        began = r["start"]
        resolved = r["n"] != few[5]["n"]
        doc["incidents"].append(
            {
                "incident_number": r["n"],
                "title": f"{r['svc']} latency",
                "status": "resolved" if resolved else "triggered",
                "urgency": "high" if r["sev"] < 3 else "low",
                "priority": {
                    "id": f"P{r['sev']}X",
                    "type": "priority_reference",
                    "summary": f"P{r['sev']}",
                },
                "created_at": began.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "resolved_at": (began + timedelta(hours=r["hours"])).strftime("%Y-%m-%dT%H:%M:%SZ")
                if resolved
                else None,
                "service": {"id": "PSVC" + str(SERVICES.index(r["svc"])), "summary": r["svc"]},
            }
        )
    _write("pagerduty-rest-v2.json", json.dumps(doc, indent=2) + "\n")

    rows = [
        [
            "id",
            "tinyId",
            "message",
            "status",
            "priority",
            "createdAt",
            "updatedAt",
            "impactStartDate",
            "impactEndDate",
            "tags",
        ]
    ]
    for r in _incidents(rng, 25, datetime(2026, 1, 1, tzinfo=UTC), 59):
        began = r["start"]
        end = began + timedelta(hours=r["hours"])
        impact = began - timedelta(minutes=rng.randrange(30))
        iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.000Z")  # noqa: E731
        closed = r["n"] != 3
        rows.append(
            [
                f"6c7a{r['n']:04d}-b2",
                str(r["n"]),
                f"{r['svc']} down",
                "closed" if closed else "open",
                f"P{r['sev']}",
                iso(began),
                iso(end),
                iso(impact),
                iso(end) if closed else "",
                "prod,tier1",
            ]
        )
    _write("opsgenie-incidents.csv", _csv(rows))

    rows = [
        [
            "Summary",
            "Issue key",
            "Issue id",
            "Issue Type",
            "Status",
            "Project key",
            "Priority",
            "Labels",
            "Labels",
            "Created",
            "Updated",
            "Resolved",
            "Component/s",
            "Comment",
            "Comment",
            "Custom field (Severity)",
        ]
    ]
    for r in _incidents(rng, 20, datetime(2025, 7, 1, 8), 60):
        began = r["start"]
        end = began + timedelta(hours=r["hours"])
        jira = lambda t: f"{t.day:02d}/{t:%b/%y} {t.hour % 12 or 12}:{t:%M %p}"  # noqa: E731
        prio = {1: "Highest", 2: "High", 3: "Medium"}[r["sev"]]
        rows.append(
            [
                f"{r['svc']} incident",
                f"OPS-{100 + r['n']}",
                str(20000 + r["n"]),
                "Incident",
                "Resolved",
                "OPS",
                prio,
                "prod",
                "customer",
                jira(began),
                jira(end),
                jira(end),
                r["svc"],
                "looking",
                "fixed",
                f"Sev-{r['sev']}",
            ]
        )
    _write("jira-jsm.csv", _csv(rows))

    rows = [
        [
            "ID",
            "Reference",
            "Name",
            "Status",
            "Severity",
            "Reported at",
            "Resolved at",
            "Affected services",
        ]
    ]
    for r in _incidents(rng, 24, datetime(2026, 2, 1, tzinfo=UTC), 28):
        began = r["start"]
        status = {5: "Declined", 9: "Merged", 17: "Investigating"}.get(r["n"], "Closed")
        end = (
            ""
            if status == "Investigating"
            else (began + timedelta(hours=r["hours"])).strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        sev = {1: "Critical", 2: "Major", 3: "Minor"}[r["sev"]]
        rows.append(
            [
                f"01HQ{r['n']:06d}",
                f"INC-{r['n']}",
                f"{r['svc']} degraded",
                status,
                sev,
                began.strftime("%Y-%m-%dT%H:%M:%SZ"),
                end,
                r["svc"],
            ]
        )
    _write("incident-io.csv", _csv(rows))

    chicago = "America/Chicago -06:00"
    rows = [
        [
            f"Created At ({chicago})",
            f"Closed At ({chicago})",
            "Time to Ack",
            "Time to Close",
            "Alert ID",
            "Escalated",
            "Noise Reason",
            "Status",
            "Summary",
            "Details",
            "Service Name",
            "Service URL",
        ]
    ]
    for r in _incidents(rng, 15, datetime(2026, 1, 10, 9), 30):
        began = r["start"]
        secs = int(r["hours"] * 3600)
        hms = f"{secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}"
        end = began + timedelta(seconds=secs)
        rows.append(
            [
                f"{began:%Y-%m-%d %H:%M:%S}",
                f"{end:%Y-%m-%d %H:%M:%S}",
                "00:04:10",
                hms,
                str(8800 + r["n"]),
                "false",
                "",
                "closed",
                f"{r['svc']} 5xx",
                "error rate above 2 %\nfor 5 min",
                r["svc"],
                f"https://goalert.example/services/{r['svc']}",
            ]
        )
    _write("goalert-alert-metrics.csv", _csv(rows), newline="\r\n")

    _write(
        "generic-incidents.csv",
        "id,started_at,resolved_at,severity,service\n"
        "INC-1,2026-03-02T09:00:00-05:00,2026-03-02T11:30:00-05:00,SEV1,checkout\n"
        "INC-2,2026-03-05T14:00:00Z,2026-03-05T15:00:00Z,SEV2,search\n"
        "INC-3,2026-03-09T23:30:00-05:00,2026-03-10T05:30:00Z,SEV2,payments\n"
        "INC-4,2026-03-15T08:00:00Z,,SEV1,checkout\n"
        "INC-2,2026-03-05T14:00:00Z,2026-03-05T15:00:00Z,SEV2,search\n"
        "INC-5,2026-04-01T10:00:00Z,2026-04-01T09:00:00Z,SEV3,auth\n"
        "INC-6,2026-04-11T10:00:00Z,2026-04-11T10:45:00Z,SEV3,catalog\n",
    )


# --- traces -----------------------------------------------------------------------------------


def _hex(rng: random.Random, nbytes: int) -> str:
    return f"{rng.getrandbits(nbytes * 8):0{nbytes * 2}x}"


def _tree(rng: random.Random, n: int) -> list[tuple[int, int | None, str, int, int]]:
    """(index, parent index, service, start offset µs, duration µs) of a trace of ``n`` spans."""
    spans: list[tuple[int, int | None, str, int, int]] = [
        (0, None, "frontend", 0, rng.randint(80_000, 400_000))
    ]
    for i in range(1, n):
        parent = rng.randrange(i)
        svc = rng.choice(SERVICES)
        off = spans[parent][3] + rng.randint(100, 5000)
        spans.append((i, parent, svc, off, rng.randint(200, max(300, spans[parent][4] // 2))))
    return spans


BASE_US = 1_767_261_600_000_000  # 2026-01-01T10:00:00Z


def traces(rng: random.Random) -> None:
    # Jaeger v1: /api/traces envelope and one bare trace.
    data = []
    for t in range(6):
        trace_id = _hex(rng, 16)
        tree = _tree(rng, rng.randint(4, 12))
        ids = [_hex(rng, 8) for _ in tree]
        procs = {svc: f"p{k + 1}" for k, svc in enumerate(sorted({s[2] for s in tree}))}
        spans = []
        for i, parent, svc, off, dur in tree:
            span = {
                "traceID": trace_id,
                "spanID": ids[i],
                "operationName": f"{svc} {'GET /api/' + svc if i else 'GET /checkout'}",
                "references": []
                if parent is None
                else [{"refType": "CHILD_OF", "traceID": trace_id, "spanID": ids[parent]}],
                "startTime": BASE_US + t * 60_000_000 + off,
                "duration": dur,
                "tags": [
                    {"key": "span.kind", "type": "string", "value": "server"},
                    {
                        "key": "http.status_code",
                        "type": "int64",
                        "value": 500 if i == 2 and t == 1 else 200,
                    },
                ]
                + ([{"key": "error", "type": "bool", "value": True}] if i == 2 and t == 1 else []),
                "logs": [],
                "processID": procs[svc],
                "warnings": None,
            }
            spans.append(span)
        processes = {
            pid: {
                "serviceName": svc,
                "tags": [
                    {"key": "hostname", "type": "string", "value": f"{svc}-7d9f"},
                    {"key": "jaeger.version", "type": "string", "value": "Go-2.30.0"},
                ],
            }
            for svc, pid in procs.items()
        }
        data.append({"traceID": trace_id, "spans": spans, "processes": processes, "warnings": None})
    _write(
        "jaeger-v1-envelope.json",
        json.dumps({"data": data, "total": 0, "limit": 0, "offset": 0, "errors": None}, indent=1)
        + "\n",
    )
    bare = json.loads(json.dumps(data[0]))
    # A reference into another trace (allowed by Jaeger) and a parent missing from the file.
    bare["spans"][-1]["references"].append(
        {
            "refType": "FOLLOWS_FROM",
            "traceID": data[1]["traceID"],
            "spanID": data[1]["spans"][0]["spanID"],
        }
    )
    bare["spans"][1]["references"] = [
        {"refType": "CHILD_OF", "traceID": bare["traceID"], "spanID": "00000000000000ff"}
    ]
    _write("jaeger-v1-trace.json", json.dumps(bare, indent=1) + "\n")

    # OTLP/JSON, Jaeger v3 and JSON Lines.
    def otlp_request(
        t: int, b64: bool = False, numbers: bool = False, old_keys: bool = False
    ) -> dict[str, object]:
        trace_id = _hex(rng, 16)
        tree = _tree(rng, rng.randint(3, 9))
        ids = [_hex(rng, 8) for _ in tree]
        enc = (lambda h: base64.b64encode(bytes.fromhex(h)).decode()) if b64 else (lambda h: h)
        by_service: dict[str, list[dict[str, object]]] = {}
        for i, parent, svc, off, dur in tree:
            start_ns = (BASE_US + t * 60_000_000 + off) * 1000
            span: dict[str, object] = {
                "traceId": enc(trace_id),
                "spanId": enc(ids[i]),
                "parentSpanId": "" if parent is None else enc(ids[parent]),
                "name": "GET /checkout" if i == 0 else f"{svc}.handle",
                "kind": 2 if i == 0 else 3,
                "startTimeUnixNano": start_ns if numbers else str(start_ns),
                "endTimeUnixNano": start_ns + dur * 1000 if numbers else str(start_ns + dur * 1000),
                "attributes": [
                    {"key": "http.route", "value": {"stringValue": f"/api/{svc}"}},
                    {"key": "http.response.status_code", "value": {"intValue": "200"}},
                ],
                "status": {"code": 2, "message": "timeout"} if i == 1 and t == 0 else {},
            }
            by_service.setdefault(svc, []).append(span)
        scope_key, spans_key = (
            ("instrumentationLibrarySpans", "instrumentationLibrary")
            if old_keys
            else ("scopeSpans", "scope")
        )
        return {
            "resourceSpans": [
                {
                    "resource": {
                        "attributes": [
                            {"key": "service.name", "value": {"stringValue": svc}},
                            {"key": "telemetry.sdk.language", "value": {"stringValue": "go"}},
                            {"key": "k8s.pod.name", "value": {"stringValue": f"{svc}-5c8d"}},
                        ]
                    },
                    scope_key: [
                        {
                            spans_key: {"name": "go.opentelemetry.io/otel", "version": "1.28.0"},
                            "spans": spans,
                        }
                    ],
                }
                for svc, spans in sorted(by_service.items())
            ]
        }

    _write("otlp.json", json.dumps(otlp_request(0), indent=1) + "\n")
    _write("jaeger-v3.json", json.dumps({"result": otlp_request(1)}, indent=1) + "\n")
    lines = [
        otlp_request(2),
        otlp_request(3, b64=True),
        otlp_request(4, numbers=True),
        otlp_request(5, old_keys=True),
    ]
    _write("otlp.jsonl", "".join(json.dumps(x, separators=(",", ":")) + "\n" for x in lines))

    # Zipkin v2: one trace as an array; several traces as an array of arrays.
    def zipkin_trace(t: int) -> list[dict[str, object]]:
        trace_id = _hex(rng, 8 if t % 2 else 16)
        tree = _tree(rng, rng.randint(3, 8))
        ids = [_hex(rng, 8) for _ in tree]
        out: list[dict[str, object]] = []
        for i, parent, svc, off, dur in tree:
            ts = BASE_US + t * 60_000_000 + off
            server: dict[str, object] = {
                "traceId": trace_id,
                "id": ids[i],
                "kind": "SERVER",
                "name": "get /checkout" if i == 0 else f"get /api/{svc}",
                "timestamp": ts,
                "duration": dur,
                "localEndpoint": {"serviceName": "frontend" if i == 0 else svc, "ipv4": "10.0.0.7"},
                "tags": {
                    "http.path": f"/api/{svc}",
                    **({"error": "500"} if i == 1 and t == 0 else {}),
                },
            }
            if parent is not None:
                server["parentId"] = ids[parent]
                server["shared"] = True
                # The client half: same id, the caller's service, the callee as remote endpoint.
                out.append(
                    {
                        "traceId": trace_id,
                        "parentId": ids[parent],
                        "id": ids[i],
                        "kind": "CLIENT",
                        "name": f"get /api/{svc}",
                        "timestamp": ts - 150,
                        "duration": dur + 300,
                        "localEndpoint": {"serviceName": tree[parent][2] if parent else "frontend"},
                        "remoteEndpoint": {"serviceName": svc},
                        "tags": {"http.path": f"/api/{svc}"},
                    }
                )
            out.append(server)
        # A late fragment with no timestamp or duration (allowed by Span.java).
        out.append(
            {
                "traceId": trace_id,
                "id": ids[0],
                "localEndpoint": {"serviceName": "frontend"},
                "annotations": [{"timestamp": BASE_US + t * 60_000_000 + 999, "value": "flush"}],
            }
        )
        return out

    _write("zipkin-v2.json", json.dumps(zipkin_trace(0), indent=1) + "\n")
    _write(
        "zipkin-v2-traces.json", json.dumps([zipkin_trace(t) for t in range(1, 5)], indent=1) + "\n"
    )
    _write(
        "zipkin-v1.json",
        json.dumps(
            [
                {
                    "traceId": "5af7183fb1d4cf5f",
                    "id": "352bff9a74ca9ad2",
                    "name": "get",
                    "timestamp": BASE_US,
                    "duration": 386000,
                    "annotations": [
                        {
                            "timestamp": BASE_US,
                            "value": "sr",
                            "endpoint": {"serviceName": "frontend", "ipv4": "10.0.0.7"},
                        }
                    ],
                    "binaryAnnotations": [
                        {
                            "key": "http.path",
                            "value": "/checkout",
                            "endpoint": {"serviceName": "frontend"},
                        }
                    ],
                }
            ],
            indent=1,
        )
        + "\n",
    )


# --- latency ----------------------------------------------------------------------------------


def latency(rng: random.Random) -> None:
    routes = {"/checkout": 1.9, "/cart": 0.45, "/search": 0.8}
    t0 = 1_767_261_600
    vector = {
        "status": "success",
        "data": {
            "resultType": "vector",
            "result": [
                {
                    "metric": {"service_name": "frontend", "span_name": f"GET {r}"},
                    "value": [t0 + 0.781, f"{v * rng.uniform(0.95, 1.05):.4f}"],
                }
                for r, v in routes.items()
            ]
            + [
                {
                    "metric": {"service_name": "frontend", "span_name": "GET /healthz"},
                    "value": [t0 + 0.781, "NaN"],
                }
            ],
        },
    }
    _write("prometheus-vector.json", json.dumps(vector, indent=1) + "\n")
    result = []
    for r, v in routes.items():
        values = []
        for step in range(48):
            value = "NaN" if step in (7, 8) else f"{v * rng.uniform(0.85, 1.2):.4f}"
            if r == "/search" and step == 30:
                value = "9223372036854"  # the sentinel of Jaeger's fixtures: must be flagged
            values.append([t0 + step * 1800, value])
        result.append(
            {"metric": {"job": "frontend", "route": r, "handler": "http"}, "values": values}
        )
    matrix = {"status": "success", "data": {"resultType": "matrix", "result": result}}
    _write("prometheus-matrix.json", json.dumps(matrix, indent=1) + "\n")
    _write(
        "latency-p95.csv",
        "service,endpoint,p95_ms\nfrontend,/checkout,1870\nfrontend,/cart,430\nfrontend,/search,-5\n",
    )
    rows = ["timestamp,endpoint,value"]
    for step in range(12):
        ts = datetime.fromtimestamp(t0 + step * 3600, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        for r, v in routes.items():
            rows.append(f"{ts},{r},{v * rng.uniform(0.9, 1.1):.3f}")
    _write("latency-long.csv", "\n".join(rows) + "\n")


def main() -> None:
    """Write every sample export of this folder."""
    rng = random.Random(2026)
    incidents(rng)
    traces(rng)
    latency(rng)


if __name__ == "__main__":
    main()
