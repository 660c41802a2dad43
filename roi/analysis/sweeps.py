"""Sweeps a report shows: the traffic, spans-per-request, MTTR and elasticity sweeps, each a
single vectorised call of :func:`roi.model.evaluate`, with their crossovers and break-evens.

Analysis, computed once and passed down to charts and report sections (which only read them).

Examples
--------
>>> import numpy as np
>>> _breakeven(np.array([0.0, 0.5, 1.0]), np.array([-2.0, -1.0, 1.0]))
0.75
>>> from roi.inputs.scenario import load_scenario
>>> sweep = mttr_sweep(load_scenario("data_samples/scenarios/seed-article.yaml"))
>>> sweep.breakeven["self-run"]
0.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from roi.analysis.decision import TRAFFIC_MULTIPLES, run_rate_cost
from roi.inputs.parameters import parameters
from roi.inputs.presets import ELASTICITY
from roi.inputs.schema import Scenario
from roi.model import evaluate


@dataclass(frozen=True)
class TrafficSweep:
    """Monthly run rate of every option against a multiple of today's traffic."""

    multiples: np.ndarray
    run_rate: dict[str, np.ndarray]
    """[currency/month] Recurring cost at full adoption, before risk adjustment, by option."""
    labels: dict[str, str]
    currency: str


def traffic_sweep(scenario: Scenario, multiples: np.ndarray = TRAFFIC_MULTIPLES) -> TrafficSweep:
    """Run rate of each option as requests (and APM hosts) scale by ``multiples``."""
    m = np.asarray(multiples, dtype=float)
    values: dict[str, Any] = {
        "instrumentation.requests_per_month": scenario.instrumentation.requests_per_month.value * m
    }
    if scenario.managed.apm_hosts is not None:
        values["managed.apm_hosts"] = scenario.managed.apm_hosts.value * m
    grid = evaluate(scenario, values)
    options = [o for o in grid.options.values() if o.kind != "baseline"]
    return TrafficSweep(
        m,
        {o.key: np.broadcast_to(run_rate_cost(o), m.shape).copy() for o in options},
        {o.key: o.label for o in options},
        scenario.currency,
    )


@dataclass(frozen=True)
class SpansSweep:
    """Value of the latency benefit and stack costs against spans per request."""

    spans: np.ndarray
    overhead_ms: np.ndarray
    latency_value_per_year: np.ndarray
    """[currency/year] Conversion benefit at full adoption, before risk adjustment."""
    stack_cost_per_year: dict[str, np.ndarray]
    """[currency/year] Recurring cost of each option at today's traffic."""
    labels: dict[str, str]
    current: float
    currency: str


def spans_sweep(scenario: Scenario, spans: np.ndarray | None = None) -> SpansSweep:
    """Sweep ``spans_per_request`` in one evaluation: the "start lean" curve.

    When the scenario's latency after was measured with tracing on (``after_includes_overhead``),
    that measurement holds today's span count, so for another count it moves by the difference
    times the per-span overhead.
    """
    current = scenario.instrumentation.spans_per_request.value
    if spans is None:
        top = max(4 * current, 50.0)
        spans = np.unique(np.concatenate([np.linspace(0, top, 61).round(), [current]]))
    s = np.asarray(spans, dtype=float)
    values: dict[str, Any] = {"instrumentation.spans_per_request": s}
    lat = scenario.latency
    if lat is not None and lat.after_includes_overhead:
        # The 'after' latency was measured with today's spans: other span counts move it.
        per_span = parameters(scenario)["instrumentation.overhead_ms_per_span"].value
        values["latency.latency_ms_after"] = lat.latency_ms_after.value + (s - current) * per_span
    grid = evaluate(scenario, values)
    some = next(o for o in grid.options.values() if o.kind != "baseline")
    conv = [li for li in some.lines if li.key == "benefit.conversion"]
    value = np.broadcast_to(conv[0].run_rate * 12, s.shape).copy() if conv else np.zeros_like(s)
    options = [o for o in grid.options.values() if o.kind != "baseline"]
    return SpansSweep(
        s,
        np.broadcast_to(grid.figures["instrumentation_overhead_ms"], s.shape).copy(),
        value,
        {o.key: np.broadcast_to(run_rate_cost(o) * 12, s.shape).copy() for o in options},
        {o.key: o.label for o in options},
        current,
        scenario.currency,
    )


@dataclass(frozen=True)
class ElasticityRow:
    key: str
    what: str
    source: str
    conversion_lift_per_100ms: float
    value_per_year: float
    """[currency/year] Conversion benefit at full adoption with this elasticity."""
    used: bool


def elasticity_comparison(scenario: Scenario) -> list[ElasticityRow]:
    """The conversion benefit under every published elasticity preset (one evaluation)."""
    lat = scenario.latency
    if lat is None:
        return []
    presets = list(ELASTICITY.values())
    lifts = np.array([e.conversion_lift_per_100ms for e in presets])
    grid = evaluate(scenario, {"latency.conversion_lift_per_100ms": lifts})
    some = next(o for o in grid.options.values() if o.kind != "baseline")
    line = next(li for li in some.lines if li.key == "benefit.conversion")
    value = np.broadcast_to(line.run_rate * 12, lifts.shape)
    used = lat.elasticity_preset if lat.conversion_lift_per_100ms is None else None
    return [
        ElasticityRow(e.key, e.what, e.source, float(lift), float(v), e.key == used)
        for e, lift, v in zip(presets, lifts, value, strict=True)
    ]


