"""Writing and rendering the deck: LibreOffice headless -> PDF -> pdftoppm pages (office)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from roi.inputs.scenario import load_scenario
from roi.report import deckfile
from roi.report.deckfile import RenderError, deck_inputs, render_pages, write_deck

MIDSIZE = "data_samples/scenarios/ecommerce-midsize.yaml"


def test_render_needs_the_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deckfile.shutil, "which", lambda _name: None)
    with pytest.raises(RenderError, match="LibreOffice"):
        render_pages(tmp_path / "x.pptx", tmp_path)


@pytest.mark.office
def test_libreoffice_renders_every_slide(tmp_path: Path) -> None:
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        if os.environ.get("ROI_REQUIRE_OFFICE") == "1":
            pytest.fail("ROI_REQUIRE_OFFICE=1 but soffice or pdftoppm is missing")
        pytest.skip("soffice or pdftoppm missing")
    inputs = deck_inputs(load_scenario(MIDSIZE), samples=300, date=dt.date(2026, 1, 15))
    deck = write_deck(tmp_path / "deck.pptx", inputs)
    pages = render_pages(deck, tmp_path / "pages", dpi=30)
    assert len(pages) == 9
    from PIL import Image

    with Image.open(pages[0]) as page:
        width, height = page.size
    assert width / height == pytest.approx(16 / 9, rel=0.01)


def test_roi_deck_ranks_the_flips_as_the_pack_does() -> None:
    """``roi deck`` and ``roi pack`` show the same five flips: both rank the breakeven's rows
    by the EVPI of the one Monte Carlo (the deck once ranked them without it)."""
    from roi.report.charts_export import CHART_SWEEPS
    from roi.report.deckfile import deck_inputs_of
    from roi.report.notebook import analyse

    scenario = load_scenario(MIDSIZE)
    alone = deck_inputs(scenario, samples=400, seed=3).breakeven
    packed = deck_inputs_of(
        analyse(
            scenario,
            Path(MIDSIZE),
            samples=400,
            seed=3,
            sweeps=CHART_SWEEPS,
            tornado=True,
            breakeven=True,
        )
    ).breakeven
    assert alone is not None
    assert packed is not None
    assert [r.path for r in alone.rows] == [r.path for r in packed.rows]
    assert [r.evpi for r in alone.rows] == [r.evpi for r in packed.rows]
    assert all(r.evpi is not None for r in alone.rows)


def test_no_monte_carlo_means_flips_without_evpi() -> None:
    flips = deck_inputs(load_scenario(MIDSIZE), samples=0).breakeven
    assert flips is not None
    assert flips.rows
    assert all(r.evpi is None for r in flips.rows)
