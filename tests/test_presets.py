"""roi.inputs.presets: elasticities, per-span SDK costs and vendor price lists, each with its
source."""

from __future__ import annotations

import math
import typing

import pytest

from roi.inputs.presets import (
    DRIVER_UNITS,
    ELASTICITY,
    SPAN_OVERHEAD,
    VENDORS,
    ElasticityName,
    PriceComponent,
    SpanOverheadName,
)
from roi.inputs.references import REFERENCES
from roi.inputs.schema import DriverName, VendorName, choices


def _source_key(source: str) -> str:
    assert source.startswith("ref:"), source
    return source[4:]


def test_seed_elasticity_is_4_7_percent_over_2310_ms() -> None:
    # 4.7 % / (3200 - 890) ms x 100 ms = 0.2035 % per 100 ms
    e = ELASTICITY["seed-article"]
    assert e.conversion_lift_per_100ms == pytest.approx(0.047 / 23.1)
    assert e.conversion_lift_per_100ms == pytest.approx(0.0020346, abs=1e-7)


def test_elasticities_span_thirty_fold_as_documented() -> None:
    values = [e.conversion_lift_per_100ms for e in ELASTICITY.values()]
    assert max(values) / min(values) > 30  # 8.4 % against 0.2 %
    for e in ELASTICITY.values():
        assert 0 < e.low <= e.conversion_lift_per_100ms <= e.high, e.key
        assert _source_key(e.source) in REFERENCES


def test_seed_span_overhead_is_40_ms_for_200_spans() -> None:
    assert SPAN_OVERHEAD["seed-article"].overhead_ms_per_span * 200 == pytest.approx(40.0)
    # Published SDK costs are far lower: Go ~3.5 us, Python 38-50 us per span
    assert SPAN_OVERHEAD["otel-go"].overhead_ms_per_span == pytest.approx(0.0035)
    assert 0.038 <= SPAN_OVERHEAD["otel-python"].overhead_ms_per_span <= 0.050
    for o in SPAN_OVERHEAD.values():
        assert _source_key(o.source) in REFERENCES


def test_vendor_list_prices() -> None:
    dd = VENDORS["datadog"]
    assert dd.component("hosts").price_per_unit == 31.0
    assert VENDORS["datadog-on-demand"].component("hosts").price_per_unit == 48.0
    assert dd.component("ingested_gb").included_per_host == 150.0
    assert dd.component("indexed_spans_million").price_per_unit == 1.70
    assert VENDORS["aws-xray"].component("traces_million").price_per_unit == 5.0
    assert VENDORS["aws-xray"].component("traces_million").free_units == 0.1
    assert VENDORS["grafana-cloud"].component("platform").price_per_unit == 19.0
    assert VENDORS["grafana-cloud"].component("ingested_gb").free_units == 50.0
    assert VENDORS["new-relic"].component("ingested_gb").price_per_unit == 0.40
    with pytest.raises(KeyError, match="hosts"):
        VENDORS["aws-xray"].component("hosts")


def test_every_vendor_is_dated_sourced_and_priced_sensibly() -> None:
    for key, v in VENDORS.items():
        assert v.key == key
        assert v.price_date, key
        assert _source_key(v.source) in REFERENCES
        assert v.components, key
        drivers = [c.driver for c in v.components]
        assert len(drivers) == len(set(drivers)), key
        for c in v.components:
            assert c.price_per_unit > 0, (key, c.driver)
            assert c.free_units >= 0, (key, c.driver)
            assert c.included_per_host >= 0, (key, c.driver)


def test_names_match_the_tables() -> None:
    assert choices(VendorName) == list(VENDORS)
    assert choices(DriverName) == list(DRIVER_UNITS)
    assert set(typing.get_args(ElasticityName)) == set(ELASTICITY)
    assert set(typing.get_args(SpanOverheadName)) == set(SPAN_OVERHEAD)
    for v in VENDORS.values():
        assert {c.driver for c in v.components} <= set(DRIVER_UNITS), v.key


def test_per_host_comes_from_the_components_not_the_name() -> None:
    assert PriceComponent("hosts", 1.0).per_host()
    assert PriceComponent("ingested_gb", 1.0, included_per_host=1.0).per_host()
    assert not PriceComponent("ingested_gb", 1.0).per_host()
    assert PriceComponent("ingested_gb", 1.0).per_host(allowance_set=True)
    host_priced = {k for k, v in VENDORS.items() if v.per_host()}
    assert host_priced == {"datadog", "datadog-on-demand"}  # the two Datadog price lists
    assert VENDORS["grafana-cloud"].per_host(["ingested_gb"])


def test_every_elasticity_preset_is_used_at_the_median_of_its_range() -> None:
    for e in ELASTICITY.values():
        assert e.low <= e.conversion_lift_per_100ms <= e.high, e.key
        if e.low < e.high:
            # Central on the log scale the lognormal range is drawn on, and never at an end.
            assert math.log(e.conversion_lift_per_100ms / e.low) == pytest.approx(
                math.log(e.high / e.conversion_lift_per_100ms)
            )
            assert e.low < e.conversion_lift_per_100ms < e.high
        else:
            assert e.conversion_lift_per_100ms == e.stated
