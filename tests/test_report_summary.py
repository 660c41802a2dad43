"""roi.report.summary: the summary contract, built, validated, written atomically and read back
(the one module that knows ``summary.json``)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED, SHIPPED_SCENARIOS

from roi.analysis.decision import decision_aid
from roi.analysis.montecarlo import Simulation, simulate
from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.report import summary as present
from roi.report.summary import (
    SUMMARY_FILE,
    SummaryError,
    SummaryMissing,
    build_summary,
    read_summary,
)


@pytest.fixture(scope="module")
def seed_sim() -> Simulation:
    return simulate(load_scenario(SEED), samples=400, seed=3)


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
    doc = build_summary(ev, sim, "point.yaml")
    for o in doc["options"]:
        if o["kind"] == "baseline":
            continue
        assert o["npv_p10"] == o["npv_p50"] == o["npv_p90"] == pytest.approx(o["kpis"]["npv"])
        assert o["prob_npv_negative"] == 0.0


def _doc(seed_sim: Simulation) -> dict[str, Any]:
    return build_summary(evaluate(load_scenario(SEED)), seed_sim, str(SEED), 400, 3)


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
    doc = build_summary(ev, sim, str(path), 300, 1)
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
        "file": path.resolve().relative_to(Path.cwd().resolve()).as_posix()
        if path.resolve().is_relative_to(Path.cwd().resolve())
        else path.name,  # no absolute machine path
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
    doc = build_summary(evaluate(load_scenario(SEED)), None, None)
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


def test_read_summary_round_trips_what_was_written(tmp_path: Path, seed_sim: Simulation) -> None:
    doc = _doc(seed_sim)
    present.write_summary(tmp_path, doc)
    assert read_summary(tmp_path) == json.loads(json.dumps(doc))
    assert SUMMARY_FILE == "summary.json"


def test_read_summary_names_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(SummaryMissing, match=r"no summary\.json in"):
        read_summary(tmp_path)
    (tmp_path / SUMMARY_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(SummaryError, match=r"summary\.json unreadable: "):
        read_summary(tmp_path)
    (tmp_path / SUMMARY_FILE).write_text('{"schema_version": 99}', encoding="utf-8")
    with pytest.raises(SummaryError, match=r"summary\.json is not schema_version 1"):
        read_summary(tmp_path)
    (tmp_path / SUMMARY_FILE).write_text("[1]", encoding="utf-8")
    with pytest.raises(SummaryError, match="not schema_version 1"):
        read_summary(tmp_path)
    # A partial document of the right version is the reader's to show as it can.
    (tmp_path / SUMMARY_FILE).write_text('{"schema_version": 1}', encoding="utf-8")
    assert read_summary(tmp_path) == {"schema_version": 1}


def test_summary_names_no_machine_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """build_summary given the notebook's absolute path keeps the file's name only (the kernel
    runs in notebooks/, not where roi report was started); the batch runner then puts back the
    file as given, relative to its working directory."""
    ev = evaluate(load_scenario(SEED))
    monkeypatch.chdir(tmp_path)
    doc = build_summary(ev, None, str(SEED.resolve()))
    assert doc["scenario"]["file"] == "seed-article.yaml"
    assert build_summary(ev, None, "cases/seed.yaml")["scenario"]["file"] == "cases/seed.yaml"
    present.write_summary(tmp_path, doc)
    (tmp_path / "cases").mkdir()
    given = tmp_path / "cases" / "seed-article.yaml"
    present.with_scenario_file(tmp_path, str(given))
    assert read_summary(tmp_path)["scenario"]["file"] == "cases/seed-article.yaml"


def test_shown_path() -> None:
    assert present.shown_path(None) is None
    assert present.shown_path("../x/seed.yaml") == "../x/seed.yaml"  # relative: as given
    assert present.shown_path("/a/b/seed.yaml", cwd="/a") == "b/seed.yaml"
    assert present.shown_path("/a/b/seed.yaml", cwd="/c") == "seed.yaml"
    assert present.shown_path("/a/seed.yaml", cwd="/a/b") == "seed.yaml"  # never climbs out
