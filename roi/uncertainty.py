"""Uncertainty: the distribution of every ranged assumption, reproducible draws, and the Monte
Carlo engine that runs all samples through :func:`roi.model.evaluate`.

A scenario states an uncertain assumption as a range (MODEL.md §5):

* ``{low, high}`` is a 90 % interval: ``low`` and ``high`` are the 5th and 95th percentiles. The
  family follows the field: lognormal for quantities that are positive and skewed (money, hours,
  counts, sizes, prices), normal otherwise (fractions, growth rates, discount rate, NPS). With a
  ``value`` too, the value is the median and each side of it has its own spread, so that ``low``
  and ``high`` stay the 5th and 95th percentiles (a two-piece distribution).
* ``{dist: triangular | pert, low, mode, high}``, ``{dist: uniform, low, high}`` (``low`` and
  ``high`` are then the minimum and maximum), ``{dist: normal, mean, sd}`` and
  ``{dist: normal | lognormal, low, high}`` (a 90 % interval in the family chosen).

The point estimate every deterministic command uses is the distribution's median.

Draws are reproducible: each ranged input has its own random stream, derived from the seed and
the input's path, so the numbers do not depend on the chunk size, on how many inputs are ranged or
on their order (common random numbers: widening one range moves only that input's draws).

Examples
--------
>>> d = distribution(None, low=0.2, high=0.6)
>>> d.kind, round(d.median, 3), [round(x, 3) for x in d.interval90]
('normal', 0.4, [0.2, 0.6])
>>> round(distribution("lognormal", low=1.0, high=100.0).median, 6)
10.0
>>> round(distribution("triangular", low=0.0, mode=1.0, high=1.0).median, 4)
0.7071

References
----------
.. [1] D. Vose, *Risk Analysis: A Quantitative Guide*, 3rd ed., Wiley, 2008: PERT (lambda = 4)
   and triangular distributions for expert estimates.
.. [2] Guesstimate / Squiggle: ``low to high`` as a 90 % credible interval, lognormal when
   both ends are positive.
.. [3] W. H. Press et al., *Numerical Recipes*, 3rd ed., 2007, §6.4: the incomplete beta
   function by continued fraction.
"""

from __future__ import annotations

import importlib
import math
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import TYPE_CHECKING, Any, Literal, get_args

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from roi.model import Evaluation
    from roi.schema import Quantity, Scenario

Array = NDArray[np.float64]

DistName = Literal["triangular", "pert", "uniform", "normal", "lognormal"]
DISTRIBUTIONS: tuple[str, ...] = get_args(DistName)

Z95 = NormalDist().inv_cdf(0.95)
"""The standard normal's 95th percentile, about 1.645: a 90 % interval is median ± Z95 sd."""
PERT_LAMBDA = 4.0
"""Weight of the mode in a PERT distribution (the classic PERT choice) [1]."""

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

_PARAMETERS = ("value", "low", "high", "mode", "mean", "sd")


class RangeError(ValueError):
    """Parameters that do not define a distribution; the message names what was wrong."""


