"""roi.present.sections.banner: an unfinished scenario's report carries a visible banner."""

from __future__ import annotations

from pathlib import Path

from conftest import SEED, RunCli

from roi.inputs.provenance import scenario_warnings
from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.sections.banner import warnings_banner


def test_the_template_shows_every_warning(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "case.yaml"
    code, _, _ = run_cli("init", path)
    assert code == 0
    s = load_scenario(path)
    found = scenario_warnings(s)
    assert found  # the template is unfinished
    html = warnings_banner(evaluate(s))
    assert 'class="roi-banner"' in html
    assert f"{len(found)} fields are unfinished" in html
    assert html.count("<li>") == len(found)
    for w in found:
        assert f"<code>{w.path}</code>" in html


def test_a_finished_scenario_has_no_banner() -> None:
    assert warnings_banner(evaluate(load_scenario(SEED))) == ""
