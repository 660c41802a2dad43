"""Where each number comes from, and what follows: how sure a source is, the default uncertainty
of an input nobody gave a range, and the warnings an unfinished scenario deserves.

Confidence of a source (``H``, ``M``, ``L``):

* ``ref:<key>``: the reference's own confidence (:data:`roi.inputs.references.REFERENCES`);
* free text saying the number is fictional, illustrative, assumed or a guess, a template
  placeholder, or no source at all: ``L``;
* any other free text (the user's own data: "PagerDuty export, Q1 2026"): ``M``.

Default uncertainty. An input stated as a point, whose field is an estimate (not a choice such
as the horizon, the discount rate or the sampling rate), gets a 90 % interval centred on its
value (the value stays the median) whose width follows its source's confidence
(:data:`DEFAULT_SPREAD`): a lognormal ``value / k`` to ``value * k`` for positive, skewed
quantities, a normal ``value * (1 -/+ r)`` for fractions and rates, narrowed where a bound is
closer.
So the tornado and the chance of a loss cover every input that matters, not only the ones an
author thought to range.

Examples
--------
>>> confidence_of("ref:forrester-tei"), confidence_of("fictional"), confidence_of(None)
('H', 'L', 'L')
>>> confidence_of("our PagerDuty export, Jan-Mar 2026")
'M'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from roi.inputs.references import REFERENCES
from roi.inputs.schema import Quantity, Scenario, assumptions, spec_at

Confidence = Literal["H", "M", "L"]

PLACEHOLDER_SOURCE = "replace: where this number comes from"
"""The source ``roi init`` writes beside every illustrative number."""
PLACEHOLDER_TEXT = "(replace me)"
"""What ``roi init`` writes into text fields to be filled in."""

_LOW_WORDS = re.compile(
    r"\b(fictional|fictitious|illustrative|made[- ]up|assum(e|ed|ption)|guess(ed)?|placeholder|"
    r"replace|example|roi-assumption|unknown|tbd)\b",
    re.IGNORECASE,
)

DEFAULT_SPREAD: dict[Confidence, tuple[float, float]] = {
    "L": (1.5, 0.4),
    "M": (1.25, 0.2),
    "H": (1.1, 0.1),
}
"""[factor, fraction] The default 90 % interval by confidence: a positive, skewed quantity spans
``value / factor`` to ``value * factor`` (lognormal); a fraction or rate ``value * (1 - r)`` to
``value * (1 + r)`` (normal, narrowed to stay centred inside the field's bounds; none for a
value on its bound). L (fictional, assumed, unsourced):
x/÷ 1.5 or ±40 %; M (the user's own data): x/÷ 1.25 or ±20 %; H (a dated public figure):
x/÷ 1.1 or ±10 %."""

FIXED_FIELDS = frozenset(
    {
        "horizon_months",
        "discount_rate",
        "benefit_risk",
        "cost_risk",
        "retention_days",
        "sampling_rate",
        "min_replicas_per_component",
        "indexed_span_fraction",
        "users",
        "included_per_host",
        "free_units",
        "migration_month",
    }
)
"""Fields that are choices or contract terms, not estimates: never given a default range (the
horizon and discount rate are finance's conventions, risk adjustments are already the TEI's
allowance for uncertainty, retention, sampling and allowances are settings or contract terms)."""


def confidence_of(source: str | None) -> Confidence:
    """How sure a source is: a reference's own confidence, ``L`` for fictional, assumed or
    missing, ``M`` for the user's own data."""
    if not source or not source.strip():
        return "L"
    text = source.strip()
    if text.startswith("ref:"):
        ref = REFERENCES.get(text.removeprefix("ref:"))
        if ref is None:
            return "L"
        grade = ref.confidence.strip()[:1].upper()
        return grade if grade in ("H", "M") else "L"  # type: ignore[return-value]
    return "L" if _LOW_WORDS.search(text) else "M"


def default_range(path: str, q: Quantity) -> Quantity | None:
    """``q`` with its default 90 % interval by confidence (:data:`DEFAULT_SPREAD`), or None when
    it is ranged already, a choice (:data:`FIXED_FIELDS`), a whole number, or zero.

    >>> q = Quantity(value=4.0, unit="h", source="fictional")
    >>> r = default_range("incidents.severities.sev1.mttr_hours_before", q)
    >>> round(r.low, 4), r.value, r.high, r.dist
    (2.6667, 4.0, 6.0, 'lognormal')
    >>> default_range("finance.discount_rate", Quantity(value=0.1, unit="fraction/year")) is None
    True
    """
    if q.dist is not None or q.value == 0.0:
        return None
    name = path.rsplit(".", 1)[-1]
    if name in FIXED_FIELDS:
        return None
    spec = spec_at(path)
    if spec is None or spec.integer:
        return None
    grade = confidence_of(q.source)
    factor, share = DEFAULT_SPREAD[grade]
    note = f"default uncertainty, source confidence {grade}"
    if spec.range_distribution == "lognormal" and q.value > 0.0:
        low, high, dist = q.value / factor, q.value * factor, "lognormal"
    else:
        lo, hi = _bounds(spec.bounds)
        # Centred on the value: narrowed to the nearest bound, none for a value on its bound
        # (a margin of 1.0 or full attribution can only be lower: the scenario states that).
        half = min(abs(q.value) * share, q.value - lo, hi - q.value)
        if half <= 0.0:
            return None
        low, high, dist = q.value - half, q.value + half, "normal"
    return q.model_copy(
        update={"low": low, "high": high, "dist": dist, "note": _joined(q.note, note)}
    )


def _bounds(bounds: str) -> tuple[float, float]:
    return {
        "fraction": (0.0, 1.0),
        "nonneg": (0.0, float("inf")),
        "positive": (0.0, float("inf")),
        "growth": (-1.0, float("inf")),
    }.get(bounds, (float("-inf"), float("inf")))


def _joined(*parts: str | None) -> str:
    return "; ".join(p for p in parts if p)


def with_default_ranges(table: Mapping[str, Quantity]) -> dict[str, Quantity]:
    """Every entry of a parameter table, point estimates of estimates given their default
    range; ranges and choices as they are."""
    out = {}
    for path, q in table.items():
        r = default_range(path, q)
        out[path] = q if r is None else r
    return out


@dataclass(frozen=True)
class ScenarioWarning:
    """A scenario that validates but is not ready for a stakeholder: which field, and why."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


_TEXT_FIELDS = ("name", "description", "kpis.north_star_kpi")


def scenario_warnings(scenario: Scenario) -> list[ScenarioWarning]:
    """Template placeholders left in text or sources, and numbers given without a source.

    >>> from roi.inputs.scenario import load_scenario
    >>> scenario_warnings(load_scenario("data_samples/scenarios/seed-article.yaml"))
    []
    """
    return list(_warnings(scenario))


def _warnings(scenario: Scenario) -> Iterator[ScenarioWarning]:
    for path in _TEXT_FIELDS:
        node: object = scenario
        for part in path.split("."):
            node = getattr(node, part, None)
        if isinstance(node, str) and PLACEHOLDER_TEXT in node:
            yield ScenarioWarning(path, f"still holds the template's {PLACEHOLDER_TEXT!r}")
    for path, q in assumptions(scenario):
        if q.source and PLACEHOLDER_SOURCE in q.source:
            yield ScenarioWarning(
                path, "source is the template's placeholder; say where it comes from"
            )
        elif not q.source or not q.source.strip():
            yield ScenarioWarning(path, "no source: say where this number comes from")
