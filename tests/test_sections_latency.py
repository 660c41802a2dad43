"""roi.present.sections.latency: the latency table and the elasticity presets."""

from __future__ import annotations

from conftest import SCENARIOS_DIR, SEED

from roi.analysis.sweeps import elasticity_comparison
from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.formatting import money
from roi.present.sections import latency

MIDSIZE = SCENARIOS_DIR / "ecommerce-midsize.yaml"
FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"


def test_latency_table_of_seed_by_hand() -> None:
    html = latency.latency_table(evaluate(load_scenario(SEED)))
    assert "3.2 s" in html  # 3,200 ms as the article says it
    assert "+4.7 %" in html
    assert "200 × 0.2 ms = 40 ms" in html
    assert money(8e6 * 0.047, "USD") in html


def test_a_latency_override_shows_in_the_table() -> None:
    ev = evaluate(load_scenario(SEED), {"latency.latency_ms_before": 2500.0})
    assert "2.5 s" in latency.latency_table(ev)


def test_elasticity_text_says_when_the_elasticity_is_overridden() -> None:
    ev = evaluate(load_scenario(MIDSIZE), {"latency.conversion_lift_per_100ms": 0.02})
    assert latency.elasticity_text(ev).startswith("Elasticity evaluated: 2 % per 100 ms")
    assert latency.elasticity_text(evaluate(load_scenario(MIDSIZE))).startswith(
        "Elasticity preset 'amazon': 0.707 %"
    )


def test_no_latency_section() -> None:
    ev = evaluate(load_scenario(FINTECH))
    assert "no latency section" in latency.latency_table(ev)
    assert "do not apply" in latency.elasticity_table([], "EUR")
    assert latency.elasticity_text(ev) == ""


def test_elasticity_table_marks_the_preset_used() -> None:
    s = load_scenario(MIDSIZE)
    html = latency.elasticity_table(elasticity_comparison(s), s.currency)
    assert "amazon <strong>(used)</strong>" in html
    assert "The scenario uses &#x27;amazon&#x27;." in html


def test_latency_figures_text_of_seed_by_hand() -> None:
    """+4.7 % over 3.2 s -> 890 ms; 200 spans x 0.2 ms = 40 ms; each 100 ms is worth a quarter
    of the checkout revenue x the lift per 100 ms (0.047 / 23.1 per 100 ms)."""
    text = latency.latency_figures_text(evaluate(load_scenario(SEED)))
    assert text.startswith("Conversion +4.7 %; 200 spans per request add 40 ms (in the after")
    assert f"each 100 ms is worth ≈ {money(8e6 / 4 * 0.047 / 23.1, 'USD')} a quarter" in text


def test_latency_figures_text_without_latency() -> None:
    assert latency.latency_figures_text(evaluate(load_scenario(FINTECH))) == ""
