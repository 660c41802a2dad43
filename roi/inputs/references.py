"""Public sources behind every default and preset.

A scenario file cites a source either as free text or as ``ref:<key>`` naming one of the entries
below; reports print the full reference. Confidence follows ``shared/REFERENCES.md``: H = read in a
primary source, M = good secondary source or several agreeing, L = single secondary source or
unverified.

Examples
--------
>>> REFERENCES["forrester-tei"].confidence
'H'
>>> cite("ref:seed-article").startswith("JP, DataAnnotation")
True
>>> cite("Our PagerDuty export, 2025")
'Our PagerDuty export, 2025'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reference:
    """One public source: who said it, when, where to read it, and how sure we are."""

    key: str
    citation: str
    date: str
    url: str
    confidence: str

    def __str__(self) -> str:
        where = ", ".join(p for p in (self.date, self.url) if p)
        return f"{self.citation} ({where + '; ' if where else ''}confidence {self.confidence})"

    @property
    def short(self) -> str:
        """The citation up to its first colon: who said it, without the figures."""
        return self.citation.split(":", 1)[0]


def _refs(*rows: tuple[str, str, str, str, str]) -> dict[str, Reference]:
    return {row[0]: Reference(*row) for row in rows}


REFERENCES: dict[str, Reference] = _refs(
    (
        "seed-article",
        "JP, DataAnnotation, 'How Do You Implement Distributed Tracing In Microservices at Scale?'",
        "2025-11-07",
        "",
        "M",
    ),
    (
        "forrester-tei",
        "Forrester, Total Economic Impact methodology: 3-year horizon plus Initial, 10 % discount "
        "rate, Initial undiscounted, years discounted at year end",
        "2008-2024",
        "https://go.forrester.com/policies/tei",
        "H",
    ),
    (
        "tei-risk",
        "Forrester TEI risk adjustment examples: benefits -10 % to -20 % (Intellum TEI: 20 %), "
        "costs +10 %",
        "n.d.",
        "https://thoughtleadership.forrester.com/go/intellum",
        "M",
    ),
    (
        "itic-2024",
        "ITIC 2024 Hourly Cost of Downtime: >90 % of mid-size and large firms lose >$300k per hour",
        "2024",
        "https://itic-corp.com/itic-2024-hourly-cost-of-downtime-report",
        "H",
    ),
    (
        "gartner-2014",
        "Gartner (A. Lerner), The Cost of Downtime: $5,600 per minute",
        "2014-07-16",
        "https://blogs.gartner.com/andrew-lerner/2014/07/16/the-cost-of-downtime/",
        "H",
    ),
    (
        "uptime-2024",
        "Uptime Institute Annual Outage Analysis 2024: 54 % of significant outages cost >$100k",
        "2024-03",
        "https://intelligence.uptimeinstitute.com/resource/annual-outage-analysis-2024",
        "H",
    ),
    (
        "dora-2024",
        "DORA Accelerate State of DevOps 2024: failed-deployment recovery elite <1 h, high/medium "
        "<1 day, low 1 week-1 month",
        "2024-10",
        "https://dora.dev/research/2024/",
        "M",
    ),
    (
        "splunk-2022",
        "Splunk State of Observability 2022: leaders report 69 % better MTTR (survey correlation)",
        "2022",
        "https://www.splunk.com/en_us/form/state-of-observability.html",
        "M",
    ),
    (
        "brutlag-2009",
        "J. Brutlag, Google, 'Speed Matters for Google Web Search': +100-400 ms, -0.2 % to -0.6 % "
        "searches per user",
        "2009-06",
        "https://glinden.blogspot.com/2009/06/",
        "H",
    ),
    (
        "linden-2006",
        "G. Linden, Amazon, 'Make Data Useful': +100 ms, -1 % sales (historical, weak provenance)",
        "2006",
        "https://niels-ole.com/ownership/2018/10/24/100ms-latency-1percent-revenue.html",
        "M",
    ),
    (
        "akamai-2017",
        "Akamai, State of Online Retail Performance: +100 ms, conversion -2.4 % desktop, "
        "-7.1 % smartphone; +2 s, -36.5 % desktop",
        "2017-04",
        "https://www.akamai.com/",
        "H",
    ),
    (
        "deloitte-2020",
        "Deloitte Digital for Google, 'Milliseconds Make Millions': 0.1 s faster mobile site, "
        "+8.4 % retail conversions",
        "2020",
        "https://web.dev/case-studies/milliseconds-make-millions",
        "H",
    ),
    (
        "tempo-span-size",
        "Grafana Tempo docs, manage trace ingestion: typical span about 500 bytes",
        "2026 crawl",
        "https://grafana.com/docs/tempo/next/operations/manage-trace-ingestion/",
        "H",
    ),
    (
        "tempo-sizing",
        "Grafana Tempo docs, size the cluster: distributor 1 per 10 MB/s, ingester 1 per 3-5 MB/s, "
        "querier 1 per 1-2 MB/s, query-frontend 2 replicas for HA",
        "2026 crawl",
        "https://grafana.com/docs/tempo/latest/setup/size/",
        "H",
    ),
    (
        "s3-pricing",
        "AWS S3 Standard list price, us-east-1, first 50 TB: $0.023 per GB-month",
        "2022-07 (long-standing)",
        "https://aws.amazon.com/s3/pricing/",
        "M",
    ),
    (
        "ec2-pricing",
        "AWS EC2 on-demand list price, m6i.large (2 vCPU, 8 GiB) us-east-1, about $0.096 per hour "
        "(unverified here; check current pricing)",
        "2024",
        "https://aws.amazon.com/ec2/pricing/",
        "L",
    ),
    (
        "datadog-apm-pricing",
        "Datadog APM billing docs and price list: $31 per APM host-month annual ($48 on demand), "
        "150 GB ingested + 1 M indexed spans per host, $0.10/GB, $1.70 per M indexed spans, "
        "15-day retention",
        "2026-09-05",
        "https://docs.datadoghq.com/account_management/billing/apm_tracing_profiler/",
        "H",
    ),
    (
        "datadog-custom-metrics",
        "Datadog custom metrics list price, about $0.05 per metric-month beyond the allotment "
        "(recalled, unverified; check current pricing)",
        "2024",
        "https://www.datadoghq.com/pricing/",
        "L",
    ),
    (
        "xray-pricing",
        "AWS X-Ray pricing: $5.00 per million traces recorded, 100,000 recorded free per month, "
        "$0.50 per million retrieved or scanned",
        "2023-2026",
        "https://aws.amazon.com/xray/pricing/",
        "M",
    ),
    (
        "grafana-cloud-pricing",
        "Grafana Cloud Traces: Pro $19 per month platform fee + $0.50 per GB ingested, 50 GB free",
        "2026-05-25",
        "https://grafana.com/pricing/",
        "M",
    ),
    (
        "honeycomb-pricing",
        "Honeycomb pricing: 20 M events free, Pro from $130 per month (entry tier about 100 M "
        "events, recalled, unverified) up to 1.5 B events, 1 span = 1 event",
        "2026-05-04",
        "https://www.honeycomb.io/pricing",
        "M",
    ),
    (
        "newrelic-pricing",
        "New Relic pricing: $0.40 per GB ingest beyond 100 GB free; full-platform users extra "
        "(Standard $99, Pro $349 per user-month)",
        "2026-05-04",
        "https://newrelic.com/pricing",
        "L",
    ),
    (
        "otel-go-bench",
        "OpenTelemetry Go SDK benchmark BenchmarkSpanWithAttributes_all: about 3.5 us per span",
        "2025-2026",
        "https://codspeed.io/open-telemetry/opentelemetry-go",
        "M",
    ),
    (
        "otel-python-bench",
        "OpenTelemetry Python SDK benchmarks: start_span 32-38 us, start_as_current_span 41-50 us",
        "2020-12",
        "https://github.com/open-telemetry/opentelemetry-python",
        "M",
    ),
    (
        "edot-java-overhead",
        "Elastic EDOT Java agent overhead: p95 latency +5 % (1.96 to 2.06 ms)",
        "2025",
        "https://github.com/elastic/opentelemetry",
        "H",
    ),
    (
        "otel-default-sampler",
        "OpenTelemetry SDK default sampler parentbased_always_on: 100 % of traces",
        "n.d.",
        "https://opentelemetry.io/docs/concepts/sampling/",
        "H",
    ),
    (
        "roi-assumption",
        "roi default assumption with no public source: replace it with your own number",
        "",
        "",
        "L",
    ),
)


def cite(source: str) -> str:
    """The printable form of a scenario ``source``: expands ``ref:<key>``, keeps free text."""
    if source.startswith("ref:") and source[4:] in REFERENCES:
        return str(REFERENCES[source[4:]])
    return source


def ref(key: str) -> str:
    """The ``ref:<key>`` form of a registered reference, checked to exist."""
    if key not in REFERENCES:
        raise KeyError(f"unknown reference {key!r}")
    return f"ref:{key}"
