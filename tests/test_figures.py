"""roi.model.figures: the figures the report shows beyond evaluate's own, checked by hand on the
seed scenario (2 sev1 incidents a month, 4.3 h -> 47 min, 4 responders, loaded rate
200,000 USD / 2,080 h)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import SEED, SHIPPED_SCENARIOS

from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.model.figures import (
    HOURS_PER_FTE_MONTH,
    derived_figures,
    derived_option_figures,
    line_present_value,
)

RATE = 200_000 / 2080
"""The seed scenario's loaded hourly rate [USD/person-h]."""
MTTR_BEFORE = "incidents.severities.sev1.mttr_hours_before"


def test_incident_figures_of_seed_by_hand() -> None:
    ev = evaluate(load_scenario(SEED))
    f = derived_figures(ev)
    assert float(f["mttr_hours_before.sev1"]) == pytest.approx(4.3)
    assert float(f["mttr_hours_after.sev1"]) == pytest.approx(47 / 60)
    assert float(f["incident_hours_avoided_per_year.sev1"]) == pytest.approx(24 * (4.3 - 47 / 60))
    revenue_per_hour = float(ev.inputs["business.revenue_per_hour"].point)
    per_hour = revenue_per_hour * 0.3 * float(ev.inputs["business.margin"].point) + 4 * RATE
    assert float(f["incident_cost_per_hour.sev1"]) == pytest.approx(per_hour)
    assert float(f["incident_exposure_per_year_before.sev1"]) == pytest.approx(24 * 4.3 * per_hour)
    # Exposure before is the evaluation's own incident cost today.
    assert float(f["incident_exposure_per_year_before"]) == pytest.approx(
        float(ev.figures["incident_cost_per_year_before"])
    )


def test_an_mttr_override_moves_every_incident_figure() -> None:
    ev = evaluate(load_scenario(SEED), {MTTR_BEFORE: 8.0})
    f = derived_figures(ev)
    assert float(f["mttr_hours_before.sev1"]) == 8.0
    assert float(f["mttr_hours_after.sev1"]) == pytest.approx(47 / 60)  # stated in the file
    assert float(f["incident_hours_avoided_per_year.sev1"]) == pytest.approx(24 * (8 - 47 / 60))


def test_latency_figures_of_seed_by_hand() -> None:
    f = derived_figures(evaluate(load_scenario(SEED)))
    # 890 ms measured with tracing on (40 ms overhead included): fixes take 3,200 to 850 ms.
    assert float(f["latency_ms_with_tracing"]) == pytest.approx(890)
    assert float(f["latency_fixes_ms"]) == pytest.approx(3200 - 850)
    assert float(f["conversion_value_per_year"]) == pytest.approx(8e6 * 0.047)


def test_traffic_index_compounds_the_growth() -> None:
    s = load_scenario(SEED)
    ev = evaluate(s, {"timeline.traffic_growth_per_month": 0.1})
    index = derived_figures(ev)["traffic_index"]
    assert index[:3] == pytest.approx([1.0, 1.1, 1.21])
    assert index.shape == ev.months.shape


def test_the_ask_of_seed_datadog_by_hand() -> None:
    f = derived_option_figures(evaluate(load_scenario(SEED)), "datadog")
    # 30 services x 16 h x 1.4 contingency, and the vendor's onboarding (its set-up):
    # 30 services at 30 a week, 1 week x 40 h x 1.4
    assert float(f["ask_engineering_hours_one_off"]) == pytest.approx(672 + 56)
    assert float(f["ask_one_off"]) == pytest.approx(728 * RATE)
    assert float(f["ask_one_off_risk_adjusted"]) == pytest.approx(728 * RATE * 1.10)
    # weekly review 1 h x 4 people x 52 / 12, plus 4 h of vendor administration
    hours = 4 * 52 / 12 + 4
    assert float(f["ask_engineering_hours_per_month"]) == pytest.approx(hours)
    assert float(f["ask_engineer_fte"]) == pytest.approx(hours / (40 * 52 / 12))
    monthly = hours * RATE + 40 * 31 + 60 * 1.70 + 600 * 0.05
    assert float(f["ask_run_per_year"]) == pytest.approx(12 * monthly)
    assert float(f["cost_per_year"]) == pytest.approx(12 * monthly)
    assert float(f["ask_migration"]) == 0.0
    assert pytest.approx(173.33, abs=0.01) == HOURS_PER_FTE_MONTH


