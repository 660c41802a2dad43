"""The scenario schema: every assumption of the business case, grouped by area, with its unit,
bounds, default and the source of that default.

This one schema validates scenario files and is the source of ``roi init`` (the commented template)
and ``roi schema`` (JSON Schema). An assumption is written either as a bare number in its
canonical unit or as ``{value, unit, source}``; ``unit`` may be any spelling of the same dimension
(``47 min`` for an hours field) and is converted on load.

Examples
--------
>>> q = Quantity.model_validate({"value": 47, "unit": "min", "source": "ref:seed-article"})
>>> Spec("h").normalize(q, "USD").value
0.7833333333333333
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from functools import partial
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from roi.presets import VENDORS, Driver, ElasticityName, SpanOverheadName, VendorName
from roi.references import ref
from roi.units import UnitError, allowed_units, display_unit, to_canonical

SCHEMA_VERSION = 1

Bounds = Literal["fraction", "nonneg", "positive", "growth", "any"]
_BOUND_TEXT = {
    "fraction": "a fraction in [0, 1]",
    "nonneg": "zero or more",
    "positive": "more than zero",
    "growth": "more than -1",
    "any": "any number",
}


class Quantity(BaseModel):
    """One assumption: its value in the field's canonical unit, and where it comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float
    unit: str | None = None
    source: str | None = None
    note: str | None = None
    given: str | None = Field(default=None, exclude=True)
    """The value as written in the file when its unit differed (for display)."""

    @model_validator(mode="before")
    @classmethod
    def _bare_number(cls, data: Any) -> Any:
        if isinstance(data, bool):
            raise PydanticCustomError("number", "expected a number, got {v}", {"v": data})
        if isinstance(data, int | float):
            return {"value": data}
        return data

    @field_validator("value")
    @classmethod
    def _finite(cls, v: float) -> float:
        if not math.isfinite(v):
            raise PydanticCustomError("finite", "must be a finite number, got {v}", {"v": v})
        return v


