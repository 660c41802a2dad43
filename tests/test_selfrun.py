"""roi.model.selfrun: span volume, storage and Tempo replicas of a self-run stack."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from roi.model.selfrun import (
    ingest_gb_per_month,
    ingest_mb_per_s,
    replicas,
    spans_per_month,
    stored_gb,
)


def test_seed_volumes_hand_checked() -> None:
    # 50 M requests x 200 spans x 100 % = 1e10 spans; x 500 B = 5e12 B = 5,000 GB/month
    spans = spans_per_month(50e6, 200, 1.0)
    assert float(spans) == pytest.approx(1e10)
    assert float(ingest_gb_per_month(spans, 500)) == pytest.approx(5000.0)


def test_stored_gb_is_retention_window() -> None:
    # 5000 GB/month x 15 d / (365.25/12 d/month) / 1 = 2464.07 GB
    assert float(stored_gb(5000, 15, 1.0)) == pytest.approx(5000 * 15 / (365.25 / 12))
    assert float(stored_gb(5000, 15, 1.0)) == pytest.approx(2464.07, abs=0.01)
    # compression 2 halves it
    assert float(stored_gb(5000, 15, 2.0)) == pytest.approx(5000 * 15 / (365.25 / 12) / 2)


def test_ingest_rate() -> None:
    # 5000 GB/month = 5e6 MB / (30.4375 d x 86,400 s) = 1.9013 MB/s
    assert float(ingest_mb_per_s(5000)) == pytest.approx(5e6 / (365.25 / 12 * 86_400))


def test_replicas_ceiling_and_minimum() -> None:
    # 1.9 MB/s: distributor (10 MB/s) ceil 0.19 -> 1, min 2 -> 2; ingester (4) -> 2;
    # querier (1.5) ceil 1.27 -> 2  => 6 replicas, the seed's self-run compute driver
    mbps = 5e6 / (365.25 / 12 * 86_400)
    total = sum(float(replicas(mbps, cap, 2)) for cap in (10, 4, 1.5))
    assert total == 6.0
    assert_array_equal(replicas([0.0, 10.0, 10.0001], 10.0, 1), [1.0, 1.0, 2.0])


def test_zero_sampling_zero_volume() -> None:
    assert float(spans_per_month(1e9, 50, 0.0)) == 0.0
    assert float(replicas(0.0, 4.0, 2)) == 2.0


@pytest.mark.parametrize("shape", [(), (4,), (2, 3)])
def test_vectorised(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(3)
    req = rng.uniform(1e6, 1e9, size=shape)
    sampling = rng.uniform(0, 1, size=shape)
    got = ingest_gb_per_month(spans_per_month(req, 30, sampling), 700)
    assert np.shape(got) == shape
    assert_allclose(got, req * 30 * sampling * 700 / 1e9)


def test_broadcast_samples_against_growth_over_time() -> None:
    growth = 1.1 ** np.arange(4.0)
    spans = spans_per_month(np.array([[1e6], [2e6]]) * growth, 10, 1.0)
    assert spans.shape == (2, 4)
    assert_allclose(spans[1, 2], 2e6 * 1.21 * 10)


def test_nan_propagates() -> None:
    assert np.isnan(stored_gb(np.nan, 15, 1.0))
