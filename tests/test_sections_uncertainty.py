"""roi.present.sections.uncertainty: the Monte Carlo and the tornado in words."""

from __future__ import annotations

from types import SimpleNamespace

from conftest import SCENARIOS_DIR, SEED

from roi.analysis.montecarlo import simulate
from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.sections.uncertainty import ranged_inputs, tornado_text, uncertainty_text


def test_uncertainty_text_of_a_ranged_scenario() -> None:
    s = load_scenario(SCENARIOS_DIR / "ecommerce-midsize.yaml")
    ev = evaluate(s)
    html = uncertainty_text(ev, simulate(s, samples=200, seed=0))
    assert "Across 200 simulated scenarios" in html
    assert "assumptions are ranges" in html
    assert "incidents.severities.sev1.mttr_reduction_fraction" in ranged_inputs(ev)


def test_uncertainty_text_without_a_simulation_says_so() -> None:
    ev = evaluate(load_scenario(SEED))
    assert "No simulation" in uncertainty_text(ev, SimpleNamespace(options={}))


def test_tornado_text_without_rows_asks_for_ranges() -> None:
    assert "nothing to rank" in tornado_text(SimpleNamespace(rows=[]), "USD")