class Spec:
    """Annotation metadata of an assumption field: canonical unit and allowed range.

    ``Annotated[Quantity, Spec("h")]`` validates the quantity, converts it to hours and checks its
    bounds, naming the field in any error.
    """

    def __init__(self, unit: str, bounds: Bounds = "nonneg", integer: bool = False) -> None:
        self.unit = unit
        self.bounds: Bounds = bounds
        self.integer = integer

    def normalize(self, q: Quantity, currency: str) -> Quantity:
        """``q`` converted to the canonical unit and checked against the bounds."""
        try:
            value = to_canonical(q.value, q.unit, self.unit, currency) if q.unit else q.value
        except UnitError as exc:
            raise PydanticCustomError("unit", str(exc)) from None
        self.check(value, currency)
        given = (
            f"{q.value:g} {q.unit}"
            if q.unit and q.unit != display_unit(self.unit, currency)
            else None
        )
        return q.model_copy(
            update={"value": value, "unit": display_unit(self.unit, currency), "given": given}
        )

    def check(self, value: float, currency: str = "{cur}") -> None:
        """Raise a validation error when ``value`` is outside the field's bounds."""
        ok = {
            "fraction": 0.0 <= value <= 1.0,
            "nonneg": value >= 0.0,
            "positive": value > 0.0,
            "growth": value > -1.0,
            "any": True,
        }[self.bounds]
        unit = display_unit(self.unit, currency)
        if not ok:
            raise PydanticCustomError(
                "bounds",
                "{value} {unit} is out of range: must be {allowed}",
                {"value": f"{value:g}", "unit": unit, "allowed": _BOUND_TEXT[self.bounds]},
            )
        if self.integer and value != int(value):
            raise PydanticCustomError(
                "integer", "{value} {unit} must be a whole number", {"value": value, "unit": unit}
            )

    def _validate(self, q: Quantity, info: ValidationInfo) -> Quantity:
        currency = (info.context or {}).get("currency", "{cur}")
        return self.normalize(q, currency)

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.with_info_after_validator_function(self._validate, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # A bare number in the canonical unit is accepted as well as the full object.
        return {
            "anyOf": [{"type": "number"}, handler(schema)],
            "x-unit": self.unit,
            "x-allowed-units": allowed_units(self.unit),
            "x-bounds": _BOUND_TEXT[self.bounds],
        }


# Field types: a quantity in a canonical unit.
Fraction = Annotated[Quantity, Spec("fraction", "fraction")]
Growth = Annotated[Quantity, Spec("fraction/month", "growth")]
Hours = Annotated[Quantity, Spec("h")]
HoursPerMonth = Annotated[Quantity, Spec("h/month")]
HoursPerWeek = Annotated[Quantity, Spec("h/week")]
Months = Annotated[Quantity, Spec("months", "positive")]
Weeks = Annotated[Quantity, Spec("weeks")]
Ms = Annotated[Quantity, Spec("ms")]
Count = Annotated[Quantity, Spec("count")]
PerMonth = Annotated[Quantity, Spec("count/month")]
Bytes = Annotated[Quantity, Spec("B", "positive")]
MoneyPerHour = Annotated[Quantity, Spec("{cur}/h")]
MoneyPerPersonHour = Annotated[Quantity, Spec("{cur}/person-h")]
MoneyPerYear = Annotated[Quantity, Spec("{cur}/year")]
MoneyPerMonth = Annotated[Quantity, Spec("{cur}/month")]


def default(value: float, source: str, description: str) -> Any:
    """An assumption with a published or stated default; ``source`` is a ``ref:`` key."""
    return Field(
        default_factory=partial(Quantity, value=value, source=source),
        description=description,
        json_schema_extra={"x-default-source": source},
    )


def required(description: str, example: float) -> Any:
    """An assumption only the user can state (their revenue, rates, volumes); ``example`` is the
    illustrative value ``roi init`` writes."""
    return Field(description=description, json_schema_extra={"x-example": example})


def optional(description: str, example: float | None = None) -> Any:
    """An assumption that may be left out; the model says what happens then."""
    if example is None:
        return Field(default=None, description=description)
    return Field(default=None, description=description, json_schema_extra={"x-example": example})


class Section(BaseModel):
    """A group of assumptions. Unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class Timeline(Section):
    """One monthly time axis: Initial (month 0) then months 1..horizon."""

    horizon_months: Annotated[Quantity, Spec("months", "positive", integer=True)] = default(
        36, ref("forrester-tei"), "Months analysed after the Initial period (TEI: 3 years)"
    )
    rollout_months: Months = default(
        3,
        ref("seed-article"),
        "Months for the self-run rollout; adoption ramps linearly to 1 over it "
        "(article: 2-4 months for 30-100 services)",
    )
    traffic_growth_per_month: Growth = default(
        0.0, ref("roi-assumption"), "Monthly growth of requests (and APM hosts)"
    )
    services_growth_per_month: Growth = default(
        0.0, ref("roi-assumption"), "Monthly growth of the number of services"
    )
    revenue_growth_per_month: Growth = default(
        0.0,
        ref("roi-assumption"),
        "Monthly growth of revenue; 0 keeps benefits flat, the conservative TEI practice",
    )


class Business(Section):
    """What an hour of the business and of an engineer is worth."""

    revenue_per_hour: MoneyPerHour = required(
        "Revenue flowing through the systems that incidents affect, per hour", 50000
    )
    loaded_hourly_rate: MoneyPerPersonHour = required(
        "Fully loaded cost of one engineer hour (salary, benefits, overhead)", 100
    )
    margin: Fraction = required(
        "Share of revenue that is cash to the business; 1.0 speaks in revenue (say so)", 0.3
    )


class Severity(Section):
    """One incident severity class."""

    incidents_per_month: PerMonth = required("Incidents of this severity per month", 2)
    mttr_hours_before: Hours = required("Mean time to resolve today", 4)
    mttr_hours_after: Hours | None = optional(
        "Mean time to resolve with tracing (or give mttr_reduction_fraction)"
    )
    mttr_reduction_fraction: Fraction | None = optional(
        "Share of MTTR that tracing removes (or give mttr_hours_after); evidence: 20-60 %", 0.4
    )
    revenue_impact_fraction: Fraction = required(
        "Share of hourly revenue lost while an incident of this severity lasts", 0.3
    )
    responders: Count = default(3, ref("roi-assumption"), "Engineers working each incident")

    @model_validator(mode="after")
    def _after_or_reduction(self) -> Severity:
        if (self.mttr_hours_after is None) == (self.mttr_reduction_fraction is None):
            raise PydanticCustomError(
                "mttr_after", "give exactly one of mttr_hours_after and mttr_reduction_fraction"
            )
        after = self.mttr_hours_after
        if after is not None and after.value > self.mttr_hours_before.value:
            raise PydanticCustomError(
                "mttr_order",
                "mttr_hours_after ({a:g} h) is longer than mttr_hours_before "
                "({b:g} h): tracing cannot be assumed to slow resolution",
                {"a": after.value, "b": self.mttr_hours_before.value},
            )
        return self

    @property
    def mttr_hours_after_value(self) -> float:
        """[h] MTTR with tracing, from whichever of the two fields was given."""
        if self.mttr_hours_after is not None:
            return self.mttr_hours_after.value
        assert self.mttr_reduction_fraction is not None
        return self.mttr_hours_before.value * (1.0 - self.mttr_reduction_fraction.value)


SeverityName = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")]


class Incidents(Section):
    """Faster incident resolution: downtime hours x hourly revenue, plus responder time."""

    severities: dict[SeverityName, Severity] = Field(
        min_length=1, description="Severity classes (e.g. sev1, sev2); classes are data"
    )
    incident_reduction_fraction: Fraction = default(
        0.0,
        ref("roi-assumption"),
        "Share of incidents avoided because root causes get found (repeat incidents)",
    )


class Latency(Section):
    """Latency -> conversion: each 100 ms is worth revenue. Leave the section out if no revenue
    depends on the latency of a user journey."""

    journey: str = Field(default="checkout", description="The user journey whose latency changes")
    percentile: str = Field(default="P95", description="The latency percentile quoted")
    latency_ms_before: Ms = required("Latency of the journey today", 1500)
    latency_ms_after: Ms = required("Latency of the journey with tracing-led fixes", 1000)
    after_includes_overhead: bool = Field(
        default=False,
        description="True when latency_ms_after was measured with tracing on (overhead already "
        "in it); false for a target, from which instrumentation overhead is subtracted",
    )
    conversion_rate: Fraction | None = optional("Conversion rate today (shown, not needed)", 0.03)
    revenue_through_path_per_year: MoneyPerYear = required(
        "Revenue that passes through the journey in a year", 20000000
    )
    elasticity_preset: ElasticityName = Field(
        default="amazon",
        description="Published elasticity used when conversion_lift_per_100ms is not given",
    )
    conversion_lift_per_100ms: Fraction | None = optional(
        "Relative conversion lift per 100 ms saved; default from elasticity_preset"
    )
    max_conversion_lift: Fraction = default(
        0.20,
        ref("akamai-2017"),
        "Cap on the relative lift: elasticities are not linear forever (Akamai: +2 s cost "
        "36.5 % of desktop conversions)",
    )
    latency_attribution_fraction: Fraction = default(
        0.5,
        ref("roi-assumption"),
        "Share of the latency improvement credited to tracing (TEI attribution)",
    )


class Instrumentation(Section):
    """How services are instrumented: volume drivers and overhead."""

    sdk: Literal["otel", "proprietary"] = Field(
        default="otel", description="OpenTelemetry SDKs, or a vendor's proprietary agent"
    )
    requests_per_month: PerMonth = required(
        "Requests entering the traced system per month", 100000000
    )
    spans_per_request: Count = required("Spans recorded per request (from a trace export)", 25)
    overhead_preset: SpanOverheadName = Field(
        default="otel-python",
        description="Published per-span cost used when overhead_ms_per_span is not given",
    )
    overhead_ms_per_span: Ms | None = optional(
        "Latency each span adds; default from overhead_preset"
    )
    sampling_rate: Fraction = default(
        1.0, ref("otel-default-sampler"), "Share of traces kept (head sampling)"
    )
    bytes_per_span: Bytes = default(500, ref("tempo-span-size"), "Stored size of one span")


class Rollout(Section):
    """Instrumenting the services: common to both stacks."""

    services_to_instrument: Count = required("Services to instrument", 40)
    hours_per_service: Hours = required("Engineer hours to instrument one service", 12)
    contingency_fraction: Fraction = default(
        0.40,
        ref("seed-article"),
        "Extra time on every one-off engineering estimate ('estimate 40 % more')",
    )
    review_hours_per_week: HoursPerWeek = default(
        1.0, ref("seed-article"), "The weekly review of the slowest traces"
    )
    review_attendees: Count = default(4, ref("roi-assumption"), "People at the weekly review")


class SelfRun(Section):
    """OpenTelemetry Collector + Jaeger / Tempo / Zipkin, run by your own team."""

    enabled: bool = Field(default=True, description="Include the self-run option")
    label: str = Field(default="Self-run (OTel Collector + Tempo)", description="Display name")
    setup_engineer_weeks: Weeks = default(3, ref("seed-article"), "One-off set-up effort")
    maintenance_days_per_week: Annotated[Quantity, Spec("days/week")] = default(
        1, ref("seed-article"), "Upkeep of the tracing stack (article: ~20 % of an engineer)"
    )
    tracing_incident_hours_per_month: HoursPerMonth = default(
        5, ref("seed-article"), "Incident response for the tracing system itself"
    )
    retention_days: Annotated[Quantity, Spec("days", "positive")] = default(
        15,
        ref("datadog-apm-pricing"),
        "Days traces are kept (15 as Datadog's indexed spans, for a like-for-like comparison)",
    )
    storage_price_per_gb_month: Annotated[Quantity, Spec("{cur}/GB-month")] = default(
        0.023, ref("s3-pricing"), "Object storage price"
    )
    compression_ratio: Annotated[Quantity, Spec("ratio", "positive")] = default(
        1.0,
        ref("roi-assumption"),
        "Raw span bytes per stored byte; 1 (none) is conservative: no published Tempo ratio",
    )
    distributor_mb_per_s: Annotated[Quantity, Spec("MB/s", "positive")] = default(
        10, ref("tempo-sizing"), "Ingest one distributor replica handles"
    )
    ingester_mb_per_s: Annotated[Quantity, Spec("MB/s", "positive")] = default(
        4, ref("tempo-sizing"), "Ingest one ingester replica handles (3-5 MB/s)"
    )
    querier_mb_per_s: Annotated[Quantity, Spec("MB/s", "positive")] = default(
        1.5, ref("tempo-sizing"), "Ingest one querier replica serves (1-2 MB/s)"
    )
    min_replicas_per_component: Annotated[Quantity, Spec("count", "positive", integer=True)] = (
        default(2, ref("tempo-sizing"), "Replicas of each component for high availability")
    )
    replica_price_per_month: MoneyPerMonth = default(
        70.0, ref("ec2-pricing"), "One replica's node share (2 vCPU, 8 GiB)"
    )


class PriceOverride(Section):
    """Your own price for one component of a vendor's bill (a negotiated quote, a new list
    price); what you leave out keeps the preset."""

    price_per_unit: Annotated[Quantity, Spec("{cur}/unit-month")] | None = optional(
        "Price per driver unit per month"
    )
    free_units: Annotated[Quantity, Spec("units/month")] | None = optional(
        "Free allowance for the whole account per month"
    )
    included_per_host: Annotated[Quantity, Spec("units/host-month")] | None = optional(
        "Allowance included with each APM host per month"
    )


def _default_vendors() -> list[VendorName]:
    return ["datadog"]


class Managed(Section):
    """Managed tracing vendors, priced from dated list prices."""

    vendors: list[VendorName] = Field(
        default_factory=_default_vendors, description="Vendor presets to compare"
    )
    onboarding_services_per_week: Annotated[Quantity, Spec("services/week", "positive")] = default(
        30, ref("seed-article"), "Onboarding speed ('30 services in a week')"
    )
    admin_hours_per_month: HoursPerMonth = default(
        4, ref("roi-assumption"), "Vendor administration (users, keys, bills)"
    )
    apm_hosts: Count | None = optional(
        "Hosts running the APM agent today; required by host-priced vendors (Datadog)", 50
    )
    custom_metrics_per_service: Count = default(
        20, ref("roi-assumption"), "Custom metrics each service emits (billed by Datadog)"
    )
    indexed_span_fraction: Fraction = default(
        0.01, ref("roi-assumption"), "Share of ingested spans indexed by retention filters"
    )
    users: Count = default(5, ref("roi-assumption"), "Paid users (New Relic)")
    prices: dict[VendorName, dict[Driver, PriceOverride]] = Field(
        default_factory=dict,
        description="Overrides of preset prices by vendor and driver, e.g. "
        "datadog: {hosts: {price_per_unit: {value: 25, source: 'our 2026 quote'}}}",
    )

    @model_validator(mode="after")
    def _known_components(self) -> Managed:
        for vendor, drivers in self.prices.items():
            if vendor not in self.vendors:
                raise PydanticCustomError(
                    "price_vendor", "prices.{v}: {v} is not in managed.vendors", {"v": vendor}
                )
            known = [c.driver for c in VENDORS[vendor].components]
            for driver in drivers:
                if driver not in known:
                    raise PydanticCustomError(
                        "price_driver",
                        "prices.{v}.{d}: {v} does not bill on {d}; allowed: {allowed}",
                        {"v": vendor, "d": driver, "allowed": ", ".join(known)},
                    )
        return self


class LockIn(Section):
    """The cost of changing your mind later."""

    rewrite_weeks_per_service: Weeks = default(
        2,
        ref("seed-article"),
        "Engineer-weeks to replace a proprietary SDK in one service (article: 60+ services took "
        "8 months; a team of 3-4 gives about 2 weeks per service)",
    )
    config_switch_hours: Hours = default(
        80,
        ref("roi-assumption"),
        "Hours to point OpenTelemetry exporters at another backend and rebuild dashboards",
    )
    migration_month: int | None = Field(
        default=None,
        ge=1,
        description="Month a migration away from the managed vendor is scheduled; its exit cost "
        "then enters the cash flows (leave empty to report it as an option value only)",
    )


class Finance(Section):
    """Forrester TEI conventions."""

    discount_rate: Annotated[Quantity, Spec("fraction/year", "fraction")] = default(
        0.10, ref("forrester-tei"), "Yearly discount rate"
    )
    benefit_risk: Fraction = default(
        0.15, ref("tei-risk"), "TEI risk adjustment: benefits are reduced by this share"
    )
    cost_risk: Fraction = default(
        0.10, ref("tei-risk"), "TEI risk adjustment: costs are raised by this share"
    )
    discounting: Literal["tei", "monthly"] = Field(
        default="tei",
        description="tei: Initial undiscounted, yearly totals at year end; monthly: each month",
    )


class Kpis(Section):
    """Shown, never summed into money."""

    north_star_kpi: str = Field(min_length=3, description="The one KPI everyone agreed on")
    nps_change: Annotated[Quantity, Spec("points", "any")] | None = optional(
        "Expected change in Net Promoter Score", 5
    )


class Decision(Section):
    """The article's criteria for self-run versus managed; true, false or unknown (empty)."""

    sre_capacity: bool | None = Field(default=None, description="Strong ops/SRE capacity")
    no_saas_policy: bool | None = Field(
        default=None, description="A no-vendor-SaaS or data-sovereignty policy applies"
    )
    prometheus_grafana_in_place: bool | None = Field(
        default=None, description="Already running Prometheus/Grafana and like it"
    )
    someone_enjoys_infra_work: bool | None = Field(
        default=None, description="Someone on the team actually enjoys infrastructure work"
    )
    growth_mode: bool | None = Field(
        default=None, description="In growth mode: shipping features over optimizing costs"
    )
    results_within_30_days: bool | None = Field(
        default=None, description="Results are needed in 30 days, not 3 months"
    )
    nobody_wants_to_run_storage: bool | None = Field(
        default=None, description="Nobody wants to debug storage clusters at 3 AM"
    )


