"""``evaluate``: the business case of one scenario, for every option, as arrays.

It composes the pure functions of :mod:`roi.mttr`, :mod:`roi.conversion`, :mod:`roi.effort`,
:mod:`roi.selfrun`, :mod:`roi.managed`, :mod:`roi.lockin` and :mod:`roi.finance` on one monthly
time axis. Numbers come from :func:`roi.parameters.parameters`; ``values`` replaces any of them by
an array of samples, so a point estimate, a Monte Carlo (``(n,)``), a tornado (``(2k,)``) or a
sweep all run through the same arithmetic in one call. Time is always the last axis.

Options: ``do-nothing`` (the baseline every option is measured against: today's incident and
latency costs continue), ``self-run`` and one per managed vendor preset.

Examples
--------
>>> from roi.scenario import load_scenario
>>> ev = evaluate(load_scenario("data_samples/scenarios/seed-article.yaml"))
>>> sorted(ev.options)
['datadog', 'do-nothing', 'self-run']
>>> round(float(ev.figures["mttr_hours_saved_per_incident.sev1"]), 3)
3.517
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from roi import conversion, effort, finance, lockin, managed, mttr, selfrun
from roi.parameters import parameters, vendor_prefix
from roi.presets import DRIVER_UNITS, VENDORS
from roi.schema import Scenario
from roi.timeline import Array, adoption, growth, months, operating, ramp_weights

Category = Literal["benefit", "cost"]
OptionKind = Literal["baseline", "self_run", "managed"]

# Self-run components sized from ingest (Grafana Tempo sizing guide).
TEMPO_COMPONENTS = ("distributor", "ingester", "querier")


@dataclass(frozen=True)
class LineItem:
    """One benefit or cost, explained as driver x unit value.

    ``driver`` and ``unit_value`` are the run rate at today's volumes and full adoption (for a
    one-off item: its whole amount); ``series`` is the monthly value over the horizon with
    ramp-up and growth, before risk adjustment. Shapes: ``S`` and ``S + (months,)``.
    """

    key: str
    label: str
    category: Category
    group: str
    driver: Array
    driver_unit: str
    unit_value: Array
    unit_value_unit: str
    series: Array
    one_off: bool = False

    @property
    def run_rate(self) -> Array:
        """Monthly value at today's volumes and full adoption (one-off: the whole amount)."""
        return self.driver * self.unit_value

    @property
    def total(self) -> Array:
        """Sum over the horizon, before risk adjustment [currency]."""
        return self.series.sum(axis=-1)


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
class Evaluation:
    """The whole business case of one scenario."""

    scenario: Scenario
    months: Array
    options: dict[str, OptionResult]
    figures: dict[str, Array]
    """Scenario-level figures (MTTR saved, downtime hours, conversion lift...), shape ``S``."""
    shape: tuple[int, ...]
    """The sample shape ``S``: ``()`` for a point estimate."""


class _Numbers:
    """The parameter table as arrays with a trailing time axis of length 1."""

    def __init__(self, table: Mapping[str, ArrayLike]) -> None:
        arrays = {k: np.asarray(v, dtype=float) for k, v in table.items()}
        self.shape: tuple[int, ...] = np.broadcast_shapes(*(a.shape for a in arrays.values()))
        self._arrays = {k: a[..., None] for k, a in arrays.items()}

    def __getitem__(self, path: str) -> Array:
        return self._arrays[path]

    def get(self, path: str, default: float = 0.0) -> Array:
        a = self._arrays.get(path)
        return np.asarray([default]) if a is None else a


def _squeeze(a: Array, shape: tuple[int, ...]) -> Array:
    """Drop the trailing time axis of a per-sample value and broadcast it to ``S``."""
    return np.broadcast_to(np.asarray(a)[..., 0], shape).copy()


