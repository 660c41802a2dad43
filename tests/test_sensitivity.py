"""roi.analysis.sensitivity: the tornado (one stacked evaluation) and Sobol indices (SALib)."""

from __future__ import annotations

import importlib
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from conftest import (
    SCENARIOS_DIR,
    SEED,
    SHIPPED_SCENARIOS,
    STATED_RANGES_ONLY,
    RunCli,
    scenario_file_from,
    scenario_from,
)

import roi.model
from roi.analysis.decision import best_option
from roi.analysis.sampling import ranged_inputs
from roi.analysis.sensitivity import (
    MissingExtra,
    Tornado,
    sobol,
    tornado,
    tornado_cases,
)
from roi.inputs.scenario import load_scenario, resolve
from roi.inputs.schema import Scenario
from roi.model import evaluate
from roi.model.finance import yearly

ECOMMERCE = SCENARIOS_DIR / "ecommerce-midsize.yaml"
FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"


@pytest.fixture(scope="module")
def ecommerce() -> Scenario:
    return scenario_from(ECOMMERCE, STATED_RANGES_ONLY)


@pytest.fixture(scope="module")
def fintech() -> Scenario:
    return scenario_from(FINTECH, STATED_RANGES_ONLY)


@pytest.mark.parametrize("metric", ["npv", "roi", "payback_months"])
@pytest.mark.parametrize("option", ["self-run", "datadog", "aws-xray"])
def test_base_is_the_point_estimate(ecommerce: Scenario, metric: str, option: str) -> None:
    t = tornado(ecommerce, metric=metric, option=option)
    assert t.base == float(evaluate(ecommerce).options[option].kpis[metric])


def test_stacked_evaluation_equals_one_case_at_a_time(ecommerce: Scenario) -> None:
    t = tornado(ecommerce, option="self-run")
    assert len(t.rows) == len(ranged_inputs(ecommerce)) == 10
    for row in t.rows:
        for value, expected in ((row.low, row.metric_low), (row.high, row.metric_high)):
            alone = evaluate(ecommerce, values={row.path: value})
            assert float(alone.options["self-run"].kpis["npv"]) == pytest.approx(
                expected, rel=1e-12
            ), row.path


def test_one_evaluate_call(ecommerce: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, ...]] = []
    real = roi.model.evaluate

    def counting(scenario: Scenario, values: Any = None) -> Any:
        out = real(scenario, values)
        calls.append(out.shape)
        return out

    monkeypatch.setattr(roi.model, "evaluate", counting)
    tornado(ecommerce, option="datadog")
    assert calls == [(2 * 10 + 1,)]


def test_rows_sorted_by_swing_and_swing_is_the_spread(ecommerce: Scenario) -> None:
    t = tornado(ecommerce, option="self-run")
    swings = [r.swing for r in t.rows]
    assert swings == sorted(swings, reverse=True)
    for r in t.rows:
        assert r.swing == pytest.approx(abs(r.metric_high - r.metric_low))
    assert t.rows[0].path == "latency.conversion_lift_per_100ms"


def test_low_and_high_are_the_stated_90_percent_interval(ecommerce: Scenario) -> None:
    rows = {r.path: r for r in tornado(ecommerce).rows}
    sev1 = rows["incidents.severities.sev1.mttr_reduction_fraction"]
    assert (sev1.low, sev1.high) == (pytest.approx(0.2), pytest.approx(0.6))
    assert sev1.unit == "fraction"
    assert sev1.label == "Sev-1 MTTR reduction (%)"
    size = rows["instrumentation.bytes_per_span"]
    assert (size.low, size.high) == (pytest.approx(500.0), pytest.approx(4000.0))


def test_discount_rate_row_against_numpy_financial(ecommerce: Scenario) -> None:
    # The rate changes no cash flow: NPV at the rate's low and high is numpy_financial.npv of
    # the point estimate's TEI yearly net cash flows.
    npf = pytest.importorskip("numpy_financial")
    net = yearly(evaluate(ecommerce).options["honeycomb"].net)
    row = next(r for r in tornado(ecommerce, option="honeycomb").rows if r.path.endswith("rate"))
    assert row.metric_low == pytest.approx(npf.npv(0.08, net), rel=1e-10)
    assert row.metric_high == pytest.approx(npf.npv(0.16, net), rel=1e-10)


