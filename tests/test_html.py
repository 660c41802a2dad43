"""roi.present.html: escaped HTML sections, figures for tables and charts, sweeps, atomic chart and
summary.json writes, and the summary contract the batch index reads."""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from conftest import SCENARIOS_DIR, SEED, SHIPPED_SCENARIOS

from roi.analysis.decision import best_allowed, decision_aid, focus_option, run_rate_cost
from roi.analysis.montecarlo import Simulation, simulate
from roi.inputs.scenario import load_scenario
from roi.model import Evaluation, evaluate
from roi.present import html as present

RATE = 200_000 / 2080
"""The seed scenario's loaded hourly rate: 200,000 USD a person-year of 2,080 hours."""
MIDSIZE = SCENARIOS_DIR / "ecommerce-midsize.yaml"
FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"
HOSTILE = "<script>alert(\"x\")</script> & 'co' <img src=x onerror=alert(1)>"


def _evaluation(path: Path) -> Evaluation:
    return evaluate(load_scenario(path))


@pytest.fixture(scope="module")
def seed_sim() -> Simulation:
    return simulate(load_scenario(SEED), samples=400, seed=3)


# --- words and numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (0.45, "fraction", "45 %"),
        (0.00204, "fraction", "0.204 %"),
        (0.03, "fraction/month", "3 % per month"),
        (0.1, "fraction/year", "10 % per year"),
        (15000, "USD/h", "$15,000/h"),
        (96.1538, "USD/person-h", "$96.15/person-h"),
        (2500, "EUR", "€2,500"),
        (200, "count", "200"),
        (700, "B", "700 B"),
        (4.3, "h", "4.3 h"),
        (3, None, "3"),
    ],
)
def test_quantity_text(value: float, unit: str | None, expected: str) -> None:
    currency = "EUR" if unit == "EUR" else "USD"
    assert present.quantity_text(value, unit, currency) == expected


def test_readable_path_uses_words() -> None:
    assert present.readable_path("finance.discount_rate") == "Finance › Discount rate"
    assert present.readable_path("incidents.severities.sev2.mttr_hours_before") == (
        "Incidents › Sev-2 MTTR before"
    )
    assert "Datadog APM (annual)" in present.readable_path(
        "managed.prices.datadog.hosts.price_per_unit"
    )


def test_given_and_source_text() -> None:
    assert present.given_text("2.6e+08 USD/year") == "260,000,000 USD/year"
    assert present.given_text("47 min") == "47 min"
    assert present.given_text(None) == ""
    # A reference without date or link prints no empty "(; " in front of its confidence.
    assert "(; " not in present.source_text("ref:roi-assumption")
    assert present.source_text("ref:roi-assumption").endswith("(confidence L)")
    assert present.source_text(None) == "not stated"
    assert present.source_text("our own export") == "our own export"


def test_range_text_of_a_ranged_assumption() -> None:
    from roi.inputs.parameters import parameters

    p = parameters(load_scenario(MIDSIZE))
    q = p["incidents.severities.sev1.mttr_reduction_fraction"]
    assert present.range_text(q, "USD") == "20 % to 60 % (90 % interval, normal)"
    assert present.range_text(p["business.margin"], "USD") == ""


# --- escaping ---------------------------------------------------------------------------------


def test_esc_escapes_markup_quotes_and_ampersands() -> None:
    assert present.esc('<a href="x">&\'') == "&lt;a href=&quot;x&quot;&gt;&amp;&#x27;"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Evaluation:
    """The seed scenario with markup in every free text a report shows."""
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    data["name"] = HOSTILE
    data["description"] = HOSTILE
    data["kpis"]["north_star_kpi"] = HOSTILE
    data["readiness"]["critical_services"] = [HOSTILE, "payments", "<svg onload=1>"]
    data["readiness"]["skip_level_manager_understands"] = False
    data["self_run"]["label"] = HOSTILE
    data["latency"]["journey"] = "<script>checkout</script>"
    data["latency"]["percentile"] = "P95 & <b>"
    data["business"]["revenue_per_hour"]["source"] = HOSTILE
    data["business"]["revenue_per_hour"]["note"] = HOSTILE
    data["business"]["margin"]["source"] = 'ref:" onmouseover="x'
    path = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return evaluate(load_scenario(path))


