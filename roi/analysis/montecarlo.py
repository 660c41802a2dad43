"""The Monte Carlo engine: every ranged input drawn, all samples through
:func:`roi.model.evaluate` in chunks, KPI samples and their summaries kept.

Examples
--------
>>> from roi.inputs.scenario import load_scenario
>>> sim = simulate(load_scenario("data_samples/scenarios/seed-article.yaml"), samples=2000)
>>> sim.samples, sorted(sim.options)
(2000, ['datadog', 'self-run'])
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from roi.analysis.decision import best_option
from roi.analysis.limits import DEFAULT_SAMPLES
from roi.analysis.sampling import (
    RangedInput,
    coherent,
    draw,
    input_streams,
    ranged_inputs,
    resolve_seed,
)
from roi.inputs.distributions import Array
from roi.inputs.parameters import parameters
from roi.inputs.schema import Scenario
from roi.model import Evaluation, evaluate

KPIS = ("npv", "roi", "payback_months", "pv_benefits", "pv_costs")
"""The per-sample figures kept for every option."""
PERCENTILES = (10.0, 50.0, 90.0)
"""[%] The percentiles reported: P10, P50, P90."""
DEFAULT_CHUNK_SIZE = 10_000
"""Samples evaluated per call of :func:`roi.model.evaluate` (bounds memory; ~10 k is fastest)."""
FAN_SAMPLES = 20_000
"""Samples whose cumulative net cash is kept for the fan chart's monthly percentiles."""
PAYBACK_WITHIN_MONTHS = 12
"""[month] Horizon of the 'payback within a year' probability."""


def _percentiles(x: Array, q: tuple[float, ...] = PERCENTILES) -> Array:
    """Percentiles where NaN means 'never' (payback not within the horizon) and counts as +inf."""
    finite = np.where(np.isnan(x), np.inf, x)
    with np.errstate(invalid="ignore"):
        out = np.percentile(finite, q, axis=0)
    return np.where(np.isnan(out), np.inf, out)


@dataclass(frozen=True)
class OptionSimulation:
    """The Monte Carlo results of one option."""

    key: str
    label: str
    kind: str
    kpis: dict[str, Array]
    """Per-sample ``npv``, ``roi``, ``payback_months``, ``pv_benefits``, ``pv_costs``, shape
    ``(samples,)``; payback is NaN where it is not reached within the horizon."""
    point: dict[str, float]
    """The point estimate of each KPI (every input at its median)."""
    cumulative_net_percentiles: Array
    """P10, P50 and P90 of risk-adjusted cumulative net cash by month [currency], shape
    ``(3, months)``, from the first ``fan_samples`` samples."""

    def summary(self) -> dict[str, dict[str, float]]:
        """P10, P50, P90 and mean of every KPI.

        A payback that is not reached counts as +inf in its percentiles; its mean is NaN
        (undefined) if any sample never pays back. ROI is NaN only where PV costs are zero.
        """
        out = {}
        for name, x in self.kpis.items():
            p10, p50, p90 = _percentiles(x)
            mean = float(np.mean(x)) if not np.isnan(x).any() else math.nan
            out[name] = {"p10": float(p10), "p50": float(p50), "p90": float(p90), "mean": mean}
        return out

    @property
    def prob_npv_negative(self) -> float:
        """Share of samples with NPV < 0 [fraction]."""
        return float(np.mean(self.kpis["npv"] < 0.0))

    @property
    def prob_payback_within_12_months(self) -> float:
        """Share of samples that pay back by month 12 [fraction]."""
        with np.errstate(invalid="ignore"):
            return float(np.mean(self.kpis["payback_months"] <= PAYBACK_WITHIN_MONTHS))

    @property
    def prob_payback_within_horizon(self) -> float:
        """Share of samples that pay back at all within the horizon [fraction]."""
        return float(np.mean(~np.isnan(self.kpis["payback_months"])))


