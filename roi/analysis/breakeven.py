"""What would flip the decision: for each ranged input, the value at which the option's NPV
crosses zero and the value at which the recommended option changes, where those values sit in
the input's own range, and the expected value of perfect information (EVPI) about the input.

Flip values are one-at-a-time (every other input at its point estimate), found on a grid that
spans the field's bounds and refined by bisection, every case of a step stacked into one
:func:`roi.model.evaluate` call. EVPI comes from a Monte Carlo: what knowing the input exactly
before deciding would be worth on average, in money.

References
----------
.. [1] H. Raiffa and R. Schlaifer, *Applied Statistical Decision Theory*, Harvard, 1961: the
   expected value of perfect information.
.. [2] M. Strong, J. E. Oakley and J. Chilcott, "Managing structural uncertainty in health
   economic decision models: a discrepancy approach", and M. Strong and J. E. Oakley, "An
   efficient method for computing single-parameter partial expected value of perfect
   information", *Medical Decision Making* 33(6), 2013: EVPPI from one Monte Carlo by grouping
   the samples on the parameter.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from roi.analysis.decision import allowed_options, best_option, decide, focus_option
from roi.analysis.montecarlo import Simulation, simulate
from roi.analysis.sampling import RangedInput, coherent, ranged_inputs
from roi.inputs.distributions import Array
from roi.inputs.parameters import parameters
from roi.inputs.schema import Scenario
from roi.model import Evaluation, evaluate

GRID_POINTS = 241
"""Values tried per input before refining: enough to see every crossing of a smooth NPV."""
SPAN = 1e4
"""An unbounded field is searched from 0 (or -SPAN x its scale) up to SPAN x its scale."""
BISECTIONS = 48
"""Halvings of the bracket around a flip: 2**-48 of the grid step, far below any unit shown."""
EVPI_BINS = 20
"""Groups of samples by the input's value for the EVPI estimate (Strong & Oakley 2013)."""
EVPI_SAMPLES = 10_000
"""Monte Carlo samples for EVPI unless given."""


@dataclass(frozen=True)
class FlipRow:
    """One input: where it flips the decision and what knowing it is worth."""

    path: str
    label: str
    unit: str
    base: float
    """The point estimate [unit]."""
    npv_zero_at: float | None
    """The value [unit] at which the option's NPV is zero, nearest the base; None when no
    value within the field's bounds gets there."""
    option_changes_at: float | None
    """The value [unit] nearest the base at which the recommended option changes."""
    option_changes_to: str | None
    """The option recommended beyond that value (``do-nothing`` when none pays)."""
    percentile_in_range: float | None
    """Where ``npv_zero_at`` sits in the input's own distribution [fraction, 0-1]."""
    option_change_percentile: float | None
    """Where ``option_changes_at`` sits in the input's own distribution [fraction, 0-1]."""
    evpi: float | None
    """Expected value of perfect information about this input [currency]; None without a
    Monte Carlo."""


@dataclass(frozen=True)
class Breakeven:
    """The flip table of one option of a scenario."""

    option: str
    option_label: str
    recommended: str
    """The option the decision rule recommends at the point estimate."""
    base_npv: float
    rows: tuple[FlipRow, ...]
    evpi_total: float | None
    """EVPI about every ranged input at once [currency]."""
    samples: int
    seed: int | None
    currency: str


def _search_grid(i: RangedInput, n: int = GRID_POINTS) -> Array:
    """Values of ``i`` to try: its field's bounds, or SPAN x its scale where unbounded; denser
    (geometric) near the base for wide spans."""
    lo, hi = i.support
    low, high = i.distribution.interval90
    scale = max(abs(i.point), abs(low), abs(high), 1e-9)
    lo = max(lo, -SPAN * scale)
    hi = min(hi, SPAN * scale)
    if lo > 0.0:
        # A strictly positive field (a capacity, a length): values vanishingly close to zero
        # are not a decision anyone faces, and divide by almost nothing.
        lo = max(lo, scale / SPAN)
    if hi - lo <= 100.0 * scale:
        return np.linspace(lo, hi, n)
    # Wide: geometric steps away from the point on each side, plus the bounds themselves.
    half = n // 2
    parts = [np.array([lo, i.point, hi])]
    if hi > i.point:
        parts.append(i.point + np.geomspace(scale * 1e-3, hi - i.point, half))
    if lo < i.point:
        parts.append(i.point - np.geomspace(scale * 1e-3, i.point - lo, half))
    return np.unique(np.concatenate(parts))


