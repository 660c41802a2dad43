"""The line items of the business case, one short function per family: incidents (MTTR),
latency (conversion), rollout (instrumentation and weekly review), the self-run stack, a managed
vendor's bill, and lock-in.

Each function states what its lines are (driver x unit value, and how the monthly series is
formed) from the parameter table :class:`roi.model.numbers.Numbers` and the shared volumes
:class:`roi.model.volumes.Volumes`; none decides what is held in memory. Benefits are returned at
full adoption (:class:`Benefit`); :func:`on_adoption` puts them on an option's ramp.

Examples
--------
>>> from roi.inputs.scenario import load_scenario
>>> from roi.model.numbers import Numbers, point_table
>>> from roi.model.timeline import months
>>> seed = load_scenario("data_samples/scenarios/seed-article.yaml")
>>> n = Numbers(point_table(seed), {})
>>> v = Volumes(n, months(36))
>>> [b.line.key for b in incidents(seed, n, v).benefits][:2]
['benefit.mttr_revenue.sev1', 'benefit.mttr_responders.sev1']
>>> [item.key for item in self_run(seed, n, v)][-1]
'cost.selfrun_compute'
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from roi.inputs.parameters import vendor_prefix
from roi.inputs.presets import DRIVER_UNITS, HOSTS, VENDORS
from roi.inputs.schema import Scenario
from roi.model import conversion, effort, lockin, managed, mttr
from roi.model.lines import Line, line, times
from roi.model.numbers import Numbers, squeeze
from roi.model.timeline import Array
from roi.model.volumes import Today, Volumes, self_run_infrastructure


class Benefit(NamedTuple):
    """A benefit at full adoption: ``line`` (its series unused) and the monthly profile its run
    rate follows before adoption (``None``: flat)."""

    line: Line
    growth: Callable[[], Array] | None


class Family(NamedTuple):
    """Benefits of a family and the scenario-level figures it explains."""

    benefits: list[Benefit]
    figures: dict[str, Array]


def _benefit(
    key: str,
    label: str,
    group: str,
    driver: Array,
    driver_unit: str,
    unit_value: Array,
    unit_value_unit: str,
    growth: Callable[[], Array] | None,
) -> Benefit:
    tpl = line(
        key,
        label,
        "benefit",
        group,
        driver,
        driver_unit,
        unit_value,
        unit_value_unit,
        lambda: np.zeros(1),
    )
    return Benefit(tpl, growth)


def incidents(scenario: Scenario, n: Numbers, v: Volumes) -> Family:
    """Faster incident resolution, per severity: revenue kept (growing with revenue) and
    responder time, from incident hours avoided (:mod:`roi.model.mttr`)."""
    shape, cur = n.shape, scenario.currency
    rate, margin = n["business.loaded_hourly_rate"], n["business.margin"]
    r = n["incidents.incident_reduction_fraction"]
    group = "Faster incident resolution"
    benefits: list[Benefit] = []
    figures: dict[str, Array] = {}
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
        benefits.append(
            _benefit(
                f"benefit.mttr_revenue.{sev}",
                f"Faster incident resolution ({sev}): revenue kept",
                group,
                avoided,
                "incident h avoided/month",
                per_hour,
                f"{cur}/h lost",
                lambda: v.revenue_growth,
            )
        )
        benefits.append(
            _benefit(
                f"benefit.mttr_responders.{sev}",
                f"Faster incident resolution ({sev}): responder time",
                group,
                avoided * responders,
                "person-h/month",
                rate,
                f"{cur}/person-h",
                None,
            )
        )
        down_before = mttr.downtime_hours_per_month(incidents, before) * 12
        down_after = mttr.downtime_hours_per_month(incidents * (1 - r), after) * 12
        figures[f"mttr_hours_saved_per_incident.{sev}"] = squeeze(before - after, shape)
        figures[f"downtime_hours_per_year_before.{sev}"] = squeeze(down_before, shape)
        figures[f"downtime_hours_per_year_after.{sev}"] = squeeze(down_after, shape)
        hours_before_total = hours_before_total + down_before
        hours_after_total = hours_after_total + down_after
        cost_today = cost_today + down_before * (per_hour + responders * rate)
    figures["downtime_hours_per_year_before"] = squeeze(hours_before_total, shape)
    figures["downtime_hours_per_year_after"] = squeeze(hours_after_total, shape)
    figures["incident_cost_per_year_before"] = squeeze(cost_today, shape)
    return Family(benefits, figures)


def latency(scenario: Scenario, n: Numbers, v: Volumes) -> Family:
    """Conversion revenue of a faster journey, net of the instrumentation's own overhead
    (:mod:`roi.model.conversion`); no benefit without a ``latency`` section."""
    shape, cur = n.shape, scenario.currency
    overhead = conversion.instrumentation_overhead_ms(
        n["instrumentation.spans_per_request"], n["instrumentation.overhead_ms_per_span"]
    )
    figures = {"instrumentation_overhead_ms": squeeze(overhead, shape)}
    lat = scenario.latency
    if lat is None:
        return Family([], figures)
    net_ms = conversion.net_latency_improvement_ms(
        n["latency.latency_ms_before"],
        n["latency.latency_ms_after"],
        overhead,
        lat.after_includes_overhead,
    )
    lift_per_100 = n["latency.conversion_lift_per_100ms"]
    lift = conversion.conversion_lift(net_ms, lift_per_100, n["latency.max_conversion_lift"])
    revenue_path = n["latency.revenue_through_path_per_year"]
    benefit = _benefit(
        "benefit.conversion",
        f"Faster {lat.journey}: conversion revenue",
        "Latency and conversion",
        lift * n["latency.latency_attribution_fraction"],
        "conversion lift credited",
        revenue_path / 12 * n["business.margin"],
        f"{cur}/month through {lat.journey}",
        lambda: v.revenue_growth,
    )
    figures["net_latency_improvement_ms"] = squeeze(net_ms, shape)
    figures["conversion_lift"] = squeeze(lift, shape)
    figures["revenue_per_100ms_per_quarter"] = squeeze(
        conversion.revenue_per_100ms_per_quarter(revenue_path, lift_per_100), shape
    )
    if "latency.conversion_rate" in n:
        figures["conversion_rate_after"] = squeeze(n["latency.conversion_rate"] * (1 + lift), shape)
    return Family([benefit], figures)


def on_adoption(benefits: list[Benefit], adoption: Callable[[], Array]) -> list[Line]:
    """Benefit lines on an option's adoption ramp: run rate x profile (growth) x adoption."""
    out = []
    for tpl, profile in benefits:
        run_rate = (tpl.driver * tpl.unit_value)[..., None]
        out.append(dataclasses.replace(tpl, series=_benefit_series(run_rate, profile, adoption)))
    return out


