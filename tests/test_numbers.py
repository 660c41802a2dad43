"""roi.model.numbers: the parameter table as arrays, held or copied."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SEED

from roi.inputs.scenario import load_scenario
from roi.model.numbers import HELD_SERIES_MAX_SAMPLES, Numbers, point_table, squeeze


def test_point_table_is_memoized_and_read_only() -> None:
    s = load_scenario(SEED)
    table = point_table(s)
    assert point_table(s) is table
    a = table["business.margin"]
    assert a.shape == (1,)
    assert not a.flags.writeable


def test_samples_get_a_time_axis_and_large_ones_are_copied() -> None:
    point = {"a": np.array([1.0]), "b": np.array([2.0])}
    small = np.arange(3.0)
    n = Numbers(point, {"a": small})
    assert n.shape == (3,)
    assert n.held
    assert n["a"].shape == (3, 1)
    assert np.shares_memory(n["a"], small)
    big = np.zeros(HELD_SERIES_MAX_SAMPLES + 1)
    m = Numbers(point, {"a": big})
    assert not m.held
    assert not np.shares_memory(m["a"], big)
    assert m.get("missing", 7.0).tolist() == [7.0]
    with pytest.raises(ValueError, match="broadcast"):
        Numbers(point, {"a": np.zeros(2), "b": np.zeros(3)})


def test_squeeze_drops_the_time_axis_and_broadcasts() -> None:
    assert squeeze(np.array([[1.0], [2.0]]), (2,)).tolist() == [1.0, 2.0]
    assert squeeze(np.array([4.0]), (3,)).tolist() == [4.0, 4.0, 4.0]
