"""The summary contract: ``summary.json``, the headline figures of one rendered report, built,
validated, written and read here only (the notebooks write it, the batch runner checks it, the
index reads it).

Layout, schema version :data:`SUMMARY_SCHEMA_VERSION`::

    {"schema_version": 1,
     "scenario": {"name", "description", "currency", "file", "north_star_kpi"},
     "best_option": key, "recommendation": text,
     "options": [{"key", "label", "kind", "kpis": {npv, roi, payback_months, pv_benefits,
                  pv_costs}, "npv_p10".."npv_p90", "roi_p10".."roi_p90", "prob_npv_negative"}],
     "readiness_gaps": [text], "samples": int | null, "seed": int | null}

NPV, ROI and payback are point estimates; percentiles and the chance of a loss come from a Monte
Carlo and are null without one. Numbers are finite or null. ``scenario.file`` names no folder of
the machine it was rendered on (:func:`shown_path`): the file as given on the command line when
that was relative, relative to the working directory when inside it, else its name only.

Examples
--------
>>> try:
...     validate_summary({"schema_version": 1, "options": []})
... except ValueError as exc:
...     print(str(exc)[:31])
summary: missing ['best_option'
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roi.report.files import write_bytes_atomic

if TYPE_CHECKING:
    from roi.model import Evaluation
    from roi.present.read import SimulationLike

SUMMARY_SCHEMA_VERSION = 1
SUMMARY_FILE = "summary.json"
KPIS = ("npv", "roi", "payback_months", "pv_benefits", "pv_costs")


class SummaryError(ValueError):
    """A ``summary.json`` that is missing, unreadable or of another schema version; the message
    is one line for people."""


class SummaryMissing(SummaryError):
    """There is no ``summary.json`` where one was expected."""


def shown_path(path: str | os.PathLike[str] | None, cwd: str | Path | None = None) -> str | None:
    """A file's path as it may be shown and kept without disclosing the machine's folders.

    A relative path is kept as given; an absolute path inside the working directory ``cwd``
    (default: the current one) becomes relative to it; any other absolute path is reduced to the
    file's name.

    >>> shown_path("data_samples/scenarios/seed-article.yaml")
    'data_samples/scenarios/seed-article.yaml'
    >>> shown_path("/home/me/cases/seed.yaml", cwd="/home/me")
    'cases/seed.yaml'
    >>> shown_path("/srv/x/seed.yaml", cwd="/home/me")
    'seed.yaml'
    """
    if path is None or str(path) == "":
        return None
    p = Path(path)
    if not p.is_absolute():
        return str(path)
    base = Path(cwd) if cwd is not None else Path.cwd()
    try:
        return p.relative_to(base).as_posix()
    except ValueError:
        pass
    try:
        return p.resolve().relative_to(base.resolve()).as_posix()
    except (ValueError, OSError):
        return p.name


def with_scenario_file(folder: str | Path, scenario_file: str) -> Path:
    """Rewrite ``folder``'s ``summary.json`` with ``scenario.file`` = :func:`shown_path` of
    ``scenario_file`` (the batch runner knows the file as given on its command line; the
    notebook, run in another folder, only its absolute path); written atomically. Nothing else
    changes: a document without a ``scenario`` object is left as it is (the batch runner checks
    only the schema version of what a notebook wrote, :func:`read_summary`)."""
    doc = read_summary(folder)
    path = Path(folder) / SUMMARY_FILE
    scenario = doc.get("scenario")
    if isinstance(scenario, dict):
        scenario["file"] = shown_path(scenario_file)
        data = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        write_bytes_atomic(path, data.encode("utf-8"))
    return path


def build_summary(
    evaluation: Evaluation,
    simulation: SimulationLike | None,
    scenario_file: str | None,
    samples: int | None = None,
    seed: int | None = None,
) -> dict[str, Any]:
    """The headline figures of ``evaluation`` (and ``simulation``, if any) as a summary document.

    ``samples`` defaults to the simulation's size and ``seed`` to its seed; both are null
    without a simulation unless given.
    """
    from roi.analysis.decision import decision_aid, readiness
    from roi.present.read import finite_or_none, percentiles, samples_of, sim_option

    s = evaluation.scenario
    aid = decision_aid(evaluation)
    options = []
    n_samples = samples
    for key, o in evaluation.options.items():
        sim = sim_option(simulation, key)
        entry: dict[str, Any] = {
            "key": o.key,
            "label": o.label,
            "kind": o.kind,
            "kpis": {k: finite_or_none(o.kpis[k]) for k in KPIS},
        }
        for kpi in ("npv", "roi"):
            p = percentiles(sim, kpi) if sim is not None else (None, None, None)
            for name, v in zip(("p10", "p50", "p90"), p, strict=True):
                entry[f"{kpi}_{name}"] = finite_or_none(v)
        entry["prob_npv_negative"] = (
            finite_or_none(sim.prob_npv_negative) if sim is not None else None
        )
        if sim is not None and n_samples is None:
            n_samples = samples_of(sim)
        options.append(entry)
    if seed is None and simulation is not None:
        seed = getattr(simulation, "seed", None)
    return {
        "schema_version": SUMMARY_SCHEMA_VERSION,
        "scenario": {
            "name": s.name,
            "description": s.description,
            "currency": s.currency,
            "file": shown_path(scenario_file),
            "north_star_kpi": s.kpis.north_star_kpi,
        },
        "best_option": aid.best_option,
        "recommendation": aid.recommendation,
        "options": options,
        "readiness_gaps": [b.text for b in readiness(s) if not b.checked],
        "samples": n_samples,
        "seed": seed,
    }


_SUMMARY_KEYS = {
    "schema_version",
    "scenario",
    "best_option",
    "recommendation",
    "options",
    "readiness_gaps",
    "samples",
    "seed",
}
_SCENARIO_KEYS = {"name", "description", "currency", "file", "north_star_kpi"}
_OPTION_KEYS = {
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
_KPI_KEYS = set(KPIS)


def _is_number(v: Any) -> bool:
    return v is None or (
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
    )


def validate_summary(doc: Any) -> None:
    """Raise ``ValueError`` naming the first place where ``doc`` breaks the summary contract."""

    def keys(where: str, obj: Any, expected: set[str]) -> None:
        if not isinstance(obj, dict):
            raise ValueError(f"{where}: expected an object")
        missing, extra = expected - obj.keys(), obj.keys() - expected
        if missing or extra:
            raise ValueError(f"{where}: missing {sorted(missing)}, unexpected {sorted(extra)}")

    keys("summary", doc, _SUMMARY_KEYS)
    if doc["schema_version"] != SUMMARY_SCHEMA_VERSION:
        raise ValueError(f"summary.schema_version: expected {SUMMARY_SCHEMA_VERSION}")
    keys("summary.scenario", doc["scenario"], _SCENARIO_KEYS)
    for k in ("name", "description", "currency", "north_star_kpi"):
        if not isinstance(doc["scenario"][k], str):
            raise ValueError(f"summary.scenario.{k}: expected a string")
    if not isinstance(doc["options"], list) or not doc["options"]:
        raise ValueError("summary.options: expected a non-empty list")
    option_keys = []
    for i, o in enumerate(doc["options"]):
        keys(f"summary.options[{i}]", o, _OPTION_KEYS)
        keys(f"summary.options[{i}].kpis", o["kpis"], _KPI_KEYS)
        if o["kind"] not in ("baseline", "self_run", "managed"):
            raise ValueError(f"summary.options[{i}].kind: {o['kind']!r} is not a known kind")
        for k, v in [
            *o["kpis"].items(),
            *((k, o[k]) for k in _OPTION_KEYS - {"key", "label", "kind", "kpis"}),
        ]:
            if not _is_number(v):
                raise ValueError(f"summary.options[{i}].{k}: expected a finite number or null")
        option_keys.append(o["key"])
    if doc["best_option"] not in option_keys:
        raise ValueError(f"summary.best_option: {doc['best_option']!r} is not an option")
    if not isinstance(doc["recommendation"], str):
        raise ValueError("summary.recommendation: expected a string")
    gaps = doc["readiness_gaps"]
    if not isinstance(gaps, list) or not all(isinstance(g, str) for g in gaps):
        raise ValueError("summary.readiness_gaps: expected a list of strings")
    for k in ("samples", "seed"):
        v = doc[k]
        if v is not None and (not isinstance(v, int) or isinstance(v, bool)):
            raise ValueError(f"summary.{k}: expected an integer or null")


def write_summary(output_dir: str | Path, doc: Mapping[str, Any]) -> Path | None:
    """Validate ``doc`` and write it as ``<output_dir>/summary.json`` atomically; an empty
    ``output_dir`` writes nothing."""
    if not str(output_dir):
        return None
    validate_summary(doc)
    data = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    path = Path(output_dir) / SUMMARY_FILE
    write_bytes_atomic(path, data.encode("utf-8"))
    return path


def read_summary(folder: str | Path) -> dict[str, Any]:
    """The summary document of a report folder, checked for its schema version only (a reader
    shows what it can of a partial document).

    Raises
    ------
    SummaryMissing
        ``folder`` holds no ``summary.json``.
    SummaryError
        It is not JSON, not an object, or of another schema version.
    """
    path = Path(folder) / SUMMARY_FILE
    if not path.is_file():
        raise SummaryMissing(f"no {SUMMARY_FILE} in {folder}")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SummaryError(f"{SUMMARY_FILE} unreadable: {exc}") from None
    if not isinstance(doc, dict) or doc.get("schema_version") != SUMMARY_SCHEMA_VERSION:
        raise SummaryError(f"{SUMMARY_FILE} is not schema_version {SUMMARY_SCHEMA_VERSION}")
    return doc
