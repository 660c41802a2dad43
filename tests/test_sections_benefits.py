"""roi.present.sections.benefits: driver × unit value = value, with the story of the numbers
evaluated."""

from __future__ import annotations

from conftest import SEED

from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.formatting import money
from roi.present.sections.benefits import benefit_story, benefits_explained


def test_benefits_of_seed() -> None:
    ev = evaluate(load_scenario(SEED))
    html = benefits_explained(ev, "self-run")
    assert "7.03 incident h avoided a month" in html
    assert "+4.7 % conversion lift credited" in html
    assert "MTTR 4.3 h → 47 min" in html
    assert "3.2 s → 890 ms" in html
    assert "0.783" not in html
    assert money(8e6 * 0.047, "USD") in html  # conversion value a year
    assert "Values a year are at full adoption" in html


def test_an_mttr_override_shows_in_the_benefit_story() -> None:
    ev = evaluate(load_scenario(SEED), {"incidents.severities.sev1.mttr_hours_before": 8.0})
    line = next(li for li in ev.options["self-run"].lines if li.key.endswith("revenue.sev1"))
    assert "MTTR 8 h → 47 min" in benefit_story(ev, line)
    responders = next(li for li in ev.options["self-run"].lines if "responders" in li.key)
    assert f"{8 - 47 / 60:.2f} h sooner free" in benefit_story(ev, responders)
    ev = evaluate(load_scenario(SEED), {"incidents.severities.sev1.mttr_hours_before": 1.5})
    responders = next(li for li in ev.options["self-run"].lines if "responders" in li.key)
    assert "43 min sooner free" in benefit_story(ev, responders)  # 1.5 h - 47 min
