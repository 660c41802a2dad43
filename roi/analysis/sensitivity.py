"""Sensitivity: which assumption drives the business case.

* :func:`tornado` moves one ranged input at a time to its 5th and then its 95th percentile (the
  stated ``low`` and ``high`` of a ``{low, high}`` range) with every other input at its point
  estimate, and sorts the inputs by the swing of the metric. All ``2k`` cases, plus the base
  case, run through one vectorized :func:`roi.model.evaluate` call of sample shape ``(2k + 1,)``.
* :func:`sobol` gives variance-based Sobol indices (first order and total) through SALib, for
  analysts who want interactions counted; SALib is the optional ``sobol`` extra.

Examples
--------
>>> from roi.inputs.scenario import load_scenario
>>> t = tornado(load_scenario("data_samples/scenarios/seed-article.yaml"), option="self-run")
>>> t.metric, t.option
('npv', 'self-run')
>>> [r.swing for r in t.rows] == sorted((r.swing for r in t.rows), reverse=True)
True

References
----------
.. [1] A. Saltelli et al., *Global Sensitivity Analysis: The Primer*, Wiley, 2008: one-at-a-time
   (tornado) screening and variance-based (Sobol) indices.
.. [2] J. Herman and W. Usher, "SALib: An open-source Python library for Sensitivity Analysis",
   JOSS 2(9), 2017.
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from roi.analysis.decision import focus_option, real_options
from roi.analysis.sampling import RangedInput, coherent, ranged_inputs

if TYPE_CHECKING:
    from roi.inputs.schema import Scenario
    from roi.model import Evaluation

Metric = Literal["npv", "roi", "payback_months"]
METRICS: tuple[Metric, ...] = ("npv", "roi", "payback_months")
SOBOL_DEFAULT_SAMPLES = 1024
"""Base sample size N of the Saltelli design; SALib needs a power of 2."""


class MissingExtra(ImportError):
    """An optional dependency is not installed; the message says which extra installs it."""


@dataclass(frozen=True)
class TornadoRow:
    """One input of the tornado: its low and high and the metric at each."""

    path: str
    label: str
    low: float
    """Input at its 5th percentile [unit]."""
    high: float
    """Input at its 95th percentile [unit]."""
    unit: str
    metric_low: float
    """Metric with this input at ``low`` and every other input at base; inf = never (payback)."""
    metric_high: float
    swing: float
    """``|metric_high - metric_low|``: how far this input alone moves the metric."""


@dataclass(frozen=True)
class Tornado:
    """The tornado of one metric of one option."""

    option: str
    option_label: str
    metric: Metric
    base: float
    """The metric at the point estimate (every input at its median)."""
    rows: list[TornadoRow]
    """Ranged inputs sorted by swing, largest first."""
    currency: str

    @property
    def metric_unit(self) -> str:
        """Unit of the metric: the currency, ``fraction`` (ROI) or ``months``."""
        return {"npv": self.currency, "roi": "fraction", "payback_months": "months"}[self.metric]


def _check_metric(metric: str) -> Metric:
    if metric not in METRICS:
        raise ValueError(f"metric {metric!r} is not one of: {', '.join(METRICS)}")
    return metric


def _resolve_option(evaluation: Evaluation, option: str | None, index: Any = ()) -> str:
    if option is None:
        return focus_option(evaluation, index)
    keys = real_options(evaluation)
    if option not in keys:
        raise ValueError(f"option {option!r} is not an option here; allowed: {', '.join(keys)}")
    return option


def _never_is_inf(x: np.ndarray, metric: str) -> np.ndarray:
    """Payback NaN means 'not within the horizon': +inf sorts and compares as intended."""
    return np.where(np.isnan(x), np.inf, x) if metric == "payback_months" else x


def _swing(a: float, b: float) -> float:
    if math.isinf(a) and math.isinf(b):
        return 0.0
    return abs(b - a)


def tornado_cases(inputs: list[RangedInput]) -> dict[str, np.ndarray]:
    """Values of every ranged input for the stacked tornado: case 0 is the base (all at the
    point estimate), case ``1 + 2j`` input ``j`` at its 5th percentile, ``2 + 2j`` at its 95th.

    >>> from roi.inputs.scenario import load_scenario
    >>> from roi.analysis.sampling import ranged_inputs
    >>> inputs = ranged_inputs(load_scenario("data_samples/scenarios/seed-article.yaml"))
    >>> cases = tornado_cases(inputs)
    >>> {a.shape for a in cases.values()} == {(2 * len(inputs) + 1,)}
    True
    """
    n = 2 * len(inputs) + 1
    out = {i.path: np.full(n, i.point) for i in inputs}
    for j, i in enumerate(inputs):
        low, high = i.distribution.interval90
        out[i.path][1 + 2 * j] = low
        out[i.path][2 + 2 * j] = high
    return out


def tornado(scenario: Scenario, metric: str = "npv", option: str | None = None) -> Tornado:
    """One-at-a-time sensitivity of ``metric`` to every ranged input, sorted by swing.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario with ranged inputs (none gives an empty tornado).
    metric : {'npv', 'roi', 'payback_months'}
        The KPI to explain.
    option : str, optional
        The option to explain; default the one with the highest point-estimate NPV.

    Returns
    -------
    Tornado
        ``base`` is the metric at the point estimate; each row holds the input at its 5th and
        95th percentile and the metric there. Payback not reached is +inf.

    Notes
    -----
    Every case, the base included, is one row of a single :func:`roi.model.evaluate` call.
    A draw of ``mttr_hours_after`` above ``mttr_hours_before`` is capped at it, as in the
    Monte Carlo (:func:`roi.analysis.sampling.coherent`).
    """
    from roi.inputs.parameters import parameters
    from roi.model import evaluate

    name = _check_metric(metric)
    inputs = ranged_inputs(scenario)
    point = {p: q.value for p, q in parameters(scenario).items()}
    cases = coherent(tornado_cases(inputs), point)
    evaluation = evaluate(scenario, values=cases) if inputs else evaluate(scenario)
    index: Any = 0 if inputs else ()
    key = _resolve_option(evaluation, option, index)
    result = evaluation.options[key]
    values = _never_is_inf(np.atleast_1d(result.kpis[name]), name)
    rows = []
    for j, i in enumerate(inputs):
        low, high = i.distribution.interval90
        m_low, m_high = float(values[1 + 2 * j]), float(values[2 + 2 * j])
        rows.append(
            TornadoRow(i.path, i.label, low, high, i.unit, m_low, m_high, _swing(m_low, m_high))
        )
    rows.sort(key=lambda r: -r.swing if not math.isnan(r.swing) else math.inf)
    return Tornado(key, result.label, name, float(values[0]), rows, scenario.currency)


# --- Sobol indices ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SobolRow:
    """Sobol indices of one input [fraction of the metric's variance]."""

    path: str
    label: str
    first_order: float
    """S1: variance explained by this input alone."""
    first_order_conf: float
    """Half-width of S1's 95 % bootstrap confidence interval."""
    total_order: float
    """ST: variance explained by this input including its interactions."""
    total_order_conf: float


@dataclass(frozen=True)
class SobolIndices:
    """Variance-based sensitivity of one metric of one option."""

    option: str
    option_label: str
    metric: Metric
    samples: int
    """Base sample size N; the model ran ``N (D + 2)`` times."""
    evaluations: int
    rows: list[SobolRow]
    """Inputs sorted by total-order index, largest first."""
    censored_payback: int = 0
    """Samples whose payback was not reached, counted as horizon + 1 months."""


def _salib() -> tuple[Any, Any]:
    try:
        sample = importlib.import_module("SALib.sample.sobol")
        analyze = importlib.import_module("SALib.analyze.sobol")
    except ImportError:
        raise MissingExtra(
            "Sobol indices need SALib: pip install 'roi[sobol]' (or use the tornado)"
        ) from None
    return sample, analyze


def sobol(
    scenario: Scenario,
    metric: str = "npv",
    option: str | None = None,
    samples: int = SOBOL_DEFAULT_SAMPLES,
    seed: int = 0,
    chunk_size: int = 20_000,
) -> SobolIndices:
    """First-order and total Sobol indices of ``metric`` over every ranged input (SALib).

    Parameters
    ----------
    scenario : Scenario
        A validated scenario with at least one ranged input.
    metric : {'npv', 'roi', 'payback_months'}
    option : str, optional
        Default: the option with the highest point-estimate NPV.
    samples : int
        Base sample size N of the Saltelli design, a power of 2; the model runs ``N (D + 2)``
        times for ``D`` inputs, in chunks of ``chunk_size``.
    seed : int
        Seed of the scrambled Sobol' sequence and of the bootstrap.

    Notes
    -----
    Inputs are mapped from the unit hypercube through each distribution's inverse CDF, so they
    follow the same distributions as the Monte Carlo; draws are clipped into the field's bounds
    and made coherent as in :func:`roi.analysis.sampling.coherent`. A payback not reached within the
    horizon counts as horizon + 1 months (censored).

    Raises
    ------
    MissingExtra
        When SALib is not installed.
    ValueError
        For an unknown metric or option, no ranged input, or N not a power of 2.
    """
    from roi.inputs.parameters import parameters
    from roi.model import evaluate

    name = _check_metric(metric)
    if samples < 2 or samples & (samples - 1):
        raise ValueError(f"samples must be a power of 2 (e.g. 1024), got {samples}")
    inputs = ranged_inputs(scenario)
    if not inputs:
        raise ValueError("no ranged inputs: give some assumptions as {low, high} ranges")
    sample, analyze = _salib()
    base = evaluate(scenario)
    key = _resolve_option(base, option)
    problem = {
        "num_vars": len(inputs),
        "names": [i.path for i in inputs],
        "bounds": [[0.0, 1.0]] * len(inputs),
    }
    unit = sample.sample(problem, samples, calc_second_order=False, seed=seed)
    unit = np.clip(unit, 1e-9, 1.0 - 1e-9)
    point = {p: q.value for p, q in parameters(scenario).items()}
    horizon = float(base.months[-1])
    out = np.empty(unit.shape[0])
    for start in range(0, unit.shape[0], chunk_size):
        block = unit[start : start + chunk_size]
        values = {}
        for j, i in enumerate(inputs):
            lo, hi = i.support
            values[i.path] = np.clip(i.distribution.from_uniform(block[:, j]), lo, hi)
        ev = evaluate(scenario, values=coherent(values, point))
        out[start : start + block.shape[0]] = ev.options[key].kpis[name]
    censored = 0
    if name == "payback_months":
        never = np.isnan(out)
        censored = int(never.sum())
        out = np.where(never, horizon + 1.0, out)
    if np.ptp(out) == 0.0:
        indices = {k: np.zeros(len(inputs)) for k in ("S1", "S1_conf", "ST", "ST_conf")}
    else:
        indices = analyze.analyze(
            problem, out, calc_second_order=False, print_to_console=False, seed=seed
        )
    rows = [
        SobolRow(
            i.path,
            i.label,
            float(indices["S1"][j]),
            float(indices["S1_conf"][j]),
            float(indices["ST"][j]),
            float(indices["ST_conf"][j]),
        )
        for j, i in enumerate(inputs)
    ]
    rows.sort(key=lambda r: -r.total_order)
    return SobolIndices(
        key, base.options[key].label, name, samples, int(unit.shape[0]), rows, censored
    )
