"""roi.model.finance against numpy-financial (the oracle) and hand-checked TEI figures."""

from __future__ import annotations

import math

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from roi.model import finance

SERIES = [
    [-100.0, 60.0, 60.0],
    [-310_000.0, 520_000.0, 775_000.0, 895_000.0],
    [0.0, 0.0, 0.0],
    [5.0],
    [-1000.0, 100.0, 200.0, 300.0, 400.0, 500.0],
]


@pytest.mark.parametrize("values", SERIES)
@pytest.mark.parametrize("rate", [0.0, 0.05, 0.10, 0.25])
def test_npv_equals_numpy_financial_on_scalars(rate: float, values: list[float]) -> None:
    assert float(finance.npv(rate, values)) == pytest.approx(npf.npv(rate, values), rel=1e-12)


def test_npv_hand_checked() -> None:
    # -100 + 60/1.1 + 60/1.21 = -100 + 54.5455 + 49.5868 = 4.1322
    assert float(finance.npv(0.10, [-100, 60, 60])) == pytest.approx(4.132231, abs=1e-6)


def test_npv_pairs_one_rate_with_one_series_unlike_numpy_financial() -> None:
    rates = np.array([0.0, 0.10, 0.20])
    values = np.array([[-100.0, 60.0, 60.0], [-50.0, 10.0, 80.0], [0.0, 100.0, 0.0]])
    ours = finance.npv(rates, values)
    looped = [npf.npv(r, v) for r, v in zip(rates, values, strict=True)]
    assert ours.shape == (3,)
    assert_allclose(ours, looped, rtol=1e-12)
    # numpy-financial's convention pairs every rate with every series (the outer product, as
    # numpy-financial 1.1 returns it); a Monte Carlo needs only its diagonal. Using it per sample
    # would mix one sample's rate with another sample's cash flows.
    outer = np.array([[npf.npv(r, v) for v in values] for r in rates])
    assert_allclose(np.diag(outer), ours, rtol=1e-12)
    assert not np.allclose(outer, ours[None, :])
    # Passing the vector of rates to npf.npv directly does not give one NPV per sample either:
    # 1.1 returns the (3, 3) outer product; 1.0 treats the first axis of values as time.
    raw = np.asarray(npf.npv(rates, values))
    assert raw.shape != ours.shape or not np.allclose(raw, ours)


@pytest.mark.parametrize("shape", [(4,), (2, 3)])
def test_npv_broadcast_sample_shapes(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(5)
    rates = rng.uniform(0, 0.3, size=shape)
    values = rng.normal(0, 100, size=(*shape, 5))
    got = finance.npv(rates, values)
    assert got.shape == shape
    # The same with the rate given as S + (1,), as the model passes it
    assert_allclose(finance.npv(rates[..., None], values), got)
    flat = [npf.npv(r, v) for r, v in zip(rates.ravel(), values.reshape(-1, 5), strict=True)]
    assert_allclose(got.ravel(), flat, rtol=1e-12)


def test_npv_one_rate_broadcasts_over_many_series() -> None:
    values = np.array([[-100.0, 60.0, 60.0], [-100.0, 0.0, 121.0]])
    assert_allclose(finance.npv(0.10, values), [4.132231, 0.0], atol=1e-6)


@settings(max_examples=50, deadline=None)
@given(
    rate=st.floats(0.0, 0.5),
    values=st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=8),
)
def test_npv_property_matches_numpy_financial(rate: float, values: list[float]) -> None:
    assert float(finance.npv(rate, values)) == pytest.approx(
        npf.npv(rate, values), rel=1e-9, abs=1e-6
    )


def test_npv_nan_propagates() -> None:
    assert math.isnan(float(finance.npv(np.nan, [1.0, 2.0])))
    assert math.isnan(float(finance.npv(0.1, [1.0, np.nan])))


def test_monthly_rate_compounds_to_yearly() -> None:
    m = float(finance.monthly_rate(0.10))
    assert (1 + m) ** 12 == pytest.approx(1.10)
    assert float(finance.monthly_rate(0.0)) == 0.0


def test_yearly_sums_months_into_tei_columns() -> None:
    monthly = np.array([7.0] + [1.0] * 24)
    assert_allclose(finance.yearly(monthly), [7.0, 12.0, 12.0])
    # shorter last year, and a sample axis
    sampled = np.stack([np.arange(16.0), np.ones(16)])
    assert_allclose(
        finance.yearly(sampled), [[0.0, sum(range(1, 13)), 13 + 14 + 15], [1.0, 12.0, 3.0]]
    )


