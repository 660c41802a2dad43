"""The scenario schema: every assumption of the business case, grouped by area, with its unit,
bounds, default and the source of that default.

This one schema validates scenario files and is the source of ``roi init`` (the commented template)
and ``roi schema`` (JSON Schema). An assumption is written either as a bare number in its
canonical unit or as ``{value, unit, source}``; ``unit`` may be any spelling of the same dimension
(``47 min`` for an hours field) and is converted on load. Any assumption may instead be a range,
``{low, high}`` (a 90 % interval) or ``{dist: ..., ...}``, whose median is its value (see
:class:`Quantity` and :mod:`roi.analysis.sampling`).

Examples
--------
>>> q = Quantity.model_validate({"value": 47, "unit": "min", "source": "ref:seed-article"})
>>> Spec("h").normalize(q, "USD").value
0.7833333333333333
"""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Iterator, Mapping
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
from pydantic.fields import FieldInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from roi.inputs.brand import brand_colours
from roi.inputs.distributions import DISTRIBUTIONS, Distribution, RangeError, distribution
from roi.inputs.errors import excerpt
from roi.inputs.presets import (
    DRIVER_UNITS,
    VENDORS,
    ElasticityName,
    SpanOverheadName,
)
from roi.inputs.references import ref
from roi.inputs.units import (
    MAX_MAGNITUDE,
    UnitError,
    allowed_units,
    display_unit,
    to_canonical,
)

SCHEMA_VERSION = 1
LABEL_CHARS = 80
"""Longest text shown in a chart's legend or axis (an option's label, the journey) [characters]."""
MAX_HORIZON_MONTHS = 120
"""Longest horizon [months]: ten years, beyond any TEI study (3 to 5 years); every array of
the model and of its Monte Carlo has a month axis this long at most."""

Bounds = Literal["fraction", "nonneg", "positive", "growth", "any"]
_BOUND_TEXT = {
    "fraction": "a fraction in [0, 1]",
    "nonneg": "zero or more",
    "positive": "more than zero",
    "growth": "more than -1",
    "any": "any number",
}


class KeyOf:
    """Annotation of a ``str`` that must be a key of ``table``: the table is read when a scenario
    is validated and when the JSON Schema is written, so one entry in the table (a vendor preset,
    a billing driver) is all it takes to allow a new name.

    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(Annotated[str, KeyOf({"a": 1, "b": 2})]).validate_python("b")
    'b'
    """

    def __init__(self, table: Mapping[str, object]) -> None:
        self.table = table

    def choices(self) -> list[str]:
        """The allowed names, in the table's order."""
        return list(self.table)

    def _check(self, value: str) -> str:
        if value not in self.table:
            names = [repr(k) for k in self.table]
            expected = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
            raise PydanticCustomError(
                "literal_error", "Input should be {expected}", {"expected": expected}
            )
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(str))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        out = handler(schema)
        out["enum"] = self.choices()
        return out


VendorName = Annotated[str, KeyOf(VENDORS)]
"""A key of :data:`roi.inputs.presets.VENDORS`."""
DriverName = Annotated[str, KeyOf(DRIVER_UNITS)]
"""A key of :data:`roi.inputs.presets.DRIVER_UNITS`."""


def choices(tp: Any) -> list[str]:
    """The names a ``Literal`` or a :class:`KeyOf` annotation allows (else none).

    >>> choices(VendorName)[:2]
    ['datadog', 'datadog-on-demand']
    """
    if typing.get_origin(tp) is Literal:
        return [str(a) for a in typing.get_args(tp)]
    if typing.get_origin(tp) is Annotated:
        key = next((m for m in typing.get_args(tp)[1:] if isinstance(m, KeyOf)), None)
        if key is not None:
            return key.choices()
    return []


RANGE_KEYS = ("low", "high", "mode", "mean", "sd", "dist")
"""Keys that make an assumption a range rather than a point."""


def _quantity_json_schema(schema: dict[str, Any]) -> None:
    # ``value`` may be left out when a range is given: the median is then the point estimate.
    schema["required"] = []
    schema["anyOf"] = [
        {"required": ["value"]},
        {"required": ["low", "high"]},
        {"required": ["mean", "sd"]},
    ]


