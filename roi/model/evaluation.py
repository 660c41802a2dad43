"""``evaluate``: the business case of one scenario, for every option, as arrays.

It composes the pure functions of the sub-model modules (:mod:`roi.model.mttr`,
:mod:`roi.model.conversion`, :mod:`roi.model.effort`, :mod:`roi.model.selfrun`,
:mod:`roi.model.managed`, :mod:`roi.model.lockin`, :mod:`roi.model.finance`) on one monthly time
axis. Numbers come from :func:`roi.inputs.parameters.parameters`; ``values`` replaces any of them
by an array of samples, so a point estimate, a Monte Carlo (``(n,)``), a tornado (``(2k,)``) or a
sweep all run through the same arithmetic in one call. Time is always the last axis.

Options: ``do-nothing`` (the baseline every option is measured against: today's incident and
latency costs continue), ``self-run`` and one per managed vendor preset.

Results are read-only arrays. Beyond :data:`HELD_SERIES_MAX_SAMPLES` samples, a line's
``series`` is computed when first read rather than held, with the same arithmetic as the totals.

Examples
--------
>>> from roi.inputs.scenario import load_scenario
>>> seed = load_scenario("data_samples/scenarios/seed-article.yaml")
>>> ev = evaluate(seed)
>>> sorted(ev.options)
['datadog', 'do-nothing', 'self-run']
>>> round(float(ev.figures["mttr_hours_saved_per_incident.sev1"]), 3)
3.517

A large sample's line series, computed when read, are those of the point estimate, even if the
caller has since reused its input array:

>>> import numpy as np
>>> hosts = np.full(20_000, 55.0)
>>> big = evaluate(seed, {"managed.apm_hosts": hosts})
>>> hosts[:] = 0.0
>>> point = evaluate(seed, {"managed.apm_hosts": 55.0})
>>> all(
...     np.array_equal(b.series[-1], p.series)
...     for b, p in zip(big.options["datadog"].lines, point.options["datadog"].lines)
... )
True
"""

from __future__ import annotations

import dataclasses
import functools
import math
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from roi.inputs.parameters import parameters, vendor_prefix
from roi.inputs.presets import DRIVER_UNITS, VENDORS
from roi.inputs.schema import Quantity, Scenario
from roi.model import conversion, effort, finance, lockin, managed, mttr, selfrun
from roi.model.timeline import Array, adoption, growth, months, operating

Category = Literal["benefit", "cost"]
OptionKind = Literal["baseline", "self_run", "managed"]

# Self-run components sized from ingest (Grafana Tempo sizing guide).
TEMPO_COMPONENTS = ("distributor", "ingester", "querier")

HELD_SERIES_MAX_SAMPLES = 16_384
"""Line series of up to this many samples are kept when computed (16 384 x 37 months x 8 B is
4.8 MB a line); larger ones are recomputed when first read, so that one evaluation of 100 000
samples holds its option totals but not some thirty (samples x months) line series. Chunks of
10 000 (the Monte Carlo engine's) are faster held: their memory is reused from chunk to chunk."""


class _Series:
    """``LineItem.series``: an array, or a function that computes it when first read."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.attribute = f"_{name}"

    def __get__(self, obj: object | None, owner: type | None = None) -> Array:
        if obj is None:  # a dataclass field without a default
            raise AttributeError(self.attribute[1:])
        value = obj.__dict__[self.attribute]
        if callable(value):
            value = value()
            obj.__dict__[self.attribute] = value
        return value

    def __set__(self, obj: object, value: Array | Callable[[], Array]) -> None:
        obj.__dict__[self.attribute] = value


@dataclass(frozen=True)
class LineItem:
    """One benefit or cost, explained as driver x unit value.

    ``driver`` and ``unit_value`` are the run rate at today's volumes and full adoption (for a
    one-off item: its whole amount); ``series`` is the monthly value over the horizon with
    ramp-up and growth, before risk adjustment. Shapes: ``S`` and ``S + (months,)``.

    For more than :data:`HELD_SERIES_MAX_SAMPLES` samples, ``series`` is computed when first
    read (same inputs, same arithmetic as the option totals) rather than held from the start.
    """

    key: str
    label: str
    category: Category
    group: str
    driver: Array
    driver_unit: str
    unit_value: Array
    unit_value_unit: str
    series: _Series = _Series()
    one_off: bool = False

    @property
    def run_rate(self) -> Array:
        """Monthly value at today's volumes and full adoption (one-off: the whole amount)."""
        return self.driver * self.unit_value

    @property
    def total(self) -> Array:
        """Sum over the horizon, before risk adjustment [currency]."""
        return self.series.sum(axis=-1)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_series"] = self.series
        return state