def _all_sections(ev: Evaluation, sim: Simulation | None = None) -> str:
    s = ev.scenario
    focus = focus_option(ev)
    parts = [
        present.title(ev, sim),
        present.headline_tiles(ev, focus, sim),
        present.options_table(ev, sim),
        present.north_star_and_ask(ev, focus),
        present.readiness_checklist(s),
        present.benefits_explained(ev, focus),
        present.costs_explained(ev, focus),
        present.decision_checklist(ev),
        present.tei_table(ev, focus),
        present.assumptions_appendix(ev),
        present.references_list(s),
        present.methods_note(ev),
        present.incident_table(ev),
        present.dora_context(s),
        present.latency_table(ev),
        present.elasticity_table(present.elasticity_comparison(s), s.currency),
        present.self_run_drivers(ev),
        present.vendor_components(ev),
        present.lock_in_text(ev),
        present.mttr_breakeven_text(present.mttr_sweep(s)),
        present.stacks_note(ev),
        present.incident_source_note(s),
    ]
    if sim is not None:
        parts.append(present.uncertainty_text(ev, sim, focus))
    return "".join(parts)


def test_hostile_scenario_text_is_escaped_everywhere(hostile: Evaluation) -> None:
    sim = simulate(hostile.scenario, samples=50, seed=0)
    html = _all_sections(hostile, sim)
    # No markup from the scenario survives; our own markup never uses these tags.
    for bad in ("<script", "<img", "<svg", "<b>", 'onmouseover="'):
        assert bad not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;co&#x27;" in html
    assert "&lt;svg onload=1&gt;" in html
    assert "P95 &amp; &lt;b&gt;" in html
    # The summary keeps the raw text (JSON); escaping it is the page's job.
    doc = present.summary(hostile, sim, "hostile.yaml")
    assert doc["scenario"]["name"] == HOSTILE


def test_chart_alt_text_is_escaped() -> None:
    from roi.present.charts import figure

    fig = figure()
    fig.suptitle('Title with "quotes" & <tags>')
    html = present.chart(fig, "alt")._repr_html_()
    assert 'alt="Title with &quot;quotes&quot; &amp; &lt;tags&gt;"' in html
    assert html.count("<img") == 1
    assert 'src="data:image/png;base64,' in html


# --- figures for the report -------------------------------------------------------------------


def test_the_ask_of_seed_datadog_by_hand() -> None:
    ask = present.the_ask_figures(_evaluation(SEED), "datadog")
    # 30 services x 16 h x 1.4 contingency, and the vendor's onboarding (its set-up):
    # 30 services at 30 a week, 1 week x 40 h x 1.4
    assert ask.engineering_hours_one_off == pytest.approx(672 + 56)
    assert ask.one_off == pytest.approx(728 * RATE)
    assert ask.one_off_risk_adjusted == pytest.approx(728 * RATE * 1.10)
    # weekly review 1 h x 4 people x 52 / 12, plus 4 h of vendor administration
    assert ask.engineering_hours_per_month == pytest.approx(4 * 52 / 12 + 4)
    monthly = (4 * 52 / 12 + 4) * RATE + 40 * 31 + 60 * 1.70 + 600 * 0.05
    assert ask.run_per_year == pytest.approx(12 * monthly)


def test_a_scheduled_migration_is_not_part_of_the_ask(tmp_path: Path) -> None:
    path = tmp_path / "migrate.yaml"
    path.write_text(f"extends: {SEED}\nlock_in: {{migration_month: 20}}\n", encoding="utf-8")
    ev = evaluate(load_scenario(path))
    ask = present.the_ask_figures(ev, "datadog")
    assert ask.one_off == pytest.approx(728 * RATE)
    # With OpenTelemetry the exit is configuration: 80 h of it.
    assert ask.migration == pytest.approx(80 * RATE)
    assert "scheduled in month 20" in present.north_star_and_ask(ev, "datadog")


def test_the_ask_of_seed_self_run_by_hand() -> None:
    ask = present.the_ask_figures(_evaluation(SEED), "self-run")
    # instrumenting 672 h + set-up 3 weeks x 40 h x 1.4
    assert ask.engineering_hours_one_off == pytest.approx(672 + 168)
    # review 4 x 52/12 + upkeep 1 day (8 h) a week x 52/12 + 5 h of the tracing system's incidents
    assert ask.engineering_hours_per_month == pytest.approx(4 * 52 / 12 + 8 * 52 / 12 + 5)