def test_mttr_reduction_moves_npv_the_right_way(ecommerce: Scenario) -> None:
    rows = {r.path: r for r in tornado(ecommerce, option="datadog").rows}
    for sev in ("sev1", "sev2", "sev3"):
        row = rows[f"incidents.severities.{sev}.mttr_reduction_fraction"]
        assert row.metric_high > row.metric_low  # more MTTR removed, more value


def test_default_option_is_the_best_npv(ecommerce: Scenario) -> None:
    ev = evaluate(ecommerce)
    best = max(
        (k for k in ev.options if k != "do-nothing"),
        key=lambda k: float(ev.options[k].kpis["npv"]),
    )
    assert best_option(ev) == best
    assert tornado(ecommerce).option == best


def test_default_option_when_nothing_pays_is_the_closest_to_paying(fintech: Scenario) -> None:
    ev = evaluate(fintech)
    assert best_option(ev) == "do-nothing"
    assert tornado(fintech).option == "self-run"


def test_payback_never_reached_is_infinite(fintech: Scenario) -> None:
    t = tornado(fintech, metric="payback_months")
    assert math.isnan(float(evaluate(fintech).options["self-run"].kpis["payback_months"]))
    assert t.base == math.inf
    top = t.rows[0]
    assert top.path == "incidents.severities.sev2.mttr_reduction_fraction"
    assert top.metric_low == math.inf
    assert math.isfinite(top.metric_high)
    assert top.swing == math.inf
    # Inputs that leave payback 'never' at both ends do not swing it.
    assert all(r.swing == 0.0 for r in t.rows[1:])


def test_tornado_cases_layout() -> None:
    inputs = ranged_inputs(load_scenario(SEED))
    cases = tornado_cases(inputs)
    for j, i in enumerate(inputs):
        col = cases[i.path]
        low, high = i.distribution.interval90
        assert col[0] == i.point
        assert (col[1 + 2 * j], col[2 + 2 * j]) == (low, high)
        others = np.delete(col, [1 + 2 * j, 2 + 2 * j])
        assert np.all(others == i.point)


def test_no_ranges_gives_an_empty_tornado(tmp_path: Path) -> None:
    data = resolve(SEED)
    data["timeline"]["rollout_months"] = 3
    for k in ("ingester_mb_per_s", "querier_mb_per_s"):
        data["self_run"].pop(k)
    data["finance"] = {"discount_rate": 0.10, "default_uncertainty": False}
    path = tmp_path / "points.yaml"
    path.write_text(yaml.safe_dump(data))
    s = load_scenario(path)
    t = tornado(s)
    assert t.rows == []
    assert t.base == float(evaluate(s).options[t.option].kpis["npv"])


def test_bad_metric_and_option(ecommerce: Scenario) -> None:
    with pytest.raises(ValueError, match="metric 'irr' is not one of"):
        tornado(ecommerce, metric="irr")
    with pytest.raises(ValueError, match="option 'do-nothing' is not an option here"):
        tornado(ecommerce, option="do-nothing")


def test_metric_unit(ecommerce: Scenario) -> None:
    t: Tornado = tornado(ecommerce, metric="roi")
    assert t.metric_unit == "fraction"
    assert tornado(ecommerce).metric_unit == "USD"


# --- Sobol ------------------------------------------------------------------------------------


def test_sobol_agrees_with_the_tornado_on_the_driver(ecommerce: Scenario) -> None:
    s = sobol(ecommerce, option="self-run", samples=256, seed=1)
    assert s.evaluations == 256 * (10 + 2)
    assert s.rows[0].path == tornado(ecommerce, option="self-run").rows[0].path
    totals = [r.total_order for r in s.rows]
    assert totals == sorted(totals, reverse=True)
    for r in s.rows:
        assert -0.05 <= r.first_order <= 1.05
        assert -0.05 <= r.total_order <= 1.05
    assert sum(r.first_order for r in s.rows) <= 1.1
    # Tempo capacities bind only in the rare samples with very large spans: almost no variance.
    capacity = {r.path: r for r in s.rows}["self_run.ingester_mb_per_s"]
    assert capacity.total_order == pytest.approx(0.0, abs=1e-3)


