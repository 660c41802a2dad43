"""roi.model.managed: billable units after allowances, and bill growth against traffic."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from roi.model.managed import bill_growth_ratio, billable_units


def test_datadog_included_per_host() -> None:
    # 40 hosts x 150 GB included = 6,000 GB; 5,000 GB ingested bills nothing, 7,000 bills 1,000
    assert float(billable_units(5000, included_per_host=150, hosts=40)) == 0.0
    assert float(billable_units(7000, included_per_host=150, hosts=40)) == 1000.0


def test_free_units_and_host_allotment_add_up() -> None:
    # 100 free + 2 x 10 per host = 120 allowance; 150 - 120 = 30
    assert float(billable_units(150, free_units=100, included_per_host=10, hosts=2)) == 30.0


def test_no_allowance_bills_everything_and_zero_bills_zero() -> None:
    assert float(billable_units(42.0)) == 42.0
    assert float(billable_units(0.0, free_units=10)) == 0.0


@pytest.mark.parametrize("shape", [(), (4,), (2, 3)])
def test_billable_vectorised(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(4)
    units = rng.uniform(0, 1000, size=shape)
    hosts = rng.uniform(0, 10, size=shape)
    got = billable_units(units, 50.0, 20.0, hosts)
    assert np.shape(got) == shape
    assert_allclose(got, np.maximum(0, units - 50 - 20 * hosts))


def test_bill_growth_ratio_hand_checked() -> None:
    # bill x3 while traffic x2 -> 1.5; bill x2 with traffic x2 -> 1
    assert float(bill_growth_ratio([100, 200, 300], [1, 1.5, 2])) == pytest.approx(1.5)
    assert float(bill_growth_ratio([50, 100], [10, 20])) == pytest.approx(1.0)


def test_bill_growth_ratio_along_last_axis() -> None:
    bills = np.array([[[100, 300]], [[100, 100]]])  # (2, 1, 2)
    got = bill_growth_ratio(bills, np.array([1.0, 2.0]))
    assert got.shape == (2, 1)
    assert_allclose(got[:, 0], [1.5, 0.5])


def test_bill_growth_ratio_zero_start_is_nan_or_inf_without_warning() -> None:
    # A bill that starts at 0 has no growth ratio; no RuntimeWarning (warnings are errors here).
    assert np.isnan(bill_growth_ratio([0.0, 0.0], [1.0, 2.0]))
    assert np.isinf(bill_growth_ratio([0.0, 10.0], [1.0, 2.0]))
