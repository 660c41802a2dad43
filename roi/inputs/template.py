"""``roi init``: a commented scenario template written from the schema itself, so every field
appears with its unit, default and source, and the template validates as it is.

>>> text = scenario_template()
>>> "horizon_months: {value: 36, unit: months, source: \\"ref:forrester-tei\\"}" in text
True
"""

from __future__ import annotations

import json
import typing
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from roi.inputs.provenance import PLACEHOLDER_SOURCE, PLACEHOLDER_TEXT
from roi.inputs.references import REFERENCES
from roi.inputs.schema import (
    SCHEMA_VERSION,
    ExportRef,
    PriceOverride,
    Quantity,
    Scenario,
    Severity,
    Spec,
    choices,
)
from roi.inputs.units import allowed_units

_HEADER = f"""\
# roi scenario file (schema_version {SCHEMA_VERSION}), written by `roi init` from the schema.
#
# Every assumption is {{value, unit, source}}:
#   - unit may be any spelling of the same dimension (47 min for an hours field, 40 % for a
#     fraction); the allowed spellings are listed beside each field;
#   - source is free text ("our PagerDuty export, 2025") or ref:<key> for a public source listed at
#     the end of this file. The report prints every source.
# Any number may instead be a RANGE, read as a 90 % interval (5th to 95th percentile), as
#   mttr_reduction_fraction below: {{low: 0.2, high: 0.6, unit: fraction, source: ...}}
# lognormal for positive skewed fields (money, hours, counts, sizes), normal for fractions and
# rates (JSON Schema: x-range-distribution). Add value: to set the median when it is not the middle
# of the range, or name a distribution: {{dist: pert, low: 2, mode: 3, high: 6}} (or triangular),
# {{dist: uniform, low: 2, high: 6}}, {{dist: normal, mean: 0.1, sd: 0.02}}. Every command uses the
# median as the point estimate; roi simulate and roi sensitivity use the whole range.
# Fields marked REQUIRED hold an ILLUSTRATIVE value: replace it with yours.
# Other fields show their default and its source; delete them to keep the default.
# A scenario may start with `extends: other.yaml` and override only a few fields.
# Check the file with: roi validate FILE; see the numbers with: roi breakdown FILE
"""

_EXAMPLES: dict[str, Any] = {
    "name": f"My company: distributed tracing business case {PLACEHOLDER_TEXT}",
    "description": f"Where the numbers come from: incident export, APM, finance {PLACEHOLDER_TEXT}",
    "currency": "USD",
    "north_star_kpi": f"Cut Sev-1 MTTR below 1 hour {PLACEHOLDER_TEXT}",
}


def _spec(field: FieldInfo) -> Spec | None:
    for meta in field.metadata:
        if isinstance(meta, Spec):
            return meta
    ann = field.annotation
    for arg in typing.get_args(ann):
        for meta in getattr(arg, "__metadata__", ()):
            if isinstance(meta, Spec):
                return meta
    return None


def _model_of(field: FieldInfo) -> type[BaseModel] | None:
    candidates = [field.annotation, *typing.get_args(field.annotation)]
    for tp in candidates:
        if isinstance(tp, type) and issubclass(tp, BaseModel) and tp is not Quantity:
            return tp
    return None


def _as_float(value: Any) -> float:
    return float(value)


def _comment(text: str, indent: str) -> list[str]:
    return [f"{indent}# {text}"]


def _yaml_number(value: float) -> str:
    """A number YAML reads back as a number (PyYAML reads ``2e+07`` as a string).

    >>> _yaml_number(2e7), _yaml_number(0.023), _yaml_number(36.0)
    ('20000000', '0.023', '36')
    """
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _quantity_line(name: str, value: float, unit: str, source: str, indent: str) -> str:
    number = _yaml_number(value)
    return f"{indent}{name}: {{value: {number}, unit: {unit}, source: {json.dumps(source)}}}"


