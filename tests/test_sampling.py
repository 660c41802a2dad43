"""roi.analysis.sampling and ranges in scenario files: ranged inputs, their labels and supports,
reproducible per-input streams, coherent draws."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from conftest import SCENARIOS_DIR, SEED, point_only, scenario_from

from roi.analysis.sampling import coherent, draw, input_streams, ranged_inputs
from roi.inputs.errors import ScenarioError
from roi.inputs.parameters import parameters
from roi.inputs.schema import Scenario, distribution_of
from roi.model import evaluate

ECOMMERCE = SCENARIOS_DIR / "ecommerce-midsize.yaml"
FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"


def test_a_range_in_another_unit_is_converted_and_its_median_is_the_point() -> None:
    s = scenario_from(
        SEED,
        {"incidents.severities.sev1.mttr_hours_after": {"low": 20, "high": 60, "unit": "min"}},
    )
    q = s.incidents.severities["sev1"].mttr_hours_after
    assert q is not None
    assert (q.low, q.high, q.dist) == (pytest.approx(1 / 3), pytest.approx(1.0), "lognormal")
    assert q.value == pytest.approx(math.sqrt(1 / 3 * 1.0))  # geometric mean, in hours
    assert q.given == "20 to 60 min"


def test_fields_say_which_family_a_bare_low_high_uses() -> None:
    s = scenario_from(
        SEED,
        {
            "business.revenue_per_hour": {"low": 10_000, "high": 20_000},
            "business.margin": {"low": 0.8, "high": 1.0},
        },
    )
    assert s.business.revenue_per_hour.dist == "lognormal"
    assert s.business.margin.dist == "normal"
    assert s.business.margin.value == pytest.approx(0.9)
    schema = Scenario.model_json_schema()
    business = schema["$defs"]["Business"]["properties"]
    assert business["revenue_per_hour"]["x-range-distribution"] == "lognormal"
    assert business["margin"]["x-range-distribution"] == "normal"
    assert schema["$defs"]["Quantity"]["required"] == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("finance.discount_rate", {"low": 0.16, "high": 0.08}, "low (0.16) is greater than high"),
        ("finance.discount_rate", {"low": -0.1, "high": 0.3}, "must be a fraction in [0, 1]"),
        ("business.margin", {"dist": "uniform", "low": 0.5, "high": 1.2}, "range 0.5 to 1.2"),
        ("business.revenue_per_hour", {"low": 0, "high": 9000}, "a lognormal range needs low > 0"),
        ("timeline.horizon_months", {"low": 24, "high": 36}, "a range is not allowed here"),
        ("finance.discount_rate", {"low": "a", "high": 0.2}, "low: expected a finite number"),
        ("finance.discount_rate", {"low": 0.1, "high": math.nan}, "high: expected a finite"),
        ("finance.discount_rate", {"dist": "gauss", "low": 0, "high": 0.2}, "not a distribution"),
    ],
)
def test_invalid_ranges_in_a_scenario_name_the_field(
    field: str, value: dict[str, Any], message: str
) -> None:
    with pytest.raises(ScenarioError) as info:
        scenario_from(SEED, {field: value})
    lines = str(info.value).splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"seed-article.yaml (edited): {field}: ")
    assert message in lines[0]


def test_shipped_ranges_keep_every_point_estimate() -> None:
    # The shipped ranges state their medians: a copy with plain numbers gives the same case.
    for path in (SEED, ECOMMERCE, FINTECH):
        ranged, plain = evaluate(scenario_from(path, {})), evaluate(point_only(path))
        for key, option in ranged.options.items():
            for kpi, value in option.kpis.items():
                np.testing.assert_array_equal(value, plain.options[key].kpis[kpi])


def test_elasticity_presets_with_a_span_are_ranged() -> None:
    p = parameters(scenario_from(ECOMMERCE, {}))["latency.conversion_lift_per_100ms"]
    # amazon preset: 0.5 % to 1 % per 100 ms (roi.inputs.presets), used at its median.
    assert (p.low, p.high, p.dist) == (0.005, 0.01, "lognormal")
    assert p.value == pytest.approx((0.005 * 0.01) ** 0.5)
    d = distribution_of(p)
    assert d.interval90 == pytest.approx((0.005, 0.01))
    assert d.below == pytest.approx(d.above)  # an ordinary lognormal, not a two-piece one
    seed = parameters(scenario_from(SEED, {}))["latency.conversion_lift_per_100ms"]
    assert seed.dist is None  # the article's one figure


# --- draws ----------------------------------------------------------------------------------


def test_clipped_draws_of_an_unbounded_family_stay_inside_the_field() -> None:
    s = scenario_from(
        SEED,
        {
            "incidents.severities.sev1.mttr_hours_after": None,
            "incidents.severities.sev1.mttr_reduction_fraction": {"low": 0.0, "high": 0.9},
        },
    )
    inputs = [i for i in ranged_inputs(s) if i.path.endswith("mttr_reduction_fraction")]
    assert inputs[0].support == (0.0, 1.0)
    raw = inputs[0].distribution.sample(np.random.default_rng(0), 100_000)
    assert raw.min() < 0  # a normal 0-90 % interval has a tail below zero ...
    x = draw(inputs, input_streams(inputs, 0), 100_000)[inputs[0].path]
    assert x.min() >= 0.0  # ... which the draws clip to the field's bounds
    assert x.max() <= 1.0


def test_each_input_has_its_own_stream() -> None:
    s = scenario_from(ECOMMERCE, {})
    inputs = ranged_inputs(s)
    full = draw(inputs, input_streams(inputs, 3), 100)
    # Dropping other inputs does not change an input's draws (common random numbers).
    alone = draw(inputs[2:3], input_streams(inputs[2:3], 3), 100)
    np.testing.assert_array_equal(full[inputs[2].path], alone[inputs[2].path])
    assert not np.array_equal(full[inputs[0].path], full[inputs[1].path])


def test_coherent_caps_mttr_after_at_mttr_before() -> None:
    p = "incidents.severities.sev1."
    out = coherent(
        {p + "mttr_hours_after": np.array([1.0, 5.0, 3.0])},
        {p + "mttr_hours_before": 4.0, p + "mttr_hours_after": 1.0},
    )
    np.testing.assert_array_equal(out[p + "mttr_hours_after"], [1.0, 4.0, 3.0])
