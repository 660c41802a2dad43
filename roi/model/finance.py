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
        Net present value [currency].

    Notes
    -----
    ``NPV = sum_t values[..., t] / (1 + rate) ** t``.

    References
    ----------
    .. [1] Forrester, Total Economic Impact methodology: Initial column undiscounted, years
       discounted at end of year, 10 % discount rate, ROI = (PV benefits - PV costs) / PV costs.

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

    Parameters
    ----------
    rate_per_year : array_like
        Discount rate [fraction per year].

    Returns
    -------
    ndarray
        Discount rate [fraction per month].

    Notes
    -----
    ``(1 + r_year) ** (1 / 12) - 1``: twelve months compound to one year.

    References
    ----------
    .. [1] Forrester, Total Economic Impact methodology: Initial column undiscounted, years
       discounted at end of year, 10 % discount rate, ROI = (PV benefits - PV costs) / PV costs.

    Examples
    --------
    >>> round(float(monthly_rate(0.10)), 6)
    0.007974
    """
    return (1.0 + np.asarray(rate_per_year, dtype=float)) ** (1.0 / 12.0) - 1.0


def yearly(monthly: ArrayLike) -> Array:
    """TEI columns from a monthly series: Initial (month 0), then Year 1..N sums [currency].

    Parameters
    ----------
    monthly : array_like, shape ``S + (1 + months,)``
        Cash per month, month 0 the Initial period [currency].

    Returns
    -------
    ndarray, shape ``S + (1 + N,)``
        Initial, then the sum of each year's months [currency].

    Notes
    -----
    ``Y_0 = m_0``, ``Y_k = sum_(j=12(k-1)+1)^(12k) m_j``. A horizon that is not a whole number of
    years leaves a shorter last year.

    References
    ----------
    .. [1] Forrester, Total Economic Impact methodology: Initial column undiscounted, years
       discounted at end of year, 10 % discount rate, ROI = (PV benefits - PV costs) / PV costs.

    Examples
    --------
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

    Parameters
    ----------
    rate_per_year : array_like
        Discount rate [fraction per year].
    monthly : array_like, shape ``S + (1 + months,)``
        Cash per month, month 0 the Initial period [currency].
    discounting : {"tei", "monthly"}
        ``tei`` sums months into years and discounts each year at its end (Initial not discounted);
        ``monthly`` discounts each month at the equivalent monthly rate.

    Returns
    -------
    ndarray, shape ``S``
        Present value [currency].

    Notes
    -----
    ``tei``: ``npv(r, yearly(monthly))``; ``monthly``: ``npv((1 + r) ** (1/12) - 1, monthly)``.
    Year-end discounting understates the value of cash early in a year (conservative for benefits).

    References
    ----------
    .. [1] Forrester, Total Economic Impact methodology: Initial column undiscounted, years
       discounted at end of year, 10 % discount rate, ROI = (PV benefits - PV costs) / PV costs.

    Examples
    --------
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
    """Return on investment [fraction]; 3.29 means 329 %.

    Parameters
    ----------
    pv_benefits, pv_costs : array_like
        Present values of the risk-adjusted benefits and costs [currency].

    Returns
    -------
    ndarray
        ROI [fraction]; NaN where there are no costs.

    Notes
    -----
    ``ROI = (PV benefits - PV costs) / PV costs``.

    References
    ----------
    .. [1] Forrester, Total Economic Impact methodology: Initial column undiscounted, years
       discounted at end of year, 10 % discount rate, ROI = (PV benefits - PV costs) / PV costs.

    Examples
    --------
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
    ``min {m : sum_(j<=k) net_j >= 0 for every k >= m}``. Undiscounted and risk-adjusted, as TEI
    studies report it. "For good" keeps a scheduled migration late in the horizon from hiding an
    earlier payback that did not last.

    References
    ----------
    .. [1] Forrester, Total Economic Impact glossary: payback is "the breakeven point for an
       investment ... when net benefits equal initial investment or cost".

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

    Parameters
    ----------
    values : array_like, shape ``(n,)``
        Cash flows per period, ``values[0]`` at time 0 [currency].

    Returns
    -------
    float
        IRR [fraction per period]; NaN when there is none.

    Notes
    -----
    The real root of ``sum_t v_t x^t = 0`` with ``x = 1 / (1 + rate)``, rate > -1, closest to
    zero. For point estimates only (a root finder per sample is slow and IRR is ill-defined for
    sign-alternating series).

    References
    ----------
    .. [1] numpy-financial, ``irr``: the same polynomial-root definition.

    Examples
    --------
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

    Parameters
    ----------
    values : array_like
        Unadjusted amounts [currency].
    risk : array_like
        Risk share [fraction].
    category : {"benefit", "cost"}
        Which way the adjustment goes.

    Returns
    -------
    ndarray
        Risk-adjusted amounts [currency].

    Notes
    -----
    ``benefit x (1 - risk)``, ``cost x (1 + risk)``.

    References
    ----------
    .. [1] Forrester TEI studies: benefits adjusted down 10-20 % (Intellum TEI: 20 %), costs up
       about 10 %.

    Examples
    --------
    >>> float(risk_adjusted(100, 0.15, "benefit")), float(risk_adjusted(100, 0.10, "cost"))
    (85.0, 110.0)
    """
    sign = {"benefit": -1.0, "cost": 1.0}[category]
    return np.asarray(values, dtype=float) * (1.0 + sign * np.asarray(risk, dtype=float))
