"""Readable names of parameter paths, with their units."""

from __future__ import annotations

from typing import TYPE_CHECKING

from roi.inputs.presets import DRIVER_UNITS, VENDORS

if TYPE_CHECKING:
    from roi.inputs.schema import Scenario


_FIELD_LABELS: dict[str, str] = {
    "incidents_per_month": "incidents a month",
    "mttr_hours_before": "MTTR before",
    "mttr_hours_after": "MTTR after",
    "mttr_reduction_fraction": "MTTR reduction",
    "revenue_impact_fraction": "share of revenue lost while down",
    "responders": "responders",
    "incident_reduction_fraction": "Repeat incidents avoided",
    "revenue_per_hour": "Revenue per hour",
    "loaded_hourly_rate": "Loaded engineer cost",
    "margin": "Margin",
    "horizon_months": "Horizon",
    "rollout_months": "Rollout length",
    "traffic_growth_per_month": "Traffic growth",
    "services_growth_per_month": "Services growth",
    "revenue_growth_per_month": "Revenue growth",
    "latency_ms_before": "latency before",
    "latency_ms_after": "latency after",
    "conversion_rate": "Conversion rate",
    "revenue_through_path_per_year": "revenue through the journey",
    "conversion_lift_per_100ms": "Conversion lift per 100 ms",
    "max_conversion_lift": "Cap on conversion lift",
    "latency_attribution_fraction": "Latency gain credited to tracing",
    "requests_per_month": "Requests",
    "spans_per_request": "Spans per request",
    "overhead_ms_per_span": "Overhead per span",
    "sampling_rate": "Sampling rate",
    "bytes_per_span": "Span size",
    "services_to_instrument": "Services to instrument",
    "hours_per_service": "Hours to instrument a service",
    "contingency_fraction": "Contingency on estimates",
    "review_hours_per_week": "Weekly review length",
    "review_attendees": "Weekly review attendees",
    "setup_engineer_weeks": "Self-run set-up effort",
    "maintenance_days_per_week": "Self-run upkeep",
    "tracing_incident_hours_per_month": "Tracing system's own incidents",
    "retention_days": "Trace retention",
    "storage_price_per_gb_month": "Storage price",
    "compression_ratio": "Compression ratio",
    "distributor_mb_per_s": "Tempo distributor capacity",
    "ingester_mb_per_s": "Tempo ingester capacity",
    "querier_mb_per_s": "Tempo querier capacity",
    "replica_price_per_month": "Price of a Tempo replica",
    "onboarding_services_per_week": "Vendor onboarding speed",
    "admin_hours_per_month": "Vendor admin time",
    "apm_hosts": "APM hosts",
    "custom_metrics_per_service": "Custom metrics per service",
    "indexed_span_fraction": "Indexed span share",
    "users": "Paid users",
    "rewrite_weeks_per_service": "SDK rewrite per service",
    "config_switch_hours": "Backend switch effort",
    "discount_rate": "Discount rate",
    "benefit_risk": "Benefit risk adjustment",
    "cost_risk": "Cost risk adjustment",
    "nps_change": "NPS change",
    "price_per_unit": "price",
    "free_units": "free allowance",
    "included_per_host": "allowance per host",
}


def display_unit_of(unit: str) -> str:
    """The unit a person reads: fractions are shown as percentages.

    >>> display_unit_of("fraction"), display_unit_of("fraction/year"), display_unit_of("h")
    ('%', '%/year', 'h')
    """
    return unit.replace("fraction", "%") if unit.startswith("fraction") else unit


def input_label(path: str, unit: str, scenario: Scenario | None = None) -> str:
    """A readable name for a parameter path, with its unit.

    >>> input_label("incidents.severities.sev1.mttr_hours_after", "h")
    'Sev-1 MTTR after (h)'
    >>> input_label("finance.discount_rate", "fraction/year")
    'Discount rate (%/year)'
    """
    parts = path.split(".")
    name = parts[-1]
    text = _FIELD_LABELS.get(name, name.replace("_", " "))
    if parts[:2] == ["incidents", "severities"] and len(parts) == 4:
        sev = parts[2]
        digits = sev.removeprefix("sev")
        prefix = f"Sev-{digits}" if sev.startswith("sev") and digits.isdigit() else sev
        text = f"{prefix} {text}"
    elif parts[0] == "latency" and name in ("latency_ms_before", "latency_ms_after"):
        journey = scenario.latency.journey if scenario and scenario.latency else "journey"
        pct = scenario.latency.percentile if scenario and scenario.latency else ""
        text = f"{journey.capitalize()} {pct + ' ' if pct else ''}{text}"
    elif name == "revenue_through_path_per_year":
        journey = scenario.latency.journey if scenario and scenario.latency else "the"
        text = f"Revenue through {journey}"
    elif parts[:2] == ["managed", "prices"] and len(parts) == 5:
        vendor = VENDORS[parts[2]].label if parts[2] in VENDORS else parts[2]
        text = f"{vendor}: {DRIVER_UNITS.get(parts[3], parts[3])} {text}"
    return f"{text} ({display_unit_of(unit)})" if unit else text