def test_the_ask_of_seed_self_run_by_hand() -> None:
    f = derived_option_figures(evaluate(load_scenario(SEED)), "self-run")
    # instrumenting 672 h + set-up 3 weeks x 40 h x 1.4
    assert float(f["ask_engineering_hours_one_off"]) == pytest.approx(672 + 168)
    # review 4 x 52/12 + upkeep 1 day (8 h) a week x 52/12 + 5 h of the tracing system's incidents
    assert float(f["ask_engineering_hours_per_month"]) == pytest.approx(
        4 * 52 / 12 + 8 * 52 / 12 + 5
    )


def test_a_scheduled_migration_is_not_part_of_the_ask(tmp_path: Path) -> None:
    path = tmp_path / "migrate.yaml"
    path.write_text(f"extends: {SEED}\nlock_in: {{migration_month: 20}}\n", encoding="utf-8")
    f = derived_option_figures(evaluate(load_scenario(path)), "datadog")
    assert float(f["ask_one_off"]) == pytest.approx(728 * RATE)
    # With OpenTelemetry the exit is configuration: 80 h of it.
    assert float(f["ask_migration"]) == pytest.approx(80 * RATE)
    assert float(f["cost_one_off"]) == pytest.approx(728 * RATE + 80 * RATE)


@pytest.mark.parametrize("path", SHIPPED_SCENARIOS, ids=lambda p: p.stem)
def test_line_present_values_add_up_to_the_kpis(path: Path) -> None:
    ev = evaluate(load_scenario(path))
    for key, option in ev.options.items():
        if option.kind == "baseline":
            continue
        f = derived_option_figures(ev, key)
        for category, kpi in (("benefit", "pv_benefits"), ("cost", "pv_costs")):
            total = sum(float(f[f"pv.{li.key}"]) for li in option.lines if li.category == category)
            assert total == pytest.approx(float(option.kpis[kpi]), rel=1e-9)


@pytest.mark.parametrize("path", SHIPPED_SCENARIOS, ids=lambda p: p.stem)
def test_line_tei_years_add_up_to_the_tei_table(path: Path) -> None:
    """Each line's risk-adjusted TEI columns sum, over the lines, to the option's own TEI row
    (Initial and years; the table's Total and PV columns left out)."""
    ev = evaluate(load_scenario(path))
    for key, option in ev.options.items():
        if option.kind == "baseline":
            continue
        f = derived_option_figures(ev, key)
        table = option.tei_table()
        for category, row in (("benefit", "benefits"), ("cost", "costs")):
            lines = [li for li in option.lines if li.category == category]
            total = np.sum([f[f"tei_years.{li.key}"] for li in lines], axis=0)
            assert total == pytest.approx(table[row][:-2], rel=1e-9, abs=1e-6)


def test_figures_broadcast_over_samples() -> None:
    s = load_scenario(SEED)
    ev = evaluate(s, {MTTR_BEFORE: np.array([4.0, 8.0])})
    f = derived_figures(ev)
    assert f["mttr_hours_before.sev1"] == pytest.approx([4.0, 8.0])
    assert f["incident_hours_avoided_per_year.sev1"].shape == (2,)
    option = ev.options["self-run"]
    pv = line_present_value(ev, option, option.lines[0])
    assert pv.shape == (2,)
    assert pv[1] > pv[0]  # more hours to save, more value