def _stacked(
    inputs: list[RangedInput], values: list[Array], point: Mapping[str, float]
) -> dict[str, Array]:
    """One evaluation's values: input j takes ``values[j]`` in its own block of rows, every
    other input its point estimate; MTTR draws made coherent as in the Monte Carlo."""
    sizes = [len(v) for v in values]
    total = sum(sizes)
    out = {}
    start = 0
    for j, i in enumerate(inputs):
        column = np.full(total, point[i.path])
        column[start : start + sizes[j]] = values[j]
        out[i.path] = column
        start += sizes[j]
    return coherent(out, point)


def _blocks(x: Array, sizes: list[int]) -> list[Array]:
    return np.split(np.asarray(x), np.cumsum(sizes)[:-1])


def _nearest_change(grid: Array, changed: np.ndarray, base: float) -> int | None:
    """Index k such that ``changed`` differs between grid[k] and grid[k + 1], nearest ``base``."""
    flips = np.flatnonzero(changed[:-1] != changed[1:])
    if flips.size == 0:
        return None
    mid = (grid[flips] + grid[flips + 1]) / 2.0
    return int(flips[np.argmin(np.abs(mid - base))])


def breakeven(
    scenario: Scenario,
    option: str | None = None,
    samples: int = EVPI_SAMPLES,
    seed: int | None = 0,
    simulation: Simulation | None = None,
) -> Breakeven:
    """The flip values of every ranged input, and their EVPI from a Monte Carlo.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario; its ranged inputs are the rows.
    option : str, optional
        The option whose NPV crosses zero; default the one the report is about
        (:func:`roi.analysis.decision.focus_option`).
    samples : int
        Monte Carlo samples for EVPI; 0 skips EVPI (``evpi`` is None).
    seed : int or None
        Seed of the Monte Carlo.
    simulation : Simulation, optional
        A Monte Carlo already run with ``keep_draws=True`` (reused instead of running one).

    Returns
    -------
    Breakeven
        Rows in the order of the largest EVPI (then the nearest flip), with flip values in each
        input's unit.

    Notes
    -----
    The recommended option at each value is the decision rule's
    (:func:`roi.analysis.decision.decide`): the highest NPV that policy allows, or do-nothing
    when none is positive. EVPI of input X is ``E_X[max_d E(NPV_d | X)] - max_d E(NPV_d)`` over
    the decisions d (do-nothing included), estimated by grouping the samples in
    :data:`EVPI_BINS` groups of equal size by X (Strong & Oakley 2013). It is zero when the same
    decision is best in every group, and slightly biased upward by sampling noise otherwise.

    Examples
    --------
    >>> from roi.inputs.scenario import load_scenario
    >>> b = breakeven(load_scenario("data_samples/scenarios/fintech-regulated.yaml"), samples=0)
    >>> b.option, len(b.rows) > 0
    ('self-run', True)
    """
    inputs = ranged_inputs(scenario)
    point_table = {p: q.value for p, q in parameters(scenario).items()}
    base = evaluate(scenario)
    key = option or focus_option(base)
    if key not in base.options or base.options[key].kind == "baseline":
        allowed = [k for k, o in base.options.items() if o.kind != "baseline"]
        raise ValueError(f"option {key!r} is not an option here; allowed: {', '.join(allowed)}")
    recommended = best_option(base)
    rows = []
    if inputs:
        grids = [_search_grid(i) for i in inputs]
        sizes = [len(g) for g in grids]
        ev = evaluate(scenario, _stacked(inputs, grids, point_table))
        npv = _blocks(ev.options[key].kpis["npv"], sizes)
        choice = _blocks(decide(ev), sizes)
        zero_brackets = []
        change_brackets = []
        for j, i in enumerate(inputs):
            k = _nearest_change(grids[j], npv[j] >= 0.0, i.point)
            zero_brackets.append(None if k is None else (grids[j][k], grids[j][k + 1]))
            k = _nearest_change(grids[j], choice[j] == recommended, i.point)
            change_brackets.append(None if k is None else (grids[j][k], grids[j][k + 1]))
        zeros = _refine(scenario, inputs, point_table, zero_brackets, _npv_sign(key))
        changes = _refine(scenario, inputs, point_table, change_brackets, _recommends(recommended))
        beyond = _choices_at(scenario, inputs, point_table, change_brackets, recommended)
        for j, i in enumerate(inputs):
            z, c = zeros[j], changes[j]
            rows.append(
                FlipRow(
                    i.path,
                    i.label,
                    i.unit,
                    i.point,
                    z,
                    c,
                    beyond[j],
                    None if z is None else i.distribution.cdf(z),
                    None if c is None else i.distribution.cdf(c),
                    None,
                )
            )
    evpi_total = None
    if samples or simulation is not None:
        sim = simulation or simulate(scenario, samples, seed=seed, keep_draws=True)
        evpi_total, by_input = evpi(scenario, sim, base)
        rows = [dataclasses.replace(r, evpi=by_input.get(r.path)) for r in rows]
        samples, seed = sim.samples, sim.seed
    rows.sort(key=_importance)
    o = base.options[key]
    return Breakeven(
        key,
        o.label,
        recommended,
        float(o.kpis["npv"]),
        tuple(rows),
        evpi_total,
        samples if evpi_total is not None else 0,
        seed if evpi_total is not None else None,
        scenario.currency,
    )


