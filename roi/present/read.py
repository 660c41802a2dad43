"""What presentation reads off an evaluation: its figures (with those of
:mod:`roi.model.figures` beside them, through one accessor), the options shown, why a bill
outgrows traffic and the Monte Carlo percentiles. Nothing here computes money, volumes or risk.

Examples
--------
>>> from roi.inputs.scenario import load_scenario
>>> from roi.model import evaluate
>>> ev = evaluate(load_scenario("data_samples/scenarios/seed-article.yaml"))
>>> figure(ev, "mttr_hours_before.sev1")
4.3
>>> [o.key for o in non_baseline(ev)]
['self-run', 'datadog']
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from roi.analysis.decision import real_options
from roi.inputs.presets import DRIVER_UNITS
from roi.model import Evaluation, LineItem, OptionResult
from roi.model.figures import derived_figures, derived_option_figures
from roi.model.volumes import BILLING_VOLUMES


def scalar(x: Any) -> float:
    """A plain float of a scalar or 0-d array."""
    return float(np.asarray(x, dtype=float))


def figures(evaluation: Evaluation) -> dict[str, Any]:
    """Every scenario-level figure: the evaluation's own and the derived ones."""
    return {**derived_figures(evaluation), **evaluation.figures}


def option_figures(evaluation: Evaluation, option_key: str) -> dict[str, Any]:
    """Every figure of one option: its own and the derived ones."""
    return {
        **derived_option_figures(evaluation, option_key),
        **evaluation.options[option_key].figures,
    }


def figure(evaluation: Evaluation, name: str, option_key: str | None = None) -> float:
    """One figure as a float: scenario level, or of ``option_key``."""
    table = figures(evaluation) if option_key is None else option_figures(evaluation, option_key)
    return scalar(table[name])


def input_point(evaluation: Evaluation, path: str) -> float:
    """The number the evaluation used for ``path`` (overrides included)."""
    return evaluation.inputs[path].point


def horizon_months(evaluation: Evaluation) -> int:
    """The horizon's last month."""
    return int(evaluation.months[-1])


def non_baseline(evaluation: Evaluation) -> list[OptionResult]:
    """Every option but the do-nothing baseline, in evaluation order."""
    return [evaluation.options[k] for k in real_options(evaluation)]


def benefit_rows(evaluation: Evaluation, option_key: str) -> list[tuple[LineItem, float]]:
    """Benefit lines of one option with their risk-adjusted PV, largest first."""
    option = evaluation.options[option_key]
    table = option_figures(evaluation, option_key)
    rows = [
        (line, scalar(table[f"pv.{line.key}"]))
        for line in option.lines
        if line.category == "benefit"
    ]
    return sorted(rows, key=lambda r: -r[1])


def traffic_grows(evaluation: Evaluation) -> bool:
    """True when the evaluated traffic grows (or shrinks) over the horizon."""
    return input_point(evaluation, "timeline.traffic_growth_per_month") != 0


def compares_stacks(evaluation: Evaluation) -> bool:
    """True when the scenario has both a self-run stack and at least one managed vendor."""
    kinds = {o.kind for o in evaluation.options.values()}
    return {"self_run", "managed"} <= kinds


class SimulationLike(Protocol):
    """What presentation reads of a :class:`roi.analysis.montecarlo.Simulation`: ``options``
    maps option keys (not the do-nothing baseline) to objects with ``kpis``, ``summary()``,
    ``prob_npv_negative`` and ``prob_payback_within_12_months``."""

    options: Mapping[str, Any]


def sim_option(simulation: SimulationLike | None, key: str) -> Any:
    """The simulation of one option; None without a simulation."""
    if simulation is None:
        return None
    return simulation.options.get(key)


def percentiles(sim_option: Any, kpi: str) -> tuple[float, float, float]:
    """P10, P50 and P90 of one KPI from ``OptionSimulation.summary()`` (a payback that is never
    reached counts as +inf)."""
    row = sim_option.summary()[kpi]
    return (float(row["p10"]), float(row["p50"]), float(row["p90"]))


def samples_of(sim_option: Any) -> int:
    """How many scenarios an option's simulation drew."""
    return int(np.asarray(sim_option.kpis["npv"]).size)


def finite_or_none(x: Any) -> float | None:
    """A JSON number: None for None, NaN and infinities."""
    if x is None:
        return None
    v = scalar(x)
    return v if math.isfinite(v) else None


FASTER_THAN_TRAFFIC = 1.05
"""A bill (or component) whose growth over the horizon is more than this multiple of traffic's
outgrows traffic; within it, it grows with traffic."""


@dataclass(frozen=True)
class BillGrowth:
    """Why one vendor's bill grows as it does against traffic, read off its option figures."""

    option: str
    label: str
    ratio: float
    """``bill_growth_vs_traffic``: the bill's growth over the horizon / traffic's [ratio]."""
    component: str | None
    """The component that grew fastest against traffic (a driver's unit), None when none
    outgrew it."""
    component_ratio: float
    """That component's growth / traffic's [ratio]."""
    reason: str
    """What makes it outgrow traffic, in words; empty when the bill grows with traffic."""


def bill_growth_reasons(evaluation: Evaluation) -> list[BillGrowth]:
    """Each vendor's bill growth against traffic, with the component that outgrew traffic and
    the driver behind it (:data:`roi.model.volumes.BILLING_VOLUMES` names what each component's
    volume reads: span depth, services, traffic)."""
    out = []

    def rate(path: str) -> float:
        return input_point(evaluation, path) if path in evaluation.inputs else 0.0

    for o in evaluation.options.values():
        if o.kind != "managed" or "bill_growth_vs_traffic" not in o.figures:
            continue
        traffic = scalar(o.figures["traffic_growth_over_horizon"])
        best, best_ratio = None, 0.0
        for name in o.figures:
            if not name.startswith("vendor_bill_start."):
                continue
            driver = name.removeprefix("vendor_bill_start.")
            start = scalar(o.figures[name])
            end = scalar(o.figures[f"vendor_bill_end.{driver}"])
            if start <= 0.0 or traffic <= 0.0:
                continue
            r = end / start / traffic
            if r > best_ratio:
                best, best_ratio = driver, r
        ratio = scalar(o.figures["bill_growth_vs_traffic"])
        reason, component = "", None
        if best is not None and best_ratio > FASTER_THAN_TRAFFIC:
            component = DRIVER_UNITS.get(best, best)
            needs = BILLING_VOLUMES[best].needs if best in BILLING_VOLUMES else ()
            depth = rate("timeline.span_depth_growth_per_month")
            services = rate("timeline.services_growth_per_month")
            if "span_depth" in needs and depth:
                reason = f"spans per request grow {_pct(depth)}/month"
            elif "services_growth" in needs and services:
                reason = f"services grow {_pct(services)}/month"
            else:
                reason = "its free allowance runs out"
        out.append(BillGrowth(o.key, o.label, ratio, component, best_ratio, reason))
    return out


def _pct(fraction: float) -> str:
    return f"{fraction * 100:.3g} %"
