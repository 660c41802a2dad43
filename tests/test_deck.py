"""The pitch deck, opened with python-pptx: 16:9, slides and titles, a native chart or picture on
every content slide, speaker notes, chart data equal to the evaluation; rendered by LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pytest
from pptx import Presentation
from pptx.util import Emu

from roi.cli import main
from roi.inputs.scenario import load_scenario
from roi.present.deck import deck_bytes
from roi.report.deckfile import deck_inputs

MIDSIZE = "data_samples/scenarios/ecommerce-midsize.yaml"
SEED = "data_samples/scenarios/seed-article.yaml"
FINTECH = "data_samples/scenarios/fintech-regulated.yaml"


@pytest.fixture(scope="module")
def midsize() -> tuple:
    inputs = deck_inputs(load_scenario(MIDSIZE), samples=400, date=dt.date(2026, 1, 15))
    return inputs, Presentation(io.BytesIO(deck_bytes(inputs)))


def title(slide) -> str:
    return next(s for s in slide.shapes if s.name == "Title").text_frame.text


def test_slide_size_is_16_9(midsize: tuple) -> None:
    _, prs = midsize
    assert Emu(prs.slide_width).inches == pytest.approx(13.333, abs=1e-3)
    assert Emu(prs.slide_height).inches == pytest.approx(7.5, abs=1e-3)
    # Every shape inside the slide.
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.left >= 0
            assert shape.top >= 0
            assert shape.left + shape.width <= prs.slide_width, (title(slide), shape.name)
            assert shape.top + shape.height <= prs.slide_height, (title(slide), shape.name)


def test_slides_and_titles(midsize: tuple) -> None:
    inputs, prs = midsize
    titles = [title(s) for s in prs.slides]
    assert len(titles) == 9
    assert titles[0] == inputs.evaluation.scenario.name
    assert titles[1].startswith("The ask: ")
    assert "NPV" in titles[2]
    assert "ROI" in titles[2]
    assert "payback" in titles[2]
    assert titles[3].startswith("Downtime falls from 285.6 to 190.3 hours a year")
    assert titles[4].startswith("Each 100 ms is worth $")
    assert titles[4].endswith("a quarter")
    assert titles[5].startswith("Self-run becomes cheaper than")
    assert titles[6] == "What would flip the decision"
    assert titles[7].startswith("Readiness: 4 of 5")
    assert titles[8].startswith("Assumptions")


def test_a_chart_or_picture_and_notes_on_every_content_slide(midsize: tuple) -> None:
    _, prs = midsize
    for slide in list(prs.slides)[1:]:
        kinds = {s.shape_type for s in slide.shapes}
        assert any(s.has_chart for s in slide.shapes) or 13 in kinds, title(slide)  # 13: picture
        notes = slide.notes_slide.notes_text_frame.text
        assert len(notes) > 40, title(slide)
    # Sources in the notes, as driver x value with where it comes from.
    downtime = list(prs.slides)[3].notes_slide.notes_text_frame.text
    assert "incidents.severities.sev1.mttr_hours_before = " in downtime
    assert "(source: " in downtime


def charts(slide) -> list:
    return [s.chart for s in slide.shapes if s.has_chart]


def test_chart_data_equals_the_evaluation(midsize: tuple) -> None:
    inputs, prs = midsize
    ev = inputs.evaluation
    slides = list(prs.slides)
    options = [o for o in ev.options.values() if o.kind != "baseline"]
    (npv,) = charts(slides[1])
    values = list(npv.plots[0].series[0].values)
    assert values == pytest.approx([float(o.kpis["npv"]) for o in options], abs=1e-6)
    (downtime,) = charts(slides[3])
    today, after = downtime.plots[0].series
    assert sum(today.values) == pytest.approx(285.6)
    for sev, v in zip(downtime.plots[0].categories, after.values, strict=True):
        assert v == pytest.approx(float(ev.figures[f"downtime_hours_per_year_after.{sev}"]))
    (latency,) = charts(slides[4])
    assert latency.plots[0].series[0].values[0] == pytest.approx(
        float(ev.inputs["latency.latency_ms_before"].point)
    )
    (costs,) = charts(slides[5])
    for series, option in zip(costs.plots[0].series, options, strict=True):
        want = np.cumsum(np.asarray(option.costs))
        assert list(series.values) == pytest.approx(want.tolist(), rel=1e-12)
    (flip,) = charts(slides[6])
    rows = list(inputs.tornado.rows[:8])[::-1]
    assert list(flip.plots[0].series[1].values) == pytest.approx([r.metric_high for r in rows])


def test_without_vendors_or_latency_slides_are_left_out() -> None:
    inputs = deck_inputs(load_scenario(FINTECH), samples=0)
    prs = Presentation(io.BytesIO(deck_bytes(inputs)))
    titles = [title(s) for s in prs.slides]
    assert not any(t.startswith("Self-run becomes") for t in titles)
    assert "No Monte Carlo" in list(prs.slides)[2].shapes[-1].text_frame.text


def test_flips_say_where_they_sit_in_the_range(midsize: tuple) -> None:
    """Each flip value carries its change from the base and its percentile, as in the report:
    a flip far outside the input's range (a rollout of 500 months) reads as such."""
    import re

    inputs, prs = midsize
    slide = list(prs.slides)[6]
    body = "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    shown = [r for r in inputs.breakeven.rows[:5] if r.npv_zero_at is not None]
    assert shown
    found = re.findall(
        r"at [^;\n]+ \(([+-]\d+ %|[\d,]+ x base), (P[\d.]+|beyond P99.99|below P0.01)\)", body
    )
    assert len(found) >= len(shown), body