@dataclass(frozen=True)
class OptionResult:
    """One option's line items, risk-adjusted monthly totals and headline figures."""

    key: str
    label: str
    kind: OptionKind
    lines: tuple[LineItem, ...]
    benefits: Array
    """Risk-adjusted benefits per month [currency], shape ``S + (months,)``."""
    costs: Array
    """Risk-adjusted costs per month [currency], shape ``S + (months,)``."""
    kpis: dict[str, Array]
    """``npv``, ``roi``, ``payback_months``, ``pv_benefits``, ``pv_costs``, shape ``S``."""
    figures: dict[str, Array] = field(default_factory=dict)
    """Option-level facts (onboarding months, exit cost, bill growth), shape ``S``."""

    @property
    def net(self) -> Array:
        """Risk-adjusted net cash per month [currency]."""
        return self.benefits - self.costs

    def tei_table(self) -> dict[str, Array]:
        """TEI cash-flow rows (risk-adjusted): columns Initial, Year 1..N, Total, PV.

        Returns ``{"benefits": ..., "costs": ..., "net": ...}`` of shape ``S + (N + 3,)``. The PV
        column is the headline's (``pv_benefits``, ``pv_costs``, ``npv``), discounted as the
        scenario says (TEI years or monthly).
        """
        out = {}
        for name, monthly, pv in (
            ("benefits", self.benefits, self.kpis["pv_benefits"]),
            ("costs", self.costs, self.kpis["pv_costs"]),
            ("net", self.net, self.kpis["npv"]),
        ):
            years = finance.yearly(monthly)
            total = years.sum(axis=-1, keepdims=True)
            out[name] = np.concatenate([years, total, np.asarray(pv)[..., None]], axis=-1)
        return out


@dataclass(frozen=True)
class Input:
    """One number the evaluation used: its value (as evaluated, overrides included), unit and
    source. Presentation reads these instead of the scenario file or the presets."""

    path: str
    """Dotted parameter path, as in :func:`roi.inputs.parameters.parameters`."""
    value: Array
    """The value evaluated, broadcastable to the sample shape ``S`` (read-only)."""
    unit: str
    """Canonical unit, currency filled in (``fraction`` for shares)."""
    source: str | None
    """Where the stated number comes from (``ref:<key>`` or free text)."""
    quantity: Quantity
    """The assumption as the scenario (or preset) states it: point or range, note, as given."""
    overridden: bool = False
    """True when ``evaluate(..., values)`` replaced the stated number."""

    @property
    def point(self) -> float:
        """The value as one number: the evaluated value for a point estimate, else the stated
        point (median) the samples are drawn around."""
        v = np.asarray(self.value)
        return float(v.reshape(-1)[0]) if v.size == 1 else float(self.quantity.value)


@dataclass(frozen=True)
class Evaluation:
    """The whole business case of one scenario."""

    scenario: Scenario
    months: Array
    options: dict[str, OptionResult]
    figures: dict[str, Array]
    """Scenario-level figures (MTTR saved, downtime hours, conversion lift...), shape ``S``."""
    shape: tuple[int, ...]
    """The sample shape ``S``: ``()`` for a point estimate."""
    inputs: dict[str, Input] = field(default_factory=dict)
    """Every number evaluated, by parameter path: value (overrides included), unit, source."""


class _Numbers:
    """The parameter table as arrays with a trailing time axis of length 1."""

    def __init__(self, point: Mapping[str, Array], values: Mapping[str, ArrayLike]) -> None:
        given = {k: np.asarray(v, dtype=float) for k, v in values.items()}
        self.shape: tuple[int, ...] = np.broadcast_shapes(*(a.shape for a in given.values()))
        self.held = math.prod(self.shape) <= HELD_SERIES_MAX_SAMPLES
        """Whether line series are kept when computed (else recomputed when read)."""
        if not self.held:
            given = _own_copy(given, values)
        self._arrays = {**point, **{k: a[..., None] for k, a in given.items()}}

    def __contains__(self, path: str) -> bool:
        return path in self._arrays

    def __getitem__(self, path: str) -> Array:
        return self._arrays[path]

    def get(self, path: str, default: float = 0.0) -> Array:
        a = self._arrays.get(path)
        return np.asarray([default]) if a is None else a


_VOLUME_NEEDS: dict[str, tuple[str, ...]] = {
    "platform": (),
    "hosts": ("traffic", "managed_adoption"),
    "ingested_gb": ("managed_spans", "traffic", "managed_adoption"),
    "indexed_spans_million": ("managed_spans", "traffic", "managed_adoption"),
    "traces_million": ("traffic", "managed_adoption"),
    "events_million": ("managed_spans", "traffic", "managed_adoption"),
    "custom_metrics": ("services_growth", "managed_adoption"),
    "users": (),
}
"""The intermediates of :class:`_Shared` each managed billing driver's volume is computed from."""
_VOLUME_INTERMEDIATES = {name for names in _VOLUME_NEEDS.values() for name in names}

_POINT_TABLES: dict[int, tuple[weakref.ref[Scenario], dict[str, Array]]] = {}