@pytest.mark.parametrize("path", SHIPPED_SCENARIOS, ids=lambda p: p.stem)
def test_line_present_values_add_up_to_the_kpis(path: Path) -> None:
    ev = _evaluation(path)
    for option in present.non_baseline(ev):
        for category, kpi in (("benefit", "pv_benefits"), ("cost", "pv_costs")):
            total = sum(
                present.line_present_value(ev, option, line)
                for line in option.lines
                if line.category == category
            )
            assert total == pytest.approx(float(option.kpis[kpi]), rel=1e-9)


def test_focus_is_the_recommendation_unless_it_is_the_baseline() -> None:
    for path in SHIPPED_SCENARIOS:
        ev = _evaluation(path)
        best = decision_aid(ev).best_option
        assert focus_option(ev) == (best if best != "do-nothing" else best_allowed(ev))
    assert present.compares_stacks(_evaluation(MIDSIZE))
    assert not present.compares_stacks(_evaluation(FINTECH))
    assert "no-SaaS" in present.stacks_note(_evaluation(FINTECH))


# --- sweeps -----------------------------------------------------------------------------------


def test_breakeven_interpolates_linearly() -> None:
    x = np.array([0.0, 0.5, 1.0])
    assert present._breakeven(x, np.array([-10.0, -2.0, 6.0])) == pytest.approx(0.625)
    assert present._breakeven(x, np.array([1.0, 2.0, 3.0])) == 0.0
    assert math.isnan(present._breakeven(x, np.array([-3.0, -2.0, -1.0])))


def test_mttr_breakeven_of_fintech_has_zero_npv() -> None:
    s = load_scenario(FINTECH)
    sweep = present.mttr_sweep(s)
    be = sweep.breakeven["self-run"]
    assert 0 < be < 0.9
    # No latency section: incidents alone are the whole case.
    assert sweep.breakeven_incidents_only["self-run"] == be
    # NPV is linear in the reduction, so the interpolated break-even is exact.
    check = evaluate(
        s,
        {
            "incidents.severities.sev1.mttr_hours_after": 5.0 * (1 - be),
            "incidents.severities.sev2.mttr_reduction_fraction": be,
        },
    )
    pv_costs = float(check.options["self-run"].kpis["pv_costs"])
    assert float(check.options["self-run"].kpis["npv"]) == pytest.approx(0.0, abs=1e-9 * pv_costs)
    # sev1 is given as 5 h -> 2 h: a 60 % reduction; sev2 as 30 %.
    assert sweep.current == pytest.approx({"sev1": 0.6, "sev2": 0.3})


def test_mttr_sweep_with_latency_separates_incidents_alone() -> None:
    sweep = present.mttr_sweep(load_scenario(MIDSIZE))
    for key in sweep.labels:
        # The conversion benefit alone covers the costs at no MTTR reduction at all.
        assert sweep.breakeven[key] == 0.0
        assert sweep.breakeven_incidents_only[key] > 0
        assert np.all(sweep.npv[key] > sweep.npv_incidents_only[key])


def test_spans_sweep_of_seed_by_hand() -> None:
    sweep = present.spans_sweep(load_scenario(SEED), np.array([0.0, 200.0, 400.0]))
    per_100 = 0.047 / 23.1
    # 890 ms was measured with 200 spans x 0.2 ms: at 0 spans it is 850 ms, at 400 it is 930 ms.
    expected = [8e6 * per_100 * (3200 - after) / 100 for after in (850.0, 890.0, 930.0)]
    assert sweep.latency_value_per_year == pytest.approx(expected)
    assert sweep.latency_value_per_year[1] == pytest.approx(8e6 * 0.047)
    assert sweep.overhead_ms == pytest.approx([0.0, 40.0, 80.0])
    assert sweep.current == 200


def test_spans_sweep_without_latency_has_no_value() -> None:
    sweep = present.spans_sweep(load_scenario(FINTECH))
    assert np.all(sweep.latency_value_per_year == 0)
    assert list(sweep.stack_cost_per_year) == ["self-run"]
    # More spans, more data to store and serve: the stack never gets cheaper.
    assert np.all(np.diff(sweep.stack_cost_per_year["self-run"]) >= 0)


