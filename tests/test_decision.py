"""roi.analysis.decision: the article's self-run-or-managed checklist, TCO crossover and
readiness."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from conftest import SCENARIOS_DIR, SEED, RunCli

from roi.analysis.decision import (
    SERVICES_LIMIT,
    TRAFFIC_MULTIPLES,
    best_option,
    compare,
    criteria,
    crossovers,
    decide,
    decision_aid,
    focus_option,
    readiness,
    run_rate_cost,
)
from roi.inputs.scenario import load_scenario
from roi.model import evaluate

RATE = 200_000 / 2080


def extend_seed(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "variant.yaml"
    path.write_text(f"extends: {SEED}\n{text}")
    return path


def test_run_rate_cost_of_seed_datadog_by_hand() -> None:
    dd = evaluate(load_scenario(SEED)).options["datadog"]
    # review 4 x 52/12 h + admin 4 h at the rate; 40 hosts x 31; (100 - 40) M spans x 1.70;
    # 600 custom metrics x 0.05; ingest within the hosts' allotment
    expected = (4 * 52 / 12 + 4) * RATE + 40 * 31 + 60 * 1.70 + 600 * 0.05
    assert float(run_rate_cost(dd)) == pytest.approx(expected)


def test_criteria_count_services_instead_of_asking() -> None:
    items = {c.key: c for c in criteria(load_scenario(SEED))}
    assert len(items) == 8
    # 30 services < 50: favours self-run
    assert items["fewer_than_50_services"].answer is True
    assert items["fewer_than_50_services"].favours == "self-run"
    assert items["sre_capacity"].answer is None
    assert items["sre_capacity"].favours is None
    assert SERVICES_LIMIT == 50


def test_unanswered_checklist_and_best_npv() -> None:
    aid = decision_aid(evaluate(load_scenario(SEED)))
    assert (aid.score_self_run, aid.score_managed) == (1, 0)
    assert aid.managed_allowed is True
    assert aid.best_option == "datadog"  # NPV 1.48 M against 1.34 M for self-run
    assert aid.recommendation.startswith("Highest NPV: Datadog APM (annual).")
    assert "7 unanswered" in aid.recommendation


def test_no_saas_policy_rules_out_managed(tmp_path: Path) -> None:
    path = extend_seed(tmp_path, "decision:\n  no_saas_policy: true\n  sre_capacity: false\n")
    aid = decision_aid(evaluate(load_scenario(path)))
    assert aid.managed_allowed is False
    assert aid.best_option == "self-run"
    assert "that policy allows" in aid.recommendation
    assert "A no-SaaS policy rules out managed vendors." in aid.recommendation
    # sre_capacity false favours managed; no-SaaS true and < 50 services favour self-run
    assert (aid.score_self_run, aid.score_managed) == (2, 1)


def test_crossover_month_and_traffic() -> None:
    s = load_scenario(SCENARIOS_DIR / "ecommerce-midsize.yaml")
    ev = evaluate(s)
    found = {c.vendor: c for c in crossovers(ev)}
    assert set(found) == set(s.managed.vendors)
    dd = found["datadog"]
    # month: the first month from which self-run's cumulative cost stays below Datadog's
    gap = np.cumsum(ev.options["datadog"].costs - ev.options["self-run"].costs)
    assert gap[int(dd.month)] >= 0
    assert np.all(gap[int(dd.month) :] >= 0)
    assert gap[int(dd.month) - 1] < 0
    # traffic: at the multiple found self-run's run rate is cheaper, one grid step below it is not
    assert s.managed.apm_hosts is not None
    hosts = s.managed.apm_hosts.value
    k = int(np.flatnonzero(np.isclose(TRAFFIC_MULTIPLES, dd.traffic_multiple))[0])
    for multiple, self_run_cheaper in (
        (TRAFFIC_MULTIPLES[k], True),
        (TRAFFIC_MULTIPLES[k - 1], False),
    ):
        at = evaluate(
            s,
            {
                "instrumentation.requests_per_month": s.instrumentation.requests_per_month.value
                * multiple,
                "managed.apm_hosts": hosts * multiple,
            },
        )
        cheaper = run_rate_cost(at.options["self-run"]) < run_rate_cost(at.options["datadog"])
        assert bool(cheaper) is self_run_cheaper
    assert dd.requests_per_month == pytest.approx(
        dd.traffic_multiple * s.instrumentation.requests_per_month.value
    )


def test_crossover_never_within_horizon_is_nan() -> None:
    found = crossovers(evaluate(load_scenario(SEED)))
    assert len(found) == 1
    assert math.isnan(found[0].month)  # self-run's cumulative cost never drops below Datadog's


def test_no_crossover_without_both_stacks() -> None:
    assert crossovers(evaluate(load_scenario(SCENARIOS_DIR / "fintech-regulated.yaml"))) == []


def test_readiness_boxes() -> None:
    boxes = readiness(load_scenario(SEED))
    assert len(boxes) == 5
    assert all(b.checked for b in boxes)


@pytest.mark.parametrize(
    ("services", "checked"),
    [
        ("[a, b]", False),
        ("[a, b, c]", True),
        ("[a, b, c, d, e]", True),
        ("[a, b, c, d, e, f]", False),
    ],
)
def test_readiness_wants_three_to_five_critical_services(
    tmp_path: Path, services: str, checked: bool
) -> None:
    path = extend_seed(tmp_path, f"readiness:\n  critical_services: {services}\n")
    box = readiness(load_scenario(path))[-1]
    assert box.key == "critical_services"
    assert box.checked is checked


# --- one rule for the best option -----------------------------------------------------------


def test_every_command_names_the_same_best_option_under_a_no_saas_policy(
    tmp_path: Path, run_cli: RunCli
) -> None:
    import json

    from roi.analysis.montecarlo import simulate
    from roi.report.summary import build_summary as summary

    path = tmp_path / "no-saas.yaml"
    path.write_text(
        f"extends: {SCENARIOS_DIR / 'ecommerce-midsize.yaml'}\ndecision:\n  no_saas_policy: true\n"
    )
    scenario = load_scenario(path)
    ev = evaluate(scenario)
    # Without the policy a vendor has the highest NPV: the policy must be what decides here.
    unconstrained = max(
        (k for k, o in ev.options.items() if o.kind != "baseline"),
        key=lambda k: float(ev.options[k].kpis["npv"]),
    )
    assert ev.options[unconstrained].kind == "managed"
    assert best_option(ev) == "self-run"

    code, out, _ = run_cli("breakdown", path, "--format", "json")
    assert code == 0
    assert json.loads(out)["decision"]["best_option"] == "self-run"
    code, out, _ = run_cli("sensitivity", path, "--format", "json")
    assert code == 0
    assert json.loads(out)["option"] == "self-run"
    code, out, _ = run_cli("simulate", path, "--samples", "200", "--format", "json")
    assert code == 0
    assert json.loads(out)["best_option"] == "self-run"
    assert summary(ev, simulate(scenario, 200), str(path))["best_option"] == "self-run"
    assert decision_aid(ev).best_option == "self-run"


def test_best_option_is_do_nothing_when_policy_allows_none(tmp_path: Path) -> None:
    path = extend_seed(tmp_path, "self_run:\n  enabled: false\ndecision:\n  no_saas_policy: true\n")
    ev = evaluate(load_scenario(path))
    assert best_option(ev) == "do-nothing"
    assert focus_option(ev) == "datadog"


def test_an_option_with_negative_npv_is_never_recommended() -> None:
    fintech = evaluate(load_scenario(SCENARIOS_DIR / "fintech-regulated.yaml"))
    assert float(fintech.options["self-run"].kpis["npv"]) < 0.0
    assert best_option(fintech) == "do-nothing"
    aid = decision_aid(fintech)
    assert aid.best_option == "do-nothing"
    assert aid.recommendation.startswith("None of the options pays for itself")
    # Sample by sample too: wherever every allowed NPV is negative, nothing is recommended.
    ev = evaluate(
        load_scenario(SCENARIOS_DIR / "fintech-regulated.yaml"),
        {"incidents.severities.sev2.mttr_reduction_fraction": np.array([0.1, 0.3, 0.9])},
    )
    npv = ev.options["self-run"].kpis["npv"]
    assert list(decide(ev)) == ["self-run" if x > 0 else "do-nothing" for x in npv]
    assert "self-run" in set(decide(ev))


def test_a_near_tie_is_reported_with_the_chance_one_beats_the_other() -> None:
    from roi.analysis.montecarlo import simulate

    s = load_scenario(SCENARIOS_DIR / "ecommerce-lean-instrumentation.yaml")
    ev = evaluate(s)
    sim = simulate(s, 2000)
    c = compare(ev, sim)
    assert c is not None
    npvs = sorted((float(o.kpis["npv"]), k) for k, o in ev.options.items())
    assert (c.leader, c.runner_up) == (npvs[-1][1], npvs[-2][1])
    assert c.npv_gap < 0.01 * c.leader_npv  # 0.2 %: no decision between these two
    assert c.near_tie
    by_hand = np.mean(sim.options[c.leader].kpis["npv"] > sim.options[c.runner_up].kpis["npv"])
    assert c.prob_leader_beats == pytest.approx(by_hand)
    seed = load_scenario(SEED)
    clear = compare(evaluate(seed), simulate(seed, 2000))
    assert clear is not None
    assert not clear.near_tie  # Datadog leads self-run by 10 % in every sample