def evaluate(scenario: Scenario, values: Mapping[str, ArrayLike] | None = None) -> Evaluation:
    """Evaluate every option of ``scenario``.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.
    values : mapping of str to array_like, optional
        Replacements for numbers of :func:`roi.parameters.parameters`, by dotted path; arrays
        must broadcast to one sample shape ``S``.

    Returns
    -------
    Evaluation
        Options with line items, risk-adjusted monthly totals and KPIs of shape ``S``.
    """
    table: dict[str, ArrayLike] = {k: q.value for k, q in parameters(scenario).items()}
    if values:
        unknown = sorted(set(values) - set(table))
        if unknown:
            raise KeyError(f"not a parameter of this scenario: {', '.join(unknown)}")
        table.update(values)
    n = _Numbers(table)
    return _evaluate(scenario, n)


def _evaluate(scenario: Scenario, n: _Numbers) -> Evaluation:
    shape = n.shape
    cur = scenario.currency
    horizon = int(scenario.timeline.horizon_months.value)
    t = months(horizon)
    op = operating(t)
    initial = 1.0 - op
    rate = n["business.loaded_hourly_rate"]
    margin = n["business.margin"]
    traffic = growth(t, n["timeline.traffic_growth_per_month"])
    revenue_growth = growth(t, n["timeline.revenue_growth_per_month"])
    services_growth = growth(t, n["timeline.services_growth_per_month"])
    contingency = n["rollout.contingency_fraction"]
    figures: dict[str, Array] = {}

    # --- Benefits at full adoption: (line template, monthly profile before adoption) ---------
    benefit_templates: list[tuple[LineItem, Array]] = []
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
                revenue_growth,
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
                np.ones_like(t),
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
                revenue_growth,
            )
        )
        figures["net_latency_improvement_ms"] = _squeeze(net_ms, shape)
        figures["conversion_lift"] = _squeeze(lift, shape)
        figures["revenue_per_100ms_per_quarter"] = _squeeze(
            conversion.revenue_per_100ms_per_quarter(revenue_path, lift_per_100), shape
        )
        if "latency.conversion_rate" in n._arrays:
            figures["conversion_rate_after"] = _squeeze(
                n["latency.conversion_rate"] * (1 + lift), shape
            )

    # --- Volumes today (run rate) and over time (before adoption) ----------------------------
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
    zeros = np.zeros(shape + t.shape)
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

    def common(a: Array, rollout_months: Array) -> list[LineItem]:
        """Benefits and the costs both stacks share, on the option's own adoption ramp."""
        lines = [
            _with_series(tpl, tpl.run_rate[..., None] * profile * a)
            for tpl, profile in benefit_templates
        ]
        lines.append(
            _line(
                "cost.instrumentation",
                "Instrumenting services (OpenTelemetry)",
                "cost",
                "Rollout",
                instr_hours,
                "person-h, contingency incl.",
                rate,
                f"{cur}/person-h",
                instr_hours * rate * ramp_weights(t, rollout_months),
                one_off=True,
            )
        )
        lines.append(
            _line(
                "cost.review",
                "Weekly slow-trace review",
                "cost",
                "Rollout",
                review_hours,
                "person-h/month",
                rate,
                f"{cur}/person-h",
                review_hours * rate * op,
            )
        )
        return lines

    sr = scenario.self_run
    if sr.enabled:
        a = adoption(t, n["timeline.rollout_months"])
        lines = common(a, n["timeline.rollout_months"])
        lines += _self_run_costs(
            n,
            cur,
            t,
            op,
            initial,
            a,
            traffic,
            rate,
            contingency,
            requests,
            spans_req,
            sampling,
            bytes_per_span,
        )
        options["self-run"] = _option(
            "self-run", sr.label, "self_run", lines, n, scenario, shape, {}
        )

    if scenario.managed.vendors:
        onboarding = effort.onboarding_months(services, n["managed.onboarding_services_per_week"])
        figures["managed_onboarding_weeks"] = _squeeze(
            services / n["managed.onboarding_services_per_week"], shape
        )
        a = adoption(t, onboarding)
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
        volumes = _managed_volumes(
            n, t, op, a, traffic, services_growth, requests, spans_req, sampling, bytes_per_span
        )
        today = _managed_volumes(
            n,
            np.zeros(1),
            np.ones(1),
            np.ones(1),
            np.ones(1),
            np.ones(1),
            requests,
            spans_req,
            sampling,
            bytes_per_span,
        )
        for key in scenario.managed.vendors:
            vendor = VENDORS[key]
            lines = common(a, onboarding)
            bill = np.zeros(shape + t.shape)
            for c in vendor.components:
                prefix = vendor_prefix(key, c.driver)
                price = n[f"{prefix}.price_per_unit"]
                free = n.get(f"{prefix}.free_units")
                incl = n.get(f"{prefix}.included_per_host")
                billable = managed.billable_units(volumes[c.driver], free, incl, volumes["hosts"])
                billable_today = managed.billable_units(today[c.driver], free, incl, today["hosts"])
                series = billable * price
                bill = bill + series
                lines.append(
                    _line(
                        f"cost.vendor.{c.driver}",
                        f"{vendor.label}: {DRIVER_UNITS[c.driver]}",
                        "cost",
                        "Vendor bill",
                        billable_today,
                        f"billable {DRIVER_UNITS[c.driver]}",
                        price,
                        f"{cur}/{DRIVER_UNITS[c.driver]}/month",
                        series,
                    )
                )
            admin = n["managed.admin_hours_per_month"]
            lines.append(
                _line(
                    "cost.vendor_admin",
                    "Vendor administration",
                    "cost",
                    "Vendor bill",
                    admin,
                    "person-h/month",
                    rate,
                    f"{cur}/person-h",
                    admin * rate * op,
                )
            )
            month = scenario.lock_in.migration_month
            if month is not None:
                flag = (t == month).astype(float)
                lines.append(
                    _line(
                        "cost.migration",
                        "Scheduled migration away from the vendor",
                        "cost",
                        "Lock-in",
                        np.ones(1),
                        "migration",
                        exit_now,
                        cur,
                        exit_now * flag,
                        one_off=True,
                    )
                )
            start = int(min(horizon, np.ceil(float(np.max(onboarding)))))
            option_figures = {
                "onboarding_months": _squeeze(onboarding, shape),
                "exit_cost": _squeeze(exit_now, shape),
                "bill_growth_vs_traffic": np.broadcast_to(
                    managed.bill_growth_ratio(
                        bill[..., start:], (traffic * np.ones(shape + t.shape))[..., start:]
                    ),
                    shape,
                ).copy(),
                "vendor_bill_per_year_end": _squeeze(bill[..., -1:] * 12, shape),
            }
            options[key] = _option(
                key, vendor.label, "managed", lines, n, scenario, shape, option_figures
            )

    return Evaluation(scenario, t, options, figures, shape)


