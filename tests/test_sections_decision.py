"""roi.present.sections.decision: the self-run or managed checklist and the no-comparison note."""

from __future__ import annotations

from conftest import SCENARIOS_DIR

from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.sections.decision import decision_checklist, stacks_note


def test_decision_checklist_lists_crossovers() -> None:
    html = decision_checklist(evaluate(load_scenario(SCENARIOS_DIR / "ecommerce-midsize.yaml")))
    assert "Decision checklist" in html
    assert html.count("<li>Against ") >= 1


def test_stacks_note_names_the_policy() -> None:
    assert "no-SaaS" in stacks_note(
        evaluate(load_scenario(SCENARIOS_DIR / "fintech-regulated.yaml"))
    )
