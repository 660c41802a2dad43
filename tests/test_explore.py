"""roi.present.explore: the ipywidgets explorer recomputes synchronously when a control's value is
set, with no kernel: tiles and chart follow the model; controls come from the schema; save,
Monte Carlo and reset behave as the CLI does."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import ipywidgets as widgets
import pytest
import yaml
from conftest import SCENARIOS_DIR, SEED

from roi.analysis.montecarlo import simulate
from roi.analysis.sensitivity import tornado
from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.explore import (
    AREAS,
    MC_SAMPLES,
    MC_SEED,
    SAFE,
    Explorer,
    explorer,
)
from roi.present.formatting import compact_money, percent

FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"
MIDSIZE = SCENARIOS_DIR / "ecommerce-midsize.yaml"
DAY = dt.date(2026, 12, 1)
MTTR = "incidents.severities.sev1.mttr_hours_after"


@pytest.fixture
def box() -> Explorer:
    return explorer(load_scenario(SEED), SEED, today=DAY)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """ecommerce-midsize copied into a temporary folder (saving writes beside it)."""
    path = tmp_path / MIDSIZE.name
    shutil.copy(MIDSIZE, path)
    return path


def _npv(box: Explorer) -> float:
    return float(box.evaluation.options[box.option.value].kpis["npv"])


def test_explorer_is_a_widget_box_showing_the_recommended_option(box: Explorer) -> None:
    assert isinstance(box, widgets.Box)
    assert box.option.value == "datadog"  # the seed's recommendation
    assert [v for _, v in box.option.options] == ["self-run", "datadog"]
    base = evaluate(load_scenario(SEED)).options["datadog"].kpis
    assert compact_money(float(base["npv"]), "USD") in box.tiles.value
    assert percent(float(base["roi"])) in box.tiles.value
    assert "<svg" in box.tiles.value  # the chart is in the same widget as the tiles
    assert "Recommended: Datadog" in box.tiles.value
    assert "file's own numbers" in box.status.value


def test_everything_shown_is_mathjax_safe(box: Explorer) -> None:
    assert SAFE in box._dom_classes
    assert box.tiles.value.startswith(f'<div class="{SAFE}')
    assert "$" in box.tiles.value


def test_the_controls_cover_the_tornado_and_every_vendor_price() -> None:
    scenario = load_scenario(MIDSIZE)
    box = explorer(scenario, MIDSIZE)
    assert {r.path for r in tornado(scenario).rows} <= set(box.controls)
    prices = [p for p in box.controls if p.startswith("managed.prices.")]
    assert {p.split(".")[2] for p in prices} == set(scenario.managed.vendors)
    assert {f"discount.{v}" for v in scenario.managed.vendors} <= set(box.controls)
    assert "latency.conversion_lift_per_100ms" in box.controls  # not only presets
    assert {s.area for s in box.specs.values()} <= set(AREAS)
    assert box.specs["incidents.severities.sev1.mttr_reduction_fraction"].area == "Incidents"
    assert box.specs["finance.discount_rate"].area == "Finance"


def test_a_control_shows_unit_range_and_source() -> None:
    box = explorer(load_scenario(MIDSIZE), MIDSIZE)
    spec = box.specs["incidents.severities.sev1.mttr_reduction_fraction"]
    # The file: value 0.45, low 0.20, high 0.60, source ref:splunk-2022; shown as %
    assert box.controls[spec.path].value == pytest.approx(45.0)
    assert spec.shown_unit == "%"
    assert spec.range_text() == "scenario's range 20 to 60 %"
    assert "ref:splunk-2022" in box.controls[spec.path].tooltip
    assert spec.label == "Sev-1 MTTR reduction"  # full label, no ellipsis


def test_setting_a_value_changes_the_tiles_as_the_evaluation_says(box: Explorer) -> None:
    before = _npv(box)
    svg = re.search(r"<svg.*</svg>", box.tiles.value, re.S)
    box.controls[MTTR].value = 2.0
    after = _npv(box)
    expected = evaluate(load_scenario(SEED), {MTTR: 2.0}).options["datadog"]
    assert after == pytest.approx(float(expected.kpis["npv"]))
    assert after < before
    assert compact_money(after, "USD") in box.tiles.value
    assert svg is not None
    assert svg.group(0) not in box.tiles.value
    assert "1 number changed" in box.status.value


def test_out_of_bounds_is_refused_visibly_and_out_of_range_accepted() -> None:
    box = explorer(load_scenario(MIDSIZE), MIDSIZE)
    path = "incidents.severities.sev1.mttr_reduction_fraction"
    start = _npv(box)
    box.controls[path].value = 120.0  # 120 %: a fraction above 1
    assert "refused" in box.notes[path].value
    assert box.accepted[path] == pytest.approx(0.45)
    assert _npv(box) == pytest.approx(start)
    box.controls[path].value = 70.0  # inside [0, 100] %, outside the file's 20-60 %
    assert box.accepted[path] == pytest.approx(0.70)
    assert "outside the scenario's range" in box.notes[path].value
    assert _npv(box) > start


def test_option_choice_moves_tiles_and_chart_together(box: Explorer) -> None:
    box.option.value = "self-run"
    npv = float(box.evaluation.options["self-run"].kpis["npv"])
    assert compact_money(npv, "USD") in box.tiles.value
    assert 'data-option="self-run"' in box.tiles.value
    assert box.tiles.value.count('data-option="self-run"') == 2  # the tiles and the chart
    assert "Recommended: Datadog" in box.tiles.value


def test_a_vendor_discount_scales_its_prices(box: Explorer) -> None:
    box.controls["discount.datadog"].value = 20.0
    expected = {
        p: 0.8 * box.table[p].value
        for p in box.table
        if p.startswith("managed.prices.datadog.") and p.endswith("price_per_unit")
    }
    assert box.changed() == pytest.approx(expected)


def test_elasticity_preset_sets_the_elasticity_control(box: Explorer) -> None:
    assert box.elasticity is not None
    box.elasticity.value = "google-search"
    # Brutlag: 0.15 % to 0.2 % per 100 ms, used at the median sqrt(0.15 x 0.2) = 0.173 %,
    # over the seed's 2,310 ms: 4.0 %
    assert float(box.evaluation.figures["conversion_lift"]) == pytest.approx(
        (0.0015 * 0.002) ** 0.5 * 23.1
    )


def test_save_then_load_round_trips_to_the_same_figures(copy: Path) -> None:
    from roi.report.explore_app import save_beside

    box = explorer(load_scenario(copy), copy, on_save=lambda t: save_beside(copy, t), today=DAY)
    box.controls["incidents.severities.sev1.mttr_reduction_fraction"].value = 30.0
    box.controls["discount.datadog"].value = 20.0
    box.controls["business.revenue_per_hour"].value = 40_000.0
    saved = box.save()
    assert saved is not None
    assert saved.parent == copy.parent
    doc = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert doc["extends"] == copy.name
    sev1 = doc["incidents"]["severities"]["sev1"]
    assert set(sev1) == {"mttr_reduction_fraction"}  # only what changed
    assert sev1["mttr_reduction_fraction"]["source"] == "changed in the explorer on 2026-12-01"
    loaded = evaluate(load_scenario(saved))
    for key, option in box.evaluation.options.items():
        for kpi in ("npv", "roi", "pv_costs"):
            assert float(loaded.options[key].kpis[kpi]) == pytest.approx(
                float(option.kpis[kpi]), rel=1e-12, nan_ok=True
            )


def test_monte_carlo_button_gives_the_p50_of_roi_simulate(copy: Path) -> None:
    from roi.report.explore_app import save_beside

    box = explorer(load_scenario(copy), copy, on_save=lambda t: save_beside(copy, t), today=DAY)
    box.controls["incidents.severities.sev1.mttr_reduction_fraction"].value = 30.0
    sim = box.run_monte_carlo()
    saved = box.save()
    assert sim is not None
    assert saved is not None
    cli = simulate(load_scenario(saved), samples=MC_SAMPLES, seed=MC_SEED)
    key = box.option.value
    p50 = cli.options[key].summary()["npv"]["p50"]
    assert sim.options[key].summary()["npv"]["p50"] == p50
    assert "P10–P90" in box.tiles.value
    assert "Chance of a loss" in box.tiles.value
    assert compact_money(p50, "USD") in box.tiles.value
    box.controls["finance.cost_risk"].value = 20.0
    assert box.simulation is None  # a change drops the stale Monte Carlo
    assert "P10–P90" not in box.tiles.value


def test_render_hands_the_saved_file_over_and_links_the_report(copy: Path) -> None:
    seen: list[Path] = []

    def render(path: Path) -> str:
        seen.append(path)
        return "files/reports/x/report.html"

    box = explorer(
        load_scenario(copy),
        copy,
        on_save=lambda t: (copy.parent / "saved.yaml", (copy.parent / "saved.yaml").write_text(t))[
            0
        ],
        on_render=render,
        today=DAY,
    )
    assert box.render() == "files/reports/x/report.html"
    assert seen == [copy.parent / "saved.yaml"]
    assert 'href="files/reports/x/report.html"' in box.links.value


def test_reset_restores_the_file(box: Explorer) -> None:
    start = _npv(box)
    box.controls["finance.cost_risk"].value = 50.0
    box.controls["instrumentation.spans_per_request"].value = 20
    box.controls["finance.benefit_risk"].value = 150.0  # refused
    box.option.value = "self-run"
    box.reset()
    assert box.changed() == {}
    assert box.option.value == "datadog"
    assert box.controls["finance.cost_risk"].value == pytest.approx(
        100 * box.table["finance.cost_risk"].value
    )
    assert all(n.value == "" for n in box.notes.values())
    assert _npv(box) == pytest.approx(start)
    assert "file's own numbers" in box.status.value


def test_scenario_without_latency_or_vendors() -> None:
    box = explorer(load_scenario(FINTECH), FINTECH)
    assert box.elasticity is None
    assert "latency.conversion_lift_per_100ms" not in box.controls
    assert [v for _, v in box.option.options] == ["self-run"]
    assert not [p for p in box.controls if p.startswith("discount.")]
    box.controls["finance.benefit_risk"].value = 50.0
    assert box.changed() == {"finance.benefit_risk": 0.5}


def test_without_a_file_saving_says_why(box: Explorer) -> None:
    bare = explorer(load_scenario(SEED))
    assert bare.save() is None
    assert "needs the scenario's file" in bare.status.value
