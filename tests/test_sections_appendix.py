"""roi.present.sections.appendix: every assumption evaluated, its references and the methods."""

from __future__ import annotations

from conftest import SCENARIOS_DIR, SEED

from roi.inputs.parameters import parameters
from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.sections import appendix

MIDSIZE = SCENARIOS_DIR / "ecommerce-midsize.yaml"
FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"


def test_appendix_lists_every_parameter() -> None:
    s = load_scenario(MIDSIZE)
    html = appendix.assumptions_appendix(evaluate(s))
    for path in parameters(s):
        assert f"<code>{path}</code>" in html
    assert "260,000,000 USD/year" in html


def test_appendix_shows_an_override() -> None:
    ev = evaluate(load_scenario(SEED), {"incidents.severities.sev1.mttr_hours_before": 8.0})
    html = appendix.assumptions_appendix(ev)
    row = next(r for r in html.split("<tr>") if "sev1.mttr_hours_before</code>" in r)
    assert ">8 h<" in row


def test_references_used_are_the_cited_ones() -> None:
    keys = appendix.references_used(evaluate(load_scenario(FINTECH)))
    assert "dora-2024" in keys  # sev1 MTTR after cites it
    assert "seed-article" in keys
    assert "forrester-tei" in keys
    assert "deloitte-2020" not in keys  # no latency section
    assert "Confidence" in appendix.references_list(evaluate(load_scenario(FINTECH)))


def test_methods_note_reads_the_evaluated_rates() -> None:
    ev = evaluate(load_scenario(SEED), {"finance.discount_rate": 0.07})
    assert "Discounting at 7 % a year" in appendix.methods_note(ev)


def test_uncertainty_appendix_says_stated_or_default_for_each_range() -> None:
    from roi.analysis.sampling import ranged_inputs
    from roi.inputs.provenance import FIXED_FIELDS

    s = load_scenario(MIDSIZE)
    ev = evaluate(s)
    table = appendix.assumptions_appendix(ev)
    html = appendix.uncertainty_appendix(ev)
    ranged = ranged_inputs(s)
    stated = [i for i in ranged if not i.default]
    assert stated  # ecommerce-midsize states some ranges and leaves the rest to the default
    assert len(stated) < len(ranged)
    assert table.count("; stated, source confidence") == len(stated)
    assert table.count("; default, source confidence") == len(ranged) - len(stated)
    assert f"{len(ranged)} inputs vary in the simulation: {len(stated)} with a range" in html
    # The rule, once: the spreads by confidence and the fields that never vary.
    assert html.count("×/÷ 1.5 or ±40 %") == 1
    assert "×/÷ 1.1 or ±10 %" in html
    for name in FIXED_FIELDS:
        assert name.replace("_", " ") in html


def test_uncertainty_appendix_without_default_ranges() -> None:
    from conftest import STATED_RANGES_ONLY, scenario_from

    s = scenario_from(MIDSIZE, STATED_RANGES_ONLY)
    ev = evaluate(s)
    assert "Default ranges are switched off" in appendix.uncertainty_appendix(ev)
    assert "; default, source confidence" not in appendix.assumptions_appendix(ev)


def test_appendix_heading_is_visible() -> None:
    assert '<h1 class="roi-appendix-heading">Appendix</h1>' in appendix.appendix_heading()