def _point_table(scenario: Scenario) -> dict[str, Array]:
    """The numbers of ``parameters(scenario)`` as read-only arrays of shape ``(1,)``.

    Memoized per scenario object (scenarios are frozen), so that a widget or a sweep evaluating
    the same scenario again does not walk the pydantic model each time.
    """
    key = id(scenario)
    hit = _POINT_TABLES.get(key)
    if hit is not None and hit[0]() is scenario:
        return hit[1]
    table = {}
    for path, q in parameters(scenario).items():
        a = np.array([q.value], dtype=float)
        a.flags.writeable = False
        table[path] = a

    def forget(ref: weakref.ref[Scenario], key: int = key) -> None:
        if _POINT_TABLES.get(key, (None,))[0] is ref:
            del _POINT_TABLES[key]

    _POINT_TABLES[key] = (weakref.ref(scenario, forget), table)
    return table


def _own_copy(given: dict[str, Array], values: Mapping[str, ArrayLike]) -> dict[str, Array]:
    """``given`` with every array the caller could still change replaced by a read-only copy.

    Lines computed when first read use the inputs later. Arrays of one shape are copied into
    one block: one allocation instead of one per input.
    """
    by_shape: dict[tuple[int, ...], list[str]] = {}
    for k, a in given.items():
        if np.may_share_memory(a, values[k]):
            by_shape.setdefault(a.shape, []).append(k)
    out = dict(given)
    for keys in by_shape.values():
        block = np.stack([given[k] for k in keys])
        block.flags.writeable = False
        out.update(zip(keys, block, strict=True))
    return out


def _squeeze(a: Array, shape: tuple[int, ...]) -> Array:
    """Drop the trailing time axis of a per-sample value and broadcast it to ``S``."""
    v = np.asarray(a)[..., 0]
    return v.copy() if v.shape == shape else np.broadcast_to(v, shape).copy()


def _ramp_weights(t: Array, rollout_months: Array, adoption_now: Array) -> Array:
    """:func:`roi.model.timeline.ramp_weights` given ``adoption(t, rollout_months)`` already
    computed."""
    return adoption(t + 1.0, rollout_months) - adoption_now


def _read_only(a: Array, shape: tuple[int, ...]) -> Array:
    """A read-only view of ``a`` broadcast to ``shape``."""
    if a.shape != shape:
        return np.broadcast_to(a, shape)
    v = a.view()
    v.flags.writeable = False
    return v


def evaluate(scenario: Scenario, values: Mapping[str, ArrayLike] | None = None) -> Evaluation:
    """Evaluate every option of ``scenario``.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.
    values : mapping of str to array_like, optional
        Replacements for numbers of :func:`roi.inputs.parameters.parameters`, by dotted path; arrays
        must broadcast to one sample shape ``S``.

    Returns
    -------
    Evaluation
        Options with line items, risk-adjusted monthly totals and KPIs of shape ``S``.

    Notes
    -----
    Option totals, KPIs and figures are computed at once. A line's ``series`` is kept when it
    is small (up to :data:`HELD_SERIES_MAX_SAMPLES` samples); a larger one (a Monte Carlo's) is
    recomputed, with the same arithmetic, when first read, so that an evaluation of 100 000
    samples does not hold some thirty (samples x months) arrays nobody reads.
    """
    point = _point_table(scenario)
    if values:
        unknown = sorted(set(values) - set(point))
        if unknown:
            raise KeyError(f"not a parameter of this scenario: {', '.join(unknown)}")
    numbers = _Numbers(point, values or {})
    evaluation = _evaluate(scenario, numbers)
    return dataclasses.replace(evaluation, inputs=_inputs(scenario, numbers, set(values or ())))


def _inputs(scenario: Scenario, n: _Numbers, overridden: set[str]) -> dict[str, Input]:
    """The parameter table as evaluated: every number with its unit and source."""
    out = {}
    for path, q in parameters(scenario).items():
        value = n[path][..., 0]
        out[path] = Input(path, value, q.unit or "", q.source, q, path in overridden)
    return out