class Quantity(BaseModel):
    """One assumption: its value in the field's canonical unit, and where it comes from.

    A range is written ``{low, high}`` (a 90 % interval: 5th and 95th percentiles; lognormal for
    positive skewed fields, normal otherwise, see ``x-range-distribution``), optionally with
    ``value`` as its median, or as an explicit distribution ``{dist: triangular | pert, low,
    mode, high}``, ``{dist: uniform, low, high}``, ``{dist: normal, mean, sd}`` or ``{dist:
    normal | lognormal, low, high}``. ``value`` is then filled with the distribution's median,
    the point estimate every deterministic command uses (see :mod:`roi.analysis.sampling`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_quantity_json_schema)

    value: float = Field(
        description="The number; may be left out when a range (low, high) is given, whose "
        "median it then is"
    )
    low: float | None = Field(
        default=None,
        description="Range: 5th percentile of a 90 % interval, or the minimum of a uniform, "
        "triangular or PERT distribution",
    )
    high: float | None = Field(
        default=None,
        description="Range: 95th percentile of a 90 % interval, or the maximum of a uniform, "
        "triangular or PERT distribution",
    )
    mode: float | None = Field(
        default=None, description="Range: most likely value (dist: triangular or pert)"
    )
    mean: float | None = Field(default=None, description="Range: mean (dist: normal, with sd)")
    sd: float | None = Field(
        default=None, description="Range: standard deviation (dist: normal, with mean)"
    )
    dist: Literal["triangular", "pert", "uniform", "normal", "lognormal"] | None = Field(
        default=None,
        description="Range: the distribution; {low, high} alone uses the field's "
        "x-range-distribution",
    )
    unit: str | None = None
    source: str | None = None
    note: str | None = None
    given: str | None = Field(default=None, exclude=True)
    """The value as written in the file when its unit differed (for display)."""

    @model_validator(mode="before")
    @classmethod
    def _bare_number(cls, data: Any) -> Any:
        if isinstance(data, bool):
            raise PydanticCustomError("number", "expected a number, got {v}", {"v": excerpt(data)})
        if isinstance(data, int | float):
            return {"value": data}
        if not isinstance(data, dict):
            raise PydanticCustomError(
                "quantity",
                "expected a number or a mapping with value, unit and source; got {v}",
                {"v": excerpt(data)},
            )
        if isinstance(data, dict) and any(data.get(k) is not None for k in RANGE_KEYS):
            return _with_median(data)
        return data

    @property
    def is_range(self) -> bool:
        """True when the assumption is a distribution rather than a point."""
        return self.dist is not None

    @field_validator("value")
    @classmethod
    def _finite(cls, v: float) -> float:
        if not math.isfinite(v):
            raise PydanticCustomError("finite", "must be a finite number, got {v}", {"v": v})
        return v


def _with_median(data: dict[str, Any]) -> dict[str, Any]:
    """A range mapping with ``value`` set to its median and ``dist`` to its family; range errors
    say which parameter is wrong."""

    numbers: dict[str, float] = {}
    for key in ("value", "low", "high", "mode", "mean", "sd"):
        v = data.get(key)
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise PydanticCustomError(
                "range", "{k}: expected a finite number, got {v}", {"k": key, "v": excerpt(v)}
            )
        numbers[key] = float(v)
    dist = data.get("dist")
    if dist is not None and dist not in DISTRIBUTIONS:
        raise PydanticCustomError(
            "range",
            "dist: {d} is not a distribution; allowed: {allowed}",
            {"d": excerpt(dist), "allowed": ", ".join(DISTRIBUTIONS)},
        )
    try:
        d = distribution(dist, **numbers)
    except RangeError as exc:
        raise PydanticCustomError("range", "{msg}", {"msg": str(exc)}) from None
    return {**data, "value": d.median, "dist": d.kind}


class Spec:
    """Annotation metadata of an assumption field: canonical unit and allowed range.

    ``Annotated[Quantity, Spec("h")]`` validates the quantity, converts it to hours and checks its
    bounds, naming the field in any error.
    """

    def __init__(
        self,
        unit: str,
        bounds: Bounds = "nonneg",
        integer: bool = False,
        most: float = MAX_MAGNITUDE,
    ) -> None:
        self.unit = unit
        self.bounds: Bounds = bounds
        self.integer = integer
        self.most = most
        """Largest value allowed (and largest magnitude of a negative one) [canonical unit]."""
        # A {low, high} range of a positive, skewed quantity (money, hours, counts, sizes) is
        # lognormal; of a fraction, growth rate or signed number, normal.
        self.range_distribution: Literal["normal", "lognormal"] = (
            "lognormal" if bounds in ("nonneg", "positive") else "normal"
        )

    def normalize(self, q: Quantity, currency: str) -> Quantity:
        """``q`` converted to the canonical unit and checked against the bounds."""
        try:
            factor = to_canonical(1.0, q.unit, self.unit, currency) if q.unit else 1.0
        except UnitError as exc:
            raise PydanticCustomError("unit", str(exc)) from None
        value = q.value * factor
        update: dict[str, Any] = {"value": value}
        if q.is_range:
            for key in ("low", "high", "mode", "mean", "sd"):
                v = getattr(q, key)
                if v is not None:
                    update[key] = v * factor
            self.check_range(q.model_copy(update=update), currency)
        written = None
        if q.unit and factor != 1.0:
            written = f"{q.value:g} {q.unit} ({value:g} {display_unit(self.unit, currency)})"
        self.check(value, currency, written)
        given = None
        if q.unit and q.unit != display_unit(self.unit, currency):
            given = (
                f"{q.low:g} to {q.high:g} {q.unit}"
                if q.low is not None and q.high is not None
                else f"{q.value:g} {q.unit}"
            )
        update.update(unit=display_unit(self.unit, currency), given=given)
        return q.model_copy(update=update)

    def check_range(self, q: Quantity, currency: str = "{cur}") -> None:
        """Raise a validation error when a range reaches outside the field's bounds or the field
        takes one whole number."""

        unit = display_unit(self.unit, currency)
        if self.integer:
            raise PydanticCustomError(
                "range",
                "a range is not allowed here: give one whole number of {unit}",
                {"unit": unit},
            )
        d = distribution_of(q)
        lo, hi = (d.low, d.high) if q.mean is None else d.interval90
        try:
            self.check(lo, currency)
            self.check(hi, currency)
        except PydanticCustomError:
            what = "90 % interval" if not d.bounded else "range"
            too_big = max(abs(lo), abs(hi)) > self.most
            raise PydanticCustomError(
                "bounds",
                "{what} {lo} to {hi} {unit} is out of range: both ends must be {allowed}",
                {
                    "what": what,
                    "lo": f"{lo:g}",
                    "hi": f"{hi:g}",
                    "unit": unit,
                    "allowed": self.allowed(too_big),
                },
            ) from None

    def allowed(self, too_big: bool = False) -> str:
        """What the field allows, in words; with its upper limit when it has its own
        (the horizon) or when ``too_big``."""
        allowed = _BOUND_TEXT[self.bounds]
        if self.bounds == "fraction" or not (too_big or self.most < MAX_MAGNITUDE):
            return allowed
        limit = f"{self.most:,.0f}" if self.most < 1e6 else f"{self.most:.0e}"
        return (
            f"at most {limit} in size" if self.bounds == "any" else f"{allowed} and at most {limit}"
        )

    def check(self, value: float, currency: str = "{cur}", written: str | None = None) -> None:
        """Raise a validation error when ``value`` is outside the field's bounds; ``written``
        is the value as the file wrote it when its unit differs (``150 % (1.5 fraction)``)."""
        ok = {
            "fraction": 0.0 <= value <= 1.0,
            "nonneg": value >= 0.0,
            "positive": value > 0.0,
            "growth": value > -1.0,
            "any": True,
        }[self.bounds]
        unit = display_unit(self.unit, currency)
        too_big = abs(value) > self.most
        if not ok or too_big:
            raise PydanticCustomError(
                "bounds",
                "{value} is out of range: must be {allowed}",
                {"value": written or f"{value:g} {unit}", "allowed": self.allowed(too_big)},
            )
        if self.integer and value != int(value):
            raise PydanticCustomError(
                "integer", "{value} {unit} must be a whole number", {"value": value, "unit": unit}
            )

    def _validate(
        self, data: Any, handler: core_schema.ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> Quantity:
        if (
            isinstance(data, dict)
            and data.get("dist") is None
            and any(data.get(k) is not None for k in ("low", "high"))
        ):
            # {low, high} alone: the field decides between normal and lognormal.
            data = {**data, "dist": self.range_distribution}
        q = handler(data)
        currency = (info.context or {}).get("currency", "{cur}")
        return self.normalize(q, currency)

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.with_info_wrap_validator_function(self._validate, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # A bare number in the canonical unit is accepted as well as the full object.
        return {
            "anyOf": [{"type": "number"}, handler(schema)],
            "x-unit": self.unit,
            "x-allowed-units": allowed_units(self.unit),
            "x-bounds": _BOUND_TEXT[self.bounds],
            "x-range-distribution": "none: one whole number"
            if self.integer
            else self.range_distribution,
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


def default(value: float, source: str, description: str, *, label: str | None = None) -> Any:
    """An assumption with a published or stated default; ``source`` is a ``ref:`` key.

    ``label`` is the field's readable name in tables and charts (its JSON Schema ``title``; see
    :func:`label_at` and :func:`roi.inputs.labels.input_label`)."""
    return Field(
        default_factory=partial(Quantity, value=value, source=source),
        description=description,
        title=label,
        json_schema_extra={"x-default-source": source},
    )


def required(description: str, example: float, *, label: str | None = None) -> Any:
    """An assumption only the user can state (their revenue, rates, volumes); ``example`` is the
    illustrative value ``roi init`` writes; ``label`` as in :func:`default`."""
    return Field(description=description, title=label, json_schema_extra={"x-example": example})


def optional(
    description: str,
    example: float | None = None,
    example_range: tuple[float, float] | None = None,
    *,
    label: str | None = None,
) -> Any:
    """An assumption that may be left out; the model says what happens then. ``example_range``
    makes ``roi init`` write the example as a ``{low, high}`` range; ``label`` as in
    :func:`default`."""
    if example is None:
        return Field(default=None, description=description, title=label)
    extra: dict[str, Any] = {"x-example": example}
    if example_range is not None:
        extra["x-example-range"] = list(example_range)
    return Field(default=None, description=description, title=label, json_schema_extra=extra)


def label_field(value: str, description: str) -> Any:
    """A short text shown in charts and tables (a label, the journey): 1 to
    :data:`LABEL_CHARS` characters, ``value`` by default."""
    return Field(default=value, min_length=1, max_length=LABEL_CHARS, description=description)


class Section(BaseModel):
    """A group of assumptions. Unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class Timeline(Section):
    """One monthly time axis: Initial (month 0) then months 1..horizon."""

    horizon_months: Annotated[
        Quantity, Spec("months", "positive", integer=True, most=MAX_HORIZON_MONTHS)
    ] = default(
        36,
        ref("forrester-tei"),
        "Months analysed after the Initial period (TEI: 3 years)",
        label="Horizon",
    )
    rollout_months: Months = default(
        3,
        ref("seed-article"),
        "Months to instrument the services, the same whichever backend receives the spans; "
        "adoption (and every benefit) ramps linearly to 1 over it "
        "(article: 2-4 months for 30-100 services)",
        label="Rollout length",
    )
    traffic_growth_per_month: Growth = default(
        0.0,
        ref("roi-assumption"),
        "Monthly growth of requests (and APM hosts)",
        label="Traffic growth",
    )
    services_growth_per_month: Growth = default(
        0.0,
        ref("roi-assumption"),
        "Monthly growth of the number of services (custom metrics per service grow with it)",
        label="Services growth",
    )
    span_depth_growth_per_month: Growth = default(
        0.0,
        ref("roi-assumption"),
        "Monthly growth of spans per request, on top of traffic: each request crosses more "
        "services and instrumented calls as the system grows. Span volume, storage and "
        "span-priced bills grow with traffic x this; allowances per host grow only with traffic",
        label="Span depth growth",
    )
    revenue_growth_per_month: Growth = default(
        0.0,
        ref("roi-assumption"),
        "Monthly growth of revenue; 0 keeps benefits flat, the conservative TEI practice",
        label="Revenue growth",
    )


