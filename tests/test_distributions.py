"""roi.inputs.distributions: the families of ranged assumptions, their medians, intervals and
inverse CDFs, against hand values and scipy."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from conftest import SCENARIOS_DIR
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from roi.inputs.distributions import Z95, Distribution, RangeError, beta_cdf, beta_ppf, distribution

ECOMMERCE = SCENARIOS_DIR / "ecommerce-midsize.yaml"
FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"


# --- distributions --------------------------------------------------------------------------


def test_low_high_normal_is_a_90_percent_interval_around_the_midpoint() -> None:
    d = distribution(None, low=0.2, high=0.6)
    assert d.kind == "normal"
    assert d.median == pytest.approx(0.4)
    # sd = (0.6 - 0.2) / 2 / 1.6449
    assert d.below == pytest.approx(0.2 / 1.6448536269514722)
    assert d.ppf(0.05) == pytest.approx(0.2)
    assert d.ppf(0.95) == pytest.approx(0.6)


def test_lognormal_median_is_the_geometric_mean() -> None:
    d = distribution("lognormal", low=500.0, high=4000.0)
    assert d.median == pytest.approx(math.sqrt(500 * 4000))
    assert d.ppf(0.05) == pytest.approx(500.0)
    assert d.ppf(0.95) == pytest.approx(4000.0)
    # sd of log: (ln 4000 - ln 500) / 2 / z95
    assert d.above == pytest.approx(math.log(8) / 2 / 1.6448536269514722)


def test_value_sets_the_median_and_keeps_low_and_high_as_p5_and_p95() -> None:
    d = distribution("normal", value=0.45, low=0.2, high=0.6)
    assert (d.median, d.ppf(0.5)) == (0.45, 0.45)
    assert d.ppf(0.05) == pytest.approx(0.2)
    assert d.ppf(0.95) == pytest.approx(0.6)
    lg = distribution("lognormal", value=700.0, low=500.0, high=4000.0)
    assert lg.ppf(0.5) == pytest.approx(700.0)
    assert lg.ppf(0.05) == pytest.approx(500.0)
    assert lg.ppf(0.95) == pytest.approx(4000.0)


@pytest.mark.parametrize(
    "d",
    [
        distribution(None, low=0.2, high=0.6),
        distribution("lognormal", low=0.005, high=0.01),
        distribution("normal", value=0.45, low=0.2, high=0.6),
        distribution("lognormal", value=700.0, low=500.0, high=4000.0),
    ],
    ids=["normal", "lognormal", "two-piece normal", "two-piece lognormal"],
)
def test_a_low_high_range_puts_90_percent_of_draws_inside(d: Distribution) -> None:
    x = d.sample(np.random.default_rng(1), 200_000)
    inside = np.mean((x >= d.low) & (x <= d.high))
    assert inside == pytest.approx(0.90, abs=0.01)
    assert np.mean(x < d.low) == pytest.approx(0.05, abs=0.005)
    assert np.median(x) == pytest.approx(d.median, rel=0.01)


def test_normal_mean_sd() -> None:
    d = distribution("normal", mean=10.0, sd=2.0)
    x = d.sample(np.random.default_rng(2), 200_000)
    assert x.mean() == pytest.approx(10.0, abs=0.02)
    assert x.std() == pytest.approx(2.0, rel=0.01)
    assert d.interval90 == pytest.approx((10 - 2 * Z95, 10 + 2 * Z95))


def test_triangular_median_and_draws_against_hand_values() -> None:
    # low 0, mode 1, high 1: CDF x^2, median sqrt(1/2).
    d = distribution("triangular", low=0.0, mode=1.0, high=1.0)
    assert d.median == pytest.approx(math.sqrt(0.5))
    # low 0, mode 0.25, high 1: CDF at the mode is 0.25.
    t = distribution("triangular", low=0.0, mode=0.25, high=1.0)
    x = t.sample(np.random.default_rng(3), 200_000)
    assert np.mean(x <= 0.25) == pytest.approx(0.25, abs=0.005)
    assert x.mean() == pytest.approx((0 + 0.25 + 1) / 3, abs=0.005)


def test_pert_against_scipy_beta() -> None:
    low, mode, high = 2.0, 3.0, 8.0
    d = distribution("pert", low=low, mode=mode, high=high)
    a, b = 1 + 4 * (mode - low) / (high - low), 1 + 4 * (high - mode) / (high - low)
    oracle = stats.beta(a, b, loc=low, scale=high - low)
    assert d.median == pytest.approx(oracle.ppf(0.5), rel=1e-9)
    assert d.interval90 == pytest.approx((oracle.ppf(0.05), oracle.ppf(0.95)), rel=1e-9)
    x = d.sample(np.random.default_rng(4), 200_000)
    assert x.mean() == pytest.approx((low + 4 * mode + high) / 6, rel=0.005)


@pytest.mark.parametrize(("a", "b"), [(1.0, 1.0), (2.0, 5.0), (5.0, 1.0), (0.7, 3.3), (30.0, 40.0)])
def test_beta_cdf_and_ppf_against_scipy(a: float, b: float) -> None:
    from scipy import special

    for x in (1e-6, 0.01, 0.2, 0.5, 0.77, 0.999):
        assert beta_cdf(x, a, b) == pytest.approx(special.betainc(a, b, x), abs=1e-12)
    for p in (0.001, 0.05, 0.5, 0.95, 0.999):
        assert beta_ppf(p, a, b) == pytest.approx(special.betaincinv(a, b, p), abs=1e-10)


@settings(max_examples=200, deadline=None)
@given(
    low=st.floats(1e-6, 1e6),
    ratio=st.floats(1.001, 1e3),
    at=st.floats(0.0, 1.0),
    kind=st.sampled_from(["normal", "lognormal"]),
)
def test_interval_ppf_hits_low_median_high_and_is_monotone(
    low: float, ratio: float, at: float, kind: str
) -> None:
    high = low * ratio
    # Clamped: low + 1.0 * (high - low) can round one ulp above high, which the loader refuses.
    value = min(max(low + at * (high - low), low), high)
    d = distribution(kind, value=value, low=low, high=high)  # type: ignore[arg-type]
    assert d.ppf(0.05) == pytest.approx(low, rel=1e-9)
    assert d.ppf(0.5) == pytest.approx(value, rel=1e-9)
    assert d.ppf(0.95) == pytest.approx(high, rel=1e-9)
    qs = [d.ppf(p) for p in (0.01, 0.05, 0.2, 0.5, 0.8, 0.95, 0.99)]
    assert qs == sorted(qs)


def test_uniform() -> None:
    d = distribution("uniform", low=10.0, high=20.0)
    assert d.median == 15.0
    assert d.interval90 == pytest.approx((10.5, 19.5))


ALL_KINDS = [
    distribution(None, low=0.2, high=0.6),
    distribution("lognormal", value=700.0, low=500.0, high=4000.0),
    distribution("normal", mean=1.0, sd=0.5),
    distribution("uniform", low=1.0, high=3.0),
    distribution("triangular", low=1.0, mode=1.5, high=3.0),
    distribution("pert", low=1.0, mode=1.5, high=3.0),
]


@pytest.mark.parametrize("d", ALL_KINDS, ids=lambda d: d.kind)
def test_draws_do_not_depend_on_how_they_are_chunked(d: Distribution) -> None:
    whole = d.sample(np.random.default_rng(9), 1000)
    rng = np.random.default_rng(9)
    parts = np.concatenate([d.sample(rng, n) for n in (1, 333, 7, 659)])
    np.testing.assert_array_equal(whole, parts)


@pytest.mark.parametrize("d", ALL_KINDS, ids=lambda d: d.kind)
def test_vectorized_inverse_cdf_matches_the_scalar_one(d: Distribution) -> None:
    p = np.array([0.001, 0.05, 0.3, 0.5, 0.81, 0.95, 0.999])
    np.testing.assert_allclose(d.from_uniform(p), [d.ppf(float(x)) for x in p], rtol=1e-9)


@pytest.mark.parametrize("d", ALL_KINDS[3:], ids=lambda d: d.kind)
def test_bounded_draws_stay_inside_their_bounds(d: Distribution) -> None:
    x = d.sample(np.random.default_rng(5), 100_000)
    assert x.min() >= d.low
    assert x.max() <= d.high


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"low": 0.6, "high": 0.2}, "low (0.6) is greater than high (0.2)"),
        ({"dist": "lognormal", "low": 0.0, "high": 5.0}, "a lognormal range needs low > 0"),
        ({"dist": "pert", "low": 1.0, "mode": 5.0, "high": 3.0}, "mode (5) must lie between"),
        ({"dist": "pert", "low": 1.0, "high": 3.0}, "dist: pert needs mode"),
        ({"value": 0.9, "low": 0.2, "high": 0.6}, "value (0.9) must lie between"),
        ({"dist": "uniform", "value": 2.0, "low": 1.0, "high": 3.0}, "value cannot be given"),
        ({"dist": "uniform", "low": 1.0, "high": 3.0, "mode": 2.0}, "mode is not a parameter"),
        ({"dist": "normal", "mean": 1.0, "low": 0.0, "high": 2.0}, "either low and high"),
        ({"dist": "normal", "mean": 1.0, "sd": -1.0}, "sd (-1) must be zero or more"),
        ({"low": 1.0}, "a range needs low and high"),
    ],
)
def test_invalid_ranges_say_what_is_wrong(kwargs: dict[str, Any], message: str) -> None:
    dist = kwargs.pop("dist", None)
    with pytest.raises(RangeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        distribution(dist, **kwargs)


# --- ranges in scenario files -----------------------------------------------------------------