@dataclass(frozen=True)
class MttrSweep:
    """NPV of each option against a uniform MTTR reduction for every severity."""

    reductions: np.ndarray
    npv: dict[str, np.ndarray]
    npv_incidents_only: dict[str, np.ndarray]
    """NPV with the latency benefit switched off (attribution 0)."""
    breakeven: dict[str, float]
    breakeven_incidents_only: dict[str, float]
    labels: dict[str, str]
    current: dict[str, float]
    """Each severity's MTTR reduction in the scenario [fraction]."""
    currency: str


def _breakeven(x: np.ndarray, y: np.ndarray) -> float:
    """Smallest x where y crosses to >= 0, linearly interpolated; 0 if y[0] >= 0; NaN never."""
    if y[0] >= 0:
        return 0.0
    above = np.nonzero(y >= 0)[0]
    if above.size == 0:
        return math.nan
    k = int(above[0])
    x0, x1, y0, y1 = x[k - 1], x[k], y[k - 1], y[k]
    return float(x0 + (0 - y0) * (x1 - x0) / (y1 - y0))


def mttr_sweep(scenario: Scenario, reductions: np.ndarray | None = None) -> MttrSweep:
    """NPV against the MTTR reduction applied to every severity (one evaluation).

    Severities given as ``mttr_hours_after`` get ``before × (1 − reduction)``; the second half of
    the sweep sets the latency attribution to 0, so incidents alone must carry the case.
    """
    r = np.linspace(0.0, 0.9, 91) if reductions is None else np.asarray(reductions, dtype=float)
    has_latency = scenario.latency is not None
    cases = np.concatenate([r, r]) if has_latency else r
    values: dict[str, Any] = {}
    current = {}
    for sev, s in scenario.incidents.severities.items():
        p = f"incidents.severities.{sev}."
        before = s.mttr_hours_before.value
        current[sev] = 1 - s.mttr_hours_after_value / before if before else 0.0
        if s.mttr_hours_after is not None:
            values[p + "mttr_hours_after"] = before * (1 - cases)
        else:
            values[p + "mttr_reduction_fraction"] = cases
    if has_latency:
        base = parameters(scenario)["latency.latency_attribution_fraction"].value
        values["latency.latency_attribution_fraction"] = np.concatenate(
            [np.full(r.shape, base), np.zeros(r.shape)]
        )
    grid = evaluate(scenario, values)
    npv, only = {}, {}
    for o in grid.options.values():
        if o.kind == "baseline":
            continue
        n = np.asarray(o.kpis["npv"], dtype=float)
        npv[o.key] = n[: r.size]
        only[o.key] = n[r.size :] if has_latency else n
    return MttrSweep(
        r,
        npv,
        only,
        {k: _breakeven(r, v) for k, v in npv.items()},
        {k: _breakeven(r, v) for k, v in only.items()},
        {o.key: o.label for o in grid.options.values() if o.kind != "baseline"},
        current,
        scenario.currency,
    )


def traffic_crossover(sweep: TrafficSweep, vendor: str) -> float:
    """The smallest traffic multiple from which self-run's run rate stays below ``vendor``'s;
    NaN if it is not below at the largest multiple swept."""
    if "self-run" not in sweep.run_rate:
        return math.nan
    cheaper = sweep.run_rate["self-run"] < sweep.run_rate[vendor]
    if not cheaper[-1]:
        return math.nan
    if cheaper.all():
        return float(sweep.multiples[0])
    first = len(cheaper) - int(np.argmin(cheaper[::-1]))
    return float(sweep.multiples[first])


SWEEPS = ("traffic", "spans", "mttr", "elasticity")
"""The sweeps :func:`run_sweeps` knows, by name."""


@dataclass(frozen=True)
class Sweeps:
    """The sweeps one report shows; those not asked for are None."""

    traffic: TrafficSweep | None = None
    spans: SpansSweep | None = None
    mttr: MttrSweep | None = None
    elasticity: list[ElasticityRow] | None = None


def run_sweeps(scenario: Scenario, names: Sequence[str] = ()) -> Sweeps:
    """Compute the sweeps named (each once); see :data:`SWEEPS`.

    >>> from roi.inputs.scenario import load_scenario
    >>> s = run_sweeps(load_scenario("data_samples/scenarios/seed-article.yaml"), ["spans"])
    >>> s.spans.current, s.traffic
    (200.0, None)
    """
    unknown = sorted(set(names) - set(SWEEPS))
    if unknown:
        raise ValueError(f"sweeps: {', '.join(unknown)} unknown; allowed: {', '.join(SWEEPS)}")
    wanted = set(names)
    return Sweeps(
        traffic=traffic_sweep(scenario) if "traffic" in wanted else None,
        spans=spans_sweep(scenario) if "spans" in wanted else None,
        mttr=mttr_sweep(scenario) if "mttr" in wanted else None,
        elasticity=elasticity_comparison(scenario) if "elasticity" in wanted else None,
    )
