"""The seed report states the seed article's figures in the article's words.

JP, DataAnnotation, "How Do You Implement Distributed Tracing In Microservices at Scale?"
(2025-11-07), the article ``data_samples/scenarios/seed-article.yaml`` reproduces: Sev-1 MTTR
4.3 hours -> 47 minutes; checkout P95 3.2 s -> 890 ms and conversion +4.7 %; 200 spans per request
added 40 ms; "reducing MTTR from 4 hours to 1 hour"; "each 100ms ... = X dollars in quarterly
revenue"; ~3 weeks of set-up, ~1 day per week of upkeep, ~5 hours/month of the tracing system's
own incidents; 40 % more time; 30 services in a week; 2-4 months; NPS improved 12 points.

The scenario's ``description`` quotes most of these figures itself, so both tests read a copy of
the seed with a description that quotes none: every phrase must come from the figures as
evaluated and formatted.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest
from conftest import SEED, RunCli

from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present import sections

PHRASES = {
    "MTTR 4.3 h → 47 min": "Sev-1 MTTR 4.3 hours -> 47 minutes",
    "3.2 s → 890 ms": "checkout P95 3.2 s -> 890 ms",
    "+4.7 % conversion lift credited": "conversion +4.7 % (the benefit's driver)",
    "Conversion +4.7 %": "conversion +4.7 %",
    "200 spans per request add 40 ms": "200 spans per request, 40 ms",
    "4 h → 1 h would save ≈": "MTTR from 4 hours to 1 hour",
    "each 100 ms is worth ≈ $": "each 100 ms = X dollars a quarter",
    "Self-run set-up effort | 3 weeks": "~3 weeks of set-up",
    "Self-run upkeep | 1 day a week": "~1 day per week",
    "Tracing system's own incidents | 5 h a month": "~5 hours/month",
    "Contingency on estimates | 40 %": "40 % more time",
    "Vendor onboarding speed | 30 services a week": "30 services in a week",
    "2–4 months (90 % interval": "2-4 months",
    "NPS change | +12 points": "NPS +12",
}
"""Phrase in the report's text -> the article's figure; ``label | value`` is a table row whose
cell starting with the label (which also names the field's path) is followed by the value's."""
NOT_SAID = ("0.783", "0.047 conversion", "3,200 ms", "1 days/week")
"""How the same figures read before: never again."""


def seed_without_description(folder: Path) -> Path:
    """The seed scenario, every figure as shipped, its description quoting none of them."""
    text = SEED.read_text(encoding="utf-8")
    stripped = re.sub(
        r"^description: >-\n(?:  .*\n)+",
        "description: The seed article's case, figures left to the report.\n",
        text,
        flags=re.MULTILINE,
    )
    assert stripped != text
    path = folder / "seed-article.yaml"
    path.write_text(stripped, encoding="utf-8")
    return path


def text_of(page: str) -> str:
    """The words of an HTML page as a reader sees them: cells joined by ' | ', tags dropped."""
    page = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.DOTALL | re.IGNORECASE)
    page = re.sub(r"<br\s*/?>", " ", page)
    page = re.sub(r"</t[dh]>\s*<t[dh][^>]*>", " | ", page)
    page = re.sub(r"<[^>]+>", "", page)
    return re.sub(r"[ \t]+", " ", html_lib.unescape(page))


def _says(text: str, phrase: str) -> bool:
    if " | " not in phrase:
        return phrase in text
    label, value = phrase.split(" | ")
    return re.search(re.escape(label) + r"[^|]*\| " + re.escape(value), text) is not None


def _check(text: str) -> None:
    missing = [p for p in PHRASES if not _says(text, p)]
    assert not missing, missing
    said = [p for p in NOT_SAID if p in text]
    assert not said, said


def test_seed_sections_say_the_article_figures(tmp_path: Path) -> None:
    """The sections of the seed report that carry the figures (benefits, appendix)."""
    scenario = load_scenario(seed_without_description(tmp_path))
    assert "47" not in scenario.description
    ev = evaluate(scenario)
    page = "".join(
        [
            sections.benefits_explained(ev, "datadog"),
            sections.north_star_and_ask(ev, "datadog"),
            sections.assumptions_appendix(ev),
        ]
    )
    _check(text_of(page))


@pytest.mark.kernel
def test_seed_report_says_the_article_figures(tmp_path: Path, run_cli: RunCli) -> None:
    """`roi report` of the seed (without its description): the HTML says every figure."""
    out = tmp_path / "reports"
    code, _, stderr = run_cli(
        "report", seed_without_description(tmp_path), "--out", out, "--samples", "500"
    )
    assert code == 0, stderr
    _check(text_of((out / "seed-article" / "report.html").read_text(encoding="utf-8")))
