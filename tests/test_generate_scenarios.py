"""scripts/generate_scenarios.py: variants of the shipped scenarios, each valid, reproducible."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from conftest import ROOT, SHIPPED_SCENARIOS

from roi.inputs.scenario import load_scenario


@pytest.fixture(scope="module")
def generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "generate_scenarios", ROOT / "scripts" / "generate_scenarios.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_variants_are_valid_and_vary_what_they_say(generator, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    files = generator.generate(8, tmp_path, seed=3)
    assert [f.name for f in files] == [f"variant-{k:05d}.yaml" for k in range(1, 9)]
    assert generator.check(files) == []
    names = {load_scenario(f).name for f in files}
    assert len(names) == 8
    for k, file in enumerate(files):
        base = load_scenario(SHIPPED_SCENARIOS[k % len(SHIPPED_SCENARIOS)])
        scenario = load_scenario(file)
        revenue = scenario.business.revenue_per_hour.value / base.business.revenue_per_hour.value
        traffic = (
            scenario.instrumentation.requests_per_month.value
            / base.instrumentation.requests_per_month.value
        )
        assert 1 / 3 - 1e-3 <= revenue <= 3 + 1e-3
        assert 1 / 4 - 1e-3 <= traffic <= 4 + 1e-3
        assert revenue != pytest.approx(1.0)
        assert scenario.business.revenue_per_hour.source.startswith("generated: ")


def test_same_seed_same_files_other_seed_other_files(generator, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a = [p.read_bytes() for p in generator.generate(4, tmp_path / "a", seed=1)]
    b = [p.read_bytes() for p in generator.generate(4, tmp_path / "b", seed=1)]
    c = [p.read_bytes() for p in generator.generate(4, tmp_path / "c", seed=2)]
    assert a == b
    assert a != c
