"""roi.present.explore: the ipywidgets explorer recomputes synchronously when a control's value is
set,
with no kernel: tiles and chart follow the model."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
import pytest
from conftest import SCENARIOS_DIR, SEED

from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.explore import OWN_ELASTICITY, Explorer, explorer
from roi.present.formatting import compact_money, percent

FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"
MIDSIZE = SCENARIOS_DIR / "ecommerce-midsize.yaml"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def box() -> Explorer:
    return explorer(load_scenario(SEED))


def _npv(box: Explorer) -> float:
    return float(box.evaluation.options[box.option.value].kpis["npv"])


def test_explorer_is_a_widget_box_showing_the_recommended_option(box: Explorer) -> None:
    assert isinstance(box, widgets.Box)
    assert box.option.value == "datadog"  # the seed's recommendation
    assert [v for _, v in box.option.options] == ["self-run", "datadog"]
    assert box.chart.value[:8] == PNG
    base = evaluate(load_scenario(SEED)).options["datadog"].kpis
    assert compact_money(float(base["npv"]), "USD") in box.tiles.value
    assert percent(float(base["roi"])) in box.tiles.value
    assert "scenario's own numbers" in box.status.value


def test_every_control_recomputes_on_release_only(box: Explorer) -> None:
    controls = [*box.controls.values(), box.option]
    assert box.elasticity is not None
    controls.append(box.elasticity)
    sliders = [c for c in controls if isinstance(c, widgets.FloatSlider | widgets.IntSlider)]
    assert len(sliders) == len(box.controls)
    assert all(s.continuous_update is False for s in sliders)


def test_the_controls_cover_the_assumptions_that_matter(box: Explorer) -> None:
    assert set(box.controls) == {
        "incidents.severities.sev1.mttr_hours_after",  # the seed gives 47 min, not a fraction
        "incidents.severities.sev1.incidents_per_month",
        "business.revenue_per_hour",
        "latency.latency_attribution_fraction",
        "instrumentation.spans_per_request",
        "instrumentation.sampling_rate",
        "timeline.traffic_growth_per_month",
        "finance.discount_rate",
        "finance.benefit_risk",
        "finance.cost_risk",
    }
    mid = explorer(load_scenario(MIDSIZE))
    assert "incidents.severities.sev3.mttr_reduction_fraction" in mid.controls


def test_controls_start_at_the_scenario_numbers(box: Explorer) -> None:
    assert box.controls["incidents.severities.sev1.mttr_hours_after"].value == pytest.approx(
        47 / 60
    )
    assert box.controls["business.revenue_per_hour"].value == 15000
    assert box.controls["instrumentation.spans_per_request"].value == 200
    assert box.changed() == {}


def test_setting_a_value_recomputes_synchronously(box: Explorer) -> None:
    before = _npv(box)
    png = box.chart.value
    # Sev-1 resolved in 2 h instead of 47 min: 2 x (2 - 47/60) h a month less saved.
    box.controls["incidents.severities.sev1.mttr_hours_after"].value = 2.0
    after = _npv(box)
    assert after < before
    assert box.chart.value != png
    assert compact_money(after, "USD") in box.tiles.value
    assert "1 assumption changed" in box.status.value
    expected = evaluate(
        load_scenario(SEED), {"incidents.severities.sev1.mttr_hours_after": 2.0}
    ).options["datadog"]
    assert after == pytest.approx(float(expected.kpis["npv"]))


def test_no_benefit_left_means_npv_is_minus_the_costs(box: Explorer) -> None:
    box.controls["business.revenue_per_hour"].value = 0.0
    box.controls["incidents.severities.sev1.incidents_per_month"].value = 0.0
    box.controls["latency.latency_attribution_fraction"].value = 0.0
    kpis = box.evaluation.options["datadog"].kpis
    assert float(kpis["pv_benefits"]) == 0.0
    assert float(kpis["npv"]) == pytest.approx(-float(kpis["pv_costs"]))
    assert "3 assumptions changed" in box.status.value


def test_elasticity_preset_by_hand(box: Explorer) -> None:
    assert box.elasticity is not None
    assert box.elasticity.value == "seed-article"
    box.elasticity.value = "google-search"
    # Brutlag: 0.15 % to 0.2 % per 100 ms, used at the median sqrt(0.15 x 0.2) = 0.173 %,
    # over the seed's 2,310 ms: 4.0 %
    assert float(box.evaluation.figures["conversion_lift"]) == pytest.approx(
        (0.0015 * 0.002) ** 0.5 * 23.1
    )
    box.elasticity.value = "deloitte-retail"
    # 8.4 % per 100 ms x 23.1 = 194 %: capped at the 20 % maximum lift
    assert float(box.evaluation.figures["conversion_lift"]) == pytest.approx(0.20)


def test_option_choice_changes_the_tiles_not_the_numbers(box: Explorer) -> None:
    npv_self_run = float(box.evaluation.options["self-run"].kpis["npv"])
    box.option.value = "self-run"
    assert "Self-run (OTel Collector + Jaeger/Tempo)" in box.tiles.value
    assert compact_money(npv_self_run, "USD") in box.tiles.value


def test_discount_rate_zero_makes_present_values_plain_sums(box: Explorer) -> None:
    box.controls["finance.discount_rate"].value = 0.0
    option = box.evaluation.options["datadog"]
    assert float(option.kpis["pv_costs"]) == pytest.approx(float(option.costs.sum()))


def test_reset_restores_the_scenario(box: Explorer) -> None:
    start = _npv(box)
    box.controls["finance.cost_risk"].value = 0.5
    box.controls["instrumentation.spans_per_request"].value = 20
    assert box.elasticity is not None
    box.elasticity.value = "amazon"
    assert _npv(box) != pytest.approx(start)
    box.reset()
    assert box.changed() == {}
    assert box.elasticity.value == "seed-article"
    assert _npv(box) == pytest.approx(start)
    assert "scenario's own numbers" in box.status.value


def test_scenario_without_latency_or_vendors() -> None:
    box = explorer(load_scenario(FINTECH))
    assert box.elasticity is None
    assert "latency.latency_attribution_fraction" not in box.controls
    assert [v for _, v in box.option.options] == ["self-run"]
    # sev1 given as 5 h -> 2 h: a slider of MTTR after, bounded by MTTR before
    slider = box.controls["incidents.severities.sev1.mttr_hours_after"]
    assert (slider.min, slider.max, slider.value) == (0.0, 5.0, 2.0)
    box.controls["finance.benefit_risk"].value = 0.5
    assert box.changed() == {"finance.benefit_risk": 0.5}


def test_own_elasticity_stays_until_a_preset_is_picked(tmp_path: Path) -> None:
    path = tmp_path / "own.yaml"
    path.write_text(
        f"extends: {SEED}\nlatency: {{conversion_lift_per_100ms: 0.005}}\n", encoding="utf-8"
    )
    box = explorer(load_scenario(path))
    assert box.elasticity is not None
    assert box.elasticity.value == OWN_ELASTICITY
    assert "latency.conversion_lift_per_100ms" not in box.values()
    box.elasticity.value = "amazon"
    # Linden: 0.5 % to 1 % per 100 ms, used at its median
    assert box.values()["latency.conversion_lift_per_100ms"] == pytest.approx((0.005 * 0.01) ** 0.5)
