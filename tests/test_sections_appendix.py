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