def _benefit_series(
    run_rate: Array, profile: Callable[[], Array] | None, a: Callable[[], Array]
) -> Callable[[], Array]:
    if profile is None:
        return lambda: run_rate * a()
    return lambda: times(run_rate, profile(), a())


def rollout(scenario: Scenario, n: Numbers, v: Volumes, ramp: Callable[[], Array]) -> list[Line]:
    """Instrumenting services (one-off, spread over the option's ramp ``ramp``) and the weekly
    slow-trace review (:mod:`roi.model.effort`)."""
    cur, rate = scenario.currency, n["business.loaded_hourly_rate"]
    instr_hours = effort.instrumentation_hours(
        n["rollout.services_to_instrument"],
        n["rollout.hours_per_service"],
        n["rollout.contingency_fraction"],
    )
    review_hours = effort.weekly_hours_per_month(
        n["rollout.review_hours_per_week"], n["rollout.review_attendees"]
    )
    instr_cost = instr_hours * rate
    review_cost = review_hours * rate
    op = v.op
    return [
        line(
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
        ),
        line(
            "cost.review",
            "Weekly slow-trace review",
            "cost",
            "Rollout",
            review_hours,
            "person-h/month",
            rate,
            f"{cur}/person-h",
            lambda: review_cost * op,
        ),
    ]


