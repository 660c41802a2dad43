"""``evaluate``: the business case of one scenario, for every option, as arrays.

It composes the pure functions of the sub-model modules (:mod:`roi.model.mttr`,
:mod:`roi.model.conversion`, :mod:`roi.model.effort`, :mod:`roi.model.selfrun`,
:mod:`roi.model.managed`, :mod:`roi.model.lockin`, :mod:`roi.model.finance`) on one monthly time
axis. Numbers come from :func:`roi.inputs.parameters.parameters`; ``values`` replaces any of them
by an array of samples, so a point estimate, a Monte Carlo (``(n,)``), a tornado (``(2k,)``) or a
sweep all run through the same arithmetic in one call. Time is always the last axis.

Options: ``do-nothing`` (the baseline every option is measured against: today's incident and
latency costs continue), ``self-run`` and one per managed vendor preset.

Each option is a list of line-item families (:mod:`roi.model.families`: ``incidents``,
``latency``, ``rollout``, ``self_run``, ``vendor_bill``, ``vendor_admin``, ``lock_in``) on the
volumes every bill uses (:mod:`roi.model.volumes`), summed in a :class:`roi.model.lines.LineSum`.

Results are read-only arrays. Beyond :data:`HELD_SERIES_MAX_SAMPLES` samples, a line's
``series`` is computed when first read rather than held, with the same arithmetic as the totals:
:class:`roi.model.lines.LineSum` decides what is held, :class:`roi.model.volumes.Volumes` what
intermediates are forgotten and when; the families only state formulas.

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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from roi.inputs.presets import VENDORS
from roi.inputs.schema import Quantity, Scenario
from roi.inputs.units import WEEKS_PER_MONTH
from roi.model import families, finance, managed
from roi.model.lines import Category, LineItem, LineSum
from roi.model.numbers import HELD_SERIES_MAX_SAMPLES, Numbers, point_table, quantities, squeeze
from roi.model.selfrun import ingest_gb_per_month, spans_per_month
from roi.model.timeline import Array, months
from roi.model.volumes import Volumes

__all__ = [
    "HELD_SERIES_MAX_SAMPLES",
    "Evaluation",
    "Input",
    "LineItem",
    "OptionResult",
    "evaluate",
]

OptionKind = Literal["baseline", "self_run", "managed"]


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
    """Option-level facts, shape ``S``: rollout months, backend set-up weeks, onboarding months,
    exit cost, bill growth against traffic, and for a vendor each bill component's monthly
    amount at ``vendor_bill_start_month`` (full adoption) and at the horizon
    (``vendor_bill_start.<driver>``, ``vendor_bill_end.<driver>``) with the traffic growth
    between (``traffic_growth_over_horizon``): what makes a bill outgrow traffic."""

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
    point = point_table(scenario)
    if values:
        unknown = sorted(set(values) - set(point))
        if unknown:
            raise KeyError(f"not a parameter of this scenario: {', '.join(unknown)}")
    numbers = Numbers(point, values or {})
    evaluation = _evaluate(scenario, numbers)
    return dataclasses.replace(evaluation, inputs=_inputs(scenario, numbers, set(values or ())))


def _inputs(scenario: Scenario, n: Numbers, overridden: set[str]) -> dict[str, Input]:
    """The parameter table as evaluated: every number with its unit and source."""
    out = {}
    for path, q in quantities(scenario).items():
        value = n[path][..., 0]
        out[path] = Input(path, value, q.unit or "", q.source, q, path in overridden)
    return out


def _evaluate(scenario: Scenario, n: Numbers) -> Evaluation:
    """The options of ``scenario``, each a list of line-item families summed and discounted."""
    shape = n.shape
    horizon = int(scenario.timeline.horizon_months.value)
    t = months(horizon)
    v = Volumes(n, t)
    incidents = families.incidents(scenario, n, v)
    latency = families.latency(scenario, n, v)
    benefits = incidents.benefits + latency.benefits
    spans_today = spans_per_month(
        n["instrumentation.requests_per_month"],
        n["instrumentation.spans_per_request"],
        n["instrumentation.sampling_rate"],
    )
    figures = {
        **incidents.figures,
        **latency.figures,
        "spans_per_month": squeeze(spans_today, shape),
        "ingest_gb_per_month": squeeze(
            ingest_gb_per_month(spans_today, n["instrumentation.bytes_per_span"]), shape
        ),
    }
    options = {"do-nothing": _do_nothing(n, t)}

    def benefits_and_rollout() -> LineSum:
        """Benefits and the rollout costs, on the one adoption ramp every option shares."""
        total = LineSum(shape, shape + t.shape, n.held)
        for item in families.on_adoption(benefits, lambda: v.adoption):
            total.add(item)
        for item in families.rollout(scenario, n, v, lambda: v.ramp):
            total.add(item)
        return total

    rollout_months = squeeze(n["timeline.rollout_months"], shape)

    sr = scenario.self_run
    if sr.enabled:
        total = benefits_and_rollout()
        for item in families.self_run(scenario, n, v):
            total.add(item)
        v.done("self-run")
        self_run_figures = {
            "rollout_months": rollout_months,
            "backend_setup_weeks": squeeze(n["self_run.setup_engineer_weeks"], shape),
        }
        options["self-run"] = _option(
            "self-run", sr.label, "self_run", total, n, scenario, self_run_figures
        )

    if scenario.managed.vendors:
        figures["managed_onboarding_weeks"] = squeeze(
            n["rollout.services_to_instrument"] / n["managed.onboarding_services_per_week"], shape
        )
        lock_in = families.lock_in(scenario, n, v)
        figures.update(lock_in.figures)
        # Every vendor shares the rollout: the benefits and the rollout costs are the same line
        # items, and the risk-adjusted benefits the same array.
        shared = benefits_and_rollout()
        v.done("managed benefits")
        shared.benefits = _risk_adjusted(shared.benefits, n, "benefit")
        shared_pv_benefits = finance.present_value(
            n["finance.discount_rate"], shared.benefits, scenario.finance.discounting
        )
        onboarding = v.onboarding_months
        # The bill at the first month of full adoption and at the end of the horizon.
        start = int(min(horizon, np.ceil(float(np.max(rollout_months)))))
        columns = [start, horizon]
        traffic = np.broadcast_to(v.traffic, shape + t.shape)[..., columns]
        v.expect(families.volume_reads(scenario, n))
        for key in scenario.managed.vendors:
            total = shared.copy()
            bill = np.zeros((*shape, 2))
            components = {}
            for item in families.vendor_bill(scenario, n, v, key):
                part = total.add(item)[..., columns]
                bill += part
                driver = item.key.removeprefix("cost.vendor.")
                components[f"vendor_bill_start.{driver}"] = part[..., 0].copy()
                components[f"vendor_bill_end.{driver}"] = part[..., 1].copy()
            for item in [
                families.vendor_onboarding(scenario, n, v),
                families.vendor_admin(scenario, n, v),
                *lock_in.lines,
            ]:
                total.add(item)
            option_figures = {
                "onboarding_months": squeeze(onboarding, shape),
                "rollout_months": rollout_months,
                "backend_setup_weeks": squeeze(onboarding * WEEKS_PER_MONTH, shape),
                "exit_cost": squeeze(lock_in.exit_cost, shape),
                "bill_growth_vs_traffic": np.broadcast_to(
                    managed.bill_growth_ratio(bill, traffic), shape
                ).copy(),
                "vendor_bill_per_year_end": squeeze(bill[..., -1:] * 12, shape),
                "vendor_bill_start_month": np.full(shape, float(start)),
                "traffic_growth_over_horizon": managed.bill_growth_ratio(
                    traffic, np.ones_like(traffic)
                ),
                **components,
            }
            label = VENDORS[key].label
            options[key] = _option(
                key, label, "managed", total, n, scenario, option_figures, shared_pv_benefits
            )

    v.release_all()
    return Evaluation(scenario, t, options, figures, shape)


def _do_nothing(n: Numbers, t: Array) -> OptionResult:
    """The baseline every option is measured against: nothing changes, zero cash flows."""
    shape = n.shape
    zeros = np.broadcast_to(np.zeros(1), shape + t.shape)
    kpis = {
        "npv": 0.0,
        "roi": np.nan,
        "payback_months": np.nan,
        "pv_benefits": 0.0,
        "pv_costs": 0.0,
    }
    return OptionResult(
        "do-nothing",
        "Do nothing",
        "baseline",
        (),
        zeros,
        zeros,
        {k: np.full(shape, value) for k, value in kpis.items()},
        {"discount_rate": squeeze(n["finance.discount_rate"], shape)},
    )


def _risk_adjusted(values: Array, n: Numbers, category: Category) -> Array:
    """TEI risk adjustment of a total, in place (the total is not used otherwise)."""
    values *= finance.risk_adjusted(1.0, n[f"finance.{category}_risk"], category)
    values.flags.writeable = False
    return values


def _option(
    key: str,
    label: str,
    kind: OptionKind,
    total: LineSum,
    n: Numbers,
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
    option_figures = {**option_figures, "discount_rate": squeeze(rate, shape)}
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