class _Shared:
    """Arrays several lines use (growth, adoption, volumes), each computed on first use.

    ``release`` forgets them: a line whose series is computed on demand then recomputes what it
    needs (same inputs, same arithmetic, same numbers) instead of the evaluation holding every
    (samples x months) intermediate.
    """

    def __init__(self, n: _Numbers, t: Array) -> None:
        self.n = n
        self.t = t
        self.op = operating(t)
        self.initial = 1.0 - self.op
        self._volumes: dict[str, Array] = {}

    def release(self, *names: str) -> None:
        """Forget the named intermediates."""
        for name in names:
            self.__dict__.pop(name, None)

    def release_all(self) -> None:
        """Forget every intermediate."""
        self.release(*_Shared._CACHED)
        self._volumes = {}

    def keep_volumes(self, drivers: set[str]) -> None:
        """Forget every managed volume, and every intermediate, that the volumes of ``drivers``
        do not need."""
        self._volumes = {d: v for d, v in self._volumes.items() if d in drivers}
        needed = {name for d in drivers - set(self._volumes) for name in _VOLUME_NEEDS[d]}
        self.release(*(_VOLUME_INTERMEDIATES - needed))

    @cached_property
    def traffic(self) -> Array:
        return growth(self.t, self.n["timeline.traffic_growth_per_month"])

    @cached_property
    def revenue_growth(self) -> Array:
        return growth(self.t, self.n["timeline.revenue_growth_per_month"])

    @cached_property
    def services_growth(self) -> Array:
        return growth(self.t, self.n["timeline.services_growth_per_month"])

    @cached_property
    def self_run_adoption(self) -> Array:
        return adoption(self.t, self.n["timeline.rollout_months"])

    @cached_property
    def self_run_ramp(self) -> Array:
        return _ramp_weights(self.t, self.n["timeline.rollout_months"], self.self_run_adoption)

    @cached_property
    def onboarding_months(self) -> Array:
        return effort.onboarding_months(
            self.n["rollout.services_to_instrument"], self.n["managed.onboarding_services_per_week"]
        )

    @cached_property
    def managed_adoption(self) -> Array:
        return adoption(self.t, self.onboarding_months)

    @cached_property
    def managed_ramp(self) -> Array:
        return _ramp_weights(self.t, self.onboarding_months, self.managed_adoption)

    @cached_property
    def self_run_infrastructure(self) -> tuple[Array, Array]:
        """Stored GB and Tempo replicas in each month."""
        return _infrastructure(self.n, self.traffic * self.self_run_adoption)

    @cached_property
    def managed_spans(self) -> Array:
        n = self.n
        return selfrun.spans_per_month(
            n["instrumentation.requests_per_month"] * self.traffic * self.managed_adoption,
            n["instrumentation.spans_per_request"],
            n["instrumentation.sampling_rate"],
        )

    def volume(self, driver: str) -> Array:
        """Monthly volume of a managed billing driver, ramped by adoption."""
        if driver not in self._volumes:
            self._volumes[driver] = _managed_volume(
                driver,
                self.n,
                self.op,
                lambda: self.managed_adoption,
                lambda: self.traffic,
                lambda: self.services_growth,
                lambda: self.managed_spans,
            )
        return self._volumes[driver]

    _CACHED = (
        "traffic",
        "revenue_growth",
        "services_growth",
        "self_run_adoption",
        "self_run_ramp",
        "onboarding_months",
        "managed_adoption",
        "managed_ramp",
        "self_run_infrastructure",
        "managed_spans",
    )


@dataclass(frozen=True)
class _Line:
    """A line item before evaluation: ``series`` computes its monthly values."""

    key: str
    label: str
    category: Category
    group: str
    driver: Array
    driver_unit: str
    unit_value: Array
    unit_value_unit: str
    series: Callable[[], Array]
    one_off: bool = False


def _line(
    key: str,
    label: str,
    category: Category,
    group: str,
    driver: ArrayLike,
    driver_unit: str,
    unit_value: ArrayLike,
    unit_value_unit: str,
    series: Callable[[], ArrayLike],
    one_off: bool = False,
) -> _Line:
    d = np.asarray(driver, dtype=float)
    u = np.asarray(unit_value, dtype=float)
    return _Line(
        key,
        label,
        category,
        group,
        d[..., 0] if d.ndim else d,
        driver_unit,
        u[..., 0] if u.ndim else u,
        unit_value_unit,
        lambda: np.asarray(series(), dtype=float),
        one_off,
    )


class _Sum:
    """Evaluated line items and the running totals of their series by category."""

    def __init__(self, shape: tuple[int, ...], t_shape: tuple[int, ...], held: bool) -> None:
        self.shape = shape
        self.t_shape = t_shape
        self.held = held
        self.lines: list[LineItem] = []
        self._totals: dict[str, Array] = {}

    @property
    def benefits(self) -> Array:
        """Sum of the benefit series [currency]."""
        return self._total("benefit")

    @benefits.setter
    def benefits(self, value: Array) -> None:
        self._totals["benefit"] = value

    @property
    def costs(self) -> Array:
        """Sum of the cost series [currency]."""
        return self._total("cost")

    def _total(self, category: str) -> Array:
        if category not in self._totals:
            self._totals[category] = np.zeros(self.t_shape)
        return self._totals[category]

    def copy(self) -> _Sum:
        """The same lines and totals; the cost total is copied, the benefit total shared."""
        out = _Sum(self.shape, self.t_shape, self.held)
        out.lines = list(self.lines)
        out._totals = {k: v.copy() if k == "cost" else v for k, v in self._totals.items()}
        return out

    def add(self, line: _Line) -> Array:
        """Evaluate ``line``, add its series to its category's total; returns the series."""
        t_shape = self.t_shape

        def series() -> Array:
            return np.broadcast_to(line.series(), t_shape)

        values = series()
        self.lines.append(
            LineItem(
                line.key,
                line.label,
                line.category,
                line.group,
                _read_only(line.driver, self.shape),
                line.driver_unit,
                _read_only(line.unit_value, self.shape),
                line.unit_value_unit,
                values if self.held else series,
                line.one_off,
            )
        )
        total = self._totals.get(line.category)
        if total is None:
            # 0 + values, as a sum that starts from zeros (-0.0 becomes 0.0), in new memory.
            self._totals[line.category] = values + 0.0
        else:
            total += values
        return values


