"""Latency -> conversion: "each 100 ms of latency improvement = X dollars in quarterly revenue",
net of the latency that instrumentation itself adds.

Elasticities disagree by 30x between studies (0.2 % per 100 ms for Google searches, 7.1 % for
Akamai smartphone conversion): the report always says which one was used.

References
----------
.. [1] Seed article: checkout P95 3.2 s -> 890 ms, +4.7 % conversion; 200 spans added 40 ms.
.. [2] Akamai, State of Online Retail Performance, 2017.
.. [3] Deloitte Digital, Milliseconds Make Millions, 2020.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from roi.model.timeline import Array


def instrumentation_overhead_ms(
    spans_per_request: ArrayLike, overhead_ms_per_span: ArrayLike
) -> Array:
    """Latency tracing adds to a request [ms].

    Parameters
    ----------
    spans_per_request : array_like
        Spans recorded per request [spans].
    overhead_ms_per_span : array_like
        Latency each span adds [ms/span].

    Returns
    -------
    ndarray
        Added latency per request [ms].

    Notes
    -----
    ``overhead = spans x cost per span``: spans recorded in sequence on the request path; spans in
    parallel branches cost less, so this is an upper bound.

    References
    ----------
    .. [1] JP, "How Do You Implement Distributed Tracing In Microservices at Scale?",
       DataAnnotation, 2025-11-07: 200 spans per request (every ORM query) added 40 ms.
    .. [2] OpenTelemetry Go SDK benchmark ``BenchmarkSpanWithAttributes``: about 3.5 us per span.

    Examples
    --------
    >>> float(instrumentation_overhead_ms(200, 0.2))
    40.0
    """
    return np.asarray(spans_per_request, dtype=float) * np.asarray(overhead_ms_per_span)


def net_latency_improvement_ms(
    latency_ms_before: ArrayLike,
    latency_ms_after: ArrayLike,
    overhead_ms: ArrayLike,
    after_includes_overhead: bool,
) -> Array:
    """Latency saved per request once overhead is counted [ms].

    Parameters
    ----------
    latency_ms_before, latency_ms_after : array_like
        Journey latency (P95) without and with the fixes tracing finds [ms].
    overhead_ms : array_like
        Latency the instrumentation adds [ms].
    after_includes_overhead : bool
        True when ``after`` was measured with tracing on (it holds the overhead); False for a
        target.

    Returns
    -------
    ndarray
        Net improvement [ms]; negative when tracing costs more than it saves.

    Notes
    -----
    ``net = before - after`` if measured, else ``before - after - overhead``.

    References
    ----------
    .. [1] JP, "How Do You Implement Distributed Tracing In Microservices at Scale?",
       DataAnnotation, 2025-11-07: checkout P95 3.2 s -> 890 ms.

    Examples
    --------
    >>> float(net_latency_improvement_ms(3200, 890, 40, after_includes_overhead=True))
    2310.0
    >>> float(net_latency_improvement_ms(3200, 890, 40, after_includes_overhead=False))
    2270.0
    """
    saved = np.asarray(latency_ms_before, dtype=float) - np.asarray(latency_ms_after)
    return saved if after_includes_overhead else saved - np.asarray(overhead_ms)


def conversion_lift(
    net_improvement_ms: ArrayLike,
    conversion_lift_per_100ms: ArrayLike,
    max_conversion_lift: ArrayLike,
) -> Array:
    """Relative change in conversions [fraction], linear per 100 ms up to a cap.

    Parameters
    ----------
    net_improvement_ms : array_like
        Latency saved per request [ms].
    conversion_lift_per_100ms : array_like
        Elasticity: relative conversion change per 100 ms saved [fraction per 100 ms].
    max_conversion_lift : array_like
        Cap on the lift [fraction].

    Returns
    -------
    ndarray
        Relative conversion lift [fraction].

    Notes
    -----
    ``min(max_lift, lift_per_100ms * net_ms / 100)``. A negative improvement gives a loss,
    uncapped below: slower pages cost conversions. Linear elasticities overstate large
    improvements (returns diminish), hence the cap.

    References
    ----------
    .. [1] JP, "How Do You Implement Distributed Tracing In Microservices at Scale?",
       DataAnnotation, 2025-11-07: +4.7 % conversion for 3.2 s -> 890 ms.
    .. [2] Akamai, State of Online Retail Performance, 2017: +100 ms, -2.4 % desktop and
       -7.1 % smartphone conversion.
    .. [3] Deloitte Digital, "Milliseconds Make Millions", 2020: 0.1 s faster, +8.4 % retail
       conversions.

    Examples
    --------
    >>> round(float(conversion_lift(2310, 0.047 / 23.1, 0.2)), 4)
    0.047
    """
    lift = np.asarray(conversion_lift_per_100ms, dtype=float) * np.asarray(net_improvement_ms) / 100
    return np.minimum(np.asarray(max_conversion_lift, dtype=float), lift)


def revenue_per_100ms_per_quarter(
    revenue_through_path_per_year: ArrayLike, conversion_lift_per_100ms: ArrayLike
) -> Array:
    """What each 100 ms of the journey's latency is worth in a quarter [currency/quarter].

    Parameters
    ----------
    revenue_through_path_per_year : array_like
        Revenue that passes through the journey [currency/year].
    conversion_lift_per_100ms : array_like
        Elasticity [fraction per 100 ms].

    Returns
    -------
    ndarray
        Revenue per 100 ms per quarter [currency/quarter].

    Notes
    -----
    ``revenue_per_year x lift_per_100ms / 4``: revenue, not margin (the article's phrasing).

    References
    ----------
    .. [1] JP, "How Do You Implement Distributed Tracing In Microservices at Scale?",
       DataAnnotation, 2025-11-07: "each 100 ms of latency improvement = X dollars in quarterly
       revenue".

    Examples
    --------
    >>> float(revenue_per_100ms_per_quarter(40_000_000, 0.01))
    100000.0
    """
    return (
        np.asarray(revenue_through_path_per_year, dtype=float)
        * np.asarray(conversion_lift_per_100ms)
        / 4.0
    )
