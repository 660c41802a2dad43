"""roi.present.documents and ``roi breakdown --format json``: the article's figures out of the seed
scenario, and the document's layout and internal consistency."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import SEED, SHIPPED_SCENARIOS, run_cli

from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.documents import BREAKDOWN_SCHEMA_VERSION, breakdown, tei_columns

KPIS = ("npv", "roi", "payback_months", "pv_benefits", "pv_costs")


def breakdown_json(*args: object) -> dict[str, Any]:
    code, out, err = run_cli("breakdown", *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture(scope="module")
def seed_doc() -> dict[str, Any]:
    return breakdown_json(SEED)


def option(doc: dict[str, Any], key: str) -> dict[str, Any]:
    return next(o for o in doc["options"] if o["key"] == key)


def line(opt: dict[str, Any], key: str) -> dict[str, Any]:
    return next(li for li in opt["line_items"] if li["key"] == key)


def assumption(doc: dict[str, Any], path: str) -> dict[str, Any]:
    return next(a for a in doc["assumptions"] if a["path"] == path)


# --- the article's figures ----------------------------------------------------------------


def test_sev1_mttr_from_4_3_hours_to_47_minutes(seed_doc: dict[str, Any]) -> None:
    # 4.3 h - 47 min = 4.3 - 0.78333 = 3.51667 h saved per Sev-1
    saved = seed_doc["figures"]["mttr_hours_saved_per_incident"]
    assert saved == {"sev1": pytest.approx(4.3 - 47 / 60)}
    before = assumption(seed_doc, "incidents.severities.sev1.mttr_hours_before")
    after = assumption(seed_doc, "incidents.severities.sev1.mttr_hours_after")
    assert before["value"] == 4.3
    assert after["value"] == pytest.approx(47 / 60)
    assert after["given"] == "47 min"
    assert after["source"] == "ref:seed-article"


def test_checkout_p95_3_2_s_to_890_ms_lifts_conversion_4_7_percent(
    seed_doc: dict[str, Any],
) -> None:
    before = assumption(seed_doc, "latency.latency_ms_before")
    assert (before["value"], before["given"]) == (3200.0, "3.2 s")
    assert assumption(seed_doc, "latency.latency_ms_after")["value"] == 890.0
    fig = seed_doc["figures"]
    assert fig["net_latency_improvement_ms"] == pytest.approx(2310.0)  # 3200 - 890
    assert fig["conversion_lift"] == pytest.approx(0.047)
    assert seed_doc["scenario"]["elasticity_preset"] == "seed-article"


def test_200_spans_per_request_add_40_ms(seed_doc: dict[str, Any]) -> None:
    assert assumption(seed_doc, "instrumentation.spans_per_request")["value"] == 200
    # 200 spans x 0.2 ms = 40 ms
    assert seed_doc["figures"]["instrumentation_overhead_ms"] == pytest.approx(40.0)


def test_self_run_effort_as_the_article_states(seed_doc: dict[str, Any]) -> None:
    sr = option(seed_doc, "self-run")
    setup = line(sr, "cost.selfrun_setup")
    assert setup["one_off"] is True
    assert setup["driver"] == pytest.approx(3 * 40 * (1 + 0.4))  # ~3 weeks + 40 % = 168 h
    upkeep = line(sr, "cost.selfrun_upkeep")
    assert upkeep["driver"] == pytest.approx(8 * 52 / 12)  # 1 day a week = 34.67 h/month
    own = line(sr, "cost.selfrun_incidents")
    assert own["driver"] == pytest.approx(5.0)  # ~5 h a month of its own incidents


def test_forty_percent_contingency(seed_doc: dict[str, Any]) -> None:
    q = assumption(seed_doc, "rollout.contingency_fraction")
    assert (q["value"], q["given"]) == (pytest.approx(0.4), "40 %")
    instr = line(option(seed_doc, "self-run"), "cost.instrumentation")
    assert instr["driver"] == pytest.approx(30 * 16 * 1.4)  # 672 h


def test_thirty_services_onboarded_in_a_week(seed_doc: dict[str, Any]) -> None:
    assert assumption(seed_doc, "rollout.services_to_instrument")["value"] == 30
    assert seed_doc["figures"]["managed_onboarding_weeks"] == pytest.approx(1.0)


def test_nps_and_north_star(seed_doc: dict[str, Any]) -> None:
    s = seed_doc["scenario"]
    assert s["nps_change"] == 12
    assert s["north_star_kpi"] == "Reduce P95 checkout latency below 1 second"


def test_scenario_level_figures(seed_doc: dict[str, Any]) -> None:
    fig = seed_doc["figures"]
    # 8 M$ a year x (0.047 / 23.1) per 100 ms / 4 quarters = 4,069.26 $
    assert fig["revenue_per_100ms_per_quarter"] == pytest.approx(8e6 * 0.047 / 23.1 / 4)
    assert fig["downtime_hours_per_year_before"] == pytest.approx(2 * 4.3 * 12)  # 103.2 h
    assert fig["downtime_hours_per_year_after"] == pytest.approx(2 * 47 / 60 * 12)  # 18.8 h


# --- layout and consistency, every shipped scenario ------------------------------------------


@pytest.fixture(scope="module", params=SHIPPED_SCENARIOS, ids=lambda p: p.name)
def doc(request: pytest.FixtureRequest) -> dict[str, Any]:
    return breakdown_json(request.param)


def test_layout(doc: dict[str, Any]) -> None:
    assert doc["schema_version"] == BREAKDOWN_SCHEMA_VERSION == 1
    assert {"scenario", "figures", "options", "decision", "readiness", "assumptions"} <= set(doc)
    assert doc["options"][0]["key"] == "do-nothing"
    fig = doc["figures"]
    for name in ("downtime_hours_per_year_before", "downtime_hours_per_year_after"):
        assert isinstance(fig[name], float)
    assert set(fig["mttr_hours_saved_per_incident"]) == set(
        fig["downtime_hours_per_year_before_by_severity"]
    )
    for o in doc["options"]:
        assert set(KPIS) <= set(o["kpis"])


def test_kpis_are_consistent(doc: dict[str, Any]) -> None:
    for o in doc["options"]:
        k = o["kpis"]
        if o["kind"] == "baseline":
            assert k["npv"] == 0
            assert k["roi"] is None  # no costs: no ROI (JSON has no NaN)
            continue
        assert k["npv"] == pytest.approx(k["pv_benefits"] - k["pv_costs"])
        # ROI is a fraction: (PV benefits - PV costs) / PV costs
        assert k["roi"] == pytest.approx((k["pv_benefits"] - k["pv_costs"]) / k["pv_costs"])
        table = o["cashflow_table"]
        assert table["columns"] == tei_columns(3)
        assert table["benefits"][-1] == pytest.approx(k["pv_benefits"])
        assert table["costs"][-1] == pytest.approx(k["pv_costs"])
        assert table["net"][-1] == pytest.approx(k["npv"])
        for row in ("benefits", "costs", "net"):
            # Total = Initial + years
            assert table[row][-2] == pytest.approx(sum(table[row][:-2]))
        assert o["totals"]["benefits_risk_adjusted"] == pytest.approx(table["benefits"][-2])


def test_line_items_are_driver_times_unit_value(doc: dict[str, Any]) -> None:
    for o in doc["options"]:
        for li in o["line_items"]:
            product = li["driver"] * li["unit_value"]
            if li["one_off"]:
                assert li["monthly"] is None
                assert li["one_off_amount"] == pytest.approx(product)
            else:
                assert li["monthly"] == pytest.approx(product)
                assert li["annual"] == pytest.approx(12 * product)
            assert li["category"] in ("benefit", "cost")
        keys = [li["key"] for li in o["line_items"]]
        assert len(keys) == len(set(keys))


def test_every_assumption_row_has_unit_and_source(doc: dict[str, Any]) -> None:
    for a in doc["assumptions"]:
        assert a["unit"], a["path"]
        assert a["source"], a["path"]
        assert a["citation"], a["path"]


def test_payback_and_irr_are_numbers_or_null(doc: dict[str, Any]) -> None:
    for o in doc["options"]:
        for value in o["kpis"].values():
            assert value is None or math.isfinite(value)


# --- the Python API -------------------------------------------------------------------------


def test_option_filter_keeps_the_baseline() -> None:
    ev = evaluate(load_scenario(SEED))
    doc = breakdown(ev, "x.yaml", "datadog")
    assert [o["key"] for o in doc["options"]] == ["do-nothing", "datadog"]
    assert doc["scenario"]["file"] == "x.yaml"


def test_breakdown_needs_a_point_evaluation() -> None:
    ev = evaluate(load_scenario(SEED), {"business.margin": np.array([0.5, 1.0])})
    with pytest.raises(ValueError, match="point evaluation"):
        breakdown(ev)


@pytest.mark.parametrize(
    ("override", "columns"),
    [
        ("finance:\n  discounting: monthly\n", tei_columns(3)),
        ("timeline:\n  horizon_months: 30\n", tei_columns(3)),  # a shorter last year
        ("timeline:\n  horizon_months: 1\n  rollout_months: 1\n", tei_columns(1)),
    ],
    ids=["monthly-discounting", "30-months", "1-month"],
)
def test_cash_flow_table_pv_is_the_headline_pv(
    tmp_path: Path, override: str, columns: list[str]
) -> None:
    path = tmp_path / "variant.yaml"
    path.write_text(f"extends: {SEED}\n{override}")
    doc = breakdown_json(path)
    for o in doc["options"][1:]:
        table, k = o["cashflow_table"], o["kpis"]
        assert table["columns"] == columns
        assert table["benefits"][-1] == pytest.approx(k["pv_benefits"])
        assert table["costs"][-1] == pytest.approx(k["pv_costs"])
        assert table["net"][-1] == pytest.approx(k["npv"])