def _evaluate(scenario: Scenario, n: _Numbers) -> Evaluation:
    shape = n.shape
    cur = scenario.currency
    horizon = int(scenario.timeline.horizon_months.value)
    t = months(horizon)
    t_shape = shape + t.shape
    x = _Shared(n, t)
    op = x.op
    rate = n["business.loaded_hourly_rate"]
    margin = n["business.margin"]
    contingency = n["rollout.contingency_fraction"]
    figures: dict[str, Array] = {}

    # --- Benefits at full adoption: (line, monthly profile before adoption or None if flat) ---
    benefit_templates: list[tuple[_Line, Callable[[], Array] | None]] = []
    r = n["incidents.incident_reduction_fraction"]
    hours_before_total = hours_after_total = cost_today = np.zeros(1)
    for sev, s in scenario.incidents.severities.items():
        p = f"incidents.severities.{sev}."
        before = n[p + "mttr_hours_before"]
        after = mttr.mttr_hours_after(
            before,
            n.get(p + "mttr_hours_after") if s.mttr_hours_after else None,
            n[p + "mttr_reduction_fraction"] if s.mttr_reduction_fraction else None,
        )
        incidents = n[p + "incidents_per_month"]
        avoided = mttr.incident_hours_avoided_per_month(incidents, before, after, r)
        per_hour = mttr.downtime_cost_per_hour(
            n["business.revenue_per_hour"], n[p + "revenue_impact_fraction"], margin
        )
        responders = n[p + "responders"]
        benefit_templates.append(
            (
                _template(
                    f"benefit.mttr_revenue.{sev}",
                    f"Faster incident resolution ({sev}): revenue kept",
                    "benefit",
                    "Faster incident resolution",
                    avoided,
                    "incident h avoided/month",
                    per_hour,
                    f"{cur}/h lost",
                ),
                lambda: x.revenue_growth,
            )
        )
        benefit_templates.append(
            (
                _template(
                    f"benefit.mttr_responders.{sev}",
                    f"Faster incident resolution ({sev}): responder time",
                    "benefit",
                    "Faster incident resolution",
                    avoided * responders,
                    "person-h/month",
                    rate,
                    f"{cur}/person-h",
                ),
                None,
            )
        )
        down_before = mttr.downtime_hours_per_month(incidents, before) * 12
        down_after = mttr.downtime_hours_per_month(incidents * (1 - r), after) * 12
        figures[f"mttr_hours_saved_per_incident.{sev}"] = _squeeze(before - after, shape)
        figures[f"downtime_hours_per_year_before.{sev}"] = _squeeze(down_before, shape)
        figures[f"downtime_hours_per_year_after.{sev}"] = _squeeze(down_after, shape)
        hours_before_total = hours_before_total + down_before
        hours_after_total = hours_after_total + down_after
        cost_today = cost_today + down_before * (per_hour + responders * rate)
    figures["downtime_hours_per_year_before"] = _squeeze(np.asarray(hours_before_total), shape)
    figures["downtime_hours_per_year_after"] = _squeeze(np.asarray(hours_after_total), shape)
    figures["incident_cost_per_year_before"] = _squeeze(np.asarray(cost_today), shape)

    spans_req = n["instrumentation.spans_per_request"]
    overhead = conversion.instrumentation_overhead_ms(
        spans_req, n["instrumentation.overhead_ms_per_span"]
    )
    figures["instrumentation_overhead_ms"] = _squeeze(overhead, shape)
    lat = scenario.latency
    if lat is not None:
        net_ms = conversion.net_latency_improvement_ms(
            n["latency.latency_ms_before"],
            n["latency.latency_ms_after"],
            overhead,
            lat.after_includes_overhead,
        )
        lift_per_100 = n["latency.conversion_lift_per_100ms"]
        lift = conversion.conversion_lift(net_ms, lift_per_100, n["latency.max_conversion_lift"])
        revenue_path = n["latency.revenue_through_path_per_year"]
        attribution = n["latency.latency_attribution_fraction"]
        benefit_templates.append(
            (
                _template(
                    "benefit.conversion",
                    f"Faster {lat.journey}: conversion revenue",
                    "benefit",
                    "Latency and conversion",
                    lift * attribution,
                    "conversion lift credited",
                    revenue_path / 12 * margin,
                    f"{cur}/month through {lat.journey}",
                ),
                lambda: x.revenue_growth,
            )
        )
        figures["net_latency_improvement_ms"] = _squeeze(net_ms, shape)
        figures["conversion_lift"] = _squeeze(lift, shape)
        figures["revenue_per_100ms_per_quarter"] = _squeeze(
            conversion.revenue_per_100ms_per_quarter(revenue_path, lift_per_100), shape
        )
        if "latency.conversion_rate" in n:
            figures["conversion_rate_after"] = _squeeze(
                n["latency.conversion_rate"] * (1 + lift), shape
            )

    # --- Volumes today (run rate) ------------------------------------------------------------
    requests = n["instrumentation.requests_per_month"]
    sampling = n["instrumentation.sampling_rate"]
    bytes_per_span = n["instrumentation.bytes_per_span"]
    spans_today = selfrun.spans_per_month(requests, spans_req, sampling)
    figures["spans_per_month"] = _squeeze(spans_today, shape)
    figures["ingest_gb_per_month"] = _squeeze(
        selfrun.ingest_gb_per_month(spans_today, bytes_per_span), shape
    )
    services = n["rollout.services_to_instrument"]
    instr_hours = effort.instrumentation_hours(
        services, n["rollout.hours_per_service"], contingency
    )
    review_hours = effort.weekly_hours_per_month(
        n["rollout.review_hours_per_week"], n["rollout.review_attendees"]
    )

    options: dict[str, OptionResult] = {}
    zeros = np.broadcast_to(np.zeros(1), t_shape)
    options["do-nothing"] = OptionResult(
        "do-nothing",
        "Do nothing",
        "baseline",
        (),
        zeros,
        zeros,
        {
            k: np.full(shape, v)
            for k, v in (
                ("npv", 0.0),
                ("roi", np.nan),
                ("payback_months", np.nan),
                ("pv_benefits", 0.0),
                ("pv_costs", 0.0),
            )
        },
        {"discount_rate": _squeeze(n["finance.discount_rate"], shape)},
    )

    def common(a: Callable[[], Array], ramp: Callable[[], Array]) -> _Sum:
        """Benefits and the costs both stacks share, on the option's own adoption ramp."""
        total = _Sum(shape, t_shape, n.held)
        for tpl, profile in benefit_templates:
            run_rate = (tpl.driver * tpl.unit_value)[..., None]
            total.add(_with_series(tpl, _benefit_series(run_rate, profile, a)))
        instr_cost = instr_hours * rate
        total.add(
            _line(
                "cost.instrumentation",
                "Instrumenting services (OpenTelemetry)",
                "cost",
                "Rollout",
                instr_hours,
                "person-h, contingency incl.",
                rate,
                f"{cur}/person-h",
                lambda: instr_cost * ramp(),
                one_off=True,
            )
        )
        review_cost = review_hours * rate
        total.add(
            _line(
                "cost.review",
                "Weekly slow-trace review",
                "cost",
                "Rollout",
                review_hours,
                "person-h/month",
                rate,
                f"{cur}/person-h",
                lambda: review_cost * op,
            )
        )
        return total

    sr = scenario.self_run
    if sr.enabled:
        total = common(lambda: x.self_run_adoption, lambda: x.self_run_ramp)
        for line in _self_run_costs(n, cur, x, rate, contingency):
            total.add(line)
        x.release("self_run_adoption", "self_run_ramp", "self_run_infrastructure")
        options["self-run"] = _option("self-run", sr.label, "self_run", total, n, scenario, {})

    if scenario.managed.vendors:
        onboarding = x.onboarding_months
        figures["managed_onboarding_weeks"] = _squeeze(
            services / n["managed.onboarding_services_per_week"], shape
        )
        exit_proprietary = lockin.exit_cost(
            True,
            services,
            n["lock_in.rewrite_weeks_per_service"],
            n["lock_in.config_switch_hours"],
            rate,
        )
        exit_otel = lockin.exit_cost(
            False,
            services,
            n["lock_in.rewrite_weeks_per_service"],
            n["lock_in.config_switch_hours"],
            rate,
        )
        proprietary = scenario.instrumentation.sdk == "proprietary"
        exit_now = exit_proprietary if proprietary else exit_otel
        figures["exit_cost_proprietary_sdk"] = _squeeze(exit_proprietary, shape)
        figures["exit_cost_otel"] = _squeeze(exit_otel, shape)
        figures["otel_option_value"] = _squeeze(exit_proprietary - exit_otel, shape)
        one = np.ones(1)
        spans_now = selfrun.spans_per_month(requests * one * one, spans_req, sampling)
        today = {
            d: _managed_volume(d, n, one, lambda: one, lambda: one, lambda: one, lambda: spans_now)
            for d in DRIVER_UNITS
        }
        # Every vendor shares the onboarding ramp: the benefits and the rollout costs are the
        # same line items, and the risk-adjusted benefits the same array.
        shared = common(lambda: x.managed_adoption, lambda: x.managed_ramp)
        x.release("revenue_growth", "managed_ramp")
        shared.benefits = _risk_adjusted(shared.benefits, n, "benefit")
        shared_pv_benefits = finance.present_value(
            n["finance.discount_rate"], shared.benefits, scenario.finance.discounting
        )
        start = int(min(horizon, np.ceil(float(np.max(onboarding)))))
        columns = [start, horizon]
        traffic = np.broadcast_to(x.traffic, t_shape)[..., columns]
        # What each vendor bill component is computed from, and what the ones after it need:
        # volumes are freed as soon as no component still to come is billed on them.
        uses: list[set[str]] = [
            {c.driver, "hosts"}
            if f"{vendor_prefix(v, c.driver)}.included_per_host" in n
            else {c.driver}
            for v in scenario.managed.vendors
            for c in VENDORS[v].components
        ]
        still_needed = [set[str]().union(*uses[j + 1 :]) for j in range(len(uses))]
        position = 0
        for key in scenario.managed.vendors:
            vendor = VENDORS[key]
            total = shared.copy()
            bill = np.zeros((*shape, 2))
            for c in vendor.components:
                prefix = vendor_prefix(key, c.driver)
                price = n[f"{prefix}.price_per_unit"]
                free = n.get(f"{prefix}.free_units")
                per_host = f"{prefix}.included_per_host" in n
                incl = n.get(f"{prefix}.included_per_host")
                billable_today = managed.billable_units(today[c.driver], free, incl, today["hosts"])
                series = total.add(
                    _line(
                        f"cost.vendor.{c.driver}",
                        f"{vendor.label}: {DRIVER_UNITS[c.driver]}",
                        "cost",
                        "Vendor bill",
                        billable_today,
                        f"billable {DRIVER_UNITS[c.driver]}",
                        price,
                        f"{cur}/{DRIVER_UNITS[c.driver]}/month",
                        functools.partial(_vendor_bill, x, c.driver, free, incl, price, per_host),
                    )
                )
                bill += series[..., columns]
                del series
                x.keep_volumes(still_needed[position])
                position += 1
            admin_cost = n["managed.admin_hours_per_month"] * rate
            total.add(
                _line(
                    "cost.vendor_admin",
                    "Vendor administration",
                    "cost",
                    "Vendor bill",
                    n["managed.admin_hours_per_month"],
                    "person-h/month",
                    rate,
                    f"{cur}/person-h",
                    functools.partial(np.multiply, admin_cost, op),
                )
            )
            month = scenario.lock_in.migration_month
            if month is not None:
                flag = (t == month).astype(float)
                total.add(
                    _line(
                        "cost.migration",
                        "Scheduled migration away from the vendor",
                        "cost",
                        "Lock-in",
                        np.ones(1),
                        "migration",
                        exit_now,
                        cur,
                        functools.partial(np.multiply, exit_now, flag),
                        one_off=True,
                    )
                )
            option_figures = {
                "onboarding_months": _squeeze(onboarding, shape),
                "exit_cost": _squeeze(exit_now, shape),
                "bill_growth_vs_traffic": np.broadcast_to(
                    managed.bill_growth_ratio(bill, traffic), shape
                ).copy(),
                "vendor_bill_per_year_end": _squeeze(bill[..., -1:] * 12, shape),
            }
            options[key] = _option(
                key,
                vendor.label,
                "managed",
                total,
                n,
                scenario,
                option_figures,
                shared_pv_benefits,
            )

    if not n.held:
        x.release_all()
    return Evaluation(scenario, t, options, figures, shape)