def self_run(scenario: Scenario, n: Numbers, v: Volumes) -> list[Line]:
    """The self-run stack: set-up, upkeep, its own incidents (people), storage and Tempo
    replicas (:mod:`roi.model.selfrun`, sized from ingest)."""
    cur, rate = scenario.currency, n["business.loaded_hourly_rate"]
    p = "self_run."
    op, initial = v.op, v.initial
    setup = effort.engineer_weeks_hours(
        n[p + "setup_engineer_weeks"], n["rollout.contingency_fraction"]
    )
    upkeep = effort.days_per_week_hours_per_month(n[p + "maintenance_days_per_week"])
    own_incidents = n[p + "tracing_incident_hours_per_month"]
    stored_today, count_today = self_run_infrastructure(n, np.ones(1))
    storage_price = n[p + "storage_price_per_gb_month"]
    node_price = n[p + "replica_price_per_month"]
    setup_cost = setup * rate
    upkeep_cost = upkeep * rate
    own_incidents_cost = own_incidents * rate
    group = "Self-run stack"
    person_h = f"{cur}/person-h"
    return [
        line(
            "cost.selfrun_setup",
            "Stack set-up (Collector, backend, storage)",
            "cost",
            group,
            setup,
            "person-h, contingency incl.",
            rate,
            person_h,
            lambda: setup_cost * initial,
            one_off=True,
        ),
        line(
            "cost.selfrun_upkeep",
            "Stack upkeep and upgrades",
            "cost",
            group,
            upkeep,
            "person-h/month",
            rate,
            person_h,
            lambda: upkeep_cost * op,
        ),
        line(
            "cost.selfrun_incidents",
            "Incidents of the tracing system itself",
            "cost",
            group,
            own_incidents,
            "person-h/month",
            rate,
            person_h,
            lambda: own_incidents_cost * op,
        ),
        line(
            "cost.selfrun_storage",
            "Trace storage",
            "cost",
            group,
            stored_today,
            "GB stored",
            storage_price,
            f"{cur}/GB-month",
            lambda: times(v.self_run_infrastructure[0], storage_price, op),
        ),
        line(
            "cost.selfrun_compute",
            "Backend compute (Tempo replicas)",
            "cost",
            group,
            count_today,
            "replicas",
            node_price,
            f"{cur}/replica-month",
            lambda: times(v.self_run_infrastructure[1], node_price, op),
        ),
    ]


def allowance_per_host(n: Numbers, vendor: str, driver: str) -> bool:
    """Whether each APM host brings an allowance on ``driver``: the preset's or the scenario's
    (the parameter exists)."""
    return f"{vendor_prefix(vendor, driver)}.included_per_host" in n


def volume_reads(scenario: Scenario, n: Numbers) -> list[str]:
    """The billing volumes the vendor bills read, one name per read, in order."""
    return [
        d
        for key in scenario.managed.vendors
        for c in VENDORS[key].components
        for d in ((c.driver, HOSTS) if allowance_per_host(n, key, c.driver) else (c.driver,))
    ]


def vendor_bill(scenario: Scenario, n: Numbers, v: Volumes, key: str) -> list[Line]:
    """One vendor's bill, one line per price component: driver volume net of free units and
    per-host allowances, x unit price (:mod:`roi.model.managed`)."""
    cur = scenario.currency
    vendor = VENDORS[key]
    today = Today(n)
    out = []
    for c in vendor.components:
        prefix = vendor_prefix(key, c.driver)
        price = n[f"{prefix}.price_per_unit"]
        free = n.get(f"{prefix}.free_units")
        per_host = allowance_per_host(n, key, c.driver)
        incl = n.get(f"{prefix}.included_per_host")
        hosts_today = today.volume(HOSTS) if per_host else 0.0
        unit = DRIVER_UNITS[c.driver]
        out.append(
            line(
                f"cost.vendor.{c.driver}",
                f"{vendor.label}: {unit}",
                "cost",
                "Vendor bill",
                managed.billable_units(today.volume(c.driver), free, incl, hosts_today),
                f"billable {unit}",
                price,
                f"{cur}/{unit}/month",
                functools.partial(_vendor_bill, v, c.driver, free, incl, price, per_host),
            )
        )
    return out


