"""roi.model.conversion: latency -> conversion revenue, net of instrumentation overhead."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from roi.model.conversion import (
    conversion_lift,
    instrumentation_overhead_ms,
    net_latency_improvement_ms,
    revenue_per_100ms_per_quarter,
)


def test_article_overhead_200_spans_40_ms() -> None:
    # 200 spans x 0.2 ms = 40 ms
    assert float(instrumentation_overhead_ms(200, 0.2)) == pytest.approx(40.0)


def test_net_improvement_measured_vs_target() -> None:
    # measured with tracing on: 3200 - 890 = 2310 ms; a target: 2310 - 40 = 2270 ms
    assert float(net_latency_improvement_ms(3200, 890, 40, True)) == 2310.0
    assert float(net_latency_improvement_ms(3200, 890, 40, False)) == 2270.0


def test_overhead_can_make_net_improvement_negative() -> None:
    # 10 ms saved, 150 ms added ("instrument everything"): -140 ms
    assert float(net_latency_improvement_ms(500, 490, 150, False)) == -140.0


def test_article_conversion_lift_is_4_7_percent() -> None:
    # lift per 100 ms = 0.047 / 23.1; times 2310/100 = 0.047 exactly
    assert float(conversion_lift(2310, 0.047 / 23.1, 0.2)) == pytest.approx(0.047)


def test_conversion_lift_cap_and_loss() -> None:
    # 1 % per 100 ms x 3000 ms = 30 %, capped at 20 %
    assert float(conversion_lift(3000, 0.01, 0.2)) == pytest.approx(0.2)
    # negative improvement is a loss, not capped below: -140 ms x 1 %/100 ms = -1.4 %
    assert float(conversion_lift(-140, 0.01, 0.2)) == pytest.approx(-0.014)
    assert float(conversion_lift(0, 0.01, 0.2)) == 0.0


def test_revenue_per_100ms_headline() -> None:
    # 8 M$/year x 0.2035 %/100 ms / 4 = 4,069.26 $ per 100 ms per quarter
    assert float(revenue_per_100ms_per_quarter(8_000_000, 0.047 / 23.1)) == pytest.approx(
        8_000_000 * 0.047 / 23.1 / 4
    )
    assert float(revenue_per_100ms_per_quarter(8_000_000, 0.047 / 23.1)) == pytest.approx(
        4069.264, abs=1e-3
    )


@pytest.mark.parametrize("shape", [(), (5,), (2, 3)])
def test_lift_vectorised_equals_elementwise(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(2)
    net = rng.uniform(-500, 5000, size=shape)
    per100 = rng.uniform(0.001, 0.08, size=shape)
    cap = rng.uniform(0.05, 0.4, size=shape)
    got = conversion_lift(net, per100, cap)
    assert np.shape(got) == shape
    flat = [
        min(c, p * n / 100)
        for n, p, c in zip(np.ravel(net), np.ravel(per100), np.ravel(cap), strict=True)
    ]
    assert_allclose(np.ravel(got), flat)


def test_broadcast_against_time_axis() -> None:
    lift = conversion_lift(np.array([[100.0], [200.0]]), np.full(3, 0.01), 1.0)
    assert lift.shape == (2, 3)
    assert_allclose(lift[:, 0], [0.01, 0.02])


def test_nan_propagates() -> None:
    assert np.isnan(conversion_lift(np.nan, 0.01, 0.2))
