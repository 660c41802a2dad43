"""roi.inputs.provenance: source confidence, default ranges centred on their points and as wide
as the source is weak, and the warnings of an unfinished scenario (``roi validate``)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from conftest import SHIPPED_SCENARIOS, STATED_RANGES_ONLY, RunCli, scenario_from

from roi.analysis.sampling import ranged_inputs
from roi.inputs.parameters import parameters
from roi.inputs.provenance import (
    DEFAULT_SPREAD,
    FIXED_FIELDS,
    PLACEHOLDER_SOURCE,
    confidence_of,
    default_range,
    scenario_warnings,
)
from roi.inputs.schema import Quantity, distribution_of
from roi.inputs.template import scenario_template


@pytest.mark.parametrize(
    ("source", "grade"),
    [
        ("ref:forrester-tei", "H"),
        ("ref:seed-article", "M"),
        ("ref:roi-assumption", "L"),
        ("ref:no-such-reference", "L"),
        ("fictional: gross margin after returns", "L"),
        ("Assumed by the platform team", "L"),
        (PLACEHOLDER_SOURCE, "L"),
        ("", "L"),
        (None, "L"),
        ("PagerDuty export, 1 Jan-31 Mar 2026", "M"),
    ],
)
def test_confidence_of_a_source(source: str | None, grade: str) -> None:
    assert confidence_of(source) == grade


@pytest.mark.parametrize("path", SHIPPED_SCENARIOS, ids=lambda p: p.stem)
def test_default_ranges_are_centred_on_the_stated_point(path: Path) -> None:
    scenario = scenario_from(path, {})
    stated = parameters(scenario)
    defaults = [i for i in ranged_inputs(scenario) if i.default]
    assert defaults, "every shipped scenario has point estimates of estimates"
    for i in defaults:
        assert stated[i.path].dist is None
        assert i.point == stated[i.path].value
        assert i.distribution.median == pytest.approx(i.point, rel=1e-12)
        low, high = i.distribution.interval90
        assert low <= i.point <= high
        assert i.path.rsplit(".", 1)[-1] not in FIXED_FIELDS


@pytest.mark.parametrize("path", SHIPPED_SCENARIOS, ids=lambda p: p.stem)
def test_without_default_uncertainty_only_stated_ranges_vary(path: Path) -> None:
    scenario = scenario_from(path, STATED_RANGES_ONLY)
    stated = {p for p, q in parameters(scenario).items() if q.dist is not None}
    assert {i.path for i in ranged_inputs(scenario)} <= stated
    assert not any(i.default for i in ranged_inputs(scenario))


def test_the_weaker_the_source_the_wider_the_default_range() -> None:
    path = "incidents.severities.sev1.mttr_hours_before"
    widths = {}
    for grade, source in (("H", "ref:forrester-tei"), ("M", "our export"), ("L", "fictional")):
        q = default_range(path, Quantity(value=4.0, unit="h", source=source))
        assert q is not None
        factor, _ = DEFAULT_SPREAD[grade]  # type: ignore[index]
        assert q.low == pytest.approx(4.0 / factor)
        assert q.high == pytest.approx(4.0 * factor)
        assert distribution_of(q).median == pytest.approx(4.0)
        widths[grade] = math.log(q.high / q.low)
    assert widths["H"] < widths["M"] < widths["L"]


def test_fractions_get_a_normal_range_centred_inside_their_bounds() -> None:
    path = "incidents.severities.sev1.mttr_reduction_fraction"
    q = default_range(path, Quantity(value=0.5, unit="fraction", source="fictional"))
    assert q is not None
    assert q.dist == "normal"
    assert (q.low, q.high) == pytest.approx((0.5 * 0.6, 0.5 * 1.4))
    near = default_range(path, Quantity(value=0.9, unit="fraction", source="fictional"))
    assert near is not None
    assert (near.low, near.high) == pytest.approx((0.8, 1.0))  # narrowed to the bound
    assert distribution_of(near).median == pytest.approx(0.9)
    on_bound = Quantity(value=1.0, unit="fraction", source="fictional")
    assert default_range(path, on_bound) is None


def test_choices_and_zeros_stay_points() -> None:
    for path in ("finance.discount_rate", "timeline.horizon_months", "finance.benefit_risk"):
        assert default_range(path, Quantity(value=0.1, unit="", source="fictional")) is None
    zero = Quantity(value=0.0, unit="fraction", source="fictional")
    assert default_range("incidents.incident_reduction_fraction", zero) is None
    ranged = Quantity(value=2.0, low=1.0, high=4.0, unit="h", source="x")
    assert default_range("incidents.severities.sev1.mttr_hours_before", ranged) is None


def test_an_untouched_template_warns_on_every_placeholder(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(scenario_template(), encoding="utf-8")
    code, out, err = run_cli("validate", path)
    assert code == 0
    assert out.startswith("ok: ")
    lines = err.splitlines()
    assert lines
    assert all(line.startswith(f"warning: {path}: ") for line in lines)
    assert any(line.endswith("name: still holds the template's '(replace me)'") for line in lines)
    assert any(
        "business.revenue_per_hour: source is the template's placeholder" in x for x in lines
    )
    # One line a field, no field twice.
    fields = [line.split(": ")[2] for line in lines]
    assert len(fields) == len(set(fields))


def test_a_number_without_source_warns_and_shipped_scenarios_do_not(
    tmp_path: Path, run_cli: RunCli
) -> None:
    for path in SHIPPED_SCENARIOS:
        assert scenario_warnings(scenario_from(path, {})) == []
    s = scenario_from(SHIPPED_SCENARIOS[0], {"business.margin": 0.4})
    assert [str(w) for w in scenario_warnings(s)] == [
        "business.margin: no source: say where this number comes from"
    ]
