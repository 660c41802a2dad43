"""roi.present.sections.readiness: the five pre-flight boxes, gaps first."""

from __future__ import annotations

from conftest import SCENARIOS_DIR, SEED

from roi.inputs.scenario import load_scenario
from roi.present.sections.readiness import readiness_checklist


def test_readiness_gaps_are_shown_first() -> None:
    mid = readiness_checklist(load_scenario(SCENARIOS_DIR / "ecommerce-midsize.yaml"))
    assert "Fix these gaps first" in mid
    assert "1 of 5 pre-flight boxes are unchecked" in mid
    seed = readiness_checklist(load_scenario(SEED))
    assert "Fix these gaps first" not in seed
    assert "All five pre-flight boxes are checked" in seed
