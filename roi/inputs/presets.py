"""Published figures the scenario can name instead of typing a number: conversion elasticities,
per-span SDK costs and managed-tracing price lists, each with its source and date.

Prices are list prices on the date given; the report prints that date and "check current
pricing". Every price component is driven by its own volume, which is why a managed bill can grow
faster than traffic.

Examples
--------
>>> round(ELASTICITY["seed-article"].conversion_lift_per_100ms, 6)
0.002035
>>> VENDORS["datadog"].component("hosts").price_per_unit
31.0
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from roi.inputs.references import ref


@dataclass(frozen=True)
class Elasticity:
    """Relative change in conversions per 100 ms of latency, as one study measured it.

    A study whose figures span a range (``low < high``) is used at the range's median, the
    geometric mean of its ends (the range is a lognormal 90 % interval): never at an end, so the
    headline is the middle of the evidence and the tornado moves both ways.

    >>> e = ELASTICITY["amazon"]
    >>> e.stated, e.low, round(e.conversion_lift_per_100ms, 5), e.high
    (0.01, 0.005, 0.00707, 0.01)
    """

    key: str
    stated: float
    """[fraction per 100 ms] The study's own headline figure."""
    low: float
    high: float
    what: str
    source: str

    @property
    def conversion_lift_per_100ms(self) -> float:
        """[fraction per 100 ms] Relative conversion lift for each 100 ms saved: the median of
        the study's range, or its one figure."""
        if self.low < self.high:
            return math.sqrt(self.low * self.high)
        return self.stated


ELASTICITY: dict[str, Elasticity] = {
    e.key: e
    for e in (
        Elasticity(
            "seed-article",
            0.047 / ((3200 - 890) / 100),
            0.047 / 23.1,
            0.047 / 23.1,
            "+4.7 % conversion for checkout P95 3.2 s -> 890 ms",
            ref("seed-article"),
        ),
        Elasticity(
            "google-search",
            0.002,
            0.0015,
            0.002,
            "-0.2 % to -0.6 % searches per user for +100 to +400 ms",
            ref("brutlag-2009"),
        ),
        Elasticity(
            "amazon", 0.01, 0.005, 0.01, "-1 % sales per +100 ms (historical)", ref("linden-2006")
        ),
        Elasticity(
            "akamai-desktop",
            0.024,
            0.024,
            0.024,
            "-2.4 % desktop conversion per +100 ms",
            ref("akamai-2017"),
        ),
        Elasticity(
            "akamai-mobile",
            0.071,
            0.071,
            0.071,
            "-7.1 % smartphone conversion per +100 ms",
            ref("akamai-2017"),
        ),
        Elasticity(
            "deloitte-retail",
            0.084,
            0.084,
            0.084,
            "+8.4 % retail conversions for a 0.1 s faster mobile site",
            ref("deloitte-2020"),
        ),
    )
}
ElasticityName = Literal[
    "seed-article", "google-search", "amazon", "akamai-desktop", "akamai-mobile", "deloitte-retail"
]


@dataclass(frozen=True)
class SpanOverhead:
    """Latency one recorded span adds to a request, for one SDK or one field report."""

    key: str
    overhead_ms_per_span: float
    """[ms] Added latency per span."""
    what: str
    source: str


SPAN_OVERHEAD: dict[str, SpanOverhead] = {
    o.key: o
    for o in (
        SpanOverhead(
            "seed-article",
            40 / 200,
            "200 spans per request (every ORM query) added 40 ms",
            ref("seed-article"),
        ),
        SpanOverhead(
            "otel-go", 0.0035, "Go SDK, span with attributes, about 3.5 us", ref("otel-go-bench")
        ),
        SpanOverhead(
            "otel-python",
            0.044,
            "Python SDK, start_span 38 us to start_as_current_span 50 us",
            ref("otel-python-bench"),
        ),
    )
}
SpanOverheadName = Literal["seed-article", "otel-go", "otel-python"]


DRIVER_UNITS: dict[str, str] = {
    "platform": "subscription",
    "hosts": "APM hosts",
    "ingested_gb": "GB ingested",
    "indexed_spans_million": "M indexed spans",
    "traces_million": "M traces recorded",
    "events_million": "M events",
    "custom_metrics": "custom metrics",
    "users": "users",
}
"""Billing drivers and the unit of each. A new driver is one entry here (its unit, for prices
and labels) and one in :data:`roi.model.volumes.BILLING_VOLUMES` (its monthly volume)."""

