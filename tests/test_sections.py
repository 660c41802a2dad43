"""roi.present.sections: the notebooks' one surface; every section renders on every shipped
scenario and escapes every text a scenario file brings."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import SEED, SHIPPED_SCENARIOS

from roi.analysis import sweeps
from roi.analysis.decision import focus_option
from roi.analysis.montecarlo import Simulation, simulate
from roi.inputs.scenario import load_scenario
from roi.model import Evaluation, evaluate
from roi.present import sections as present
from roi.report.summary import build_summary

HOSTILE = "<script>alert(\"x\")</script> & 'co' <img src=x onerror=alert(1)>"


def all_sections(ev: Evaluation, sim: Simulation | None = None) -> str:
    """Every section of the four notebooks, concatenated."""
    s = ev.scenario
    focus = focus_option(ev)
    parts = [
        present.title(ev, sim),
        present.headline_tiles(ev, focus, sim),
        present.options_table(ev, sim),
        present.north_star_and_ask(ev, focus),
        present.readiness_checklist(s),
        present.benefits_explained(ev, focus),
        present.costs_explained(ev, focus),
        present.decision_checklist(ev),
        present.tei_table(ev, focus),
        present.assumptions_appendix(ev),
        present.references_list(ev),
        present.methods_note(ev),
        present.incident_table(ev),
        present.dora_context(ev),
        present.latency_table(ev),
        present.elasticity_table(sweeps.elasticity_comparison(s), s.currency),
        present.self_run_drivers(ev),
        present.vendor_components(ev),
        present.lock_in_text(ev),
        present.mttr_breakeven_text(sweeps.mttr_sweep(s)),
        present.stacks_note(ev),
        present.incident_source_note(),
    ]
    if sim is not None:
        parts.append(present.uncertainty_text(ev, sim, focus))
    return "".join(parts)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Evaluation:
    """The seed scenario with markup in every free text a report shows."""
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    data["name"] = HOSTILE
    data["description"] = HOSTILE
    data["kpis"]["north_star_kpi"] = HOSTILE
    data["readiness"]["critical_services"] = [HOSTILE, "payments", "<svg onload=1>"]
    data["readiness"]["skip_level_manager_understands"] = False
    data["self_run"]["label"] = HOSTILE
    data["latency"]["journey"] = "<script>checkout</script>"
    data["latency"]["percentile"] = "P95 & <b>"
    data["business"]["revenue_per_hour"]["source"] = HOSTILE
    data["business"]["revenue_per_hour"]["note"] = HOSTILE
    data["business"]["margin"]["source"] = 'ref:" onmouseover="x'
    data["managed"]["prices"] = {
        "datadog": {"hosts": {"price_per_unit": {"value": 25, "source": HOSTILE}}}
    }
    path = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return evaluate(load_scenario(path))


def test_hostile_scenario_text_is_escaped_everywhere(hostile: Evaluation) -> None:
    sim = simulate(hostile.scenario, samples=50, seed=0)
    html = all_sections(hostile, sim)
    # No markup from the scenario survives; our own markup never uses these tags.
    for bad in ("<script", "<img", "<svg", "<b>", 'onmouseover="'):
        assert bad not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;co&#x27;" in html
    assert "&lt;svg onload=1&gt;" in html
    assert "P95 &amp; &lt;b&gt;" in html
    # The summary keeps the raw text (JSON); escaping it is the page's job.
    doc = build_summary(hostile, sim, "hostile.yaml")
    assert doc["scenario"]["name"] == HOSTILE


@pytest.mark.parametrize("path", SHIPPED_SCENARIOS, ids=lambda p: p.stem)
def test_every_section_renders(path: Path) -> None:
    ev = evaluate(load_scenario(path))
    html = all_sections(ev)
    assert html.count("<table") == html.count("</table>")
    assert html.count("<div") == html.count("</div>")
    assert "Initial" in html
    assert "Year 3" in html
    assert "Present value" in html


def test_sections_do_not_read_the_scenario_or_presets_for_numbers() -> None:
    """The sections' sources name no scenario number and no preset price: they read the
    evaluation (``inputs``, figures, lines)."""
    folder = Path(present.__file__).parent
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.py")))
    for pattern in (
        "parameters(",
        "mttr_hours_before.value",
        "mttr_hours_after_value",
        ".components",
        "HOURS_PER_FTE_MONTH",
        "present_value(",
        "_risk_factor",
    ):
        assert pattern not in text, pattern
