"""roi.model.timeline: the one monthly time axis, adoption ramp, rollout work and growth."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from roi.model.timeline import adoption, growth, months, operating, ramp_weights


def test_months_is_initial_plus_horizon() -> None:
    t = months(36)
    assert t.shape == (37,)
    assert t[0] == 0.0
    assert t[-1] == 36.0
    assert t.dtype == np.float64


def test_months_zero_horizon_is_initial_only() -> None:
    assert_array_equal(months(0), [0.0])


def test_operating_flag_excludes_initial() -> None:
    assert_array_equal(operating(months(3)), [0.0, 1.0, 1.0, 1.0])


def test_adoption_hand_checked() -> None:
    # 4-month rollout: t/4 clipped to [0, 1] -> 0, .25, .5, .75, 1, 1
    assert_allclose(adoption(months(5), 4.0), [0.0, 0.25, 0.5, 0.75, 1.0, 1.0])


def test_adoption_fractional_rollout_gives_fractional_last_month() -> None:
    # 2.5 months: 0, 0.4, 0.8, 1 (1.2 clipped)
    assert_allclose(adoption(months(3), 2.5), [0.0, 0.4, 0.8, 1.0])


@pytest.mark.parametrize("shape", [(), (4,), (2, 3)])
def test_adoption_broadcasts_sample_shape_against_time(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(0)
    rollout = rng.uniform(1.0, 6.0, size=shape)
    t = months(12)
    a = adoption(t, np.asarray(rollout)[..., None])
    assert a.shape == (*shape, 13)
    expected = np.clip(t / np.asarray(rollout)[..., None], 0, 1)
    assert_allclose(a, expected)
    # Bounds: a(t) is in [0, 1], 0 in the Initial period, non-decreasing.
    assert np.all((a >= 0) & (a <= 1))
    assert np.all(a[..., 0] == 0)
    assert np.all(np.diff(a, axis=-1) >= 0)


def test_ramp_weights_hand_checked_and_sum_to_one() -> None:
    # rollout 4: a = 0, .25, .5, .75, 1, 1, 1 -> w(t) = a(t+1) - a(t) = .25 x4 then 0
    w = ramp_weights(months(6), 4.0)
    assert_allclose(w, [0.25, 0.25, 0.25, 0.25, 0.0, 0.0, 0.0])
    assert w.sum() == pytest.approx(1.0)


def test_ramp_weights_zero_rollout_is_all_initial() -> None:
    # Edge: a rollout of 0 months (a managed vendor with nothing to onboard): all the work is in
    # the Initial period, full adoption from month 1, no NaN and no division warning.
    assert_allclose(ramp_weights(months(3), 0.0), [1.0, 0.0, 0.0, 0.0])
    assert_allclose(adoption(months(3), 0.0), [0.0, 1.0, 1.0, 1.0])


@pytest.mark.parametrize("shape", [(5,), (2, 3)])
def test_ramp_weights_vectorised_sum_to_one(shape: tuple[int, ...]) -> None:
    rollout = np.linspace(0.5, 11.5, int(np.prod(shape))).reshape(shape)
    w = ramp_weights(months(12), rollout[..., None])
    assert w.shape == (*shape, 13)
    assert_allclose(w.sum(axis=-1), 1.0)


def test_growth_hand_checked() -> None:
    # 5 % a month: 1, 1.05, 1.1025, 1.157625
    assert_allclose(growth(months(3), 0.05), [1.0, 1.05, 1.1025, 1.157625])


def test_growth_zero_and_decline() -> None:
    assert_array_equal(growth(months(3), 0.0), np.ones(4))
    # -50 % a month halves: 1, .5, .25
    assert_allclose(growth(months(2), -0.5), [1.0, 0.5, 0.25])


def test_growth_broadcast_one_rate_per_sample() -> None:
    rates = np.array([[0.0, 0.1, 0.2], [0.3, 0.4, 0.5]])
    g = growth(months(2), rates[..., None])
    assert g.shape == (2, 3, 3)
    assert_allclose(g[1, 2], [1.0, 1.5, 2.25])


def test_nan_propagates() -> None:
    assert np.isnan(growth(months(1), np.nan)[1])
    assert np.isnan(adoption(months(1), np.nan)[1])
