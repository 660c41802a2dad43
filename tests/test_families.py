"""roi.model.families: each family's lines by hand."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SEED, scenario_from

from roi.inputs.scenario import load_scenario
from roi.model import families
from roi.model.numbers import Numbers, point_table
from roi.model.timeline import months
from roi.model.volumes import Volumes


def _setup(path=SEED, **edits):  # type: ignore[no-untyped-def]
    s = scenario_from(path, edits) if edits else load_scenario(path)
    n = Numbers(point_table(s), {})
    return s, n, Volumes(n, months(int(s.timeline.horizon_months.value)))


def test_incidents_one_revenue_and_one_responder_line_per_severity() -> None:
    s, n, v = _setup()
    fam = families.incidents(s, n, v)
    keys = [b.line.key for b in fam.benefits]
    assert len(keys) == 2 * len(s.incidents.severities)
    # Seed sev1: 4.3 h -> 47 min saves 3.517 h per incident (article figures)
    assert float(fam.figures["mttr_hours_saved_per_incident.sev1"]) == pytest.approx(4.3 - 47 / 60)
    responders = [b for b in fam.benefits if "responders" in b.line.key]
    assert all(b.growth is None for b in responders)


def test_latency_family_is_empty_without_a_latency_section() -> None:
    s, n, v = _setup(latency=None)
    fam = families.latency(s, n, v)
    assert fam.benefits == []
    assert "instrumentation_overhead_ms" in fam.figures
    # Seed: 200 spans x 0.2 ms = 40 ms of overhead
    s, n, v = _setup()
    assert float(families.latency(s, n, v).figures["instrumentation_overhead_ms"]) == 40.0


def test_rollout_instrumentation_follows_the_ramp() -> None:
    s, n, v = _setup()
    instr, review = families.rollout(s, n, v, lambda: v.ramp)
    assert instr.one_off
    assert not review.one_off
    assert float(instr.series().sum()) == pytest.approx(float(instr.driver * instr.unit_value))
    assert review.series()[0] == 0.0  # the Initial column has no weekly review


def test_self_run_and_vendor_bill_and_lock_in() -> None:
    s, n, v = _setup()
    assert next(li.key for li in families.self_run(s, n, v)) == "cost.selfrun_setup"
    bill = families.vendor_bill(s, n, v, "datadog")
    assert [li.key for li in bill] == [
        "cost.vendor.hosts",
        "cost.vendor.ingested_gb",
        "cost.vendor.indexed_spans_million",
        "cost.vendor.custom_metrics",
    ]
    assert float(bill[0].unit_value) == 31.0
    assert families.volume_reads(s, n) == [
        "hosts",
        "ingested_gb",
        "hosts",
        "indexed_spans_million",
        "hosts",
        "custom_metrics",
    ]
    lock = families.lock_in(s, n, v)
    assert lock.lines == []
    s, n, v = _setup(**{"lock_in.migration_month": 12})
    (migration,) = families.lock_in(s, n, v).lines
    series = migration.series()
    assert np.count_nonzero(series) == 1
    assert series[12] > 0
