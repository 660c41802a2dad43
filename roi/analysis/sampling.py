"""Ranged inputs of a scenario and their reproducible draws.

Draws are reproducible: each ranged input has its own random stream, derived from the seed and
the input's path, so the numbers do not depend on the chunk size, on how many inputs are ranged or
on their order (common random numbers: widening one range moves only that input's draws).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from roi.inputs.distributions import Array, Distribution
from roi.inputs.labels import input_label
from roi.inputs.parameters import parameters
from roi.inputs.provenance import with_default_ranges
from roi.inputs.schema import Scenario, distribution_of, spec_at


@dataclass(frozen=True)
class RangedInput:
    """One ranged assumption of a scenario, ready to draw."""

    path: str
    """Dotted parameter path, as in :func:`roi.inputs.parameters.parameters`."""
    label: str
    """Readable name with unit, e.g. ``Sev-1 MTTR after (h)``."""
    unit: str
    """Canonical unit with the currency filled in."""
    distribution: Distribution
    point: float
    """The point estimate (the median) every deterministic command uses."""
    support: tuple[float, float]
    """Bounds of the field; draws of unbounded families are clipped into them."""
    source: str | None = None
    default: bool = False
    """True when the range is the default uncertainty of a point estimate (by its source's
    confidence, :mod:`roi.inputs.provenance`), not one the scenario states."""


def support_of(path: str) -> tuple[float, float]:
    """Bounds of the field at ``path`` (from its schema Spec); ``(-inf, inf)`` if it has none."""
    spec = spec_at(path)
    bounds = spec.bounds if spec is not None else "any"
    return {
        "fraction": (0.0, 1.0),
        "nonneg": (0.0, math.inf),
        "positive": (math.ulp(0.0), math.inf),
        "growth": (-1.0 + 1e-12, math.inf),
        "any": (-math.inf, math.inf),
    }[bounds]


def ranged_inputs(scenario: Scenario) -> list[RangedInput]:
    """Every uncertain assumption of ``scenario``, in parameter-table order: the ranges it
    states and, unless ``finance.default_uncertainty`` is false, the default range of every
    estimate stated as a point (:func:`roi.inputs.provenance.with_default_ranges`).

    Zero-width ranges (``low == high``) are constants and left out.
    """
    out = []
    stated = parameters(scenario)
    table = with_default_ranges(stated) if scenario.finance.default_uncertainty else stated
    for path, q in table.items():
        if q.dist is None:
            continue
        d = distribution_of(q)
        if d.high == d.low:
            continue
        unit = q.unit or ""
        out.append(
            RangedInput(
                path,
                input_label(path, unit, scenario),
                unit,
                d,
                q.value,
                support_of(path),
                q.source,
                stated[path].dist is None,
            )
        )
    return out


def input_streams(
    inputs: list[RangedInput], seed: int | None = 0, rng: np.random.Generator | None = None
) -> dict[str, np.random.Generator]:
    """One independent random generator per input, keyed by path.

    Each stream is seeded from ``(seed, crc32(path))``, so an input's draws depend only on the
    seed and its own path. With ``rng``, the seed is one integer drawn from it (the caller's
    generator advances; the same generator state gives the same streams).
    """
    seed = resolve_seed(seed, rng)
    return {
        i.path: np.random.default_rng([seed, zlib.crc32(i.path.encode("utf-8"))]) for i in inputs
    }


def resolve_seed(seed: int | None = 0, rng: np.random.Generator | None = None) -> int:
    """The integer seed of a run: ``seed``, or one integer drawn from ``rng``, or fresh entropy
    when both are None. Recording it makes any run repeatable."""
    if rng is not None:
        return int(rng.integers(0, 2**63))
    if seed is None:
        return int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> np.uint64(1))
    return int(seed)


def draw(
    inputs: list[RangedInput], streams: Mapping[str, np.random.Generator], n: int
) -> dict[str, Array]:
    """The next ``n`` draws of every input from its stream, clipped into the field's bounds."""
    out = {}
    for i in inputs:
        d = i.distribution
        x = d.sample(streams[i.path], n)
        lo, hi = i.support
        # Uniform, triangular and PERT stay inside [low, high], which the schema checked against
        # the bounds; a lognormal is positive. Only the other tails can leave the field's bounds.
        positive = d.kind == "lognormal" and lo <= 0.0
        if not d.bounded and (hi < math.inf or (lo > -math.inf and not positive)):
            np.clip(x, lo, hi, out=x)
        out[i.path] = x
    return out


_PAIRS = (("mttr_hours_after", "mttr_hours_before"), ("latency_ms_after", "latency_ms_before"))
"""(after, before) field pairs: with tracing, never worse than today."""


def coherent(values: dict[str, Array], point: Mapping[str, float]) -> dict[str, Array]:
    """Draws made consistent across inputs: MTTR and latency with tracing never exceed today's.

    The schema refuses ``mttr_hours_after > mttr_hours_before`` for the stated values; when one
    or both are ranged, a draw of ``after`` above that sample's ``before`` is set to ``before``
    (tracing is not assumed to slow resolution or the journey; the instrumentation overhead is
    modelled on its own). ``point`` gives the values of inputs not drawn.
    """
    out = dict(values)
    for path in values:
        stem, _, name = path.rpartition(".")
        for after_name, before_name in _PAIRS:
            if name not in (after_name, before_name):
                continue
            after, before = f"{stem}.{after_name}", f"{stem}.{before_name}"
            if after not in point and after not in values:
                continue
            a = np.asarray(out.get(after, point.get(after)), dtype=float)
            b = np.asarray(out.get(before, point.get(before)), dtype=float)
            out[after] = np.minimum(a, b)
    return out
