"""roi.model.mttr: downtime hours x hourly revenue, plus responders' time."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from roi.model.mttr import (
    downtime_cost_per_hour,
    downtime_hours_per_month,
    incident_hours_avoided_per_month,
    mttr_hours_after,
)


def test_mttr_after_given_directly_wins() -> None:
    assert float(mttr_hours_after(4.3, 47 / 60)) == pytest.approx(0.78333, abs=1e-5)


def test_mttr_after_from_reduction() -> None:
    # 4.3 h cut by 40 % -> 4.3 * 0.6 = 2.58 h
    assert float(mttr_hours_after(4.3, mttr_reduction_fraction=0.4)) == pytest.approx(2.58)


def test_mttr_after_bounds_of_reduction() -> None:
    assert float(mttr_hours_after(4.0, mttr_reduction_fraction=0.0)) == 4.0
    assert float(mttr_hours_after(4.0, mttr_reduction_fraction=1.0)) == 0.0


def test_mttr_after_needs_one_of_the_two() -> None:
    with pytest.raises(ValueError, match="mttr_hours_after or mttr_reduction_fraction"):
        mttr_hours_after(4.0)


def test_article_sev1_hours_avoided() -> None:
    # 2 incidents/month x (4.3 - 47/60) h = 2 x 3.516667 = 7.033333 h/month
    assert float(incident_hours_avoided_per_month(2, 4.3, 47 / 60)) == pytest.approx(7.0333333)


def test_incident_reduction_counts_avoided_incidents() -> None:
    # 2 x (4 - (1 - 0.25) x 1) = 2 x 3.25 = 6.5 h/month
    assert float(incident_hours_avoided_per_month(2, 4.0, 1.0, 0.25)) == pytest.approx(6.5)
    # r = 1: every incident avoided -> all of today's downtime, 2 x 4 = 8
    assert float(incident_hours_avoided_per_month(2, 4.0, 1.0, 1.0)) == pytest.approx(8.0)


def test_zero_incidents_zero_hours() -> None:
    assert float(incident_hours_avoided_per_month(0, 4.3, 0.5)) == 0.0
    assert float(downtime_hours_per_month(0, 4.3)) == 0.0


def test_downtime_hours_and_cost_hand_checked() -> None:
    # 3 incidents x 2.5 h = 7.5 h/month
    assert float(downtime_hours_per_month(3, 2.5)) == 7.5
    # 15,000 $/h x 30 % lost x margin 1 = 4,500 $/h (the seed scenario's Sev-1)
    assert float(downtime_cost_per_hour(15_000, 0.3, 1.0)) == pytest.approx(4500.0)


@pytest.mark.parametrize("shape", [(), (4,), (2, 3)])
def test_vectorised_equals_elementwise(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(1)
    incidents = rng.uniform(0, 5, size=shape)
    before = rng.uniform(1, 8, size=shape)
    after = before * rng.uniform(0, 1, size=shape)
    r = rng.uniform(0, 0.3, size=shape)
    got = incident_hours_avoided_per_month(incidents, before, after, r)
    assert np.shape(got) == shape
    flat = [
        i * (b - (1 - x) * a)
        for i, b, a, x in zip(
            np.ravel(incidents), np.ravel(before), np.ravel(after), np.ravel(r), strict=True
        )
    ]
    assert_allclose(np.ravel(got), flat)


def test_broadcast_samples_against_time_axis() -> None:
    # A sample axis (3, 1) against a time axis (4,): shape (3, 4)
    incidents = np.array([1.0, 2.0, 3.0])[:, None] * np.ones(4)
    got = incident_hours_avoided_per_month(incidents, np.array([[4.0]]), 1.0)
    assert got.shape == (3, 4)
    assert_allclose(got[:, 0], [3.0, 6.0, 9.0])


def test_nan_propagates() -> None:
    assert np.isnan(incident_hours_avoided_per_month(np.nan, 4.0, 1.0))
    assert np.isnan(downtime_cost_per_hour(1000.0, np.nan, 1.0))
