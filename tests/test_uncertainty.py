"""roi.uncertainty: distributions of ranged assumptions, reproducible draws, the Monte Carlo engine,
and ranges in scenario files (roi.schema) as the engine sees them."""

from __future__ import annotations

import copy
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import SCENARIOS_DIR, SEED, RunCli
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from roi.errors import ScenarioError
from roi.model import evaluate
from roi.parameters import parameters, ranged_parameters
from roi.scenario import resolve, validate
from roi.schema import Scenario
from roi.uncertainty import (
    Z95,
    Distribution,
    OptionSimulation,
    RangedInput,
    RangeError,
    beta_cdf,
    beta_ppf,
    coherent,
    distribution,
    distribution_of,
    draw,
    input_label,
    input_streams,
    ranged_inputs,
    simulate,
)

ECOMMERCE = SCENARIOS_DIR / "ecommerce-midsize.yaml"
FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"


def scenario_from(path: Path, edits: dict[str, Any]) -> Scenario:
    """A shipped scenario with fields replaced: ``{"finance.discount_rate": {...}}``."""
    data = copy.deepcopy(resolve(path))
    for dotted, value in edits.items():
        node = data
        *parents, last = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return validate(data, f"{path.name} (edited)")


def point_only(path: Path) -> Scenario:
    """A shipped scenario with every range replaced by its median (a point)."""
    s = scenario_from(path, {})
    edits: dict[str, Any] = {}
    for p, q in ranged_parameters(s).items():
        edits[p] = {"value": q.value, "unit": q.unit}
    return scenario_from(path, edits)


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
    value = low + at * (high - low)
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
    # amazon preset: headline 1 % per 100 ms, low 0.5 % (roi.presets).
    assert (p.value, p.low, p.high, p.dist) == (0.01, 0.005, 0.01, "lognormal")
    seed = parameters(scenario_from(SEED, {}))["latency.conversion_lift_per_100ms"]
    assert seed.dist is None  # the article's one figure


def test_ranged_inputs_have_readable_labels() -> None:
    labels = {i.path: i.label for i in ranged_inputs(scenario_from(ECOMMERCE, {}))}
    assert labels["incidents.severities.sev1.mttr_reduction_fraction"] == (
        "Sev-1 MTTR reduction (%)"
    )
    assert labels["finance.discount_rate"] == "Discount rate (%/year)"
    assert labels["instrumentation.bytes_per_span"] == "Span size (B)"
    assert input_label("managed.prices.datadog.hosts.price_per_unit", "USD/APM hosts/month") == (
        "Datadog APM (annual): APM hosts price (USD/APM hosts/month)"
    )


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


# --- the Monte Carlo engine ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def ecommerce() -> Scenario:
    return scenario_from(ECOMMERCE, {})


def test_same_seed_same_numbers_and_chunking_does_not_matter(ecommerce: Scenario) -> None:
    a = simulate(ecommerce, samples=700, seed=11)
    b = simulate(ecommerce, samples=700, seed=11, chunk_size=97)
    c = simulate(ecommerce, samples=700, seed=12)
    assert b.evaluations == 8
    for key, option in a.options.items():
        for kpi, x in option.kpis.items():
            np.testing.assert_array_equal(x, b.options[key].kpis[kpi])
        assert not np.array_equal(option.kpis["npv"], c.options[key].kpis["npv"])
        np.testing.assert_array_equal(
            option.cumulative_net_percentiles, b.options[key].cumulative_net_percentiles
        )