def test_sobol_is_repeatable_and_needs_a_power_of_two(ecommerce: Scenario) -> None:
    a = sobol(ecommerce, metric="roi", samples=64, seed=3)
    b = sobol(ecommerce, metric="roi", samples=64, seed=3)
    assert a == b
    with pytest.raises(ValueError, match="power of 2"):
        sobol(ecommerce, samples=100)


def test_sobol_payback_counts_never_as_censored(fintech: Scenario) -> None:
    s = sobol(fintech, metric="payback_months", samples=64)
    assert s.censored_payback > 0


def test_sobol_without_salib_says_which_extra(
    ecommerce: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.import_module

    def no_salib(name: str, package: str | None = None) -> Any:
        if name.startswith("SALib"):
            raise ImportError(name)
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", no_salib)
    with pytest.raises(MissingExtra, match=r"pip install 'roi\[sobol\]'"):
        sobol(ecommerce, samples=64)


# --- the command line ---------------------------------------------------------------------------


def test_sensitivity_json(run_cli: RunCli) -> None:
    code, out, err = run_cli(
        "sensitivity", ECOMMERCE, "--option", "datadog", "--metric", "roi", "--format", "json"
    )
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["schema_version"] == 1
    assert (doc["method"], doc["option"], doc["metric"]) == ("tornado", "datadog", "roi")
    swings = [r["swing"] for r in doc["rows"]]
    assert swings == sorted(swings, reverse=True)
    assert set(doc["rows"][0]) == {
        "path", "label", "unit", "low", "high", "metric_low", "metric_high", "swing"
    }  # fmt: skip


def test_sensitivity_json_payback_never_is_null(run_cli: RunCli, tmp_path: Path) -> None:
    fintech = scenario_file_from(tmp_path, FINTECH, STATED_RANGES_ONLY)
    code, out, _ = run_cli("sensitivity", fintech, "--metric", "payback_months", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["base"] is None
    assert doc["rows"][0]["metric_low"] is None
    assert doc["rows"][0]["swing"] is None


def test_sensitivity_table_and_sobol(run_cli: RunCli, tmp_path: Path) -> None:
    code, out, _ = run_cli(
        "sensitivity", scenario_file_from(tmp_path, ECOMMERCE, STATED_RANGES_ONLY)
    )
    assert code == 0
    lines = out.splitlines()
    first_row = lines[next(i for i, line in enumerate(lines) if line.strip().startswith("---")) + 1]
    assert first_row.strip().startswith("Conversion lift per 100 ms (%)")
    code, out, _ = run_cli("sensitivity", ECOMMERCE, "--method", "sobol", "--samples", "64")
    assert code == 0
    assert "S1" in out
    assert "ST" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--option", "nope"], "--option: 'nope' is not an option of"),
        (["--option", "do-nothing"], "--option: 'do-nothing' is not an option of"),
        (["--metric", "irr"], "argument --metric: invalid choice"),
        (["--method", "morris"], "argument --method: invalid choice"),
        (["--method", "sobol", "--samples", "100"], "Sobol needs a power of 2"),
        (["--method", "sobol", "--seed", "-2"], "--seed: -2 is out of range"),
    ],
)
def test_sensitivity_usage_errors_are_one_line(
    run_cli: RunCli, args: list[str], message: str
) -> None:
    code, out, err = run_cli("sensitivity", ECOMMERCE, *args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert message in err


@pytest.mark.parametrize("path", SHIPPED_SCENARIOS, ids=lambda p: p.stem)
def test_every_tornado_bar_of_a_shipped_scenario_reaches_both_sides(path: Path) -> None:
    # Point values are the medians of their ranges: no bar may extend one way only.
    t = tornado(load_scenario(path))
    moving = [r for r in t.rows if r.swing > 0]
    assert len(moving) >= 10
    for r in moving:
        assert min(r.metric_low, r.metric_high) < t.base < max(r.metric_low, r.metric_high), r.path
