"""roi.model.volumes: the volumes every bill uses, the billing-driver registry, and when
intermediates are forgotten."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import SEED, scenario_from

from roi.inputs import presets
from roi.inputs.errors import ScenarioError
from roi.inputs.presets import DRIVER_UNITS, VENDORS, PriceComponent, Vendor
from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.model.numbers import Numbers, point_table
from roi.model.timeline import months
from roi.model.volumes import BILLING_VOLUMES, BillingVolume, Today, Volumes


def test_every_driver_has_a_unit_and_a_volume() -> None:
    assert set(BILLING_VOLUMES) == set(DRIVER_UNITS)


def test_today_is_the_monthly_volume_at_full_adoption_without_growth() -> None:
    n = Numbers(point_table(load_scenario(SEED)), {})
    v, today = Volumes(n, months(36)), Today(n)
    # The seed has no traffic growth and onboards within the first month.
    for driver in ("hosts", "ingested_gb", "indexed_spans_million", "traces_million"):
        assert v.volume(driver)[-1] == pytest.approx(today.volume(driver)[0]), driver
    assert today.volume("hosts")[0] == 40.0  # the seed's apm_hosts


def test_a_volume_is_held_until_its_last_expected_read() -> None:
    n = Numbers(point_table(load_scenario(SEED)), {})
    v = Volumes(n, months(36))
    v.expect(["ingested_gb", "hosts", "hosts"])
    first = v.volume("hosts")
    assert v.volume("hosts") is first  # held for its second read, then forgotten
    assert v.volume("hosts") is not first
    v.volume("ingested_gb")
    assert "managed_spans" not in vars(v)  # nothing still to come needs spans


def _host_preset(key: str) -> Vendor:
    return Vendor(
        key,
        "Acme APM",
        "2026-01-01",
        "ref:roi-assumption",
        (PriceComponent("hosts", 20.0), PriceComponent("ingested_gb", 0.2, included_per_host=10)),
        retention_days=15,
    )


def test_a_per_host_preset_under_any_name_requires_and_bills_hosts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(VENDORS, "acme", _host_preset("acme"))
    with pytest.raises(ScenarioError, match=r"managed\.apm_hosts is required: acme"):
        scenario_from(SEED, {"managed.vendors": ["acme"], "managed.apm_hosts": None})
    s = scenario_from(SEED, {"managed.vendors": ["acme"], "managed.apm_hosts": 40})
    ev = evaluate(s)
    lines = {li.key: li for li in ev.options["acme"].lines}
    assert float(lines["cost.vendor.hosts"].run_rate) == 40 * 20.0
    # GB ingested = requests x spans/request x sampling x bytes/span / 1e9, less 40 hosts x 10 GB
    i = {k: float(q.point) for k, q in ev.inputs.items() if k.startswith("instrumentation.")}
    gb = (
        i["instrumentation.requests_per_month"]
        * i["instrumentation.spans_per_request"]
        * i["instrumentation.sampling_rate"]
        * i["instrumentation.bytes_per_span"]
        / 1e9
    )
    assert float(lines["cost.vendor.ingested_gb"].driver) == pytest.approx(gb - 400)


def test_an_allowance_per_host_set_in_prices_requires_hosts() -> None:
    with pytest.raises(ScenarioError, match="apm_hosts is required: grafana-cloud"):
        scenario_from(
            SEED,
            {
                "managed.vendors": ["grafana-cloud"],
                "managed.apm_hosts": None,
                "managed.prices": {"grafana-cloud": {"ingested_gb": {"included_per_host": 5}}},
            },
        )
    # Without a per-host component no host count is needed.
    s = scenario_from(SEED, {"managed.vendors": ["grafana-cloud"], "managed.apm_hosts": None})
    assert "grafana-cloud" in evaluate(s).options


def test_a_new_driver_and_a_new_preset_are_two_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    # Edit 1 (roi.inputs.presets): the driver's unit. Edit 2 (roi.model.volumes): its volume.
    monkeypatch.setitem(DRIVER_UNITS, "dashboards", "dashboards")
    monkeypatch.setitem(
        BILLING_VOLUMES,
        "dashboards",
        BillingVolume(
            ("services_growth",),
            lambda b: 3.0 * b.n["rollout.services_to_instrument"] * b.services_growth * b.op,
        ),
    )
    # And the preset that bills on it: one entry in VENDORS.
    monkeypatch.setitem(
        presets.VENDORS,
        "dashco",
        Vendor(
            "dashco",
            "DashCo",
            "2026-01-01",
            "ref:roi-assumption",
            (PriceComponent("dashboards", 2.0, free_units=10.0),),
            retention_days=30,
        ),
    )
    s = scenario_from(SEED, {"managed.vendors": ["dashco", "datadog"]})
    ev = evaluate(s)
    services = float(s.rollout.services_to_instrument.value)
    (bill,) = [li for li in ev.options["dashco"].lines if li.key == "cost.vendor.dashboards"]
    assert float(bill.driver) == pytest.approx(3 * services - 10)
    assert float(bill.run_rate) == pytest.approx((3 * services - 10) * 2.0)
    assert bill.label == "DashCo: dashboards"
    assert (
        ev.inputs["managed.prices.dashco.dashboards.price_per_unit"].unit == "USD/dashboards/month"
    )
    assert np.all(bill.series[1:] > 0)
    assert bill.series[0] == 0.0
    # A price override of the new driver validates and is billed.
    s2 = scenario_from(
        SEED,
        {
            "managed.vendors": ["dashco"],
            "managed.prices": {"dashco": {"dashboards": {"price_per_unit": 4}}},
        },
    )
    (bill2,) = [li for li in evaluate(s2).options["dashco"].lines if li.key.endswith("dashboards")]
    assert float(bill2.run_rate) == pytest.approx(2 * float(bill.run_rate))


def test_an_unknown_vendor_lists_the_presets() -> None:
    with pytest.raises(ScenarioError, match=r"'datadog'.*'new-relic'"):
        scenario_from(SEED, {"managed.vendors": ["acme"]})


def test_release_all_keeps_numbers() -> None:
    s = load_scenario(SEED)
    hosts = np.full(20_000, 40.0)
    big = evaluate(s, {"managed.apm_hosts": hosts})
    small = evaluate(s)
    for b, p in zip(big.options["datadog"].lines, small.options["datadog"].lines, strict=True):
        np.testing.assert_array_equal(b.series[7], p.series)
    assert dataclasses.is_dataclass(big)
