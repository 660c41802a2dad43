"""roi.present.sections.headline: title, tiles and the options table."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED

from roi.analysis.decision import compare
from roi.analysis.montecarlo import Simulation, simulate
from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.formatting import compact_money
from roi.present.sections import headline
from roi.present.words import pct


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


MIDSIZE = SEED.parent / "ecommerce-midsize.yaml"
FINTECH = SEED.parent / "fintech-regulated.yaml"


def test_do_nothing_is_always_the_first_row(seed_sim: Simulation) -> None:
    ev = evaluate(load_scenario(SEED))
    html = headline.options_table(ev, seed_sim)
    body = html.split("<tbody>", 1)[1]
    first = body.split("</tr>", 1)[0]
    assert "Do nothing" in first
    assert "incident and latency costs continue" in first
    assert "$0" in first


def test_each_option_shows_its_rollout_and_backend_set_up() -> None:
    ev = evaluate(load_scenario(MIDSIZE))
    html = headline.options_table(ev)
    # ecommerce-midsize: a 4-month rollout for every option; self-run's stack takes 3
    # engineer-weeks, a vendor's onboarding 70 services at 30 a week, 2.3 weeks.
    assert "4 months / 3 weeks" in html
    assert "4 months / 2.3 weeks" in html
    assert "Rollout / backend set-up" in html


def test_nothing_pays_so_nothing_is_marked() -> None:
    s = load_scenario(FINTECH)
    ev = evaluate(s)
    sim = simulate(s, samples=800, seed=1)
    html = headline.options_table(ev, sim)
    assert "(recommended)" not in html
    assert 'class="roi-best"' not in html
    self_run = ev.options["self-run"]
    assert float(self_run.kpis["npv"]) < 0
    text = headline.decision_sentence(ev, sim)
    assert text.startswith("None of the options pays for itself")
    assert compact_money(float(self_run.kpis["npv"]), "EUR") in text
    assert pct(float(sim.options["self-run"].prob_npv_negative)) in text
    assert "Recommended" not in headline.title(ev, sim)


def test_a_near_tie_is_not_presented_as_a_decision() -> None:
    s = load_scenario(MIDSIZE)
    ev = evaluate(s)
    sim = simulate(s, samples=800, seed=1)
    c = compare(ev, sim)
    assert c is not None
    assert c.near_tie
    text = headline.decision_sentence(ev, sim)
    assert text.startswith("Near-tie: ")
    assert ev.options[c.leader].label in text
    assert ev.options[c.runner_up].label in text
    assert pct(round(c.prob_leader_beats, 3)) in text
    assert "Recommended:" not in headline.title(ev, sim)
    table = headline.options_table(ev, sim)
    assert "Near-tie" in table
    assert "(recommended)" not in table
    assert "(leads, near-tie)" in table


def test_seed_is_a_clear_decision(seed_sim: Simulation) -> None:
    ev = evaluate(load_scenario(SEED))
    text = headline.decision_sentence(ev, seed_sim)
    assert text.startswith("Recommended: Datadog APM (annual).")
    assert "Near-tie" not in text


def test_point_estimate_and_simulated_median_side_by_side(seed_sim: Simulation) -> None:
    ev = evaluate(load_scenario(SEED))
    html = headline.point_and_median(ev, "datadog", seed_sim)
    assert "Point estimate: every input at its median" in html
    assert "Simulated median, P50" in html
    row = seed_sim.options["datadog"].summary()["npv"]
    point = float(ev.options["datadog"].kpis["npv"])
    cells = html.split("<tbody>", 1)[1]
    assert cells.index(compact_money(point, "USD")) < cells.index(compact_money(row["p50"], "USD"))
    assert f"{compact_money(row['p10'], 'USD')} to {compact_money(row['p90'], 'USD')}" in html
    assert "No simulation" in headline.point_and_median(ev, "datadog")
    assert "Simulated median, P50" in headline.headline_tiles(ev, "datadog", seed_sim)
