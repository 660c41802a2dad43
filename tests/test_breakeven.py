"""roi.analysis.breakeven: flip values checked by re-evaluating at them, EVPI against its
definition, and ``roi breakeven``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import SCENARIOS_DIR, SEED, STATED_RANGES_ONLY, RunCli, scenario_from

from roi.analysis.breakeven import breakeven, evpi
from roi.analysis.decision import decide
from roi.analysis.montecarlo import simulate
from roi.analysis.sampling import coherent, ranged_inputs
from roi.inputs.parameters import parameters
from roi.inputs.scenario import load_scenario
from roi.inputs.schema import Scenario
from roi.model import Evaluation, evaluate

FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"
ECOMMERCE = SCENARIOS_DIR / "ecommerce-midsize.yaml"


def _at(scenario: Scenario, path: str, value: float) -> Evaluation:
    point = {p: q.value for p, q in parameters(scenario).items()}
    return evaluate(scenario, coherent({path: np.array([value])}, point))


@pytest.mark.parametrize("path", [FINTECH, ECOMMERCE, SEED], ids=lambda p: p.stem)
def test_npv_is_zero_at_every_npv_flip_value(path: Path) -> None:
    scenario = load_scenario(path)
    b = breakeven(scenario, samples=0)
    flips = [r for r in b.rows if r.npv_zero_at is not None]
    for r in flips:
        option = _at(scenario, r.path, r.npv_zero_at).options[b.option]
        npv, pv_costs = float(option.kpis["npv"][0]), float(option.kpis["pv_costs"][0])
        assert abs(npv) <= 0.005 * pv_costs, (r.path, npv, pv_costs)


def test_fintech_pays_only_beyond_a_sev2_mttr_reduction() -> None:
    scenario = load_scenario(FINTECH)
    b = breakeven(scenario, samples=0)
    assert b.option == "self-run"
    assert b.recommended == "do-nothing"  # NPV < 0 at the point estimate: nothing recommended
    row = next(r for r in b.rows if r.path.endswith("sev2.mttr_reduction_fraction"))
    assert row.base < row.npv_zero_at < 1.0
    # Below the flip self-run loses, above it pays and becomes the recommendation.
    below = _at(scenario, row.path, row.npv_zero_at * 0.99)
    above = _at(scenario, row.path, row.npv_zero_at * 1.01)
    assert float(below.options["self-run"].kpis["npv"][0]) < 0.0
    assert decide(above)[0] == "self-run"
    assert row.option_changes_to == "self-run"
    d = next(i for i in ranged_inputs(scenario) if i.path == row.path).distribution
    assert row.percentile_in_range == pytest.approx(d.cdf(row.npv_zero_at))
    assert 0.0 < row.percentile_in_range < 1.0


def test_the_recommendation_changes_at_each_option_flip_value() -> None:
    scenario = load_scenario(ECOMMERCE)
    b = breakeven(scenario, samples=0)
    changes = [r for r in b.rows if r.option_changes_at is not None]
    assert changes, "ecommerce-midsize has inputs that change the recommended vendor"
    for r in changes:
        step = max(abs(r.option_changes_at) * 1e-6, 1e-12)
        sides = {
            decide(_at(scenario, r.path, r.option_changes_at - step))[0],
            decide(_at(scenario, r.path, r.option_changes_at + step))[0],
        }
        assert sides == {b.recommended, r.option_changes_to}, r.path


def test_evpi_is_non_negative_and_zero_when_no_input_can_change_the_decision() -> None:
    # The seed with Datadog alone: it pays in every sample, so knowing any input changes nothing.
    scenario = scenario_from(SEED, {"self_run.enabled": False})
    sim = simulate(scenario, 4000, keep_draws=True)
    total, each = evpi(scenario, sim, evaluate(scenario))
    assert bool(np.all(sim.options["datadog"].kpis["npv"] > 0.0))
    assert total == 0.0
    assert set(each.values()) == {0.0}
    # With self-run beside it the decision can turn: EVPI is then positive, never negative.
    both = load_scenario(SEED)
    sim = simulate(both, 4000, keep_draws=True)
    total, each = evpi(both, sim, evaluate(both))
    assert total >= max(each.values()) >= 0.0
    assert min(each.values()) >= 0.0


def test_evpi_matches_its_definition_where_one_input_decides() -> None:
    # Fintech: self-run or nothing, and the sev-2 MTTR reduction decides. Independent estimate:
    # EVPI = E_x[max(0, NPV(x))] - max(0, E_x[NPV(x)]), with NPV(x) evaluated at each draw of x
    # and every other input at its median (they barely move NPV here).
    scenario = scenario_from(FINTECH, STATED_RANGES_ONLY)
    sim = simulate(scenario, 20_000, keep_draws=True, seed=3)
    _, each = evpi(scenario, sim, evaluate(scenario))
    path = "incidents.severities.sev2.mttr_reduction_fraction"
    x = sim.draws[path]  # type: ignore[index]
    point = {p: q.value for p, q in parameters(scenario).items()}
    npv = evaluate(scenario, coherent({path: x}, point)).options["self-run"].kpis["npv"]
    oracle = float(np.maximum(npv, 0.0).mean()) - max(float(npv.mean()), 0.0)
    assert oracle > 0.0
    assert each[path] == pytest.approx(oracle, rel=0.15)
    others = [v for p, v in each.items() if p != path]
    assert max(others) < 0.1 * each[path]


def test_breakeven_json(run_cli: RunCli) -> None:
    code, out, err = run_cli("breakeven", FINTECH, "--samples", "2000", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["schema_version"] == 1
    assert doc["option"] == "self-run"
    keys = {
        "path",
        "label",
        "unit",
        "base",
        "npv_zero_at",
        "option_changes_at",
        "option_changes_to",
        "percentile_in_range",
        "evpi",
    }
    assert doc["rows"]
    for row in doc["rows"]:
        assert keys <= row.keys()
        assert row["evpi"] >= 0.0
    assert {r["path"] for r in doc["rows"]} == {
        i.path for i in ranged_inputs(load_scenario(FINTECH))
    }


def test_breakeven_table_and_usage_errors(run_cli: RunCli) -> None:
    code, out, _ = run_cli("breakeven", FINTECH, "--samples", "0")
    assert code == 0
    assert "NPV = 0 at" in out
    assert "Sev-2 MTTR reduction" in out
    code, _, err = run_cli("breakeven", FINTECH, "--option", "datadog")
    assert code == 2
    assert err.count("\n") == 1
    assert "--option" in err
    code, _, err = run_cli("breakeven", FINTECH, "--samples", "-1")
    assert code == 2
    assert "--samples" in err