def test_negative_bars_keep_their_labels_apart() -> None:
    """A tornado whose NPVs go below zero: category labels at the chart's edge, values by the
    zero line (not both on top of each other)."""
    from pptx.enum.chart import XL_LABEL_POSITION, XL_TICK_LABEL_POSITION

    inputs = deck_inputs(load_scenario(FINTECH), samples=0)
    prs = Presentation(io.BytesIO(deck_bytes(inputs)))
    (flip,) = charts(next(s for s in prs.slides if title(s) == "What would flip the decision"))
    assert min(v for s in flip.plots[0].series for v in s.values) < 0
    assert flip.category_axis.tick_label_position == XL_TICK_LABEL_POSITION.LOW
    assert flip.plots[0].data_labels.position == XL_LABEL_POSITION.INSIDE_BASE


def test_cli_writes_the_deck(tmp_path: Path) -> None:
    out = tmp_path / "deck.pptx"
    assert main(["deck", SEED, "--out", str(out), "--samples", "200"]) == 0
    assert len(Presentation(str(out)).slides) >= 8


def test_cli_refuses_bad_samples(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "deck.pptx"
    assert main(["deck", SEED, "--out", str(out), "--samples", "-1"]) == 2
    assert "--samples" in capsys.readouterr().err
    assert not out.exists()


def test_headline_numbers_are_written_as_the_report_writes_them(midsize: tuple) -> None:
    """The headline slide's ROI range and chance of a loss use the report's formatters, so a
    0.04 % chance is not a deck's "0%" beside the report's "0.04 %"."""
    from roi.present.formatting import percent
    from roi.present.read import scalar
    from roi.present.words import pct

    inputs, prs = midsize
    sim = inputs.simulation
    body = "\n".join(
        s.text_frame.text for slide in prs.slides for s in slide.shapes if s.has_text_frame
    )
    so = sim.options[inputs.focus]
    assert f"Chance of a loss (NPV < 0): {pct(scalar(so.prob_npv_negative))}" in body
    assert f"ROI P10-P90: {percent(so.summary()['roi']['p10'])}" in body