class Business(Section):
    """What an hour of the business and of an engineer is worth."""

    revenue_per_hour: MoneyPerHour = required(
        "Revenue flowing through the systems that incidents affect, per hour",
        50000,
        label="Revenue per hour",
    )
    loaded_hourly_rate: MoneyPerPersonHour = required(
        "Fully loaded cost of one engineer hour (salary, benefits, overhead)",
        100,
        label="Loaded engineer cost",
    )
    margin: Fraction = required(
        "Share of revenue that is cash to the business; 1.0 speaks in revenue (say so)",
        0.3,
        label="Margin",
    )


class Severity(Section):
    """One incident severity class."""

    incidents_per_month: PerMonth = required(
        "Incidents of this severity per month", 2, label="incidents a month"
    )
    mttr_hours_before: Hours = required("Mean time to resolve today", 4, label="MTTR before")
    mttr_hours_after: Hours | None = optional(
        "Mean time to resolve with tracing (or give mttr_reduction_fraction)", label="MTTR after"
    )
    mttr_reduction_fraction: Fraction | None = optional(
        "Share of MTTR that tracing removes (or give mttr_hours_after); evidence: 20-60 %",
        0.4,
        example_range=(0.2, 0.6),
        label="MTTR reduction",
    )
    revenue_impact_fraction: Fraction = required(
        "Share of hourly revenue lost while an incident of this severity lasts",
        0.3,
        label="share of revenue lost while down",
    )
    responders: Count = default(
        3, ref("roi-assumption"), "Engineers working each incident", label="responders"
    )

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
                "mttr_hours_after ({a} h) is longer than mttr_hours_before "
                "({b} h): tracing cannot be assumed to slow resolution",
                {"a": f"{after.value:g}", "b": f"{self.mttr_hours_before.value:g}"},
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
        label="Repeat incidents avoided",
    )


