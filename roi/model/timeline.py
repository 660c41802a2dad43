"""The one time axis: month 0 is the Initial period (one-off costs, not discounted), months
1..horizon are operations. Timing is done with flags that multiply, never with branches.

Arrays of inputs have a sample shape ``S`` with a trailing axis of length 1, so that they
broadcast against the month axis, which is always last.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]


def months(horizon_months: int) -> Array:
    """Month indices ``0 .. horizon_months`` [month].

    >>> months(3)
    array([0., 1., 2., 3.])
    """
    return np.arange(horizon_months + 1, dtype=float)


def operating(t: Array) -> Array:
    """Flag [0/1] that is 1 in operating months (1..horizon) and 0 in the Initial period.

    >>> operating(months(2))
    array([0., 1., 1.])
    """
    return (t >= 1).astype(float)


def adoption(t: Array, rollout_months: ArrayLike) -> Array:
    """Share of the organisation using tracing in month ``t`` [fraction].

    Parameters
    ----------
    t : array
        Month indices [month].
    rollout_months : array_like
        Length of the linear ramp [month], > 0.

    Notes
    -----
    ``a(t) = clip(t / rollout_months, 0, 1)``: nothing in the Initial period, full adoption from
    the end of the rollout. A fractional rollout gives a fractional last ramp month; a rollout of
    0 months (nothing to onboard) is full adoption from month 1.

    Examples
    --------
    >>> adoption(months(4), 3.0).round(3)
    array([0.   , 0.333, 0.667, 1.   , 1.   ])
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.clip(t / np.asarray(rollout_months, dtype=float), 0.0, 1.0)
    return np.where(t > 0, a, 0.0)


def ramp_weights(t: Array, rollout_months: ArrayLike) -> Array:
    """Share of the rollout work done in month ``t`` [fraction]; sums to 1.

    Work is paid one month before the adoption it brings: ``w(t) = a(t + 1) - a(t)``. A rollout
    shorter than a month is all paid in the Initial period.

    >>> ramp_weights(months(4), 3.0).round(3)
    array([0.333, 0.333, 0.333, 0.   , 0.   ])
    >>> ramp_weights(months(2), 0.25)
    array([1., 0., 0.])
    """
    return adoption(t + 1.0, rollout_months) - adoption(t, rollout_months)


def growth(t: Array, rate_per_month: ArrayLike) -> Array:
    """Compound growth factor ``(1 + g) ** t`` [ratio] of a volume that is 1 today.

    >>> growth(months(2), 0.1)
    array([1.  , 1.1 , 1.21])
    """
    return (1.0 + np.asarray(rate_per_month, dtype=float)) ** t
