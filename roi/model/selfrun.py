"""The self-run stack (OpenTelemetry Collector + Jaeger / Tempo / Zipkin): span volume, storage
and compute. People costs live in :mod:`roi.model.effort`.

"Storage costs scaled linearly with our traffic" (seed article): every volume here is
requests x spans x sampling, so it grows with traffic.

References
----------
.. [1] Grafana Tempo docs: typical span ~500 B; distributor 1 per 10 MB/s, ingester 1 per
   3-5 MB/s, querier 1 per 1-2 MB/s.
.. [2] AWS S3 Standard: $0.023 per GB-month.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from roi.inputs.units import DAYS_PER_MONTH, SECONDS_PER_MONTH
from roi.model.timeline import Array


def spans_per_month(
    requests_per_month: ArrayLike, spans_per_request: ArrayLike, sampling_rate: ArrayLike
) -> Array:
    """Spans recorded per month [spans/month].

    >>> float(spans_per_month(1e6, 30, 0.1))
    3000000.0
    """
    return (
        np.asarray(requests_per_month, dtype=float)
        * np.asarray(spans_per_request)
        * np.asarray(sampling_rate)
    )


def ingest_gb_per_month(spans_per_month: ArrayLike, bytes_per_span: ArrayLike) -> Array:
    """Raw span data per month [GB/month] (decimal GB, as vendors bill).

    >>> float(ingest_gb_per_month(2e9, 500))
    1000.0
    """
    return np.asarray(spans_per_month, dtype=float) * np.asarray(bytes_per_span) / 1e9


def stored_gb(
    ingest_gb_per_month: ArrayLike, retention_days: ArrayLike, compression_ratio: ArrayLike
) -> Array:
    """Data held in object storage at steady state [GB].

    Notes
    -----
    ``ingest * retention_days / days_per_month / compression_ratio``: a retention window holds
    that many days of ingest.

    Examples
    --------
    >>> round(float(stored_gb(1000, 15, 1.0)), 1)
    492.8
    """
    return (
        np.asarray(ingest_gb_per_month, dtype=float)
        * np.asarray(retention_days)
        / DAYS_PER_MONTH
        / np.asarray(compression_ratio)
    )


def ingest_mb_per_s(ingest_gb_per_month: ArrayLike) -> Array:
    """Mean ingest rate [MB/s].

    >>> round(float(ingest_mb_per_s(13_000)), 2)
    4.94
    """
    return np.asarray(ingest_gb_per_month, dtype=float) * 1e3 / SECONDS_PER_MONTH


def replicas(
    ingest_mb_per_s: ArrayLike, capacity_mb_per_s: ArrayLike, min_replicas: ArrayLike
) -> Array:
    """Replicas one component needs [count]: enough for the ingest rate, never below the HA
    minimum.

    >>> replicas([0.5, 5.0, 25.0], 10.0, 2)
    array([2., 2., 3.])
    """
    need = np.ceil(np.asarray(ingest_mb_per_s, dtype=float) / np.asarray(capacity_mb_per_s))
    return np.maximum(np.asarray(min_replicas, dtype=float), need)