# --- distributions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    """One assumption's distribution, in the assumption's unit.

    ``low`` and ``high`` are the 5th and 95th percentiles for the normal and lognormal family
    and the minimum and maximum for uniform, triangular and PERT. The normal family is stored as
    a median with one spread on each side of it (``below``, ``above``: standard deviations, of the
    logarithm for a lognormal), which is an ordinary normal or lognormal when both are equal.
    """

    kind: DistName
    low: float
    high: float
    median: float
    mode: float | None = None
    below: float = 0.0
    above: float = 0.0

    @property
    def bounded(self) -> bool:
        """True for uniform, triangular and PERT: draws never leave ``[low, high]``."""
        return self.kind in ("uniform", "triangular", "pert")

    @property
    def interval90(self) -> tuple[float, float]:
        """The 5th and 95th percentiles: the stated low and high of a 90 % interval."""
        if self.bounded:
            return self.ppf(0.05), self.ppf(0.95)
        return self.low, self.high

    @property
    def _pert_shape(self) -> tuple[float, float]:
        width = self.high - self.low
        mode = self.low if self.mode is None else self.mode
        return (
            1.0 + PERT_LAMBDA * (mode - self.low) / width,
            1.0 + PERT_LAMBDA * (self.high - mode) / width,
        )

    def ppf(self, p: float) -> float:
        """The ``p`` quantile (inverse cumulative distribution), ``0 < p < 1``.

        >>> round(distribution("uniform", low=10.0, high=20.0).ppf(0.25), 6)
        12.5
        """
        if not 0.0 < p < 1.0:
            raise ValueError(f"p must be in (0, 1), got {p}")
        if self.high == self.low:
            return self.low
        if self.kind in ("normal", "lognormal"):
            z = NormalDist().inv_cdf(p)
            centre = math.log(self.median) if self.kind == "lognormal" else self.median
            x = centre + (self.below if z < 0 else self.above) * z
            return math.exp(x) if self.kind == "lognormal" else x
        width = self.high - self.low
        if self.kind == "uniform":
            return self.low + width * p
        mode = self.low if self.mode is None else self.mode
        if self.kind == "triangular":
            split = (mode - self.low) / width
            if p < split:
                return self.low + math.sqrt(p * width * (mode - self.low))
            return self.high - math.sqrt((1.0 - p) * width * (self.high - mode))
        a, b = self._pert_shape
        return self.low + width * beta_ppf(p, a, b)

    def sample(self, rng: np.random.Generator, n: int) -> Array:
        """``n`` independent draws [unit of the assumption].

        Each draw consumes the generator's stream in order, so ``n1`` draws followed by ``n2``
        draws equal ``n1 + n2`` draws at once: chunking does not change the numbers.
        """
        if self.high == self.low:
            return np.full(n, self.low)
        if self.kind in ("normal", "lognormal"):
            z = rng.standard_normal(n)
            if self.below == self.above:
                z *= self.below
            else:
                z *= np.where(z < 0.0, self.below, self.above)
            if self.kind == "lognormal":
                z += math.log(self.median)
                return np.exp(z, out=z)
            z += self.median
            return z
        if self.kind == "pert":
            a, b = self._pert_shape
            return self.low + (self.high - self.low) * rng.beta(a, b, n)
        return self.from_uniform(rng.random(n))

    def from_uniform(self, u: ArrayLike) -> Array:
        """Quantiles of an array of probabilities ``u`` in (0, 1): the inverse-CDF transform.

        Normal, lognormal and PERT need scipy (installed with the ``sobol`` extra); uniform and
        triangular are closed forms.
        """
        p = np.asarray(u, dtype=float)
        if self.high == self.low:
            return np.full(p.shape, self.low)
        width = self.high - self.low
        if self.kind == "uniform":
            return self.low + width * p
        if self.kind == "triangular":
            mode = self.low if self.mode is None else self.mode
            split = (mode - self.low) / width
            left = self.low + np.sqrt(p * width * (mode - self.low))
            right = self.high - np.sqrt((1.0 - p) * width * (self.high - mode))
            return np.where(p < split, left, right)
        # scipy is optional (installed with the sobol extra): only Sobol maps many probabilities.
        special = importlib.import_module("scipy.special")

        if self.kind == "pert":
            a, b = self._pert_shape
            return np.asarray(self.low + width * special.betaincinv(a, b, p), dtype=float)
        z = special.ndtri(p)
        centre = math.log(self.median) if self.kind == "lognormal" else self.median
        x = centre + np.where(z < 0.0, self.below, self.above) * z
        return np.asarray(np.exp(x) if self.kind == "lognormal" else x, dtype=float)


def distribution(
    dist: DistName | None,
    *,
    value: float | None = None,
    low: float | None = None,
    high: float | None = None,
    mode: float | None = None,
    mean: float | None = None,
    sd: float | None = None,
) -> Distribution:
    """The distribution that a range's parameters describe.

    Parameters
    ----------
    dist : {'triangular', 'pert', 'uniform', 'normal', 'lognormal'} or None
        The family; None reads ``{low, high}`` as a normal 90 % interval (the schema picks
        lognormal for positive skewed fields before calling this).
    value : float, optional
        The median of a ``{low, high}`` 90 % interval, when it is not the midpoint (normal) or
        the geometric mean (lognormal) of the ends.
    low, high : float, optional
        5th and 95th percentiles (normal, lognormal); minimum and maximum (uniform, triangular,
        PERT).
    mode : float, optional
        Most likely value (triangular, PERT).
    mean, sd : float, optional
        Mean and standard deviation of a normal distribution.

    Raises
    ------
    RangeError
        With one line saying which parameter is wrong and what is allowed.

    Examples
    --------
    >>> d = distribution("normal", value=0.45, low=0.2, high=0.6)
    >>> d.median, [round(x, 6) for x in d.interval90]
    (0.45, [0.2, 0.6])
    >>> distribution(None, low=0.6, high=0.2)
    Traceback (most recent call last):
    ...
    roi.uncertainty.RangeError: low (0.6) is greater than high (0.2)
    """
    kind: DistName = dist or "normal"
    given = {
        k: v
        for k, v in zip(_PARAMETERS, (value, low, high, mode, mean, sd), strict=True)
        if v is not None
    }
    takes = {
        "triangular": ("low", "mode", "high"),
        "pert": ("low", "mode", "high"),
        "uniform": ("low", "high"),
        "normal": ("low", "high", "value", "mean", "sd"),
        "lognormal": ("low", "high", "value"),
    }[kind]
    for name in given:
        if name not in takes:
            if name == "value":
                raise RangeError(
                    f"value cannot be given with dist: {kind}: the point estimate of a range is "
                    "its median (give value only with a {low, high} 90 % interval)"
                )
            raise RangeError(
                f"{name} is not a parameter of dist: {kind} (it takes {', '.join(takes)})"
            )
    if kind == "normal" and ("mean" in given or "sd" in given):
        if "low" in given or "high" in given or "value" in given:
            raise RangeError(
                "dist: normal takes either low and high (a 90 % interval) or mean and sd, not both"
            )
        if mean is None or sd is None:
            raise RangeError("dist: normal with mean needs sd too (or give low and high)")
        if sd < 0:
            raise RangeError(f"sd ({sd:g}) must be zero or more")
        return Distribution(
            "normal", mean - Z95 * sd, mean + Z95 * sd, mean, below=float(sd), above=float(sd)
        )
    if low is None or high is None:
        need = "low, mode and high" if "mode" in takes else "low and high"
        raise RangeError(f"a range needs {need}" + (f" (dist: {dist})" if dist else ""))
    if low > high:
        raise RangeError(f"low ({low:g}) is greater than high ({high:g})")
    if kind in ("triangular", "pert"):
        if mode is None:
            raise RangeError(f"dist: {kind} needs mode (the most likely value) with low and high")
        if not low <= mode <= high:
            raise RangeError(f"mode ({mode:g}) must lie between low ({low:g}) and high ({high:g})")
        shape = Distribution(kind, low, high, mode, mode=mode)
        return Distribution(kind, low, high, shape.ppf(0.5), mode=mode)
    if kind == "uniform":
        return Distribution("uniform", low, high, (low + high) / 2.0)
    if value is not None and not low <= value <= high:
        raise RangeError(
            f"value ({value:g}) must lie between low ({low:g}) and high ({high:g}): the value of "
            "a range is its median"
        )
    if kind == "lognormal":
        if low <= 0:
            raise RangeError(
                f"a lognormal range needs low > 0 (got low = {low:g}); for a range that reaches "
                "zero give dist: normal, uniform, triangular or pert"
            )
        centre = math.log(value) if value is not None else (math.log(low) + math.log(high)) / 2
        median = value if value is not None else math.sqrt(low * high)
        below, above = (centre - math.log(low)) / Z95, (math.log(high) - centre) / Z95
    else:
        median = value if value is not None else (low + high) / 2.0
        below, above = (median - low) / Z95, (high - median) / Z95
    return Distribution(kind, low, high, median, below=max(below, 0.0), above=max(above, 0.0))


def distribution_of(q: Quantity) -> Distribution:
    """The distribution of a ranged :class:`roi.schema.Quantity` (its ``value`` is the median)."""
    if q.dist is None:
        raise ValueError("not a range: the quantity has no dist")
    value = q.value if q.dist in ("normal", "lognormal") and q.mean is None else None
    return distribution(
        q.dist, value=value, low=q.low, high=q.high, mode=q.mode, mean=q.mean, sd=q.sd
    )


def beta_cdf(x: float, a: float, b: float) -> float:
    """The regularized incomplete beta function ``I_x(a, b)``: the Beta(a, b) CDF at ``x``.

    Continued fraction by the modified Lentz method [3]_.

    >>> round(beta_cdf(0.5, 2.0, 2.0), 12)
    0.5
    >>> round(beta_cdf(0.3, 1.0, 1.0), 12)
    0.3
    """
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_fraction(x, a, b) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(1.0 - x, b, a) / b


def _beta_fraction(x: float, a: float, b: float) -> float:
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        for aa in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def beta_ppf(p: float, a: float, b: float) -> float:
    """The ``p`` quantile of Beta(a, b), by bisection on :func:`beta_cdf` (to 1e-13).

    >>> round(beta_ppf(0.5, 1.0, 5.0), 6)  # 1 - 0.5 ** (1 / 5)
    0.129449
    """
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2.0
        if beta_cdf(mid, a, b) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


# --- ranged inputs of a scenario ----------------------------------------------------------------


@dataclass(frozen=True)
class RangedInput:
    """One ranged assumption of a scenario, ready to draw."""

    path: str
    """Dotted parameter path, as in :func:`roi.parameters.parameters`."""
    label: str
    """Readable name with unit, e.g. ``Sev-1 MTTR after (h)``."""
    unit: str
    """Canonical unit with the currency filled in."""
    distribution: Distribution
    point: float
    """The point estimate (the median) every deterministic command uses."""
    support: tuple[float, float]
    """Bounds of the field; draws of unbounded families are clipped into them."""
    source: str | None = None


_FIELD_LABELS: dict[str, str] = {
    "incidents_per_month": "incidents a month",
    "mttr_hours_before": "MTTR before",
    "mttr_hours_after": "MTTR after",
    "mttr_reduction_fraction": "MTTR reduction",
    "revenue_impact_fraction": "share of revenue lost while down",
    "responders": "responders",
    "incident_reduction_fraction": "Repeat incidents avoided",
    "revenue_per_hour": "Revenue per hour",
    "loaded_hourly_rate": "Loaded engineer cost",
    "margin": "Margin",
    "horizon_months": "Horizon",
    "rollout_months": "Rollout length",
    "traffic_growth_per_month": "Traffic growth",
    "services_growth_per_month": "Services growth",
    "revenue_growth_per_month": "Revenue growth",
    "latency_ms_before": "latency before",
    "latency_ms_after": "latency after",
    "conversion_rate": "Conversion rate",
    "revenue_through_path_per_year": "revenue through the journey",
    "conversion_lift_per_100ms": "Conversion lift per 100 ms",
    "max_conversion_lift": "Cap on conversion lift",
    "latency_attribution_fraction": "Latency gain credited to tracing",
    "requests_per_month": "Requests",
    "spans_per_request": "Spans per request",
    "overhead_ms_per_span": "Overhead per span",
    "sampling_rate": "Sampling rate",
    "bytes_per_span": "Span size",
    "services_to_instrument": "Services to instrument",
    "hours_per_service": "Hours to instrument a service",
    "contingency_fraction": "Contingency on estimates",
    "review_hours_per_week": "Weekly review length",
    "review_attendees": "Weekly review attendees",
    "setup_engineer_weeks": "Self-run set-up effort",
    "maintenance_days_per_week": "Self-run upkeep",
    "tracing_incident_hours_per_month": "Tracing system's own incidents",
    "retention_days": "Trace retention",
    "storage_price_per_gb_month": "Storage price",
    "compression_ratio": "Compression ratio",
    "distributor_mb_per_s": "Tempo distributor capacity",
    "ingester_mb_per_s": "Tempo ingester capacity",
    "querier_mb_per_s": "Tempo querier capacity",
    "replica_price_per_month": "Price of a Tempo replica",
    "onboarding_services_per_week": "Vendor onboarding speed",
    "admin_hours_per_month": "Vendor admin time",
    "apm_hosts": "APM hosts",
    "custom_metrics_per_service": "Custom metrics per service",
    "indexed_span_fraction": "Indexed span share",
    "users": "Paid users",
    "rewrite_weeks_per_service": "SDK rewrite per service",
    "config_switch_hours": "Backend switch effort",
    "discount_rate": "Discount rate",
    "benefit_risk": "Benefit risk adjustment",
    "cost_risk": "Cost risk adjustment",
    "nps_change": "NPS change",
    "price_per_unit": "price",
    "free_units": "free allowance",
    "included_per_host": "allowance per host",
}


def display_unit_of(unit: str) -> str:
    """The unit a person reads: fractions are shown as percentages.

    >>> display_unit_of("fraction"), display_unit_of("fraction/year"), display_unit_of("h")
    ('%', '%/year', 'h')
    """
    return unit.replace("fraction", "%") if unit.startswith("fraction") else unit


def input_label(path: str, unit: str, scenario: Scenario | None = None) -> str:
    """A readable name for a parameter path, with its unit.

    >>> input_label("incidents.severities.sev1.mttr_hours_after", "h")
    'Sev-1 MTTR after (h)'
    >>> input_label("finance.discount_rate", "fraction/year")
    'Discount rate (%/year)'
    """
    from roi.presets import DRIVER_UNITS, VENDORS

    parts = path.split(".")
    name = parts[-1]
    text = _FIELD_LABELS.get(name, name.replace("_", " "))
    if parts[:2] == ["incidents", "severities"] and len(parts) == 4:
        sev = parts[2]
        digits = sev.removeprefix("sev")
        prefix = f"Sev-{digits}" if sev.startswith("sev") and digits.isdigit() else sev
        text = f"{prefix} {text}"
    elif parts[0] == "latency" and name in ("latency_ms_before", "latency_ms_after"):
        journey = scenario.latency.journey if scenario and scenario.latency else "journey"
        pct = scenario.latency.percentile if scenario and scenario.latency else ""
        text = f"{journey.capitalize()} {pct + ' ' if pct else ''}{text}"
    elif name == "revenue_through_path_per_year":
        journey = scenario.latency.journey if scenario and scenario.latency else "the"
        text = f"Revenue through {journey}"
    elif parts[:2] == ["managed", "prices"] and len(parts) == 5:
        vendor = VENDORS[parts[2]].label if parts[2] in VENDORS else parts[2]
        text = f"{vendor}: {DRIVER_UNITS.get(parts[3], parts[3])} {text}"
    return f"{text} ({display_unit_of(unit)})" if unit else text


def support_of(path: str) -> tuple[float, float]:
    """Bounds of the field at ``path`` (from its schema Spec); ``(-inf, inf)`` if it has none."""
    from roi.schema import spec_at

    spec = spec_at(path)
    bounds = spec.bounds if spec is not None else "any"
    return {
        "fraction": (0.0, 1.0),
        "nonneg": (0.0, math.inf),
        "positive": (math.ulp(0.0), math.inf),
        "growth": (-1.0 + 1e-12, math.inf),
        "any": (-math.inf, math.inf),
    }[bounds]


def ranged_inputs(scenario: Scenario) -> list[RangedInput]:
    """Every assumption of ``scenario`` given as a range, in parameter-table order.

    Zero-width ranges (``low == high``) are constants and left out.
    """
    from roi.parameters import ranged_parameters

    out = []
    for path, q in ranged_parameters(scenario).items():
        d = distribution_of(q)
        if d.high == d.low:
            continue
        unit = q.unit or ""
        out.append(
            RangedInput(
                path,
                input_label(path, unit, scenario),
                unit,
                d,
                q.value,
                support_of(path),
                q.source,
            )
        )
    return out


def input_streams(
    inputs: list[RangedInput], seed: int | None = 0, rng: np.random.Generator | None = None
) -> dict[str, np.random.Generator]:
    """One independent random generator per input, keyed by path.

    Each stream is seeded from ``(seed, crc32(path))``, so an input's draws depend only on the
    seed and its own path. With ``rng``, the seed is one integer drawn from it (the caller's
    generator advances; the same generator state gives the same streams).
    """
    seed = resolve_seed(seed, rng)
    return {
        i.path: np.random.default_rng([seed, zlib.crc32(i.path.encode("utf-8"))]) for i in inputs
    }


def resolve_seed(seed: int | None = 0, rng: np.random.Generator | None = None) -> int:
    """The integer seed of a run: ``seed``, or one integer drawn from ``rng``, or fresh entropy
    when both are None. Recording it makes any run repeatable."""
    if rng is not None:
        return int(rng.integers(0, 2**63))
    if seed is None:
        return int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> np.uint64(1))
    return int(seed)


def draw(
    inputs: list[RangedInput], streams: Mapping[str, np.random.Generator], n: int
) -> dict[str, Array]:
    """The next ``n`` draws of every input from its stream, clipped into the field's bounds."""
    out = {}
    for i in inputs:
        d = i.distribution
        x = d.sample(streams[i.path], n)
        lo, hi = i.support
        # Uniform, triangular and PERT stay inside [low, high], which the schema checked against
        # the bounds; a lognormal is positive. Only the other tails can leave the field's bounds.
        positive = d.kind == "lognormal" and lo <= 0.0
        if not d.bounded and (hi < math.inf or (lo > -math.inf and not positive)):
            np.clip(x, lo, hi, out=x)
        out[i.path] = x
    return out