class Readiness(Section):
    """The article's five pre-flight boxes; an unchecked box means: fix these gaps first."""

    business_value_in_30_seconds: bool = Field(
        default=False, description="I can explain the business value in 30 seconds"
    )
    dollar_or_kpi_target: bool = Field(
        default=False, description="I have a specific dollar amount or KPI target"
    )
    skip_level_manager_understands: bool = Field(
        default=False, description="My manager's manager understands why this matters"
    )
    dedicated_engineering_time: bool = Field(
        default=False, description="I have dedicated engineering time"
    )
    critical_services: list[str] = Field(
        default_factory=list, description="The 3-5 most critical services to instrument first"
    )


class Scenario(BaseModel):
    """A business case: who, in which currency, and every assumption with its source."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    schema_version: Literal[1] = 1
    name: str = Field(min_length=1, max_length=200, description="Display name")
    description: str = Field(description="What this scenario is and where its numbers come from")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. USD, EUR")
    timeline: Timeline = Field(default_factory=Timeline)
    business: Business
    incidents: Incidents
    latency: Latency | None = None
    instrumentation: Instrumentation
    rollout: Rollout
    self_run: SelfRun = Field(default_factory=SelfRun)
    managed: Managed = Field(default_factory=Managed)
    lock_in: LockIn = Field(default_factory=LockIn)
    finance: Finance = Field(default_factory=Finance)
    kpis: Kpis
    decision: Decision = Field(default_factory=Decision)
    readiness: Readiness = Field(default_factory=Readiness)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        horizon = self.timeline.horizon_months.value
        if self.timeline.rollout_months.value > horizon:
            raise PydanticCustomError(
                "rollout",
                "timeline.rollout_months ({r:g}) is longer than "
                "timeline.horizon_months ({h:g}): the rollout must end inside the horizon",
                {"r": self.timeline.rollout_months.value, "h": horizon},
            )
        month = self.lock_in.migration_month
        if month is not None and month > horizon:
            raise PydanticCustomError(
                "migration",
                "lock_in.migration_month ({m}) is after the horizon ({h:g} months)",
                {"m": month, "h": horizon},
            )
        if not self.self_run.enabled and not self.managed.vendors:
            raise PydanticCustomError(
                "options", "no option to evaluate: enable self_run or list managed.vendors"
            )
        host_priced = [v for v in self.managed.vendors if v.startswith("datadog")]
        if host_priced and self.managed.apm_hosts is None:
            raise PydanticCustomError(
                "apm_hosts",
                "managed.apm_hosts is required: {v} price per APM host",
                {"v": ", ".join(host_priced)},
            )
        return self


def assumptions(model: BaseModel, prefix: str = "") -> Iterator[tuple[str, Quantity]]:
    """Every quantity in ``model`` with its dotted path, in schema order.

    >>> from roi.schema import Timeline
    >>> [p for p, _ in assumptions(Timeline())][:2]
    ['horizon_months', 'rollout_months']
    """
    for name in type(model).model_fields:
        value = getattr(model, name)
        path = f"{prefix}{name}"
        if isinstance(value, Quantity):
            yield path, value
        elif isinstance(value, BaseModel):
            yield from assumptions(value, f"{path}.")
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, BaseModel):
                    yield from assumptions(item, f"{path}.{key}.")