def test_present_value_tei_and_monthly_hand_checked() -> None:
    monthly = [100.0] + [10.0] * 12
    # TEI: 100 + 120 / 1.1 = 209.0909
    assert float(finance.present_value(0.10, monthly)) == pytest.approx(100 + 120 / 1.1)
    # monthly: npf on the monthly rate is the oracle
    m = (1.1) ** (1 / 12) - 1
    assert float(finance.present_value(0.10, monthly, "monthly")) == pytest.approx(
        npf.npv(m, monthly)
    )
    with pytest.raises(ValueError, match="tei"):
        finance.present_value(0.1, monthly, "quarterly")


def test_roi_hand_checked_and_no_costs() -> None:
    # (254 - 71) / 71 = 2.5775
    assert float(finance.roi(254.0, 71.0)) == pytest.approx(183 / 71)
    assert math.isnan(float(finance.roi(10.0, 0.0)))
    assert_allclose(finance.roi([1.0, 3.0], [2.0, 1.0]), [-0.5, 2.0])


class TestPayback:
    def test_hand_checked(self) -> None:
        # cumulative -100, -70, -40, -10, 20 -> first month >= 0 is 4
        assert float(finance.payback_months([-100, 30, 30, 30, 30])) == 4.0

    def test_never_negative_is_zero(self) -> None:
        assert float(finance.payback_months([0.0, 5.0, 5.0])) == 0.0
        assert float(finance.payback_months([10.0, 0.0, 0.0])) == 0.0

    def test_never_recovering_is_nan(self) -> None:
        assert math.isnan(float(finance.payback_months([-100.0, 10.0, 10.0])))
        # exactly recovered in the last month is a payback, not NaN: -10, 0 -> month 1
        assert float(finance.payback_months([-10.0, 10.0])) == 1.0

    def test_dip_after_recovery_counts_from_the_last_crossing(self) -> None:
        # cumulative: -100, 0, -50 (a migration), 50 -> paid back for good in month 3, not 1
        assert float(finance.payback_months([-100.0, 100.0, -50.0, 100.0])) == 3.0

    def test_dip_at_the_horizon_is_no_payback(self) -> None:
        assert math.isnan(float(finance.payback_months([-100.0, 200.0, -150.0])))

    @pytest.mark.parametrize("shape", [(3,), (2, 3)])
    def test_vectorised_equals_rowwise(self, shape: tuple[int, ...]) -> None:
        rng = np.random.default_rng(6)
        net = rng.normal(5, 30, size=(*shape, 12))
        net[..., 0] = -50
        got = finance.payback_months(net)
        assert got.shape == shape
        for idx in np.ndindex(shape):
            cum = np.cumsum(net[idx])
            negative = np.flatnonzero(cum < 0)
            if negative.size == 0:
                expected = 0.0
            elif negative[-1] == len(cum) - 1:
                expected = float("nan")
            else:
                expected = float(negative[-1] + 1)
            assert got[idx] == pytest.approx(expected, nan_ok=True)


@pytest.mark.parametrize(
    "values",
    [
        [-100.0, 60.0, 60.0],
        [-310_000.0, 520_000.0, 775_000.0, 895_000.0],
        [-1000.0, 100.0, 200.0, 300.0, 400.0, 500.0],
        [-500.0, 100.0, 100.0],  # negative IRR
    ],
)
def test_irr_equals_numpy_financial(values: list[float]) -> None:
    assert finance.irr(values) == pytest.approx(npf.irr(values), rel=1e-8)


def test_irr_hand_checked_root() -> None:
    # -100 + 60/(1+r) + 60/(1+r)^2 = 0 -> r = 0.130662
    r = finance.irr([-100, 60, 60])
    assert -100 + 60 / (1 + r) + 60 / (1 + r) ** 2 == pytest.approx(0.0, abs=1e-9)


def test_irr_no_sign_change_is_nan_and_needs_one_series() -> None:
    assert math.isnan(finance.irr([100.0, 10.0]))
    assert math.isnan(finance.irr([-100.0, -10.0]))
    assert math.isnan(finance.irr([0.0, 0.0]))
    with pytest.raises(ValueError, match="one series"):
        finance.irr([[-1.0, 2.0], [-1.0, 2.0]])


def test_risk_adjustment() -> None:
    assert float(finance.risk_adjusted(100, 0.15, "benefit")) == pytest.approx(85.0)
    assert float(finance.risk_adjusted(100, 0.10, "cost")) == pytest.approx(110.0)
    # one risk per sample broadcasts against the month axis
    got = finance.risk_adjusted(np.ones((2, 4)), np.array([[0.0], [0.5]]), "benefit")
    assert_allclose(got, [[1.0] * 4, [0.5] * 4])