class Latency(Section):
    """Latency -> conversion: each 100 ms is worth revenue. Leave the section out if no revenue
    depends on the latency of a user journey."""

    journey: str = label_field("checkout", "The user journey whose latency changes")
    percentile: str = label_field("P95", "The latency percentile quoted")
    latency_ms_before: Ms = required("Latency of the journey today", 1500, label="latency before")
    latency_ms_after: Ms = required(
        "Latency of the journey with tracing-led fixes", 1000, label="latency after"
    )
    after_includes_overhead: bool = Field(
        default=False,
        description="True when latency_ms_after was measured with tracing on (overhead already "
        "in it); false for a target, from which instrumentation overhead is subtracted",
    )
    conversion_rate: Fraction | None = optional(
        "Conversion rate today (shown, not needed)", 0.03, label="Conversion rate"
    )
    revenue_through_path_per_year: MoneyPerYear = required(
        "Revenue that passes through the journey in a year",
        20000000,
        label="revenue through the journey",
    )
    elasticity_preset: ElasticityName = Field(
        default="amazon",
        description="Published elasticity used when conversion_lift_per_100ms is not given",
    )
    conversion_lift_per_100ms: Fraction | None = optional(
        "Relative conversion lift per 100 ms saved; default from elasticity_preset",
        label="Conversion lift per 100 ms",
    )
    max_conversion_lift: Fraction = default(
        0.20,
        ref("akamai-2017"),
        "Cap on the relative lift: elasticities are not linear forever (Akamai: +2 s cost "
        "36.5 % of desktop conversions)",
        label="Cap on conversion lift",
    )
    latency_attribution_fraction: Fraction = default(
        0.5,
        ref("roi-assumption"),
        "Share of the latency improvement credited to tracing (TEI attribution)",
        label="Latency gain credited to tracing",
    )


