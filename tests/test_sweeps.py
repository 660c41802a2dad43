"""roi.analysis.sweeps: each sweep is one vectorised evaluation, checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import SCENARIOS_DIR, SEED

from roi.analysis import sweeps
from roi.analysis.decision import run_rate_cost
from roi.inputs.scenario import load_scenario
from roi.model import evaluate

RATE = 200_000 / 2080
MIDSIZE = SCENARIOS_DIR / "ecommerce-midsize.yaml"
FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"


def test_breakeven_interpolates_linearly() -> None:
    x = np.array([0.0, 0.5, 1.0])
    assert sweeps._breakeven(x, np.array([-10.0, -2.0, 6.0])) == pytest.approx(0.625)
    assert sweeps._breakeven(x, np.array([1.0, 2.0, 3.0])) == 0.0
    assert math.isnan(sweeps._breakeven(x, np.array([-3.0, -2.0, -1.0])))


def test_mttr_breakeven_of_fintech_has_zero_npv() -> None:
    s = load_scenario(FINTECH)
    sweep = sweeps.mttr_sweep(s)
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
    sweep = sweeps.mttr_sweep(load_scenario(MIDSIZE))
    for key in sweep.labels:
        # The conversion benefit alone covers the costs at no MTTR reduction at all.
        assert sweep.breakeven[key] == 0.0
        assert sweep.breakeven_incidents_only[key] > 0
        assert np.all(sweep.npv[key] > sweep.npv_incidents_only[key])


def test_spans_sweep_of_seed_by_hand() -> None:
    sweep = sweeps.spans_sweep(load_scenario(SEED), np.array([0.0, 200.0, 400.0]))
    per_100 = 0.047 / 23.1
    # 890 ms was measured with 200 spans x 0.2 ms: at 0 spans it is 850 ms, at 400 it is 930 ms.
    expected = [8e6 * per_100 * (3200 - after) / 100 for after in (850.0, 890.0, 930.0)]
    assert sweep.latency_value_per_year == pytest.approx(expected)
    assert sweep.latency_value_per_year[1] == pytest.approx(8e6 * 0.047)
    assert sweep.overhead_ms == pytest.approx([0.0, 40.0, 80.0])
    assert sweep.current == 200


def test_spans_sweep_without_latency_has_no_value() -> None:
    sweep = sweeps.spans_sweep(load_scenario(FINTECH))
    assert np.all(sweep.latency_value_per_year == 0)
    assert list(sweep.stack_cost_per_year) == ["self-run"]
    # More spans, more data to store and serve: the stack never gets cheaper.
    assert np.all(np.diff(sweep.stack_cost_per_year["self-run"]) >= 0)


def test_elasticity_comparison_of_midsize_by_hand() -> None:
    rows = {r.key: r for r in sweeps.elasticity_comparison(load_scenario(MIDSIZE))}
    assert [k for k, r in rows.items() if r.used] == ["amazon"]
    # net 499.3 ms x 0.707 % per 100 ms, 30 % credited, 260 M a year, 35 % margin
    lift = (0.005 * 0.01) ** 0.5  # the median of Linden's 0.5-1 % per 100 ms
    assert rows["amazon"].value_per_year == pytest.approx(lift * 4.993 * 0.3 * 260e6 * 0.35)
    # 8.4 % per 100 ms hits the 10 % cap
    assert rows["deloitte-retail"].value_per_year == pytest.approx(0.10 * 0.3 * 260e6 * 0.35)
    assert sweeps.elasticity_comparison(load_scenario(FINTECH)) == []


def test_traffic_sweep_at_today_is_the_run_rate() -> None:
    s = load_scenario(SEED)
    sweep = sweeps.traffic_sweep(s, np.array([0.5, 1.0, 2.0]))
    base = evaluate(s)
    for key in ("self-run", "datadog"):
        assert sweep.run_rate[key][1] == pytest.approx(float(run_rate_cost(base.options[key])))
    # Datadog at half and twice the hosts: host line scales, the rest stays within allotments.
    people = (4 * 52 / 12 + 4) * RATE + 600 * 0.05
    assert sweep.run_rate["datadog"][0] == pytest.approx(people + 20 * 31 + (50 - 20) * 1.70)
    assert sweep.run_rate["datadog"][2] == pytest.approx(people + 80 * 31 + (200 - 80) * 1.70)


def test_traffic_crossover_rule() -> None:
    sweep = sweeps.TrafficSweep(
        np.array([1.0, 2.0, 4.0, 8.0]),
        {"self-run": np.array([5.0, 5.0, 5.0, 5.0]), "v": np.array([1.0, 6.0, 3.0, 9.0])},
        {"self-run": "Self-run", "v": "Vendor"},
        "USD",
    )
    # Cheaper at 2x, dearer again at 4x, cheaper for good from 8x.
    assert sweeps.traffic_crossover(sweep, "v") == 8.0


def test_run_sweeps_computes_only_what_is_asked() -> None:
    s = load_scenario(SEED)
    only = sweeps.run_sweeps(s, ["mttr", "elasticity"])
    assert only.traffic is None
    assert only.spans is None
    assert only.mttr is not None
    assert only.elasticity
    with pytest.raises(ValueError, match="sweeps: tornado unknown; allowed: traffic"):
        sweeps.run_sweeps(s, ["tornado"])