HOSTS = "hosts"
"""The driver counting APM hosts: billed per host, and the count per-host allowances scale with."""


@dataclass(frozen=True)
class PriceComponent:
    """One line of a vendor's bill: a volume driver times a unit price, net of free units."""

    driver: str
    """A key of :data:`DRIVER_UNITS`."""
    price_per_unit: float
    """[currency per driver unit per month] List price."""
    free_units: float = 0.0
    """[driver units per month] Free allowance for the whole account."""
    included_per_host: float = 0.0
    """[driver units per host per month] Allowance that comes with each APM host."""

    def per_host(self, allowance_set: bool = False) -> bool:
        """Whether this component's bill depends on the APM host count: it is billed per host,
        or each host brings an allowance (the preset's, or one the scenario sets:
        ``allowance_set``).

        >>> PriceComponent("ingested_gb", 0.10, included_per_host=150.0).per_host()
        True
        >>> PriceComponent("ingested_gb", 0.50, free_units=50.0).per_host()
        False
        """
        return self.driver == HOSTS or self.included_per_host > 0 or allowance_set


@dataclass(frozen=True)
class Vendor:
    """A managed tracing backend's price list on a given date."""

    key: str
    label: str
    price_date: str
    source: str
    components: tuple[PriceComponent, ...]
    retention_days: float
    note: str = ""

    def component(self, driver: str) -> PriceComponent:
        """The price component billed on ``driver``."""
        for c in self.components:
            if c.driver == driver:
                return c
        raise KeyError(f"{self.key} has no price component driven by {driver!r}")

    def per_host(self, allowances_set: Collection[str] = ()) -> bool:
        """Whether the bill depends on the APM host count (see :meth:`PriceComponent.per_host`;
        ``allowances_set``: drivers whose per-host allowance the scenario sets).

        >>> VENDORS["datadog"].per_host(), VENDORS["aws-xray"].per_host()
        (True, False)
        """
        return any(c.per_host(c.driver in allowances_set) for c in self.components)


VENDORS: dict[str, Vendor] = {
    v.key: v
    for v in (
        Vendor(
            "datadog",
            "Datadog APM (annual)",
            "2026-09-05",
            ref("datadog-apm-pricing"),
            (
                PriceComponent("hosts", 31.0),
                PriceComponent("ingested_gb", 0.10, included_per_host=150.0),
                PriceComponent("indexed_spans_million", 1.70, included_per_host=1.0),
                PriceComponent("custom_metrics", 0.05),
            ),
            retention_days=15,
            note="custom metrics at about $0.05 each (low confidence)",
        ),
        Vendor(
            "datadog-on-demand",
            "Datadog APM (on demand)",
            "2026-09-05",
            ref("datadog-apm-pricing"),
            (
                PriceComponent("hosts", 48.0),
                PriceComponent("ingested_gb", 0.10, included_per_host=150.0),
                PriceComponent("indexed_spans_million", 1.70, included_per_host=1.0),
                PriceComponent("custom_metrics", 0.05),
            ),
            retention_days=15,
        ),
        Vendor(
            "aws-xray",
            "AWS X-Ray",
            "2026",
            ref("xray-pricing"),
            (PriceComponent("traces_million", 5.00, free_units=0.1),),
            retention_days=30,
            note="retrieval and scans ($0.50 per M) not modelled",
        ),
        Vendor(
            "grafana-cloud",
            "Grafana Cloud Traces (Pro)",
            "2026-05-25",
            ref("grafana-cloud-pricing"),
            (
                PriceComponent("platform", 19.0),
                PriceComponent("ingested_gb", 0.50, free_units=50.0),
            ),
            retention_days=30,
        ),
        Vendor(
            "honeycomb",
            "Honeycomb (Pro)",
            "2026-05-04",
            ref("honeycomb-pricing"),
            (
                PriceComponent("platform", 130.0),
                PriceComponent("events_million", 1.30, free_units=100.0),
            ),
            retention_days=60,
            note="entry Pro tier ($130 for 100 M events, unverified) extended at its own rate per "
            "event: an upper bound, since larger tiers cost less per event; use a quote",
        ),
        Vendor(
            "new-relic",
            "New Relic (Standard)",
            "2026-05-04",
            ref("newrelic-pricing"),
            (
                PriceComponent("ingested_gb", 0.40, free_units=100.0),
                PriceComponent("users", 99.0),
            ),
            retention_days=8,
            note="prices from a secondary source (low confidence)",
        ),
    )
}