class Instrumentation(Section):
    """How services are instrumented: volume drivers and overhead."""

    sdk: Literal["otel", "proprietary"] = Field(
        default="otel", description="OpenTelemetry SDKs, or a vendor's proprietary agent"
    )
    requests_per_month: PerMonth = required(
        "Requests entering the traced system per month", 100000000, label="Requests"
    )
    spans_per_request: Count = required(
        "Spans recorded per request (from a trace export)", 25, label="Spans per request"
    )
    overhead_preset: SpanOverheadName = Field(
        default="otel-python",
        description="Published per-span cost used when overhead_ms_per_span is not given",
    )
    overhead_ms_per_span: Ms | None = optional(
        "Latency each span adds; default from overhead_preset", label="Overhead per span"
    )
    sampling_rate: Fraction = default(
        1.0,
        ref("otel-default-sampler"),
        "Share of traces kept (head sampling)",
        label="Sampling rate",
    )
    bytes_per_span: Bytes = default(
        500, ref("tempo-span-size"), "Stored size of one span", label="Span size"
    )


class Rollout(Section):
    """Instrumenting the services: common to both stacks."""

    services_to_instrument: Count = required(
        "Services to instrument", 40, label="Services to instrument"
    )
    hours_per_service: Hours = required(
        "Engineer hours to instrument one service", 12, label="Hours to instrument a service"
    )
    contingency_fraction: Fraction = default(
        0.40,
        ref("seed-article"),
        "Extra time on every one-off engineering estimate ('estimate 40 % more')",
        label="Contingency on estimates",
    )
    review_hours_per_week: HoursPerWeek = default(
        1.0,
        ref("seed-article"),
        "The weekly review of the slowest traces",
        label="Weekly review length",
    )
    review_attendees: Count = default(
        4, ref("roi-assumption"), "People at the weekly review", label="Weekly review attendees"
    )