def test_elasticity_comparison_of_midsize_by_hand() -> None:
    rows = {r.key: r for r in present.elasticity_comparison(load_scenario(MIDSIZE))}
    assert [k for k, r in rows.items() if r.used] == ["amazon"]
    # net 499.3 ms x 0.707 % per 100 ms (the median of Linden's 0.5-1 %), 30 % credited,
    # 260 M a year, 35 % margin
    lift = (0.005 * 0.01) ** 0.5
    assert rows["amazon"].value_per_year == pytest.approx(lift * 4.993 * 0.3 * 260e6 * 0.35)
    # 8.4 % per 100 ms hits the 10 % cap
    assert rows["deloitte-retail"].value_per_year == pytest.approx(0.10 * 0.3 * 260e6 * 0.35)
    assert present.elasticity_comparison(load_scenario(FINTECH)) == []


def test_traffic_sweep_at_today_is_the_run_rate() -> None:
    s = load_scenario(SEED)
    sweep = present.traffic_sweep(s, np.array([0.5, 1.0, 2.0]))
    base = evaluate(s)
    for key in ("self-run", "datadog"):
        assert sweep.run_rate[key][1] == pytest.approx(float(run_rate_cost(base.options[key])))
    # Datadog at half and twice the hosts: host line scales, the rest stays within allotments.
    people = (4 * 52 / 12 + 4) * RATE + 600 * 0.05
    assert sweep.run_rate["datadog"][0] == pytest.approx(people + 20 * 31 + (50 - 20) * 1.70)
    assert sweep.run_rate["datadog"][2] == pytest.approx(people + 80 * 31 + (200 - 80) * 1.70)


# --- sections ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED_SCENARIOS, ids=lambda p: p.stem)
def test_every_section_renders(path: Path) -> None:
    ev = _evaluation(path)
    html = _all_sections(ev)
    assert html.count("<table") == html.count("</table>")
    assert "Initial" in html
    assert "Year 3" in html
    assert "Present value" in html


def test_readiness_gaps_are_shown_first() -> None:
    mid = present.readiness_checklist(load_scenario(MIDSIZE))
    assert "Fix these gaps first" in mid
    assert "1 of 5 pre-flight boxes are unchecked" in mid
    assert "Fix these gaps first" not in present.readiness_checklist(load_scenario(SEED))


def test_vendor_prices_carry_their_date_and_a_warning() -> None:
    html = present.vendor_components(_evaluation(MIDSIZE))
    assert html.count("check current pricing") == 4
    assert "2026-09-05" in html  # Datadog's price-list date
    assert "no-SaaS" in present.vendor_components(_evaluation(FINTECH))


def test_tei_table_puts_costs_in_parentheses() -> None:
    ev = _evaluation(SEED)
    html = present.tei_table(ev, "datadog")
    initial_cost = float(ev.options["datadog"].tei_table()["costs"][0])
    assert f"({present.money(initial_cost, 'USD')})" in html
    assert "benefits reduced by 15 %, costs raised by 10 %" in html


def test_appendix_lists_every_parameter() -> None:
    from roi.inputs.parameters import parameters

    s = load_scenario(MIDSIZE)
    html = present.assumptions_appendix(evaluate(s))
    for path in parameters(s):
        assert f"<code>{path}</code>" in html
    assert "260,000,000 USD/year" in html


def test_references_used_are_the_cited_ones() -> None:
    keys = present.references_used(load_scenario(FINTECH))
    assert "dora-2024" in keys  # sev1 MTTR after cites it
    assert "seed-article" in keys
    assert "deloitte-2020" not in keys  # no latency section


# --- uncertainty in the report ----------------------------------------------------------------


def _point_variant(tmp_path: Path) -> Path:
    """The seed scenario with every range replaced by its median: no spread at all."""
    path = tmp_path / "point.yaml"
    path.write_text(
        f"extends: {SEED}\n"
        "timeline: {rollout_months: 3}\n"
        "self_run: {ingester_mb_per_s: 4, querier_mb_per_s: 1.5}\n"
        "finance: {discount_rate: 0.10, benefit_risk: 0.15, default_uncertainty: false}\n",
        encoding="utf-8",
    )
    return path


