"""The parameter table as the model reads it: every number of
:func:`roi.inputs.parameters.parameters` as an array with a trailing time axis of length 1, the
caller's sample arrays in place of the stated numbers they replace.

Examples
--------
>>> import numpy as np
>>> n = Numbers({"a": np.array([2.0])}, {"a": [1.0, 3.0]})
>>> n.shape, n["a"].shape, n.held
((2,), (2, 1), True)
>>> squeeze(n["a"], n.shape).tolist()
[1.0, 3.0]
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike

from roi.inputs.parameters import parameters
from roi.inputs.schema import Quantity, Scenario
from roi.model.timeline import Array

HELD_SERIES_MAX_SAMPLES = 16_384
"""Line series of up to this many samples are kept when computed (16 384 x 37 months x 8 B is
4.8 MB a line); larger ones are recomputed when first read, so that one evaluation of 100 000
samples holds its option totals but not some thirty (samples x months) line series. Chunks of
10 000 (the Monte Carlo engine's) are faster held: their memory is reused from chunk to chunk."""


class Numbers:
    """The parameter table as arrays with a trailing time axis of length 1.

    ``held`` says whether line series are kept when computed (at most
    :data:`HELD_SERIES_MAX_SAMPLES` samples) or recomputed when read; in the latter case the
    caller's arrays are copied, since lines computed later read them.
    """

    def __init__(self, point: Mapping[str, Array], values: Mapping[str, ArrayLike]) -> None:
        given = {k: np.asarray(v, dtype=float) for k, v in values.items()}
        self.shape: tuple[int, ...] = np.broadcast_shapes(*(a.shape for a in given.values()))
        self.held = math.prod(self.shape) <= HELD_SERIES_MAX_SAMPLES
        """Whether line series are kept when computed (else recomputed when read)."""
        if not self.held:
            given = _own_copy(given, values)
        self._arrays = {**point, **{k: a[..., None] for k, a in given.items()}}

    def __contains__(self, path: str) -> bool:
        return path in self._arrays

    def __getitem__(self, path: str) -> Array:
        return self._arrays[path]

    def get(self, path: str, default: float = 0.0) -> Array:
        """The number at ``path``, or ``default`` when the scenario leaves it out."""
        a = self._arrays.get(path)
        return np.asarray([default]) if a is None else a


_TABLES: dict[int, tuple[weakref.ref[Scenario], dict[str, Quantity], dict[str, Array]]] = {}


def _tables(scenario: Scenario) -> tuple[dict[str, Quantity], dict[str, Array]]:
    """``parameters(scenario)`` and its numbers as read-only ``(1,)`` arrays, memoized per
    scenario object (scenarios are frozen), so that a widget, a sweep or a Monte Carlo chunk
    evaluating the same scenario again does not walk the pydantic model each time."""
    key = id(scenario)
    hit = _TABLES.get(key)
    if hit is not None and hit[0]() is scenario:
        return hit[1], hit[2]
    quantities = parameters(scenario)
    table = {}
    for path, q in quantities.items():
        a = np.array([q.value], dtype=float)
        a.flags.writeable = False
        table[path] = a

    def forget(ref: weakref.ref[Scenario], key: int = key) -> None:
        if _TABLES.get(key, (None,))[0] is ref:
            del _TABLES[key]

    _TABLES[key] = (weakref.ref(scenario, forget), quantities, table)
    return quantities, table


def point_table(scenario: Scenario) -> dict[str, Array]:
    """The numbers of ``parameters(scenario)`` as read-only arrays of shape ``(1,)`` (memoized,
    see :func:`_tables`)."""
    return _tables(scenario)[1]


def quantities(scenario: Scenario) -> dict[str, Quantity]:
    """``parameters(scenario)`` (memoized with :func:`point_table`): do not modify."""
    return _tables(scenario)[0]


def _own_copy(given: dict[str, Array], values: Mapping[str, ArrayLike]) -> dict[str, Array]:
    """``given`` with every array the caller could still change replaced by a read-only copy.

    Lines computed when first read use the inputs later. Arrays of one shape are copied into
    one block: one allocation instead of one per input.
    """
    by_shape: dict[tuple[int, ...], list[str]] = {}
    for k, a in given.items():
        if np.may_share_memory(a, values[k]):
            by_shape.setdefault(a.shape, []).append(k)
    out = dict(given)
    for keys in by_shape.values():
        block = np.stack([given[k] for k in keys])
        block.flags.writeable = False
        out.update(zip(keys, block, strict=True))
    return out


def squeeze(a: ArrayLike, shape: tuple[int, ...]) -> Array:
    """Drop the trailing time axis of a per-sample value and broadcast it to ``S`` (a copy)."""
    v = np.asarray(a)[..., 0]
    return v.copy() if v.shape == shape else np.broadcast_to(v, shape).copy()