@dataclass(frozen=True)
class Simulation:
    """A Monte Carlo of one scenario: every option's KPI samples and summaries."""

    scenario: Scenario
    options: dict[str, OptionSimulation]
    """Every option but the do-nothing baseline (its KPIs are zero by definition)."""
    inputs: tuple[RangedInput, ...]
    samples: int
    seed: int
    """The seed of the per-input streams: ``simulate(scenario, samples, seed=sim.seed)`` repeats
    this run."""
    months: Array
    """Month indices ``0 .. horizon`` [month]; the fan chart's time axis."""
    fan_samples: int = FAN_SAMPLES
    chunk_size: int = DEFAULT_CHUNK_SIZE
    evaluations: int = field(default=0, compare=False)
    """Calls of :func:`roi.model.evaluate` made (one per chunk)."""
    best_option: str = "do-nothing"
    """The best option of the point estimate (:func:`roi.analysis.decision.best_option`)."""
    draws: dict[str, Array] | None = field(default=None, compare=False, repr=False)
    """With ``simulate(..., keep_draws=True)``: every ranged input's samples by path, shape
    ``(samples,)``, as evaluated (made coherent), for value-of-information analysis."""

    @property
    def currency(self) -> str:
        """The scenario's ISO 4217 currency."""
        return self.scenario.currency


def simulate(
    scenario: Scenario,
    samples: int = DEFAULT_SAMPLES,
    seed: int | None = 0,
    rng: np.random.Generator | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    fan_samples: int = FAN_SAMPLES,
    keep_draws: bool = False,
) -> Simulation:
    """Monte Carlo of every option of ``scenario``: draw every ranged input, evaluate, keep KPIs.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario; assumptions given as ranges are drawn, the rest stay points.
    samples : int
        Number of samples, >= 1.
    seed : int or None
        Seed of the per-input random streams; the same seed gives the same numbers whatever
        ``chunk_size``. None draws fresh entropy.
    rng : numpy.random.Generator, optional
        Instead of ``seed``: one integer is drawn from it to seed the streams (SPEC 7).
    chunk_size : int
        Samples per :func:`roi.model.evaluate` call; bounds memory, does not change results.
    fan_samples : int
        How many of the first samples keep their monthly cumulative net cash for
        ``cumulative_net_percentiles``.
    keep_draws : bool
        Keep every ranged input's samples in ``Simulation.draws`` (8 bytes a sample an input).

    Returns
    -------
    Simulation

    Notes
    -----
    Memory is about ``samples x options x 5 x 8`` bytes for the KPI samples plus one chunk's
    evaluation (~100 MB at 10,000 samples): 1,000,000 samples of the five options of
    ``ecommerce-midsize.yaml`` peak at about 0.35 GB resident.

    Examples
    --------
    >>> from roi.inputs.scenario import load_scenario
    >>> sim = simulate(load_scenario("data_samples/scenarios/seed-article.yaml"), samples=2000)
    >>> s = sim.options["self-run"].summary()["npv"]
    >>> s["p10"] <= s["p50"] <= s["p90"]
    True
    """
    if samples < 1:
        raise ValueError(f"samples must be >= 1, got {samples}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be >= 1, got {chunk_size}")
    inputs = ranged_inputs(scenario)
    seed = resolve_seed(seed, rng)
    streams = input_streams(inputs, seed)
    point_table = {p: q.value for p, q in parameters(scenario).items()}
    base = evaluate(scenario)
    keys = [k for k, o in base.options.items() if o.kind != "baseline"]
    n_fan = min(samples, fan_samples)
    n_months = base.months.shape[-1]
    kpis = {k: {m: np.empty(samples) for m in KPIS} for k in keys}
    cumulative = {k: np.empty((n_fan, n_months)) for k in keys}
    calls = 0
    kept: dict[str, Array] | None = {} if keep_draws else None
    for start in range(0, samples, chunk_size if inputs else samples):
        n = min(chunk_size, samples - start) if inputs else samples
        values = coherent(draw(inputs, streams, n), point_table) if inputs else {}
        ev: Evaluation = evaluate(scenario, values=values) if inputs else base
        if kept is not None:
            for path, x in values.items():
                kept.setdefault(path, np.empty(samples))[start : start + n] = x
        calls += 1
        stop = start + n
        for k in keys:
            opt = ev.options[k]
            for m in KPIS:
                kpis[k][m][start:stop] = opt.kpis[m]
            if start < n_fan:
                rows = min(stop, n_fan) - start
                net = np.broadcast_to(opt.net, (n, n_months))
                np.cumsum(net[:rows], axis=-1, out=cumulative[k][start : start + rows])
    options = {}
    for k in keys:
        opt = base.options[k]
        options[k] = OptionSimulation(
            k,
            opt.label,
            opt.kind,
            kpis[k],
            {m: float(opt.kpis[m]) for m in KPIS},
            np.percentile(cumulative[k], PERCENTILES, axis=0),
        )
    return Simulation(
        scenario,
        options,
        tuple(inputs),
        samples,
        seed,
        base.months,
        n_fan,
        chunk_size,
        calls,
        best_option(base),
        kept,
    )