def test_point_scenario_summary_has_no_spread(tmp_path: Path) -> None:
    s = load_scenario(_point_variant(tmp_path))
    ev = evaluate(s)
    sim = simulate(s, samples=100, seed=0)
    doc = present.summary(ev, sim, "point.yaml")
    for o in doc["options"]:
        if o["kind"] == "baseline":
            continue
        assert o["npv_p10"] == o["npv_p50"] == o["npv_p90"] == pytest.approx(o["kpis"]["npv"])
        assert o["prob_npv_negative"] == 0.0
    assert "no spread" in present.uncertainty_text(ev, sim)
    payback = int(ev.options["datadog"].kpis["payback_months"])
    assert f"P10 and P90: {payback} months" in present.headline_tiles(ev, "datadog", sim)


def test_headline_tiles_show_ranges(seed_sim: Simulation) -> None:
    ev = _evaluation(SEED)
    html = present.headline_tiles(ev, "self-run", seed_sim)
    assert html.count('class="roi-tile"') == 4
    assert "400 simulated scenarios" in html
    p10 = seed_sim.options["self-run"].summary()["npv"]["p10"]
    assert present.compact_money(p10, "USD") in html


# --- files: atomic writes ---------------------------------------------------------------------


def _doc(seed_sim: Simulation) -> dict[str, Any]:
    return present.summary(_evaluation(SEED), seed_sim, str(SEED), 400, 3)


def test_write_summary_writes_valid_json(tmp_path: Path, seed_sim: Simulation) -> None:
    path = present.write_summary(tmp_path, _doc(seed_sim))
    assert path == tmp_path / "summary.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    present.validate_summary(doc)
    assert doc["samples"] == 400
    assert doc["seed"] == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.json"]


def test_write_summary_with_empty_output_dir_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_sim: Simulation
) -> None:
    monkeypatch.chdir(tmp_path)
    assert present.write_summary("", _doc(seed_sim)) is None
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_sim: Simulation
) -> None:
    path = present.write_summary(tmp_path, _doc(seed_sim))
    assert path is not None
    before = path.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    doc = _doc(seed_sim)
    doc["seed"] = 99
    with pytest.raises(OSError, match="disk full"):
        present.write_summary(tmp_path, doc)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.json"]


def test_invalid_summary_is_not_written(tmp_path: Path, seed_sim: Simulation) -> None:
    doc = _doc(seed_sim)
    doc["options"][1]["npv_p10"] = float("nan")
    with pytest.raises(ValueError, match=r"options\[1\]\.npv_p10"):
        present.write_summary(tmp_path, doc)
    assert list(tmp_path.iterdir()) == []


def test_save_chart_writes_png_and_svg(tmp_path: Path) -> None:
    from roi.present.charts.business import incident_hours

    fig = incident_hours(_evaluation(SEED))
    png, svg = present.save_chart(fig, tmp_path / "charts", "incident-hours")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert sorted(p.name for p in (tmp_path / "charts").iterdir()) == [
        "incident-hours.png",
        "incident-hours.svg",
    ]
    # 200 dpi: an 8 x 4.2 in figure is 1600 px wide.
    width = int.from_bytes(png.read_bytes()[16:20], "big")
    assert width == 1600


def test_chart_saves_into_output_dir_and_displays_the_same_png(tmp_path: Path) -> None:
    from roi.present.charts.business import lock_in

    shown = present.chart(lock_in(_evaluation(SEED)), "lock-in", str(tmp_path))
    assert (tmp_path / "charts" / "lock-in.svg").exists()
    assert shown.png == (tmp_path / "charts" / "lock-in.png").read_bytes()
    assert shown.alt.startswith("Leaving a vendor costs")


@pytest.mark.parametrize("name", ["../evil", "a/b", "", "Upper", ".hidden", "x" * 65])
def test_chart_names_cannot_leave_the_charts_dir(tmp_path: Path, name: str) -> None:
    from roi.present.charts import figure

    with pytest.raises(ValueError, match="chart name"):
        present.save_chart(figure(), tmp_path / "charts", name)
    assert not (tmp_path / "charts").exists()
    assert list(tmp_path.iterdir()) == []


def test_failed_chart_write_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from roi.present.charts import figure

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("no space")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="no space"):
        present.save_chart(figure(), tmp_path, "x")
    assert list(tmp_path.iterdir()) == []


# --- the summary contract ---------------------------------------------------------------------