def _self_run_costs(
    n: _Numbers,
    cur: str,
    t: Array,
    op: Array,
    initial: Array,
    a: Array,
    traffic: Array,
    rate: Array,
    contingency: Array,
    requests: Array,
    spans_req: Array,
    sampling: Array,
    bytes_per_span: Array,
) -> list[LineItem]:
    p = "self_run."
    setup = effort.engineer_weeks_hours(n[p + "setup_engineer_weeks"], contingency)
    upkeep = effort.days_per_week_hours_per_month(n[p + "maintenance_days_per_week"])
    own_incidents = n[p + "tracing_incident_hours_per_month"]

    def infrastructure(volume_factor: Array) -> tuple[Array, Array]:
        spans = selfrun.spans_per_month(requests * volume_factor, spans_req, sampling)
        ingest = selfrun.ingest_gb_per_month(spans, bytes_per_span)
        stored = selfrun.stored_gb(ingest, n[p + "retention_days"], n[p + "compression_ratio"])
        mbps = selfrun.ingest_mb_per_s(ingest)
        count = sum(
            (
                selfrun.replicas(mbps, n[f"{p}{c}_mb_per_s"], n[p + "min_replicas_per_component"])
                for c in TEMPO_COMPONENTS
            ),
            start=np.zeros(1),
        )
        return stored, count

    stored, count = infrastructure(traffic * a)
    stored_today, count_today = infrastructure(np.ones(1))
    storage_price = n[p + "storage_price_per_gb_month"]
    node_price = n[p + "replica_price_per_month"]
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
            setup * rate * initial,
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
            upkeep * rate * op,
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
            own_incidents * rate * op,
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
            stored * storage_price * op,
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
            count * node_price * op,
        ),
    ]


