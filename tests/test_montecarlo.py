"""roi.analysis.montecarlo: the Monte Carlo engine (chunking, seeds, percentiles, memory) and
``roi simulate``."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from conftest import SCENARIOS_DIR, SEED, STATED_RANGES_ONLY, RunCli, point_only, scenario_from

from roi.analysis.montecarlo import OptionSimulation, simulate
from roi.analysis.sampling import RangedInput, draw, input_streams
from roi.inputs.distributions import distribution
from roi.inputs.parameters import parameters, ranged_parameters
from roi.inputs.schema import Scenario, distribution_of
from roi.model import evaluate

ECOMMERCE = SCENARIOS_DIR / "ecommerce-midsize.yaml"
FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"


@pytest.fixture(scope="module")
def ecommerce() -> Scenario:
    return scenario_from(ECOMMERCE, STATED_RANGES_ONLY)


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
    from roi.model.finance import yearly

    s = scenario_from(
        SEED,
        {
            **STATED_RANGES_ONLY,
            **{
                p: {"value": q.value, "unit": q.unit}
                for p, q in ranged_parameters(scenario_from(SEED, {})).items()
                if p != "finance.discount_rate"
            },
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
        SEED,
        {**STATED_RANGES_ONLY, "finance.benefit_risk": {"value": 0.15, "low": 0.10, "high": 0.20}},
    )
    wide = scenario_from(
        SEED,
        {**STATED_RANGES_ONLY, "finance.benefit_risk": {"value": 0.15, "low": 0.02, "high": 0.4}},
    )

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
        "from roi.inputs.scenario import load_scenario\n"
        "from roi.analysis.montecarlo import simulate\n"
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
