"""``incidents_from:``, ``traces_from:`` and ``latency_from:`` in a scenario: pull an export (or
a fragment written by ``roi ingest ... --out``) into the scenario, its values replacing those
written by hand, each with its source naming the file.

A path is relative to the scenario file that names it and must stay inside that file's folder
tree (the rule of ``extends:``). The reference is either a path or a mapping with ``file`` and
the reader's options (``source``, ``tz`` for incidents; ``unit``, ``label``, ``endpoint`` for
latency).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from roi.inputs.errors import ScenarioError, UserError

EXPORT_KEYS = {
    "incidents_from": "incidents",
    "traces_from": "instrumentation",
    "latency_from": "latency",
}
"""Scenario key -> the section its fragment fills."""

OPTIONS = {
    "incidents_from": ("file", "source", "tz"),
    "traces_from": ("file",),
    "latency_from": ("file", "unit", "label", "endpoint"),
}

FRAGMENT_SUFFIXES = (".yaml", ".yml")


def anchor_exports(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """``data`` (one scenario file's mapping) with each ``*_from`` path made absolute against
    ``path``'s folder; a path leaving that folder tree, or a missing file, is a ScenarioError."""
    out = dict(data)
    for key in EXPORT_KEYS:
        if key not in out or out[key] is None:
            continue
        ref = out[key]
        ref = {"file": ref} if isinstance(ref, str) else ref
        if not isinstance(ref, dict) or not isinstance(ref.get("file"), str):
            raise ScenarioError(
                str(path), [f"{key}: must be a path to an export, or a mapping with file: PATH"]
            )
        unknown = sorted(set(ref) - set(OPTIONS[key]))
        if unknown:
            raise ScenarioError(
                str(path),
                [f"{key}.{unknown[0]}: unknown option; allowed: {', '.join(OPTIONS[key])}"],
            )
        out[key] = {**ref, "file": str(anchored(path, key, ref["file"]))}
    return out


def anchored(path: Path, key: str, given: str) -> Path:
    """The file ``given`` in scenario file ``path`` (field ``key``) names: resolved against
    ``path``'s folder, symbolic links followed; a ScenarioError when it leaves that folder tree
    or is not a file."""
    folder = path.resolve().parent
    target = (folder / given).resolve()
    if not target.is_relative_to(folder):
        raise ScenarioError(
            str(path),
            [
                f"{key}: {given} is outside the scenario's folder {folder}; allowed: a path "
                "inside it"
            ],
        )
    if not target.is_file():
        raise ScenarioError(str(path), [f"{key}: file not found: {target}"])
    return target


def fragment_of(
    key: str, ref: dict[str, Any], read_yaml: Callable[[Path], dict[str, Any]]
) -> dict[str, Any]:
    """The fragment an export reference stands for: a YAML fragment as written, or the export
    read by its ingest module."""
    file = Path(ref["file"])
    section = EXPORT_KEYS[key]
    if file.suffix.lower() in FRAGMENT_SUFFIXES:
        fragment = read_yaml(file)
        extra = sorted(set(fragment) - {section})
        if extra or section not in fragment:
            raise UserError(
                f"{file}: a {key} fragment holds only {section}: (found: "
                f"{', '.join(map(str, fragment)) or 'nothing'}); write it with roi ingest "
                f"{key.removesuffix('_from')} --out"
            )
        return fragment
    if key == "incidents_from":
        from roi.inputs.ingest.incidents import incident_fragment, read_incidents

        history = read_incidents(file, source=ref.get("source", "auto"), tz=ref.get("tz"))
        return incident_fragment(history)
    if key == "traces_from":
        from roi.inputs.ingest.traces import read_traces, trace_fragment, trace_summary

        return trace_fragment(trace_summary(read_traces([file]), [str(file)]))
    from roi.inputs.ingest.latency import latency_fragment, read_latency

    summary = read_latency(file, unit=ref.get("unit"), label=ref.get("label"))
    return latency_fragment(summary, ref.get("endpoint"))


def apply_exports(
    data: dict[str, Any], label: str, read_yaml: Callable[[Path], dict[str, Any]]
) -> dict[str, Any]:
    """``data`` (a merged scenario mapping, paths anchored) with its exports' values laid over
    the sections they fill. Incident classes must already exist in ``incidents.severities``
    (they carry the impact and MTTR reduction only the scenario knows)."""
    out = dict(data)
    for key, section in EXPORT_KEYS.items():
        ref = out.get(key)
        if not isinstance(ref, dict):
            continue
        try:
            fragment = fragment_of(key, ref, read_yaml)
        except UserError as exc:
            raise ScenarioError(label, [f"{key}: {exc}"]) from None
        values = fragment[section]
        current = out.get(section)
        current = dict(current) if isinstance(current, dict) else {}
        if section == "incidents":
            severities = dict(current.get("severities") or {})
            for cls, fields in (values.get("severities") or {}).items():
                if cls not in severities:
                    have = ", ".join(severities) or "none"
                    raise ScenarioError(
                        label,
                        [
                            f"{key}: {Path(ref['file']).name} has severity class {cls}, which "
                            f"incidents.severities does not define (it has: {have}); add {cls} "
                            "with revenue_impact_fraction and mttr_reduction_fraction"
                        ],
                    )
                severities[cls] = {**severities[cls], **fields}
            current["severities"] = severities
        else:
            current.update(values)
        out[section] = current
    return out
