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

    Parameters
    ----------
    horizon_months : int
        Months of operation after the Initial period [month].

    Returns
    -------
    ndarray, shape ``(horizon_months + 1,)``
        Month indices [month]; 0 is the Initial period.

    Notes
    -----
    ``t = 0, 1, ..., horizon``: one time axis for every line item.

    References
    ----------
    .. [1] Forrester, Total Economic Impact methodology: Initial column undiscounted, years
       discounted at end of year, 10 % discount rate, ROI = (PV benefits - PV costs) / PV costs.

    Examples
    --------
    >>> months(3)
    array([0., 1., 2., 3.])
    """
    return np.arange(horizon_months + 1, dtype=float)


def operating(t: Array) -> Array:
    """Flag [0/1] that is 1 in operating months (1..horizon) and 0 in the Initial period.

    Parameters
    ----------
    t : ndarray
        Month indices [month].

    Returns
    -------
    ndarray
        ``1`` where ``t >= 1``, else ``0`` [flag].

    Notes
    -----
    ``op(t) = [t >= 1]``: recurring costs start after the Initial period (timing by flags that
    multiply).

    References
    ----------
    .. [1] Forrester, Total Economic Impact methodology: Initial column undiscounted, years
       discounted at end of year, 10 % discount rate, ROI = (PV benefits - PV costs) / PV costs.

    Examples
    --------
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

    Returns
    -------
    ndarray
        Adoption [fraction], broadcast of ``t`` and ``rollout_months``.

    Notes
    -----
    ``a(t) = clip(t / rollout_months, 0, 1)``: nothing in the Initial period, full adoption from
    the end of the rollout. A fractional rollout gives a fractional last ramp month; a rollout of
    0 months (nothing to onboard) is full adoption from month 1.

    References
    ----------
    .. [1] JP, "How Do You Implement Distributed Tracing In Microservices at Scale?",
       DataAnnotation, 2025-11-07: "30 services in a week" (managed) against a rollout of months
       (self-run).

    Examples
    --------
    >>> adoption(months(4), 3.0).round(3)
    array([0.   , 0.333, 0.667, 1.   , 1.   ])
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.clip(t / np.asarray(rollout_months, dtype=float), 0.0, 1.0)
    return np.where(t > 0, a, 0.0)


def ramp_weights(
    t: Array, rollout_months: ArrayLike, adoption_now: ArrayLike | None = None
) -> Array:
    """Share of the rollout work done in month ``t`` [fraction]; sums to 1.

    Parameters
    ----------
    t : array
        Month indices [month].
    rollout_months : array_like
        Length of the linear ramp [month].
    adoption_now : array_like, optional
        ``adoption(t, rollout_months)`` when already computed [fraction].

    Returns
    -------
    ndarray
        Share of the rollout work in each month [fraction].

    Notes
    -----
    Work is paid one month before the adoption it brings: ``w(t) = a(t + 1) - a(t)``. A rollout
    shorter than a month is all paid in the Initial period.

    References
    ----------
    .. [1] JP, "How Do You Implement Distributed Tracing In Microservices at Scale?",
       DataAnnotation, 2025-11-07: rollout effort ahead of the benefits it brings.

    Examples
    --------
    >>> ramp_weights(months(4), 3.0).round(3)
    array([0.333, 0.333, 0.333, 0.   , 0.   ])
    >>> ramp_weights(months(2), 0.25)
    array([1., 0., 0.])
    """
    now = adoption(t, rollout_months) if adoption_now is None else np.asarray(adoption_now)
    return adoption(t + 1.0, rollout_months) - now


def growth(t: Array, rate_per_month: ArrayLike) -> Array:
    """Compound growth factor of a volume that is 1 today [ratio].

    Parameters
    ----------
    t : array
        Month indices [month].
    rate_per_month : array_like
        Growth rate [fraction per month], > -1.

    Returns
    -------
    ndarray
        ``(1 + g) ** t`` [ratio].

    Notes
    -----
    ``G(t) = (1 + g) ** t``: constant compound growth, no saturation.

    References
    ----------
    .. [1] JP, "How Do You Implement Distributed Tracing In Microservices at Scale?",
       DataAnnotation, 2025-11-07: "storage costs scaled linearly with our traffic".

    Examples
    --------
    >>> growth(months(2), 0.1)
    array([1.  , 1.1 , 1.21])
    """
    return (1.0 + np.asarray(rate_per_month, dtype=float)) ** t