def vendor_onboarding(scenario: Scenario, n: Numbers, v: Volumes) -> Line:
    """The managed backend's own set-up, one-off in the Initial period: connecting the
    instrumented services to the vendor at its onboarding pace, contingency included.

    It is the counterpart of the self-run stack's set-up: instrumenting the services is the
    rollout, the same for every option (:func:`rollout`); "30 services in a week" (the seed
    article) is the vendor's onboarding of services already instrumented.
    """
    rate = n["business.loaded_hourly_rate"]
    weeks = n["rollout.services_to_instrument"] / n["managed.onboarding_services_per_week"]
    hours = effort.engineer_weeks_hours(weeks, n["rollout.contingency_fraction"])
    cost = hours * rate
    initial = v.initial
    return line(
        "cost.vendor_onboarding",
        "Vendor onboarding (backend set-up)",
        "cost",
        "Vendor bill",
        hours,
        "person-h, contingency incl.",
        rate,
        f"{scenario.currency}/person-h",
        lambda: cost * initial,
        one_off=True,
    )


def vendor_admin(scenario: Scenario, n: Numbers, v: Volumes) -> Line:
    """Administering a managed vendor (users, keys, bills), monthly."""
    rate = n["business.loaded_hourly_rate"]
    admin_hours = n["managed.admin_hours_per_month"]
    admin_cost = admin_hours * rate
    return line(
        "cost.vendor_admin",
        "Vendor administration",
        "cost",
        "Vendor bill",
        admin_hours,
        "person-h/month",
        rate,
        f"{scenario.currency}/person-h",
        functools.partial(np.multiply, admin_cost, v.op),
    )


def _vendor_bill(
    v: Volumes, driver: str, free: Array, included: Array, price: Array, per_host: bool
) -> Array:
    """One vendor bill component in each month [currency]; ``per_host``: whether each APM host
    brings an allowance (else the host count does not enter)."""
    hosts = v.volume(HOSTS) if per_host else 0.0
    billable = managed.billable_units(v.volume(driver), free, included, hosts)
    return times(billable, price)


class LockIn(NamedTuple):
    """The exit cost from a managed vendor and the scheduled migration, if any."""

    exit_cost: Array
    """[currency] Exit cost with the scenario's SDK, shape ``S + (1,)``."""
    lines: list[Line]
    figures: dict[str, Array]


def lock_in(scenario: Scenario, n: Numbers, v: Volumes) -> LockIn:
    """Exit costs with a proprietary SDK and with OpenTelemetry (:mod:`roi.model.lockin`), the
    option value of OpenTelemetry, and the migration line when one is scheduled."""
    shape, rate = n.shape, n["business.loaded_hourly_rate"]
    services = n["rollout.services_to_instrument"]
    weeks, hours = n["lock_in.rewrite_weeks_per_service"], n["lock_in.config_switch_hours"]
    exit_proprietary = lockin.exit_cost(True, services, weeks, hours, rate)
    exit_otel = lockin.exit_cost(False, services, weeks, hours, rate)
    proprietary = scenario.instrumentation.sdk == "proprietary"
    exit_now = exit_proprietary if proprietary else exit_otel
    figures = {
        "exit_cost_proprietary_sdk": squeeze(exit_proprietary, shape),
        "exit_cost_otel": squeeze(exit_otel, shape),
        "otel_option_value": squeeze(exit_proprietary - exit_otel, shape),
    }
    lines = []
    month = scenario.lock_in.migration_month
    if month is not None:
        flag = (v.t == month).astype(float)
        lines.append(
            line(
                "cost.migration",
                "Scheduled migration away from the vendor",
                "cost",
                "Lock-in",
                np.ones(1),
                "migration",
                exit_now,
                scenario.currency,
                functools.partial(np.multiply, exit_now, flag),
                one_off=True,
            )
        )
    return LockIn(exit_now, lines, figures)