def _benefit_series(
    run_rate: Array, profile: Callable[[], Array] | None, a: Callable[[], Array]
) -> Callable[[], Array]:
    """Monthly benefit: run rate x profile (growth) x adoption."""
    if profile is None:
        return lambda: run_rate * a()
    return lambda: _times(run_rate, profile(), a())


def _vendor_bill(
    x: _Shared, driver: str, free: Array, included: Array, price: Array, per_host: bool
) -> Array:
    """One vendor bill component in each month [currency]; ``per_host``: whether each APM host
    brings an allowance (else the host count does not enter)."""
    hosts = x.volume("hosts") if per_host else 0.0
    billable = managed.billable_units(x.volume(driver), free, included, hosts)
    return _times(billable, price)


def _infrastructure(n: _Numbers, volume_factor: Array) -> tuple[Array, Array]:
    """Stored GB and Tempo replicas of the self-run stack at ``volume_factor`` x today."""
    p = "self_run."
    spans = selfrun.spans_per_month(
        n["instrumentation.requests_per_month"] * volume_factor,
        n["instrumentation.spans_per_request"],
        n["instrumentation.sampling_rate"],
    )
    ingest = selfrun.ingest_gb_per_month(spans, n["instrumentation.bytes_per_span"])
    del spans
    stored = selfrun.stored_gb(ingest, n[p + "retention_days"], n[p + "compression_ratio"])
    mbps = selfrun.ingest_mb_per_s(ingest)
    del ingest
    count = sum(
        (
            selfrun.replicas(mbps, n[f"{p}{c}_mb_per_s"], n[p + "min_replicas_per_component"])
            for c in TEMPO_COMPONENTS
        ),
        start=np.zeros(1),
    )
    return stored, count


