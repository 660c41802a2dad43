"""roi.inputs.parameters: the flat table of every number, presets resolved, sources kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED

from roi.inputs.parameters import parameters, vendor_prefix
from roi.inputs.presets import ELASTICITY, SPAN_OVERHEAD, VENDORS
from roi.inputs.scenario import load_scenario


@pytest.fixture(scope="module")
def seed_table() -> dict:
    return parameters(load_scenario(SEED))


def test_units_converted_and_original_kept(seed_table: dict) -> None:
    after = seed_table["incidents.severities.sev1.mttr_hours_after"]
    assert after.value == pytest.approx(47 / 60)
    assert after.unit == "h"
    assert after.given == "47 min"
    # 200,000 USD/person-year / (52 x 40 h) = 96.1538 USD/person-h
    rate = seed_table["business.loaded_hourly_rate"]
    assert rate.value == pytest.approx(200_000 / 2080)
    assert rate.unit == "USD/person-h"


def test_presets_resolved_with_their_source(seed_table: dict) -> None:
    lift = seed_table["latency.conversion_lift_per_100ms"]
    assert lift.value == pytest.approx(ELASTICITY["seed-article"].conversion_lift_per_100ms)
    assert lift.source == "ref:seed-article"
    assert "preset seed-article" in (lift.note or "")
    overhead = seed_table["instrumentation.overhead_ms_per_span"]
    assert overhead.value == pytest.approx(SPAN_OVERHEAD["seed-article"].overhead_ms_per_span)


def test_vendor_prices_as_parameters(seed_table: dict) -> None:
    for c in VENDORS["datadog"].components:
        q = seed_table[f"{vendor_prefix('datadog', c.driver)}.price_per_unit"]
        assert q.value == c.price_per_unit
        assert q.unit.startswith("USD/")
        assert "check current pricing" in (q.note or "")
    assert seed_table["managed.prices.datadog.ingested_gb.included_per_host"].value == 150.0
    # Allowances that are zero are not parameters
    assert "managed.prices.datadog.hosts.free_units" not in seed_table


def test_every_parameter_has_unit_and_source(seed_table: dict) -> None:
    for path, q in seed_table.items():
        assert q.unit, path
        assert q.source, path


def test_price_override_replaces_preset(tmp_path: Path) -> None:
    f = tmp_path / "quote.yaml"
    f.write_text(
        f"extends: {SEED}\n"
        "managed:\n"
        "  prices:\n"
        "    datadog:\n"
        "      hosts: {price_per_unit: {value: 25, unit: USD/unit-month, source: our quote}}\n"
    )
    table = parameters(load_scenario(f))
    q = table["managed.prices.datadog.hosts.price_per_unit"]
    assert q.value == 25.0
    assert q.source == "our quote"
    # untouched components keep the list price
    assert table["managed.prices.datadog.ingested_gb.price_per_unit"].value == 0.10


def test_explicit_lift_is_not_replaced_by_preset(tmp_path: Path) -> None:
    f = tmp_path / "lift.yaml"
    f.write_text(
        f"extends: {SEED}\n"
        "latency:\n"
        "  conversion_lift_per_100ms: {value: 0.5, unit: '%', source: our A/B test}\n"
    )
    q = parameters(load_scenario(f))["latency.conversion_lift_per_100ms"]
    assert q.value == pytest.approx(0.005)
    assert q.source == "our A/B test"