def _importance(r: FlipRow) -> tuple[float, float]:
    """Largest EVPI first; then the flip nearest the middle of the input's range."""
    p = [x for x in (r.percentile_in_range, r.option_change_percentile) if x is not None]
    nearest = min((abs(x - 0.5) for x in p), default=math.inf)
    return (-(r.evpi or 0.0), nearest)


_Predicate = Callable[[Evaluation], np.ndarray]


def _npv_sign(key: str) -> _Predicate:
    def predicate(ev: Evaluation) -> np.ndarray:
        return np.asarray(ev.options[key].kpis["npv"]) >= 0.0

    return predicate


def _recommends(recommended: str) -> _Predicate:
    def predicate(ev: Evaluation) -> np.ndarray:
        return decide(ev) == recommended

    return predicate


def _refine(
    scenario: Scenario,
    inputs: list[RangedInput],
    point: Mapping[str, float],
    brackets: list[tuple[float, float] | None],
    predicate: _Predicate,
) -> list[float | None]:
    """Bisect every bracket at once until it is :data:`BISECTIONS` halvings narrow; returns the
    value on the base's side of the flip's far end (the first value at which it flips)."""
    active = [j for j, b in enumerate(brackets) if b is not None]
    out: list[float | None] = [None] * len(brackets)
    if not active:
        return out
    a = np.array([brackets[j][0] for j in active])  # type: ignore[index]
    b = np.array([brackets[j][1] for j in active])  # type: ignore[index]
    chosen = [inputs[j] for j in active]
    at_a = predicate(evaluate(scenario, _stacked(chosen, [a[[m]] for m in range(len(a))], point)))
    for _ in range(BISECTIONS):
        mid = (a + b) / 2.0
        ev = evaluate(scenario, _stacked(chosen, [mid[[m]] for m in range(len(mid))], point))
        same = predicate(ev) == at_a
        a = np.where(same, mid, a)
        b = np.where(same, b, mid)
    for m, j in enumerate(active):
        out[j] = float((a[m] + b[m]) / 2.0)
    return out


def _choices_at(
    scenario: Scenario,
    inputs: list[RangedInput],
    point: Mapping[str, float],
    brackets: list[tuple[float, float] | None],
    recommended: str,
) -> list[str | None]:
    """The option recommended at the far end of each change bracket."""
    out: list[str | None] = [None] * len(brackets)
    active = [j for j, b in enumerate(brackets) if b is not None]
    if not active:
        return out
    chosen = [inputs[j] for j in active]
    ends = [np.array(brackets[j]) for j in active]
    picks = _blocks(decide(evaluate(scenario, _stacked(chosen, ends, point))), [2] * len(active))
    for m, j in enumerate(active):
        other = [p for p in picks[m] if p != recommended]
        out[j] = str(other[0]) if other else None
    return out


def evpi(
    scenario: Scenario, simulation: Simulation, base: Evaluation
) -> tuple[float, dict[str, float]]:
    """EVPI about all ranged inputs at once, and about each alone [currency].

    The decisions are the options policy allows and do-nothing (NPV 0).

    >>> from roi.inputs.scenario import load_scenario
    >>> s = load_scenario("data_samples/scenarios/seed-article.yaml")
    >>> total, each = evpi(s, simulate(s, 2000, keep_draws=True), evaluate(s))
    >>> total >= 0.0 and all(v >= 0.0 for v in each.values())
    True
    """
    keys = allowed_options(base)
    n = simulation.samples
    npv = np.zeros((len(keys) + 1, n))
    for r, k in enumerate(keys):
        npv[r + 1] = simulation.options[k].kpis["npv"]
    means = npv.mean(axis=1)
    best_known = float(means.max())
    total = max(float(npv.max(axis=0).mean()) - best_known, 0.0)
    draws = simulation.draws or {}
    out: dict[str, float] = {}
    bins = min(EVPI_BINS, n)
    for path, x in draws.items():
        order = np.argsort(x, kind="stable")
        groups = np.array_split(order, bins)
        group_means = np.stack([npv[:, g].mean(axis=1) for g in groups])  # (bins, decisions)
        winners = group_means.argmax(axis=1)
        if np.all(winners == winners[0]) and winners[0] == int(means.argmax()):
            out[path] = 0.0
            continue
        weights = np.array([len(g) for g in groups]) / n
        out[path] = max(float(weights @ group_means.max(axis=1)) - best_known, 0.0)
    return total, out
