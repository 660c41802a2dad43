"""Distributions of uncertain assumptions (a leaf: numpy and the standard library only).

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
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal, get_args

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]

DistName = Literal["triangular", "pert", "uniform", "normal", "lognormal"]
DISTRIBUTIONS: tuple[str, ...] = get_args(DistName)

Z95 = NormalDist().inv_cdf(0.95)
"""The standard normal's 95th percentile, about 1.645: a 90 % interval is median ± Z95 sd."""

PERT_LAMBDA = 4.0
"""Weight of the mode in a PERT distribution (the classic PERT choice) [1]."""

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

    def cdf(self, x: float) -> float:
        """The share of the distribution at or below ``x`` [fraction]: where a value sits in
        the range (``ppf``'s inverse).

        >>> d = distribution("uniform", low=10.0, high=20.0)
        >>> d.cdf(12.5), d.cdf(5.0), d.cdf(25.0)
        (0.25, 0.0, 1.0)
        >>> n = distribution(None, low=0.2, high=0.6)
        >>> round(n.cdf(0.2), 4), round(n.cdf(n.ppf(0.3)), 6)
        (0.05, 0.3)
        """
        if self.high == self.low:
            return 0.0 if x < self.low else 1.0
        if self.kind in ("normal", "lognormal"):
            if self.kind == "lognormal":
                if x <= 0.0:
                    return 0.0
                d = math.log(x) - math.log(self.median)
            else:
                d = x - self.median
            spread = self.below if d < 0 else self.above
            if spread == 0.0:
                return 0.0 if d < 0 else 1.0
            return NormalDist().cdf(d / spread)
        if x <= self.low:
            return 0.0
        if x >= self.high:
            return 1.0
        width = self.high - self.low
        if self.kind == "uniform":
            return (x - self.low) / width
        mode = self.low if self.mode is None else self.mode
        if self.kind == "triangular":
            if x <= mode:
                return (x - self.low) ** 2 / (width * (mode - self.low))
            return 1.0 - (self.high - x) ** 2 / (width * (self.high - mode))
        a, b = self._pert_shape
        return beta_cdf((x - self.low) / width, a, b)

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
    roi.inputs.distributions.RangeError: low (0.6) is greater than high (0.2)
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