CONTRACT_OPTION_KEYS = {
    "key",
    "label",
    "kind",
    "kpis",
    "npv_p10",
    "npv_p50",
    "npv_p90",
    "roi_p10",
    "roi_p50",
    "roi_p90",
    "prob_npv_negative",
}

GAPS = {
    "seed-article": [],
    "ecommerce-midsize": [
        "Do I have dedicated engineering time (not 'when you have a spare moment')?"
    ],
    "ecommerce-lean-instrumentation": [
        "Do I have dedicated engineering time (not 'when you have a spare moment')?"
    ],
    "fintech-regulated": ["Does my manager's manager understand why this matters?"],
}


@pytest.mark.parametrize("path", SHIPPED_SCENARIOS, ids=lambda p: p.stem)
def test_summary_follows_the_contract(path: Path) -> None:
    s = load_scenario(path)
    ev = evaluate(s)
    sim = simulate(s, samples=300, seed=1)
    doc = present.summary(ev, sim, str(path), 300, 1)
    present.validate_summary(doc)
    json.dumps(doc, allow_nan=False)
    assert set(doc) == {
        "schema_version",
        "scenario",
        "best_option",
        "recommendation",
        "options",
        "readiness_gaps",
        "samples",
        "seed",
    }
    assert doc["schema_version"] == 1
    assert doc["scenario"] == {
        "name": s.name,
        "description": s.description,
        "currency": s.currency,
        "file": str(path),
        "north_star_kpi": s.kpis.north_star_kpi,
    }
    assert [o["key"] for o in doc["options"]] == list(ev.options)
    assert all(set(o) == CONTRACT_OPTION_KEYS for o in doc["options"])
    assert doc["best_option"] == decision_aid(ev).best_option
    assert doc["readiness_gaps"] == GAPS[path.stem]
    assert (doc["samples"], doc["seed"]) == (300, 1)
    baseline = doc["options"][0]
    assert baseline["kind"] == "baseline"
    assert baseline["kpis"]["npv"] == 0.0
    assert baseline["kpis"]["roi"] is None
    assert baseline["kpis"]["payback_months"] is None
    assert baseline["npv_p50"] is None
    assert baseline["prob_npv_negative"] is None
    for o in doc["options"][1:]:
        assert o["npv_p10"] <= o["npv_p50"] <= o["npv_p90"]
        assert 0.0 <= o["prob_npv_negative"] <= 1.0


def test_summary_without_simulation_has_null_ranges() -> None:
    doc = present.summary(_evaluation(SEED), None, None)
    present.validate_summary(doc)
    assert all(o["npv_p10"] is None for o in doc["options"])
    assert doc["samples"] is None
    assert doc["scenario"]["file"] is None


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("seed"), "missing"),
        (lambda d: d.update(extra=1), "unexpected"),
        (lambda d: d.update(schema_version=2), "schema_version"),
        (lambda d: d["options"][1]["kpis"].update(npv=True), r"options\[1\]\.npv"),
        (lambda d: d["options"][1].update(roi_p50="1"), r"options\[1\]\.roi_p50"),
        (lambda d: d.update(best_option="nope"), "best_option"),
        (lambda d: d.update(readiness_gaps=[1]), "readiness_gaps"),
        (lambda d: d.update(samples=1.5), "samples"),
        (lambda d: d["scenario"].pop("currency"), r"scenario: missing \['currency'\]"),
    ],
)
def test_validate_summary_rejects_broken_documents(
    mutate: Any, message: str, seed_sim: Simulation
) -> None:
    doc = _doc(seed_sim)
    mutate(doc)
    with pytest.raises(ValueError, match=message):
        present.validate_summary(doc)


# --- paths ------------------------------------------------------------------------------------


def test_relative_scenario_path_resolves_against_the_notebooks_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    resolved = present.scenario_file("../data_samples/scenarios/seed-article.yaml")
    assert resolved == SEED.resolve()
    assert present.scenario_file(str(SEED)) == SEED
    # Not next to the notebooks: the working directory is tried next.
    (tmp_path / "mine.yaml").write_text("x: 1\n", encoding="utf-8")
    assert present.scenario_file("mine.yaml") == (tmp_path / "mine.yaml").resolve()


def test_present_imports_no_matplotlib() -> None:
    import subprocess
    import sys

    code = "import sys, roi.present.html; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert re.fullmatch(r"\S+", out.stdout.strip())