def coherent(values: dict[str, Array], point: Mapping[str, float]) -> dict[str, Array]:
    """Draws made consistent across inputs: MTTR with tracing never exceeds MTTR today.

    The schema refuses ``mttr_hours_after > mttr_hours_before`` for the stated values; when one
    or both are ranged, a draw of ``after`` above that sample's ``before`` is set to ``before``
    (tracing is not assumed to slow resolution). ``point`` gives the values of inputs not drawn.
    """
    out = dict(values)
    for path in values:
        if path.endswith(".mttr_hours_after") or path.endswith(".mttr_hours_before"):
            stem = path.rsplit(".", 1)[0]
            after, before = f"{stem}.mttr_hours_after", f"{stem}.mttr_hours_before"
            if after not in point and after not in values:
                continue
            a = np.asarray(out.get(after, point.get(after)), dtype=float)
            b = np.asarray(out.get(before, point.get(before)), dtype=float)
            out[after] = np.minimum(a, b)
    return out


# --- the Monte Carlo engine ---------------------------------------------------------------------


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

    @property
    def currency(self) -> str:
        """The scenario's ISO 4217 currency."""
        return self.scenario.currency


def simulate(
    scenario: Scenario,
    samples: int = 10_000,
    seed: int | None = 0,
    rng: np.random.Generator | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    fan_samples: int = FAN_SAMPLES,
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
    >>> from roi.scenario import load_scenario
    >>> sim = simulate(load_scenario("data_samples/scenarios/seed-article.yaml"), samples=2000)
    >>> s = sim.options["self-run"].summary()["npv"]
    >>> s["p10"] <= s["p50"] <= s["p90"]
    True
    """
    from roi.model import evaluate
    from roi.parameters import parameters

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
    for start in range(0, samples, chunk_size if inputs else samples):
        n = min(chunk_size, samples - start) if inputs else samples
        ev: Evaluation = (
            evaluate(scenario, values=coherent(draw(inputs, streams, n), point_table))
            if inputs
            else base
        )
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
    )


# --- presentation: the document of `roi simulate` and its table ---------------------------------

SIMULATION_SCHEMA_VERSION = 1


def _json_number(x: float) -> float | None:
    """A float for JSON; NaN and inf (undefined, never) become null."""
    return float(x) if math.isfinite(x) else None


def input_document(i: RangedInput) -> dict[str, Any]:
    """One ranged input as JSON: path, label, distribution and its 90 % interval."""
    d = i.distribution
    low, high = d.interval90
    return {
        "path": i.path,
        "label": i.label,
        "unit": i.unit,
        "distribution": d.kind,
        "p5": low,
        "median": d.median,
        "p95": high,
        "min": d.low if d.bounded else None,
        "mode": d.mode,
        "max": d.high if d.bounded else None,
        "source": i.source,
    }


def simulation_document(sim: Simulation, source_file: str | None = None) -> dict[str, Any]:
    """The JSON document of ``roi simulate``: per option the P10/P50/P90 and mean of every KPI,
    the point estimate, and the probabilities of a negative NPV and of payback within 12 months.

    Payback percentiles are null where they are not reached within the horizon.
    """
    options = []
    for o in sim.options.values():
        summary = {
            kpi: {k: _json_number(v) for k, v in stats.items()}
            for kpi, stats in o.summary().items()
        }
        options.append(
            {
                "key": o.key,
                "label": o.label,
                "kind": o.kind,
                "point": {k: _json_number(v) for k, v in o.point.items()},
                "summary": summary,
                "prob_npv_negative": o.prob_npv_negative,
                "prob_payback_within_12_months": o.prob_payback_within_12_months,
                "prob_payback_within_horizon": o.prob_payback_within_horizon,
            }
        )
    s = sim.scenario
    return {
        "schema_version": SIMULATION_SCHEMA_VERSION,
        "command": "simulate",
        "scenario": {
            "file": source_file,
            "name": s.name,
            "currency": s.currency,
            "horizon_months": int(s.timeline.horizon_months.value),
        },
        "samples": sim.samples,
        "seed": sim.seed,
        "percentiles": list(PERCENTILES),
        "ranged_inputs": [input_document(i) for i in sim.inputs],
        "options": options,
        "notes": [
            "KPIs are risk-adjusted (TEI); the point estimate puts every input at its median.",
            "payback_months is null where it is not reached within the horizon; its mean is "
            "null when any sample never pays back.",
            "The do-nothing baseline is left out: every option is measured against it.",
        ],
    }


def format_input(value: float, unit: str) -> str:
    """An input value for people: fractions as percentages, others with their unit.

    >>> format_input(0.45, "fraction"), format_input(4000.0, "B")
    ('45 %', '4,000 B')
    >>> format_input(0.1, "fraction/year")
    '10 %/year'
    """
    from roi.formatting import number

    if unit.startswith("fraction"):
        return f"{value * 100.0:.3g} {display_unit_of(unit)}"
    return f"{number(value)} {unit}".rstrip()


def format_kpi(value: float | None, kpi: str, currency: str) -> str:
    """A KPI value for people: money compact, ROI as a percentage, payback in months."""
    from roi.formatting import compact_money, months_text, percent

    if kpi == "roi":
        return percent(value)
    if kpi == "payback_months":
        if value is None or not math.isfinite(value):
            return "never"
        return months_text(value)
    return compact_money(value, currency)


def simulation_table(doc: dict[str, Any]) -> str:
    """The ``roi simulate`` document as a text report."""
    from roi.formatting import table

    d = doc
    scenario = d["scenario"]
    cur = str(scenario["currency"])
    inputs = d["ranged_inputs"]
    options = d["options"]
    out = [
        str(scenario["name"]),
        f"  Monte Carlo: {d['samples']:,} samples, seed {d['seed']}, "
        f"{len(inputs)} ranged input{'s' if len(inputs) != 1 else ''}; risk-adjusted, {cur}",
        "  P10, P50, P90: the values 10 %, 50 %, 90 % of samples fall below; point: every "
        "input at its median",
        "",
    ]
    if not inputs:
        out += [
            "  No ranged inputs: every sample is the point estimate. Give uncertain assumptions "
            "as {low, high} ranges (see roi init).",
            "",
        ]
    names = {"npv": "NPV", "roi": "ROI", "payback_months": "Payback"}
    for o in options:
        out.append(f"== {o['label']} ({o['key']})")
        rows = []
        for kpi, name in names.items():
            stats = o["summary"][kpi]
            rows.append(
                [name]
                + [format_kpi(stats[k], kpi, cur) for k in ("p10", "p50", "p90")]
                + [
                    format_kpi(stats["mean"], kpi, cur) if stats["mean"] is not None else "n/a",
                    format_kpi(o["point"][kpi], kpi, cur),
                ]
            )
        out.append(table(rows, ["", "P10", "P50", "P90", "Mean", "Point"]))
        out.append(
            f"  P(NPV < 0): {o['prob_npv_negative'] * 100:.1f} %   "
            f"P(payback within 12 months): {o['prob_payback_within_12_months'] * 100:.1f} %"
        )
        out.append("")
    if inputs:
        out.append("Ranged inputs (P5 to P95, median; roi sensitivity ranks them)")
        rows = [
            [
                i["label"],
                f"{format_input(i['p5'], i['unit'])} to {format_input(i['p95'], i['unit'])}",
                format_input(i["median"], i["unit"]),
                i["distribution"],
                i["source"] or "",
            ]
            for i in inputs
        ]
        out.append(
            table(rows, ["Input", "90 % interval", "Median", "Distribution", "Source"], "lrrll")
        )
    return "\n".join(out).rstrip() + "\n"
