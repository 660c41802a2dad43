"""roi.model.lockin: exit cost with a proprietary SDK against OpenTelemetry."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from roi.model.lockin import exit_cost, exit_hours_proprietary


def test_article_sixty_services() -> None:
    # 60 services x 2 weeks x 40 h = 4,800 h
    assert float(exit_hours_proprietary(60, 2)) == 4800.0


def test_exit_cost_otel_is_configuration() -> None:
    # OTel: 80 h x 100 $/h = 8,000 $; proprietary: 4,800 h x 100 = 480,000 $
    assert float(exit_cost(False, 60, 2, 80, 100.0)) == 8000.0
    assert float(exit_cost(True, 60, 2, 80, 100.0)) == 480_000.0


def test_seed_exit_cost() -> None:
    # seed: 30 services x 2 weeks x 40 h x 200,000/2,080 $/h = 230,769.23 $
    rate = 200_000 / 2080
    assert float(exit_cost(True, 30, 2, 80, rate)) == pytest.approx(2400 * rate)
    assert float(exit_cost(True, 30, 2, 80, rate)) == pytest.approx(230_769.23, abs=0.01)


def test_zero_services() -> None:
    assert float(exit_cost(True, 0, 2, 80, 100.0)) == 0.0


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_vectorised(shape: tuple[int, ...]) -> None:
    services = np.arange(int(np.prod(shape)), dtype=float).reshape(shape) + 10
    got = exit_cost(True, services, 1.5, 80, 90.0)
    assert np.shape(got) == shape
    assert_allclose(got, services * 1.5 * 40 * 90)


def test_nan_propagates() -> None:
    assert np.isnan(exit_cost(False, 10, 2, np.nan, 100.0))