def _self_run_costs(
    n: _Numbers, cur: str, x: _Shared, rate: Array, contingency: Array
) -> list[_Line]:
    p = "self_run."
    op = x.op
    initial = x.initial
    setup = effort.engineer_weeks_hours(n[p + "setup_engineer_weeks"], contingency)
    upkeep = effort.days_per_week_hours_per_month(n[p + "maintenance_days_per_week"])
    own_incidents = n[p + "tracing_incident_hours_per_month"]
    stored_today, count_today = _infrastructure(n, np.ones(1))
    storage_price = n[p + "storage_price_per_gb_month"]
    node_price = n[p + "replica_price_per_month"]
    setup_cost = setup * rate
    upkeep_cost = upkeep * rate
    own_incidents_cost = own_incidents * rate
    group = "Self-run stack"
    return [
        _line(
            "cost.selfrun_setup",
            "Stack set-up (Collector, backend, storage)",
            "cost",
            group,
            setup,
            "person-h, contingency incl.",
            rate,
            f"{cur}/person-h",
            lambda: setup_cost * initial,
            one_off=True,
        ),
        _line(
            "cost.selfrun_upkeep",
            "Stack upkeep and upgrades",
            "cost",
            group,
            upkeep,
            "person-h/month",
            rate,
            f"{cur}/person-h",
            lambda: upkeep_cost * op,
        ),
        _line(
            "cost.selfrun_incidents",
            "Incidents of the tracing system itself",
            "cost",
            group,
            own_incidents,
            "person-h/month",
            rate,
            f"{cur}/person-h",
            lambda: own_incidents_cost * op,
        ),
        _line(
            "cost.selfrun_storage",
            "Trace storage",
            "cost",
            group,
            stored_today,
            "GB stored",
            storage_price,
            f"{cur}/GB-month",
            lambda: _times(x.self_run_infrastructure[0], storage_price, op),
        ),
        _line(
            "cost.selfrun_compute",
            "Backend compute (Tempo replicas)",
            "cost",
            group,
            count_today,
            "replicas",
            node_price,
            f"{cur}/replica-month",
            lambda: _times(x.self_run_infrastructure[1], node_price, op),
        ),
    ]