def _fields(model: type[BaseModel], indent: str) -> list[str]:
    out: list[str] = []
    for name, field in model.model_fields.items():
        if name in ("schema_version",):
            continue
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        spec = _spec(field)
        desc = field.description or ""
        if spec is not None:
            units = ", ".join(allowed_units(spec.unit, "USD"))
            unit = spec.unit.replace("{cur}", "USD")
            if field.is_required():
                out += _comment(f"REQUIRED. {desc} [{units}]", indent)
                out.append(
                    _quantity_line(
                        name,
                        _as_float(extra["x-example"]),
                        unit,
                        PLACEHOLDER_SOURCE,
                        indent,
                    )
                )
            elif field.default_factory is not None:
                q = field.default_factory()  # type: ignore[call-arg]
                out += _comment(f"{desc} [{units}]", indent)
                out.append(_quantity_line(name, q.value, unit, q.source or "", indent))
            elif "x-example" in extra:
                out += _comment(f"Optional. {desc} [{units}]", indent)
                source = PLACEHOLDER_SOURCE
                example_range = extra.get("x-example-range")
                if isinstance(example_range, list):
                    low, high = example_range
                    out.append(
                        f"{indent}{name}: {{low: {_yaml_number(_as_float(low))}, "
                        f"high: {_yaml_number(_as_float(high))}, "
                        f"unit: {unit}, source: {json.dumps(source)}}}"
                    )
                    continue
                out.append(
                    _quantity_line(name, _as_float(extra["x-example"]), unit, source, indent)
                )
            else:
                out += _comment(f"Optional. {desc} [{units}]", indent)
                out.append(f"{indent}# {name}: {{value: ..., unit: {unit}, source: ...}}")
            continue
        if name.endswith("_from"):  # incidents_from, traces_from, latency_from: export references
            out += ["", *_comment(f"Optional. {desc}; a path relative to this file", indent)]
            ext = "csv" if name == "incidents_from" else "json"
            out.append(f"{indent}# {name}: exports/{name.removesuffix('_from')}.{ext}")
            if name == "incidents_from":
                out.append(f"{indent}# or with the reader's options (ExportRef):")
                out.append(f"{indent}# {name}:")
                for key, option in ExportRef.model_fields.items():
                    out.append(f"{indent}#   {key}: ...  # {option.description}")
            continue
        sub = _model_of(field)
        if name == "prices":
            out += _scalar(name, field, desc, indent)
            out += _comment("For example (a component left out keeps the list price):", indent)
            out += [f"{indent}# prices:", f"{indent}#   datadog:", f"{indent}#     hosts:"]
            for key, override in PriceOverride.model_fields.items():
                o_spec = _spec(override)
                o_unit = o_spec.unit.replace("{cur}", "USD") if o_spec else ""
                out.append(f"{indent}#       {key}: {{value: ..., unit: {o_unit}, source: ...}}")
            continue
        if name == "severities":
            out += _comment(
                f"{desc}. One entry per class, any name (sev1, p1, critical...)", indent
            )
            out.append(f"{indent}{name}:")
            out.append(f"{indent}  sev1:")
            out += _fields(Severity, indent + "    ")
            continue
        if sub is not None:
            out.append("")
            out += _comment(f"{(sub.__doc__ or '').strip().splitlines()[0]}", indent)
            out.append(f"{indent}{name}:")
            out += _fields(sub, indent + "  ")
            continue
        out += _scalar(name, field, desc, indent)
    return out


def _scalar(name: str, field: FieldInfo, desc: str, indent: str) -> list[str]:
    names = choices(field.annotation)
    note = f"{desc}" + (f" (one of: {', '.join(names)})" if names else "")
    if name in _EXAMPLES:
        return [
            *_comment(f"REQUIRED. {note}", indent),
            f"{indent}{name}: {json.dumps(_EXAMPLES[name])}",
        ]
    has_factory = field.default_factory is not None
    default = field.default_factory() if has_factory else field.default  # type: ignore[call-arg,misc]
    if name == "vendors":
        names = sorted(choices(typing.get_args(field.annotation)[0]))
        note = f"{desc} (any of: {', '.join(names)})"
    return [*_comment(note, indent), f"{indent}{name}: {json.dumps(default)}"]


def scenario_template() -> str:
    """The commented template of a scenario file, valid as it is."""
    lines = [_HEADER.rstrip(), f"schema_version: {SCHEMA_VERSION}"]
    lines += _fields(Scenario, "")
    lines += ["", "# Public sources you can cite as ref:<key>:"]
    lines += [f"#   {key}: {ref.citation} ({ref.date})" for key, ref in REFERENCES.items()]
    return "\n".join(lines) + "\n"