def test_rng_argument_spec7(ecommerce: Scenario) -> None:
    a = simulate(ecommerce, samples=50, rng=np.random.default_rng(5))
    b = simulate(ecommerce, samples=50, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(
        a.options["datadog"].kpis["npv"], b.options["datadog"].kpis["npv"]
    )
    again = simulate(ecommerce, samples=50, seed=a.seed)  # the recorded seed repeats the run
    np.testing.assert_array_equal(
        a.options["datadog"].kpis["npv"], again.options["datadog"].kpis["npv"]
    )


def test_percentiles_are_ordered_and_the_point_is_the_deterministic_case(
    ecommerce: Scenario,
) -> None:
    sim = simulate(ecommerce, samples=3000, seed=1)
    point = evaluate(ecommerce)
    assert set(sim.options) == {k for k in point.options if k != "do-nothing"}
    for key, o in sim.options.items():
        for kpi, s in o.summary().items():
            assert s["p10"] <= s["p50"] <= s["p90"], (key, kpi)
            assert o.point[kpi] == float(point.options[key].kpis[kpi])
        fan = o.cumulative_net_percentiles
        assert fan.shape == (3, point.months.size)
        assert np.all(fan[0] <= fan[1])
        assert np.all(fan[1] <= fan[2])


def test_without_ranges_every_sample_is_the_point_estimate() -> None:
    s = point_only(SEED)
    sim = simulate(s, samples=40)
    ev = evaluate(s)
    assert sim.inputs == ()
    assert sim.evaluations == 1
    for key, o in sim.options.items():
        np.testing.assert_array_equal(o.kpis["npv"], np.full(40, ev.options[key].kpis["npv"]))
        cumulative = np.cumsum(ev.options[key].net)
        np.testing.assert_allclose(o.cumulative_net_percentiles, np.vstack([cumulative] * 3))


def test_only_the_discount_rate_ranged_matches_numpy_financial() -> None:
    # Independent oracle: with only the rate uncertain, cash flows are fixed and each sample's
    # NPV is numpy_financial.npv of the TEI yearly net at that sample's rate.
    npf = pytest.importorskip("numpy_financial")
    from roi.finance import yearly

    s = scenario_from(
        SEED,
        {
            p: {"value": q.value, "unit": q.unit}
            for p, q in ranged_parameters(scenario_from(SEED, {})).items()
            if p != "finance.discount_rate"
        },
    )
    sim = simulate(s, samples=25, seed=4)
    rate_input = [i for i in sim.inputs if i.path == "finance.discount_rate"]
    assert len(sim.inputs) == 1
    assert rate_input
    rates = draw(rate_input, input_streams(rate_input, sim.seed), 25)["finance.discount_rate"]
    net = yearly(evaluate(s).options["self-run"].net)
    expected = [npf.npv(r, net) for r in rates]
    np.testing.assert_allclose(sim.options["self-run"].kpis["npv"], expected, rtol=1e-10)


def test_widening_a_range_widens_p10_p90() -> None:
    narrow = scenario_from(
        SEED, {"finance.benefit_risk": {"value": 0.15, "low": 0.10, "high": 0.20}}
    )
    wide = scenario_from(SEED, {"finance.benefit_risk": {"value": 0.15, "low": 0.02, "high": 0.4}})

    def spread(s: Scenario) -> float:
        q = simulate(s, samples=4000, seed=2).options["datadog"].summary()["npv"]
        return q["p90"] - q["p10"]

    assert spread(wide) > 1.5 * spread(narrow)


def test_payback_never_counts_as_infinite_and_probabilities_by_hand() -> None:
    payback = np.array([1.0, 5.0, 12.0, 13.0, np.nan])
    o = OptionSimulation(
        "x",
        "X",
        "self_run",
        {
            "npv": np.array([-1.0, 2.0, 3.0, -4.0, 5.0]),
            "roi": np.ones(5),
            "payback_months": payback,
            "pv_benefits": np.ones(5),
            "pv_costs": np.ones(5),
        },
        {},
        np.zeros((3, 2)),
    )
    assert o.prob_npv_negative == pytest.approx(2 / 5)
    assert o.prob_payback_within_12_months == pytest.approx(3 / 5)
    assert o.prob_payback_within_horizon == pytest.approx(4 / 5)
    s = o.summary()["payback_months"]
    assert s["p50"] == 12.0
    assert s["p90"] == math.inf  # 10 % of samples never pay back
    assert math.isnan(s["mean"])
    # numpy's linear interpolation on the finite part: P10 between 1 and 5 at 0.4.
    assert s["p10"] == pytest.approx(1.0 + 0.4 * 4.0)


def test_bad_arguments(ecommerce: Scenario) -> None:
    with pytest.raises(ValueError, match="samples must be >= 1"):
        simulate(ecommerce, samples=0)
    with pytest.raises(ValueError, match="chunk_size"):
        simulate(ecommerce, samples=5, chunk_size=0)
    margin = parameters(ecommerce)["business.margin"]
    with pytest.raises(ValueError, match="not a range"):
        distribution_of(margin)


def test_ranged_input_is_frozen() -> None:
    i = RangedInput("a", "A", "h", distribution("uniform", low=1.0, high=2.0), 1.5, (0.0, 9.0))
    with pytest.raises(AttributeError):
        i.point = 2.0  # type: ignore[misc]


@pytest.mark.slow
def test_a_million_samples_stay_under_1_gib() -> None:
    code = (
        "import resource, sys\n"
        "from roi.scenario import load_scenario\n"
        "from roi.uncertainty import simulate\n"
        f"sim = simulate(load_scenario({str(ECOMMERCE)!r}), samples=1_000_000, seed=0)\n"
        "assert sim.options['self-run'].kpis['npv'].shape == (1_000_000,)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=600
    )
    peak_kib = int(out.stdout.strip())
    assert peak_kib * 1024 < 1024**3, f"peak RSS {peak_kib / 1024:.0f} MiB"


# --- the command line -------------------------------------------------------------------------


def test_simulate_json_is_versioned_and_repeatable(run_cli: RunCli) -> None:
    code, out, err = run_cli(
        "simulate", ECOMMERCE, "--samples", "500", "--seed", "3", "--format", "json"
    )
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["schema_version"] == 1
    assert doc["samples"] == 500
    assert doc["seed"] == 3
    assert [o["key"] for o in doc["options"]] == [
        "self-run",
        "datadog",
        "grafana-cloud",
        "honeycomb",
        "aws-xray",
    ]
    for o in doc["options"]:
        assert set(o["summary"]) >= {"npv", "roi", "payback_months"}
        assert set(o["summary"]["npv"]) == {"p10", "p50", "p90", "mean"}
        assert 0.0 <= o["prob_npv_negative"] <= 1.0
        assert 0.0 <= o["prob_payback_within_12_months"] <= 1.0
    assert {i["path"] for i in doc["ranged_inputs"]} >= {"finance.discount_rate"}
    assert (
        run_cli("simulate", ECOMMERCE, "--samples", "500", "--seed", "3", "--format", "json")[1]
        == out
    )


def test_simulate_table(run_cli: RunCli) -> None:
    code, out, _ = run_cli("simulate", SEED, "--samples", "300")
    assert code == 0
    assert "P10" in out
    assert "P(NPV < 0)" in out
    assert "Discount rate (%/year)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--samples", "0"], "--samples: 0 is out of range"),
        (["--samples", "-5"], "--samples: -5 is out of range"),
        (["--samples", "ten"], "argument --samples: invalid int value"),
        (["--seed", "-1"], "--seed: -1 is out of range"),
        (["--format", "xml"], "argument --format: invalid choice"),
    ],
)
def test_simulate_usage_errors_are_one_line(run_cli: RunCli, args: list[str], message: str) -> None:
    code, out, err = run_cli("simulate", SEED, *args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert message in err