def _times(a: Array, *factors: Array) -> Array:
    """``a * b * ...`` from left to right, reusing the first product's memory when it can."""
    out = a * factors[0]
    for f in factors[1:]:
        if np.broadcast_shapes(out.shape, f.shape) == out.shape:
            out *= f
        else:
            out = out * f
    return out


def _managed_volume(
    driver: str,
    n: _Numbers,
    op: Array,
    a: Callable[[], Array],
    traffic: Callable[[], Array],
    services_growth: Callable[[], Array],
    spans: Callable[[], Array],
) -> Array:
    """Monthly volume of one billing driver, ramped by adoption ``a``; the arrays a driver is
    computed from are asked for only when it needs them."""
    if driver == "platform":
        return op
    if driver == "hosts":
        return n.get("managed.apm_hosts") * traffic() * a()
    if driver == "ingested_gb":
        return selfrun.ingest_gb_per_month(spans(), n["instrumentation.bytes_per_span"])
    if driver == "indexed_spans_million":
        return spans() * n["managed.indexed_span_fraction"] / 1e6
    if driver == "traces_million":
        requests = n["instrumentation.requests_per_month"]
        return requests * traffic() * a() * n["instrumentation.sampling_rate"] / 1e6
    if driver == "events_million":
        return spans() / 1e6
    if driver == "custom_metrics":
        return (
            n["rollout.services_to_instrument"]
            * services_growth()
            * n["managed.custom_metrics_per_service"]
            * a()
        )
    if driver == "users":
        return n["managed.users"] * op
    raise KeyError(f"unknown billing driver {driver!r}")


def _template(
    key: str,
    label: str,
    category: Category,
    group: str,
    driver: Array,
    driver_unit: str,
    unit_value: Array,
    unit_value_unit: str,
) -> _Line:
    return _line(
        key,
        label,
        category,
        group,
        driver,
        driver_unit,
        unit_value,
        unit_value_unit,
        lambda: np.zeros(1),
    )


def _with_series(template: _Line, series: Callable[[], Array]) -> _Line:
    return dataclasses.replace(template, series=series)


def _risk_adjusted(values: Array, n: _Numbers, category: Category) -> Array:
    """TEI risk adjustment of a total, in place (the total is not used otherwise)."""
    values *= finance.risk_adjusted(1.0, n[f"finance.{category}_risk"], category)
    values.flags.writeable = False
    return values


def _option(
    key: str,
    label: str,
    kind: OptionKind,
    total: _Sum,
    n: _Numbers,
    scenario: Scenario,
    option_figures: dict[str, Array],
    pv_benefits: Array | None = None,
) -> OptionResult:
    """KPIs of an option from its line totals; ``pv_benefits`` given when already risk-adjusted
    and discounted (benefits shared by several options)."""
    shape = total.shape
    rate = n["finance.discount_rate"]
    discounting = scenario.finance.discounting
    if pv_benefits is None:
        benefits = _risk_adjusted(total.benefits, n, "benefit")
        pv_b = finance.present_value(rate, benefits, discounting)
    else:
        benefits, pv_b = total.benefits, pv_benefits
    costs = _risk_adjusted(total.costs, n, "cost")
    pv_c = finance.present_value(rate, costs, discounting)
    net = benefits - costs
    kpis = {
        "npv": pv_b - pv_c,
        "roi": finance.roi(pv_b, pv_c),
        "payback_months": finance.payback_months(net),
        "pv_benefits": pv_b,
        "pv_costs": pv_c,
    }
    del net
    option_figures = {**option_figures, "discount_rate": _squeeze(rate, shape)}
    return OptionResult(
        key,
        label,
        kind,
        tuple(total.lines),
        benefits,
        costs,
        {k: np.broadcast_to(v, shape).copy() for k, v in kpis.items()},
        option_figures,
    )
