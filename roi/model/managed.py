"""Managed tracing bills: each price component is a volume driver times a unit price, net of the
free allowance and of what each APM host includes.

Several drivers grow at once (hosts with traffic, custom metrics with services, spans with both),
which is why "our bill grew faster than our traffic" (seed article).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from roi.model.timeline import Array


def billable_units(
    units: ArrayLike,
    free_units: ArrayLike = 0.0,
    included_per_host: ArrayLike = 0.0,
    hosts: ArrayLike = 0.0,
) -> Array:
    """Units billed after the free allowance and the per-host allotment [driver units].

    Parameters
    ----------
    units : array_like
        Volume of the billing driver [driver units/month].
    free_units : array_like
        Free allowance for the whole account [driver units/month].
    included_per_host : array_like
        Allowance each APM host brings [driver units/host/month].
    hosts : array_like
        APM hosts [count].

    Returns
    -------
    ndarray
        Billable volume [driver units/month], never negative.

    Notes
    -----
    ``max(0, units - free - included_per_host x hosts)``.

    References
    ----------
    .. [1] Datadog, APM billing documentation: $31 per APM host a month (annual), each host
       includes 150 GB ingested and 1 M indexed spans; overage $0.10/GB and $1.70 per M.
    .. [2] Grafana Cloud Traces pricing: 50 GB a month free, then $0.50/GB.

    Examples
    --------
    Datadog: 10 hosts include 1,500 GB of ingested spans, so 2,000 GB bills 500 GB.

    >>> float(billable_units(2000, included_per_host=150, hosts=10))
    500.0
    """
    allowance = np.asarray(free_units, dtype=float) + np.asarray(included_per_host) * np.asarray(
        hosts
    )
    return np.maximum(0.0, np.asarray(units, dtype=float) - allowance)


def bill_growth_ratio(bill: ArrayLike, volume: ArrayLike) -> Array:
    """How much faster a bill grew than the traffic behind it [ratio].

    Parameters
    ----------
    bill : array_like, shape ``S + (n,)``
        Bill over time [currency/month]; first and last entries are compared.
    volume : array_like, shape ``S + (n,)``
        Traffic over the same months [any unit].

    Returns
    -------
    ndarray, shape ``S``
        ``(bill_end / bill_start) / (volume_end / volume_start)``; above 1 the bill outgrows
        traffic.

    Notes
    -----
    Several drivers grow at once (hosts with traffic, custom metrics with services), so a bill can
    grow faster than traffic.

    References
    ----------
    .. [1] JP, "How Do You Implement Distributed Tracing In Microservices at Scale?",
       DataAnnotation, 2025-11-07: "our bill grew faster than our traffic".

    Examples
    --------
    >>> float(bill_growth_ratio([100, 300], [1, 2]))
    1.5
    """
    b = np.asarray(bill, dtype=float)
    v = np.asarray(volume, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (b[..., -1] / b[..., 0]) / (v[..., -1] / v[..., 0])
