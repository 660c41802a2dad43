"""roi.model.lines: line items, their series held or recomputed, the running totals."""

from __future__ import annotations

import pickle

import numpy as np

from roi.model.lines import LineSum, line, times


def _line(key: str, category: str, series: np.ndarray, calls: list[int]) -> object:
    def compute() -> np.ndarray:
        calls.append(1)
        return series

    return line(key, key, category, "G", [[2.0]], "h", [[3.0]], "USD/h", compute)  # type: ignore[arg-type]


def test_totals_by_category_and_run_rate() -> None:
    total = LineSum((1,), (1, 4), held=True)
    calls: list[int] = []
    total.add(_line("a", "cost", np.arange(4.0), calls))  # type: ignore[arg-type]
    total.add(_line("b", "cost", np.ones(4), calls))  # type: ignore[arg-type]
    total.add(_line("c", "benefit", np.full(4, 5.0), calls))  # type: ignore[arg-type]
    assert total.costs.tolist() == [[1.0, 2.0, 3.0, 4.0]]
    assert total.benefits.tolist() == [[5.0] * 4]
    assert [li.run_rate.tolist() for li in total.lines] == [[6.0]] * 3
    assert calls == [1, 1, 1]


def test_series_recomputed_when_not_held_and_copy_shares_benefits() -> None:
    total = LineSum((1,), (1, 3), held=False)
    calls: list[int] = []
    total.add(_line("a", "benefit", np.ones(3), calls))  # type: ignore[arg-type]
    other = total.copy()
    other.add(_line("b", "cost", np.ones(3), calls))  # type: ignore[arg-type]
    assert other.benefits is total.benefits
    assert len(total.lines) == 1
    assert calls == [1, 1]
    assert total.lines[0].series.tolist() == [[1.0, 1.0, 1.0]]  # recomputed once, then kept
    assert total.lines[0].total.tolist() == [3.0]
    assert calls == [1, 1, 1]
    assert pickle.loads(pickle.dumps(total.lines[0])).series.tolist() == [[1.0] * 3]


def test_driver_and_unit_value_are_read_only() -> None:
    total = LineSum((2,), (2, 3), held=True)
    total.add(line("a", "a", "cost", "G", [[1.0], [2.0]], "h", 3.0, "USD", lambda: np.ones(3)))
    assert not total.lines[0].driver.flags.writeable


def test_times_multiplies_left_to_right() -> None:
    a = np.array([1.0, 2.0])
    assert times(a, np.array([[3.0], [4.0]]), np.array(0.5)).tolist() == [[1.5, 3.0], [2.0, 4.0]]
