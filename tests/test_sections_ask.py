"""roi.present.sections.ask: the north-star KPI and the ask, from the derived figures."""

from __future__ import annotations

from pathlib import Path

from conftest import SEED

from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.formatting import compact_money
from roi.present.sections.ask import north_star_and_ask

RATE = 200_000 / 2080


def test_the_ask_of_seed_datadog() -> None:
    html = north_star_and_ask(evaluate(load_scenario(SEED)), "datadog")
    # instrumenting 30 services (672 h) and onboarding them to the vendor in a week (56 h)
    assert f"<strong>{compact_money(728 * RATE, 'USD')}</strong> one-off" in html
    assert "728 engineer-hours" in html
    hours = 4 * 52 / 12 + 4
    assert f"(about {hours / (40 * 52 / 12):.2f} of an engineer)" in html
    assert "10 % cost-risk allowance" in html


def test_a_scheduled_migration_is_named_apart(tmp_path: Path) -> None:
    path = tmp_path / "migrate.yaml"
    path.write_text(f"extends: {SEED}\nlock_in: {{migration_month: 20}}\n", encoding="utf-8")
    html = north_star_and_ask(evaluate(load_scenario(path)), "datadog")
    assert "scheduled in month 20" in html


def test_a_cost_risk_override_shows_in_the_ask() -> None:
    ev = evaluate(load_scenario(SEED), {"finance.cost_risk": 0.25})
    assert "25 % cost-risk allowance" in north_star_and_ask(ev, "datadog")