class SelfRun(Section):
    """OpenTelemetry Collector + Jaeger / Tempo / Zipkin, run by your own team."""

    enabled: bool = Field(default=True, description="Include the self-run option")
    label: str = label_field("Self-run (OTel Collector + Tempo)", "Display name")
    setup_engineer_weeks: Weeks = default(
        3, ref("seed-article"), "One-off set-up effort", label="Self-run set-up effort"
    )
    maintenance_days_per_week: Annotated[Quantity, Spec("days/week")] = default(
        1,
        ref("seed-article"),
        "Upkeep of the tracing stack (article: ~20 % of an engineer)",
        label="Self-run upkeep",
    )
    tracing_incident_hours_per_month: HoursPerMonth = default(
        5,
        ref("seed-article"),
        "Incident response for the tracing system itself",
        label="Tracing system's own incidents",
    )
    retention_days: Annotated[Quantity, Spec("days", "positive")] = default(
        15,
        ref("datadog-apm-pricing"),
        "Days traces are kept (15 as Datadog's indexed spans, for a like-for-like comparison)",
        label="Trace retention",
    )
    storage_price_per_gb_month: Annotated[Quantity, Spec("{cur}/GB-month")] = default(
        0.023, ref("s3-pricing"), "Object storage price", label="Storage price"
    )
    compression_ratio: Annotated[Quantity, Spec("ratio", "positive")] = default(
        1.0,
        ref("roi-assumption"),
        "Raw span bytes per stored byte; 1 (none) is conservative: no published Tempo ratio",
        label="Compression ratio",
    )
    distributor_mb_per_s: Annotated[Quantity, Spec("MB/s", "positive")] = default(
        10,
        ref("tempo-sizing"),
        "Ingest one distributor replica handles",
        label="Tempo distributor capacity",
    )
    ingester_mb_per_s: Annotated[Quantity, Spec("MB/s", "positive")] = default(
        4,
        ref("tempo-sizing"),
        "Ingest one ingester replica handles (3-5 MB/s)",
        label="Tempo ingester capacity",
    )
    querier_mb_per_s: Annotated[Quantity, Spec("MB/s", "positive")] = default(
        1.5,
        ref("tempo-sizing"),
        "Ingest one querier replica serves (1-2 MB/s)",
        label="Tempo querier capacity",
    )
    min_replicas_per_component: Annotated[Quantity, Spec("count", "positive", integer=True)] = (
        default(2, ref("tempo-sizing"), "Replicas of each component for high availability")
    )
    replica_price_per_month: MoneyPerMonth = default(
        70.0,
        ref("ec2-pricing"),
        "One replica's node share (2 vCPU, 8 GiB)",
        label="Price of a Tempo replica",
    )


class PriceOverride(Section):
    """Your own price for one component of a vendor's bill (a negotiated quote, a new list
    price); what you leave out keeps the preset."""

    price_per_unit: Annotated[Quantity, Spec("{cur}/unit-month")] | None = optional(
        "Price per driver unit per month", label="price"
    )
    free_units: Annotated[Quantity, Spec("units/month")] | None = optional(
        "Free allowance for the whole account per month", label="free allowance"
    )
    included_per_host: Annotated[Quantity, Spec("units/host-month")] | None = optional(
        "Allowance included with each APM host per month", label="allowance per host"
    )


def _default_vendors() -> list[VendorName]:
    return ["datadog"]


class Managed(Section):
    """Managed tracing vendors, priced from dated list prices."""

    vendors: list[VendorName] = Field(
        default_factory=_default_vendors, description="Vendor presets to compare"
    )
    onboarding_services_per_week: Annotated[Quantity, Spec("services/week", "positive")] = default(
        30,
        ref("seed-article"),
        "Onboarding speed ('30 services in a week')",
        label="Vendor onboarding speed",
    )
    admin_hours_per_month: HoursPerMonth = default(
        4,
        ref("roi-assumption"),
        "Vendor administration (users, keys, bills)",
        label="Vendor admin time",
    )
    apm_hosts: Count | None = optional(
        "Hosts running the APM agent today; required by vendors that bill per host or include an "
        "allowance per host (Datadog)",
        50,
        label="APM hosts",
    )
    custom_metrics_per_service: Count = default(
        20,
        ref("roi-assumption"),
        "Custom metrics each service emits (billed by Datadog)",
        label="Custom metrics per service",
    )
    indexed_span_fraction: Fraction = default(
        0.01,
        ref("roi-assumption"),
        "Share of ingested spans indexed by retention filters",
        label="Indexed span share",
    )
    users: Count = default(5, ref("roi-assumption"), "Paid users (New Relic)", label="Paid users")
    prices: dict[VendorName, dict[DriverName, PriceOverride]] = Field(
        default_factory=dict,
        description="Overrides of preset prices by vendor and driver, e.g. "
        "datadog: {hosts: {price_per_unit: {value: 25, source: 'our 2026 quote'}}}",
    )

    def host_priced_vendors(self) -> list[str]:
        """The listed vendors whose bill depends on the APM host count: a component billed per
        host or with an allowance per host, in the preset or set in ``prices``
        (:meth:`roi.inputs.presets.Vendor.per_host`)."""
        return [
            v
            for v in self.vendors
            if VENDORS[v].per_host(
                [d for d, o in self.prices.get(v, {}).items() if o.included_per_host is not None]
            )
        ]

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
        label="SDK rewrite per service",
    )
    config_switch_hours: Hours = default(
        80,
        ref("roi-assumption"),
        "Hours to point OpenTelemetry exporters at another backend and rebuild dashboards",
        label="Backend switch effort",
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
        0.10, ref("forrester-tei"), "Yearly discount rate", label="Discount rate"
    )
    benefit_risk: Fraction = default(
        0.15,
        ref("tei-risk"),
        "TEI risk adjustment: benefits are reduced by this share",
        label="Benefit risk adjustment",
    )
    cost_risk: Fraction = default(
        0.10,
        ref("tei-risk"),
        "TEI risk adjustment: costs are raised by this share",
        label="Cost risk adjustment",
    )
    discounting: Literal["tei", "monthly"] = Field(
        default="tei",
        description="tei: Initial undiscounted, yearly totals at year end; monthly: each month",
    )
    default_uncertainty: bool = Field(
        default=True,
        description="Give every estimate stated as a point a 90 % interval centred on it, as "
        "wide as its source is weak: fictional, assumed or unsourced x/÷ 1.5 (fractions ±40 %), "
        "your own data x/÷ 1.25 (±20 %), a high-confidence public figure x/÷ 1.1 (±10 %); "
        "choices (horizon, discount rate, risk adjustments, sampling, retention, allowances) "
        "stay points. false: only the ranges you wrote vary",
    )


