"""roi.inputs.schema: quantities with units and bounds, and the JSON Schema of scenario files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import SEED, SHIPPED_SCENARIOS, RunCli
from pydantic import ValidationError

from roi.inputs.scenario import read_yaml, resolve
from roi.inputs.schema import Bounds, Quantity, Scenario, Spec, Timeline, assumptions


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    from conftest import run_cli

    code, out, err = run_cli("schema")
    assert code == 0, err
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_quantity_bare_number_and_mapping() -> None:
    assert Quantity.model_validate(4.3).value == 4.3
    q = Quantity.model_validate({"value": 47, "unit": "min", "source": "x"})
    assert (q.value, q.unit, q.source) == (47, "min", "x")


@pytest.mark.parametrize("bad", [True, "4 h", [1, 2], float("inf")])
def test_quantity_refuses_non_numbers(bad: object) -> None:
    with pytest.raises(ValidationError):
        Quantity.model_validate(bad)


def test_spec_converts_and_records_what_was_given() -> None:
    q = Spec("h").normalize(Quantity(value=47, unit="min"), "USD")
    assert q.value == pytest.approx(47 / 60)
    assert q.unit == "h"
    assert q.given == "47 min"
    # the canonical unit is not recorded as "given"
    assert Spec("h").normalize(Quantity(value=2, unit="h"), "USD").given is None


@pytest.mark.parametrize(
    ("bounds", "ok", "bad"),
    [
        ("fraction", [0.0, 0.5, 1.0], [-0.01, 1.01]),
        ("nonneg", [0.0, 1e9], [-1e-9]),
        ("positive", [1e-9], [0.0, -1.0]),
        ("growth", [-0.99, 0.0, 5.0], [-1.0, -2.0]),
    ],
)
def test_spec_bounds(bounds: Bounds, ok: list[float], bad: list[float]) -> None:
    spec = Spec("x", bounds)
    for v in ok:
        spec.check(v)
    for v in bad:
        with pytest.raises(Exception, match="out of range"):
            spec.check(v)


def test_assumptions_walks_nested_sections() -> None:
    paths = [p for p, _ in assumptions(Timeline())]
    assert paths[:2] == ["horizon_months", "rollout_months"]
    assert all(isinstance(q, Quantity) for _, q in assumptions(Timeline()))


def test_json_schema_is_valid_draft_2020_12(validator: jsonschema.Draft202012Validator) -> None:
    assert validator.schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert validator.schema["additionalProperties"] is False


@pytest.mark.parametrize("path", SHIPPED_SCENARIOS, ids=lambda p: p.name)
def test_shipped_scenarios_validate_against_json_schema(
    validator: jsonschema.Draft202012Validator, path: Path
) -> None:
    # The schema describes a complete scenario: a file that `extends:` another is checked once
    # its chain is merged; a self-contained file is checked as written.
    data = resolve(path)
    assert list(validator.iter_errors(data)) == []
    raw = read_yaml(path)
    if "extends" not in raw:
        assert list(validator.iter_errors(raw)) == []


def test_json_schema_accepts_the_bare_number_form(
    validator: jsonschema.Draft202012Validator,
) -> None:
    # An assumption may be a bare number in its canonical unit as well as {value, unit, source}.
    data = read_yaml(SEED)
    data["business"]["revenue_per_hour"] = 15000
    data["rollout"]["contingency_fraction"] = 0.4
    assert list(validator.iter_errors(data)) == []
    Scenario.model_validate(data, context={"currency": "USD"})


def test_json_schema_rejects_what_the_loader_rejects(
    validator: jsonschema.Draft202012Validator,
) -> None:
    data = read_yaml(SEED)
    data["business"]["revenue_per_hr"] = 1
    assert any("revenue_per_hr" in e.message for e in validator.iter_errors(data))
    data = read_yaml(SEED)
    data["business"]["revenue_per_hour"] = "lots"
    assert list(validator.iter_errors(data))
    data = read_yaml(SEED)
    data["managed"]["vendors"] = ["datadoge"]
    assert list(validator.iter_errors(data))


def test_json_schema_documents_units_and_bounds(run_cli: RunCli) -> None:
    schema = json.loads(run_cli("schema")[1])
    margin = schema["$defs"]["Business"]["properties"]["margin"]
    assert margin["x-unit"] == "fraction"
    assert margin["x-bounds"] == "a fraction in [0, 1]"
    assert "%" in margin["x-allowed-units"]
