"""roi.model.effort: people time with the article's 40 % contingency."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from roi.model.effort import (
    days_per_week_hours_per_month,
    engineer_weeks_hours,
    instrumentation_hours,
    onboarding_months,
    weekly_hours_per_month,
)


def test_instrumentation_hours_hand_checked() -> None:
    # 30 services x 16 h x 1.4 = 672 h (the seed scenario)
    assert float(instrumentation_hours(30, 16, 0.4)) == pytest.approx(672.0)


def test_article_setup_three_weeks_with_contingency() -> None:
    # 3 weeks x 40 h x 1.4 = 168 h
    assert float(engineer_weeks_hours(3, 0.4)) == pytest.approx(168.0)
    assert float(engineer_weeks_hours(3)) == pytest.approx(120.0)


def test_article_upkeep_one_day_a_week() -> None:
    # 1 day x 8 h x 52/12 weeks a month = 34.6667 h/month
    assert float(days_per_week_hours_per_month(1)) == pytest.approx(8 * 52 / 12)


def test_weekly_review() -> None:
    # 1 h x 4 people x 52/12 = 17.3333 person-h/month
    assert float(weekly_hours_per_month(1, 4)) == pytest.approx(4 * 52 / 12)


def test_article_onboarding_30_services_in_a_week() -> None:
    # 30 services / 30 per week = 1 week = 12/52 month = 0.230769
    assert float(onboarding_months(30, 30)) == pytest.approx(12 / 52)


def test_zero_effort() -> None:
    assert float(instrumentation_hours(0, 16, 0.4)) == 0.0
    assert float(engineer_weeks_hours(0, 0.4)) == 0.0
    assert float(onboarding_months(0, 30)) == 0.0
    # contingency bounds: 0 adds nothing, 1 doubles
    assert float(instrumentation_hours(10, 10, 0.0)) == 100.0
    assert float(instrumentation_hours(10, 10, 1.0)) == 200.0


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_vectorised(shape: tuple[int, ...]) -> None:
    weeks = np.full(shape, 3.0)
    contingency = np.linspace(0, 1, int(np.prod(shape))).reshape(shape)
    got = engineer_weeks_hours(weeks, contingency)
    assert np.shape(got) == shape
    assert_allclose(got, 120.0 * (1 + contingency))


def test_broadcast_against_time_axis() -> None:
    got = weekly_hours_per_month(np.array([[1.0], [2.0]]), np.ones(5))
    assert got.shape == (2, 5)
    assert_allclose(got[1], 2 * 52 / 12)


def test_nan_propagates() -> None:
    assert np.isnan(instrumentation_hours(np.nan, 1, 0.4))
