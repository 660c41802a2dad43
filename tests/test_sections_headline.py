"""roi.present.sections.headline: title, tiles and the options table."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED

from roi.analysis.montecarlo import Simulation, simulate
from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.formatting import compact_money
from roi.present.sections import headline


@pytest.fixture(scope="module")
def seed_sim() -> Simulation:
    return simulate(load_scenario(SEED), samples=400, seed=3)


def test_headline_tiles_show_ranges(seed_sim: Simulation) -> None:
    ev = evaluate(load_scenario(SEED))
    html = headline.headline_tiles(ev, "self-run", seed_sim)
    assert html.count('class="roi-tile"') == 4
    assert "400 simulated scenarios" in html
    p10 = seed_sim.options["self-run"].summary()["npv"]["p10"]
    assert compact_money(p10, "USD") in html
    assert "point estimate (no simulation)" in headline.headline_tiles(ev, "self-run")


def test_title_names_the_recommendation_and_the_chance_of_a_loss(seed_sim: Simulation) -> None:
    ev = evaluate(load_scenario(SEED))
    html = headline.title(ev, seed_sim, kicker="Deep dive")
    assert "Recommended: " in html
    assert "chance of a loss" in html
    assert "Deep dive" in html
    assert "<style>" in html
    assert "chance of a loss" not in headline.title(ev)


def test_point_scenario_tiles_collapse_their_range(tmp_path: Path) -> None:
    path = tmp_path / "point.yaml"
    path.write_text(
        f"extends: {SEED}\n"
        "timeline: {rollout_months: 3}\n"
        "self_run: {ingester_mb_per_s: 4, querier_mb_per_s: 1.5}\n"
        "finance: {discount_rate: 0.10, benefit_risk: 0.15, default_uncertainty: false}\n",
        encoding="utf-8",
    )
    s = load_scenario(path)
    ev = evaluate(s)
    html = headline.headline_tiles(ev, "datadog", simulate(s, samples=100, seed=0))
    payback = int(ev.options["datadog"].kpis["payback_months"])
    assert f"P10 and P90: {payback} months" in html


def test_options_table_marks_the_recommendation(seed_sim: Simulation) -> None:
    ev = evaluate(load_scenario(SEED))
    html = headline.options_table(ev, seed_sim)
    assert html.count("(recommended)") == 1
    assert 'class="roi-best"' in html
    assert "n/a" in headline.options_table(ev)
