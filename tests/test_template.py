"""roi.inputs.template: the commented scenario template that ``roi init`` writes from the schema."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import yaml
from pydantic import BaseModel

from roi.inputs.references import REFERENCES
from roi.inputs.scenario import load_scenario
from roi.inputs.schema import Quantity, Scenario
from roi.inputs.template import scenario_template


def schema_models() -> list[type[BaseModel]]:
    """Every model reachable from Scenario (Quantity aside: it is the form of a value)."""
    seen: list[type[BaseModel]] = []

    def visit(tp: object) -> None:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp is Quantity or tp in seen:
                return
            seen.append(tp)
            for field in tp.model_fields.values():
                visit(field.annotation)
            return
        for arg in typing.get_args(tp):
            visit(arg)

    visit(Scenario)
    return seen


def test_walk_finds_the_nested_models() -> None:
    names = {m.__name__ for m in schema_models()}
    assert {"Scenario", "Severity", "PriceOverride", "Latency", "Readiness"} <= names


def test_template_holds_every_schema_field() -> None:
    text = scenario_template()
    missing = [
        f"{model.__name__}.{name}"
        for model in schema_models()
        for name in model.model_fields
        if not re.search(rf"^\s*(#\s*)?{re.escape(name)}:", text, flags=re.MULTILINE)
    ]
    assert missing == []


def test_template_is_a_valid_scenario(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(scenario_template())
    s = load_scenario(path)
    assert s.currency == "USD"
    assert s.timeline.horizon_months.value == 36


def test_template_quantities_carry_unit_and_source() -> None:
    data = yaml.safe_load(scenario_template())

    def quantities(node: object, path: str = "") -> list[tuple[str, dict]]:
        out: list[tuple[str, dict]] = []
        if isinstance(node, dict):
            if "value" in node:
                return [(path, node)]
            for k, v in node.items():
                out += quantities(v, f"{path}.{k}" if path else str(k))
        return out

    found = quantities(data)
    assert len(found) > 40
    for path, q in found:
        assert q.get("unit"), path
        assert q.get("source"), path


def test_template_lists_the_references_and_marks_required_fields() -> None:
    text = scenario_template()
    for key in REFERENCES:
        assert f"#   {key}: " in text
    # REQUIRED fields say so and carry an illustrative value to replace
    assert "# REQUIRED. Revenue flowing through the systems" in text
    assert 'source: "replace: where this number comes from"' in text
