"""Line items: one benefit or cost as driver x unit value with its monthly series, and the
running totals of an option.

This is where a line's series is held or recomputed: :class:`LineSum` keeps each series when the
evaluation is small (:attr:`roi.model.numbers.Numbers.held`) and otherwise gives the
:class:`LineItem` the function that computes it, called when the series is first read. The
formulas (:mod:`roi.model.families`) only say what a line is.

Examples
--------
>>> import numpy as np
>>> total = LineSum((), (3,), held=True)
>>> _ = total.add(line("cost.x", "X", "cost", "G", 2.0, "h", 50.0, "USD/h", lambda: np.ones(3)))
>>> total.costs.tolist(), total.lines[0].run_rate.item()
([1.0, 1.0, 1.0], 100.0)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from roi.model.timeline import Array

Category = Literal["benefit", "cost"]


class _Series:
    """``LineItem.series``: an array, or a function that computes it when first read."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.attribute = f"_{name}"

    def __get__(self, obj: object | None, owner: type | None = None) -> Array:
        if obj is None:  # a dataclass field without a default
            raise AttributeError(self.attribute[1:])
        value = obj.__dict__[self.attribute]
        if callable(value):
            value = value()
            obj.__dict__[self.attribute] = value
        return value

    def __set__(self, obj: object, value: Array | Callable[[], Array]) -> None:
        obj.__dict__[self.attribute] = value


@dataclass(frozen=True)
class LineItem:
    """One benefit or cost, explained as driver x unit value.

    ``driver`` and ``unit_value`` are the run rate at today's volumes and full adoption (for a
    one-off item: its whole amount); ``series`` is the monthly value over the horizon with
    ramp-up and growth, before risk adjustment. Shapes: ``S`` and ``S + (months,)``.

    For more than :data:`roi.model.numbers.HELD_SERIES_MAX_SAMPLES` samples, ``series`` is
    computed when first read (same inputs, same arithmetic as the option totals) rather than held
    from the start.
    """

    key: str
    label: str
    category: Category
    group: str
    driver: Array
    driver_unit: str
    unit_value: Array
    unit_value_unit: str
    series: _Series = _Series()
    one_off: bool = False

    @property
    def run_rate(self) -> Array:
        """Monthly value at today's volumes and full adoption (one-off: the whole amount)."""
        return self.driver * self.unit_value

    @property
    def total(self) -> Array:
        """Sum over the horizon, before risk adjustment [currency]."""
        return self.series.sum(axis=-1)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_series"] = self.series
        return state


@dataclass(frozen=True)
class Line:
    """A line item before evaluation: ``series`` computes its monthly values."""

    key: str
    label: str
    category: Category
    group: str
    driver: Array
    driver_unit: str
    unit_value: Array
    unit_value_unit: str
    series: Callable[[], Array]
    one_off: bool = False


def line(
    key: str,
    label: str,
    category: Category,
    group: str,
    driver: ArrayLike,
    driver_unit: str,
    unit_value: ArrayLike,
    unit_value_unit: str,
    series: Callable[[], ArrayLike],
    one_off: bool = False,
) -> Line:
    """A :class:`Line`; ``driver`` and ``unit_value`` lose their trailing time axis."""
    d = np.asarray(driver, dtype=float)
    u = np.asarray(unit_value, dtype=float)
    return Line(
        key,
        label,
        category,
        group,
        d[..., 0] if d.ndim else d,
        driver_unit,
        u[..., 0] if u.ndim else u,
        unit_value_unit,
        lambda: np.asarray(series(), dtype=float),
        one_off,
    )


def times(a: Array, *factors: Array) -> Array:
    """``a * b * ...`` from left to right, reusing the first product's memory when it can."""
    out = a * factors[0]
    for f in factors[1:]:
        if np.broadcast_shapes(out.shape, f.shape) == out.shape:
            out *= f
        else:
            out = out * f
    return out


def _read_only(a: Array, shape: tuple[int, ...]) -> Array:
    """A read-only view of ``a`` broadcast to ``shape``."""
    if a.shape != shape:
        return np.broadcast_to(a, shape)
    v = a.view()
    v.flags.writeable = False
    return v


class LineSum:
    """Evaluated line items and the running totals of their series by category.

    ``held``: keep each line's series (else the line item recomputes it when first read).
    """

    def __init__(self, shape: tuple[int, ...], t_shape: tuple[int, ...], held: bool) -> None:
        self.shape = shape
        self.t_shape = t_shape
        self.held = held
        self.lines: list[LineItem] = []
        self._totals: dict[str, Array] = {}

    @property
    def benefits(self) -> Array:
        """Sum of the benefit series [currency]."""
        return self._total("benefit")

    @benefits.setter
    def benefits(self, value: Array) -> None:
        self._totals["benefit"] = value

    @property
    def costs(self) -> Array:
        """Sum of the cost series [currency]."""
        return self._total("cost")

    def _total(self, category: str) -> Array:
        if category not in self._totals:
            self._totals[category] = np.zeros(self.t_shape)
        return self._totals[category]

    def copy(self) -> LineSum:
        """The same lines and totals; the cost total is copied, the benefit total shared."""
        out = LineSum(self.shape, self.t_shape, self.held)
        out.lines = list(self.lines)
        out._totals = {k: v.copy() if k == "cost" else v for k, v in self._totals.items()}
        return out

    def add(self, item: Line) -> Array:
        """Evaluate ``item``, add its series to its category's total; returns the series."""
        t_shape = self.t_shape

        def series() -> Array:
            return np.broadcast_to(item.series(), t_shape)

        values = series()
        self.lines.append(
            LineItem(
                item.key,
                item.label,
                item.category,
                item.group,
                _read_only(item.driver, self.shape),
                item.driver_unit,
                _read_only(item.unit_value, self.shape),
                item.unit_value_unit,
                values if self.held else series,
                item.one_off,
            )
        )
        total = self._totals.get(item.category)
        if total is None:
            # 0 + values, as a sum that starts from zeros (-0.0 becomes 0.0), in new memory.
            self._totals[item.category] = values + 0.0
        else:
            total += values
        return values