def _managed_volumes(
    n: _Numbers,
    t: Array,
    op: Array,
    a: Array,
    traffic: Array,
    services_growth: Array,
    requests: Array,
    spans_req: Array,
    sampling: Array,
    bytes_per_span: Array,
) -> dict[str, Array]:
    """Monthly volume of every billing driver, ramped by adoption."""
    spans = selfrun.spans_per_month(requests * traffic * a, spans_req, sampling)
    hosts = n.get("managed.apm_hosts") * traffic * a
    metrics = (
        n["rollout.services_to_instrument"]
        * services_growth
        * n["managed.custom_metrics_per_service"]
        * a
    )
    return {
        "platform": op,
        "hosts": hosts,
        "ingested_gb": selfrun.ingest_gb_per_month(spans, bytes_per_span),
        "indexed_spans_million": spans * n["managed.indexed_span_fraction"] / 1e6,
        "traces_million": requests * traffic * a * sampling / 1e6,
        "events_million": spans / 1e6,
        "custom_metrics": metrics,
        "users": n["managed.users"] * op,
    }


def _line(
    key: str,
    label: str,
    category: Category,
    group: str,
    driver: ArrayLike,
    driver_unit: str,
    unit_value: ArrayLike,
    unit_value_unit: str,
    series: ArrayLike,
    one_off: bool = False,
) -> LineItem:
    d = np.asarray(driver, dtype=float)
    u = np.asarray(unit_value, dtype=float)
    return LineItem(
        key,
        label,
        category,
        group,
        d[..., 0] if d.ndim else d,
        driver_unit,
        u[..., 0] if u.ndim else u,
        unit_value_unit,
        np.asarray(series, dtype=float),
        one_off,
    )


def _template(
    key: str,
    label: str,
    category: Category,
    group: str,
    driver: Array,
    driver_unit: str,
    unit_value: Array,
    unit_value_unit: str,
) -> LineItem:
    return _line(
        key, label, category, group, driver, driver_unit, unit_value, unit_value_unit, np.zeros(1)
    )


def _with_series(template: LineItem, series: Array) -> LineItem:
    return LineItem(
        template.key,
        template.label,
        template.category,
        template.group,
        template.driver,
        template.driver_unit,
        template.unit_value,
        template.unit_value_unit,
        series,
        template.one_off,
    )


def _option(
    key: str,
    label: str,
    kind: OptionKind,
    lines: list[LineItem],
    n: _Numbers,
    scenario: Scenario,
    shape: tuple[int, ...],
    option_figures: dict[str, Array],
) -> OptionResult:
    t_shape = shape + lines[0].series.shape[-1:] if lines else shape
    lines = [
        LineItem(
            li.key,
            li.label,
            li.category,
            li.group,
            np.broadcast_to(li.driver, shape),
            li.driver_unit,
            np.broadcast_to(li.unit_value, shape),
            li.unit_value_unit,
            np.broadcast_to(li.series, t_shape),
            li.one_off,
        )
        for li in lines
    ]
    benefits = np.zeros(t_shape)
    costs = np.zeros(t_shape)
    for line in lines:
        if line.category == "benefit":
            benefits = benefits + line.series
        else:
            costs = costs + line.series
    benefits = finance.risk_adjusted(benefits, n["finance.benefit_risk"], "benefit")
    costs = finance.risk_adjusted(costs, n["finance.cost_risk"], "cost")
    rate = n["finance.discount_rate"]
    discounting = scenario.finance.discounting
    pv_b = finance.present_value(rate, benefits, discounting)
    pv_c = finance.present_value(rate, costs, discounting)
    kpis = {
        "npv": pv_b - pv_c,
        "roi": finance.roi(pv_b, pv_c),
        "payback_months": finance.payback_months(benefits - costs),
        "pv_benefits": pv_b,
        "pv_costs": pv_c,
    }
    option_figures = {**option_figures, "discount_rate": _squeeze(rate, shape)}
    return OptionResult(
        key,
        label,
        kind,
        tuple(lines),
        benefits,
        costs,
        {k: np.broadcast_to(v, shape).copy() for k, v in kpis.items()},
        option_figures,
    )
