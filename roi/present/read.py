"""What presentation reads off an evaluation: its figures (with those of
:mod:`roi.model.figures` beside them, through one accessor), the options shown and the Monte
Carlo percentiles. Nothing here computes money, volumes or risk.

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
from typing import Any, Protocol

import numpy as np

from roi.analysis.decision import real_options
from roi.model import Evaluation, LineItem, OptionResult
from roi.model.figures import derived_figures, derived_option_figures


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
