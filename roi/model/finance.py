"""Finance in Forrester TEI form: risk adjustment, yearly cash-flow table, NPV, ROI, payback, IRR.

Conventions, where they bite:

* Rates are decimals per year (0.10, not 10).
* ``values[..., 0]`` is the Initial period: time 0, not discounted. ``values[..., k]`` is year k,
  discounted at year end: ``PV = sum_k values[k] / (1 + rate) ** k``.
* Unlike ``numpy_financial.npv``, which pairs every rate with every series, :func:`npv` pairs
  one rate with one series, so a Monte Carlo passes one rate per sample.

References
----------
.. [1] Forrester, Total Economic Impact methodology: Initial column undiscounted, years discounted
   at end of year, 10 % discount rate, ROI = (PV benefits - PV costs) / PV costs.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from roi.model.timeline import Array


def npv(rate: ArrayLike, values: ArrayLike) -> Array:
    """Net present value of a series of cash flows, one rate per series.

    Parameters
    ----------
    rate : array_like, shape ``S`` or ``S + (1,)``
        Discount rate per period [fraction per period].
    values : array_like, shape ``S + (n,)``
        Cash flows [currency]; ``values[..., 0]`` is at time 0 and is not discounted.

    Returns
    -------
    ndarray, shape ``S``
        ``sum_t values[..., t] / (1 + rate) ** t`` [currency].

    Examples
    --------
    A TEI table: 100 invested now, 60 back at the end of each of two years, at 10 %:

    >>> round(float(npv(0.10, [-100, 60, 60])), 2)
    4.13

    One rate per sample:

    >>> npv([0.0, 0.10], [[-100, 60, 60], [-100, 60, 60]]).round(2)
    array([20.  ,  4.13])
    """
    v = np.asarray(values, dtype=float)
    r = np.asarray(rate, dtype=float)
    if r.ndim == v.ndim and r.shape[-1:] == (1,):
        r = r[..., 0]
    t = np.arange(v.shape[-1], dtype=float)
    discount = (1.0 + r[..., None]) ** -t
    return np.sum(v * discount, axis=-1)


def monthly_rate(rate_per_year: ArrayLike) -> Array:
    """The monthly rate equivalent to a yearly one [fraction per month].

    >>> round(float(monthly_rate(0.10)), 6)
    0.007974
    """
    return (1.0 + np.asarray(rate_per_year, dtype=float)) ** (1.0 / 12.0) - 1.0


def yearly(monthly: ArrayLike) -> Array:
    """TEI columns from a monthly series: Initial (month 0), then Year 1..N sums [currency].

    A horizon that is not a whole number of years leaves a shorter last year.

    >>> yearly([5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2])
    array([ 5., 12.,  4.])
    """
    m = np.asarray(monthly, dtype=float)
    operations = m[..., 1:]
    n_months = operations.shape[-1]
    n_years = -(-n_months // 12)
    pad = n_years * 12 - n_months
    if pad:
        operations = np.concatenate([operations, np.zeros((*operations.shape[:-1], pad))], axis=-1)
    years = operations.reshape(*operations.shape[:-1], n_years, 12).sum(axis=-1)
    return np.concatenate([m[..., :1], years], axis=-1)


def present_value(rate_per_year: ArrayLike, monthly: ArrayLike, discounting: str = "tei") -> Array:
    """Present value of a monthly series [currency].

    ``discounting="tei"`` sums months into years and discounts each year at its end (Initial not
    discounted); ``"monthly"`` discounts each month at the equivalent monthly rate.

    >>> round(float(present_value(0.10, [100] + [10] * 12)), 2)
    209.09
    >>> round(float(present_value(0.10, [100] + [10] * 12, "monthly")), 2)
    214.0
    """
    if discounting == "tei":
        return npv(rate_per_year, yearly(monthly))
    if discounting == "monthly":
        return npv(monthly_rate(rate_per_year), monthly)
    raise ValueError(f"discounting must be 'tei' or 'monthly', not {discounting!r}")


def roi(pv_benefits: ArrayLike, pv_costs: ArrayLike) -> Array:
    """Return on investment [fraction]: (PV benefits - PV costs) / PV costs. 3.29 means 329 %.

    NaN where there are no costs.

    >>> float(roi(2.54, 0.71).round(2))
    2.58
    """
    b = np.asarray(pv_benefits, dtype=float)
    c = np.asarray(pv_costs, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(c > 0, (b - c) / np.where(c > 0, c, 1.0), np.nan)


def payback_months(net_monthly: ArrayLike) -> Array:
    """Months until cumulative net cash turns non-negative for good [month].

    Parameters
    ----------
    net_monthly : array_like, shape ``S + (T,)``
        Net cash (benefits - costs) per month, month 0 being the Initial period [currency].

    Returns
    -------
    ndarray, shape ``S``
        The first month from which cumulative net cash stays >= 0 to the horizon; 0 if it is
        never negative; NaN if it is still negative at the horizon (no payback).

    Notes
    -----
    Undiscounted and risk-adjusted, as TEI studies report it. "For good" keeps a scheduled
    migration late in the horizon from hiding an earlier payback that did not last.

    Examples
    --------
    >>> float(payback_months([-100, 30, 30, 30, 30, 30]))
    4.0
    >>> payback_months([[-100, 10, 10], [0, 5, 5]])
    array([nan,  0.])
    """
    cumulative = np.cumsum(np.asarray(net_monthly, dtype=float), axis=-1)
    negative = cumulative < 0
    n = negative.shape[-1]
    # Index of the last negative month, or -1 when there is none.
    last_negative = n - 1 - np.argmax(negative[..., ::-1], axis=-1)
    last_negative = np.where(negative.any(axis=-1), last_negative, -1)
    months = (last_negative + 1).astype(float)
    return np.where(last_negative == n - 1, np.nan, months)


def irr(values: ArrayLike) -> float:
    """Internal rate of return of one series of per-period cash flows [fraction per period].

    The real root of ``sum_t v_t x^t = 0`` with ``x = 1 / (1 + rate)``, rate > -1, closest to
    zero; NaN when there is none. For point estimates only (a root finder per sample is slow
    and IRR is ill-defined for sign-alternating series).

    >>> round(irr([-100, 60, 60]), 4)
    0.1307
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 1:
        raise ValueError("irr takes one series")
    if not (np.any(v > 0) and np.any(v < 0)):
        return float("nan")
    roots = np.roots(v[::-1])
    real = roots[np.isclose(roots.imag, 0.0) & (roots.real > 0)].real
    if real.size == 0:
        return float("nan")
    rates = 1.0 / real - 1.0
    return float(rates[np.argmin(np.abs(rates))])


def risk_adjusted(values: ArrayLike, risk: ArrayLike, category: str) -> Array:
    """TEI risk adjustment: benefits reduced, costs raised, by the risk share [currency].

    >>> float(risk_adjusted(100, 0.15, "benefit")), float(risk_adjusted(100, 0.10, "cost"))
    (85.0, 110.0)
    """
    sign = {"benefit": -1.0, "cost": 1.0}[category]
    return np.asarray(values, dtype=float) * (1.0 + sign * np.asarray(risk, dtype=float))