class Kpis(Section):
    """Shown, never summed into money."""

    north_star_kpi: str = Field(
        min_length=3, max_length=200, description="The one KPI everyone agreed on"
    )
    nps_change: Annotated[Quantity, Spec("points", "any")] | None = optional(
        "Expected change in Net Promoter Score", 5, label="NPS change"
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


class ExportRef(Section):
    """An export pulled into the scenario (``incidents_from``, ``traces_from``,
    ``latency_from``): a CSV/JSON export or a fragment written by ``roi ingest ... --out``."""

    file: str = Field(description="Path of the export, relative to the scenario file")
    source: str | None = Field(default=None, description="incidents: the tool (default: auto)")
    tz: str | None = Field(default=None, description="incidents: zone of zone-less timestamps")
    unit: Literal["s", "ms"] | None = Field(default=None, description="latency: value unit")
    label: str | None = Field(default=None, description="latency: label naming endpoints")
    endpoint: str | None = Field(default=None, description="latency: endpoint whose P95 is used")


ExportPath = str | ExportRef


class Presentation(Section):
    """How slides and slide charts look: brand colours and a logo (optional)."""

    brand_colors: list[str] = Field(
        default_factory=list,
        description="Brand colours as #RRGGBB, at most 8; the first replaces the charts' and the "
        "deck's accent (the self-run option's blue), the next ones the other options' colours",
    )
    logo: str | None = Field(
        default=None,
        description="Logo for the deck's title slide: a PNG or JPEG file, relative to the "
        "scenario file and inside its folder tree",
    )

    @field_validator("brand_colors", mode="before")
    @classmethod
    def _hex(cls, v: Any) -> Any:
        # Before the type check, so that a number (YAML's reading of 333333) is told to be quoted.
        return list(brand_colours(v)) if isinstance(v, list) else v


def currency_problem(v: Any) -> str | None:
    """What is wrong with ``v`` as a scenario's currency (a message template naming it as
    ``{v}``), or None for an ISO 4217 code such as ``USD``."""
    if not (isinstance(v, str) and len(v) == 3 and v.isascii() and v.isalpha() and v.isupper()):
        return "must be an ISO 4217 code of three capital letters (USD, EUR, GBP...); got {v}"
    from babel.numbers import is_currency  # the CLDR's list of ISO 4217 codes

    if not is_currency(v):
        return "{v} is not an ISO 4217 currency code; allowed: one such as USD, EUR, GBP, JPY"
    return None


class Scenario(BaseModel):
    """A business case: who, in which currency, and every assumption with its source."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    schema_version: Literal[1] = 1
    name: str = Field(min_length=1, max_length=200, description="Display name")
    description: str = Field(description="What this scenario is and where its numbers come from")
    currency: str = Field(description="ISO 4217 code, e.g. USD, EUR")
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
    presentation: Presentation | None = None
    incidents_from: ExportPath | None = Field(
        default=None,
        description="Incident export (PagerDuty, Opsgenie, Jira, incident.io, GoAlert, generic "
        "CSV) or its fragment: sets incidents_per_month and mttr_hours_before per severity",
    )
    traces_from: ExportPath | None = Field(
        default=None,
        description="Trace export (Jaeger, OTLP/JSON, Zipkin v2) or its fragment: sets "
        "instrumentation.spans_per_request and bytes_per_span",
    )
    latency_from: ExportPath | None = Field(
        default=None,
        description="Latency export (Prometheus JSON or CSV) or its fragment: sets "
        "latency.latency_ms_before",
    )

    @field_validator("currency", mode="before")
    @classmethod
    def _iso_currency(cls, v: Any) -> str:
        # Before type checks, so that a number (840, ISO's numeric code) gets this message too.
        problem = currency_problem(v)
        if problem:
            raise PydanticCustomError("currency", problem, {"v": excerpt(v)})
        return str(v)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        horizon = self.timeline.horizon_months.value
        if self.timeline.rollout_months.value > horizon:
            raise PydanticCustomError(
                "rollout",
                "timeline.rollout_months ({r}) is longer than "
                "timeline.horizon_months ({h}): the rollout must end inside the horizon",
                {"r": f"{self.timeline.rollout_months.value:g}", "h": f"{horizon:g}"},
            )
        month = self.lock_in.migration_month
        if month is not None and month > horizon:
            raise PydanticCustomError(
                "migration",
                "lock_in.migration_month ({m}) is after the horizon ({h} months)",
                {"m": month, "h": f"{horizon:g}"},
            )
        if not self.self_run.enabled and not self.managed.vendors:
            raise PydanticCustomError(
                "options", "no option to evaluate: enable self_run or list managed.vendors"
            )
        host_priced = self.managed.host_priced_vendors()
        if host_priced and self.managed.apm_hosts is None:
            raise PydanticCustomError(
                "apm_hosts",
                "managed.apm_hosts is required: {v} bill per APM host or include an allowance "
                "per host; give the hosts running the APM agent today",
                {"v": ", ".join(host_priced)},
            )
        return self


def assumptions(model: BaseModel, prefix: str = "") -> Iterator[tuple[str, Quantity]]:
    """Every quantity in ``model`` with its dotted path, in schema order.

    >>> from roi.inputs.schema import Timeline
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


def _field_at(path: str) -> tuple[FieldInfo | None, Spec | None] | None:
    """The field (None for a dict entry) and :class:`Spec` at a dotted path; None if no field."""
    tp, spec = _unwrap_spec(Scenario)
    info: FieldInfo | None = None
    for part in path.split("."):
        if isinstance(tp, type) and issubclass(tp, BaseModel) and tp is not Quantity:
            info = tp.model_fields.get(part)
            if info is None:
                return None
            tp, spec = _unwrap_spec(info.annotation)
            spec = spec or next((m for m in info.metadata if isinstance(m, Spec)), None)
        elif typing.get_origin(tp) is dict:
            info = None
            tp, spec = _unwrap_spec(typing.get_args(tp)[1])
        else:
            return None
    return info, spec


def spec_at(path: str) -> Spec | None:
    """The :class:`Spec` (unit, bounds) of the assumption at a dotted parameter path, or None.

    >>> spec_at("incidents.severities.sev1.mttr_reduction_fraction").bounds
    'fraction'
    >>> spec_at("managed.prices.datadog.hosts.price_per_unit").unit
    '{cur}/unit-month'
    """
    found = _field_at(path)
    return found[1] if found else None


def label_at(path: str) -> str | None:
    """The readable name given to the field at a dotted parameter path (``label=`` of
    :func:`default`, :func:`required` or :func:`optional`), or None when it has none.

    >>> label_at("incidents.severities.sev1.mttr_hours_before")
    'MTTR before'
    >>> label_at("managed.prices.datadog.hosts.free_units"), label_at("no.such.field")
    ('free allowance', None)
    """
    found = _field_at(path)
    info = found[0] if found else None
    return info.title if info is not None else None


def _unwrap_spec(tp: Any) -> tuple[Any, Spec | None]:
    """A type without Annotated and Optional, and the Spec found on the way."""
    spec = None
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            args = typing.get_args(tp)
            spec = next((m for m in args[1:] if isinstance(m, Spec)), spec)
            tp = args[0]
        elif origin in (typing.Union, types.UnionType):
            tp = next(a for a in typing.get_args(tp) if a is not type(None))
        else:
            return tp, spec


def distribution_of(q: Quantity) -> Distribution:
    """The distribution of a ranged :class:`Quantity` (its ``value`` is the median)."""
    if q.dist is None:
        raise ValueError("not a range: the quantity has no dist")
    value = q.value if q.dist in ("normal", "lognormal") and q.mean is None else None
    return distribution(
        q.dist, value=value, low=q.low, high=q.high, mode=q.mode, mean=q.mean, sd=q.sd
    )
