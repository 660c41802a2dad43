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

    Parameters
    ----------
    requests_per_month : array_like
        Requests served [1/month].
    spans_per_request : array_like
        Spans per traced request [spans].
    sampling_rate : array_like
        Share of requests traced [fraction].

    Returns
    -------
    ndarray
        Spans [spans/month].

    Notes
    -----
    ``spans = requests x spans_per_request x sampling``: head sampling, every kept trace whole.

    References
    ----------
    .. [1] OpenTelemetry SDK configuration: default sampler ``parentbased_always_on`` (100 %).

    Examples
    --------
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

    Parameters
    ----------
    spans_per_month : array_like
        Spans [spans/month].
    bytes_per_span : array_like
        Mean encoded span size [B].

    Returns
    -------
    ndarray
        Ingest [GB/month].

    Notes
    -----
    ``GB = spans x bytes / 1e9``.

    References
    ----------
    .. [1] Grafana Tempo documentation, "Size the cluster" and "Manage trace ingestion": typical
       span ~500 B; distributor 1 per 10 MB/s, ingester 1 per 3-5 MB/s, querier 1 per 1-2 MB/s.

    Examples
    --------
    >>> float(ingest_gb_per_month(2e9, 500))
    1000.0
    """
    return np.asarray(spans_per_month, dtype=float) * np.asarray(bytes_per_span) / 1e9


def stored_gb(
    ingest_gb_per_month: ArrayLike, retention_days: ArrayLike, compression_ratio: ArrayLike
) -> Array:
    """Data held in object storage at steady state [GB].

    Parameters
    ----------
    ingest_gb_per_month : array_like
        Ingest [GB/month].
    retention_days : array_like
        Days traces are kept [days].
    compression_ratio : array_like
        Raw bytes per stored byte [ratio].

    Returns
    -------
    ndarray
        Stored data [GB].

    Notes
    -----
    ``ingest * retention_days / days_per_month / compression_ratio``: a retention window holds
    that many days of ingest.

    References
    ----------
    .. [1] Grafana Tempo documentation, "Size the cluster" and "Manage trace ingestion": typical
       span ~500 B; distributor 1 per 10 MB/s, ingester 1 per 3-5 MB/s, querier 1 per 1-2 MB/s.
    .. [2] AWS, Amazon S3 pricing: S3 Standard $0.023 per GB-month (first 50 TB).

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

    Parameters
    ----------
    ingest_gb_per_month : array_like
        Ingest [GB/month].

    Returns
    -------
    ndarray
        Ingest rate [MB/s].

    Notes
    -----
    ``MB/s = GB x 1000 / seconds per month`` (365.25 / 12 days); the mean, not the peak: size for
    peaks with ``min_replicas``.

    References
    ----------
    .. [1] Grafana Tempo documentation, "Size the cluster" and "Manage trace ingestion": typical
       span ~500 B; distributor 1 per 10 MB/s, ingester 1 per 3-5 MB/s, querier 1 per 1-2 MB/s.

    Examples
    --------
    >>> round(float(ingest_mb_per_s(13_000)), 2)
    4.94
    """
    return np.asarray(ingest_gb_per_month, dtype=float) * 1e3 / SECONDS_PER_MONTH


def replicas(
    ingest_mb_per_s: ArrayLike, capacity_mb_per_s: ArrayLike, min_replicas: ArrayLike
) -> Array:
    """Replicas one component needs [count]: enough for the ingest rate, never below the HA
    minimum.

    Parameters
    ----------
    ingest_mb_per_s : array_like
        Ingest rate [MB/s].
    capacity_mb_per_s : array_like
        What one replica handles [MB/s].
    min_replicas : array_like
        High-availability minimum [count].

    Returns
    -------
    ndarray
        Replicas [count].

    Notes
    -----
    ``max(min_replicas, ceil(rate / capacity))``.

    References
    ----------
    .. [1] Grafana Tempo documentation, "Size the cluster" and "Manage trace ingestion": typical
       span ~500 B; distributor 1 per 10 MB/s, ingester 1 per 3-5 MB/s, querier 1 per 1-2 MB/s.

    Examples
    --------
    >>> replicas([0.5, 5.0, 25.0], 10.0, 2)
    array([2., 2., 3.])
    """
    need = np.ceil(np.asarray(ingest_mb_per_s, dtype=float) / np.asarray(capacity_mb_per_s))
    return np.maximum(np.asarray(min_replicas, dtype=float), need)
