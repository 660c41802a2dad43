"""roi.present.sections.flip: the breakeven table in the report, its decisive sentence checked by
re-evaluating at the flip value, and which assumption is worth measuring."""

from __future__ import annotations

import re

import pytest
from conftest import SCENARIOS_DIR, SEED

from roi.analysis.breakeven import Breakeven, breakeven
from roi.analysis.decision import best_option, focus_option
from roi.analysis.montecarlo import simulate
from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.formatting import compact_money
from roi.present.sections import flip

FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"


def _flips(path: object, samples: int = 2000) -> tuple[object, Breakeven]:
    s = load_scenario(path)
    ev = evaluate(s)
    sim = simulate(s, samples, seed=1, keep_draws=True)
    return ev, breakeven(s, focus_option(ev), simulation=sim)


@pytest.fixture(scope="module")
def fintech() -> tuple[object, Breakeven]:
    return _flips(FINTECH)


@pytest.fixture(scope="module")
def seed() -> tuple[object, Breakeven]:
    return _flips(SEED)


def test_the_decisive_sentence_names_a_real_flip(fintech: tuple[object, Breakeven]) -> None:
    ev, b = fintech
    text = flip.flip_sentence(ev, b)  # type: ignore[arg-type]
    row = flip.decisive_row(b)
    assert row is not None
    # Nothing pays at the point estimate, so the sentence says when the focus option would.
    assert text.startswith(f"{b.option_label} pays for itself only if {flip.input_name(row.label)}")
    assert re.search(r"\(\+?-?\d+ %, P\d+ of your range\)\.$", text), text
    # Independent check: at the flip value, the option's NPV is zero (within 0.5 % of PV costs)
    # and the decision rule switches to it just beyond.
    s = load_scenario(FINTECH)
    at = evaluate(s, {row.path: row.option_changes_at})
    option = at.options[b.option]
    assert abs(float(option.kpis["npv"])) <= 0.005 * float(option.kpis["pv_costs"])
    step = 1.01 if row.option_changes_at > row.base else 0.99
    beyond = evaluate(s, {row.path: row.option_changes_at * step})
    assert best_option(beyond) == row.option_changes_to == b.option


def test_the_largest_evpi_is_the_one_worth_measuring(fintech: tuple[object, Breakeven]) -> None:
    _, b = fintech
    top = max(b.rows, key=lambda r: r.evpi or 0.0)
    text = flip.worth_measuring(b, "EUR")
    assert f"Worth measuring before deciding: {flip.input_name(top.label)}." in text
    assert compact_money(top.evpi, "EUR") in text
    assert compact_money(b.evpi_total, "EUR") in text


def test_a_robust_decision_says_so(seed: tuple[object, Breakeven]) -> None:
    ev, b = seed
    assert b.recommended == "datadog"
    text = flip.flip_sentence(ev, b)  # type: ignore[arg-type]
    assert "no input, moved alone within the range you gave, changes the decision" in text
    assert flip.worth_measuring(b, "USD").startswith("No assumption is worth measuring")


def test_flip_table_has_the_columns_and_limits_its_rows(fintech: tuple[object, Breakeven]) -> None:
    ev, b = fintech
    html = flip.flip_table(ev, b, limit=3)  # type: ignore[arg-type]
    for head in ("Input", "Base", "NPV = 0 at", "Recommendation changes at", "EVPI"):
        assert f">{head}</th>" in html
    assert html.count("<tr>") == 1 + 3  # header and three rows
    assert f"The {len(b.rows) - 3} inputs of least value of information" in html
    full = flip.flip_table(ev, b, limit=None)  # type: ignore[arg-type]
    assert full.count("<tr>") == 1 + len(b.rows)
    assert "appendix" not in full.split("</table>")[1]


def test_no_ranges_no_table() -> None:
    from conftest import point_only

    s = point_only(SEED)
    ev = evaluate(s)
    b = breakeven(s, samples=0)
    assert "no flip to show" in flip.flip_table(ev, b)
    assert "nothing is tested" in flip.flip_summary(ev, b)
