"""Brand colours and a logo: hex colours checked, the logo confined to the scenario's folder tree
and checked to be an image, charts in the brand colours (semantic colours kept), the logo on the
deck's title slide; flags over the scenario's presentation: section."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path

import matplotlib.colors
import pytest
from conftest import SCENARIOS_DIR
from PIL import Image
from pptx import Presentation

from roi.inputs.brand import (
    MAX_LOGO_SIDE,
    brand_colour,
    brand_colours,
    contrast_on_white,
    logo_kind,
)
from roi.inputs.errors import ScenarioError, UserError
from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.charts import OKABE_ITO, accent, brand, option_colour
from roi.present.charts.business import cumulative_cost, incident_hours
from roi.present.deck import deck_bytes
from roi.report.branding import Brand, brand_of
from roi.report.deckfile import deck_inputs

MIDSIZE = SCENARIOS_DIR / "ecommerce-midsize.yaml"


def png(path: Path, size: tuple[int, int] = (400, 100)) -> Path:
    Image.new("RGB", size, (11, 95, 255)).save(path)
    return path


def scenario_file(folder: Path, presentation: str) -> Path:
    path = folder / "case.yaml"
    path.write_text(f"extends: {MIDSIZE}\npresentation: {presentation}\n", encoding="utf-8")
    return path


def test_colours_are_hex() -> None:
    assert brand_colour(" 0b5fff ") == "#0B5FFF"
    for bad in ("blue", "#0B5FF", "#0B5FFFF", "rgb(1,2,3)", ""):
        with pytest.raises(ValueError, match="allowed: #RRGGBB"):
            brand_colour(bad)
    with pytest.raises(ValueError, match="at most 8"):
        brand_colours(["#000000"] * 9)


@pytest.mark.parametrize("number", [333333, 5349, 1.5e5])
def test_a_colour_yaml_read_as_a_number_is_told_to_be_quoted(number: float) -> None:
    says = r"is a number, not a colour; write it in quotes, e\.g\. '#"
    with pytest.raises(ValueError, match=says):
        brand_colour(number)


def test_contrast_is_wcag() -> None:
    # WCAG 2.1: black on white 21:1, white on white 1:1, #767676 is the lightest grey at 4.5:1.
    assert contrast_on_white("#000000") == pytest.approx(21.0)
    assert contrast_on_white("#FFFFFF") == pytest.approx(1.0)
    assert contrast_on_white("#767676") == pytest.approx(4.54, abs=0.01)


def test_logo_kind(tmp_path: Path) -> None:
    assert logo_kind(png(tmp_path / "a.png")) == "png"
    jpeg = tmp_path / "b.jpg"
    Image.new("RGB", (20, 20)).save(jpeg)
    assert logo_kind(jpeg) == "jpeg"
    text = tmp_path / "logo.png"
    text.write_text("not an image")
    with pytest.raises(ValueError, match="not a PNG or JPEG image"):
        logo_kind(text)
    with pytest.raises(ValueError, match="file not found"):
        logo_kind(tmp_path / "none.png")
    with pytest.raises(ValueError, match="not a regular file"):
        logo_kind(tmp_path)


def _cut(path: Path, kind: str) -> Path:
    """A noisy image of ``kind`` saved at ``path``, then cut in half."""
    Image.effect_noise((400, 100), 64).convert("RGB").save(path, kind)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.mark.parametrize(
    ("name", "make", "says"),
    [
        ("cut.png", lambda p: _cut(p, "PNG"), r"cannot read the PNG image \(Truncated File Read\)"),
        ("cut.jpg", lambda p: _cut(p, "JPEG"), r"cannot read the JPEG image \(image file is trunc"),
        (
            "header.png",
            lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(20)),
            r"cannot read the PNG image \(its header is incomplete or corrupt\)",
        ),
        (
            "huge.png",
            lambda p: Image.new("1", (MAX_LOGO_SIDE + 1, 8)).save(p),
            rf"{MAX_LOGO_SIDE + 1} x 8 pixels is too large; allowed: .* {MAX_LOGO_SIDE} pixels",
        ),
    ],
)
def test_a_logo_is_decoded_whole(
    tmp_path: Path, name: str, make: Callable[[Path], object], says: str
) -> None:
    path = tmp_path / name
    make(path)
    with pytest.raises(ValueError, match=rf"^{re.escape(str(path))}: {says}") as info:
        logo_kind(path)
    assert len(str(info.value).splitlines()) == 1


def test_an_unreadable_logo_is_one_line_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logo = png(tmp_path / "locked.png")
    opened = Path.open

    def denied(self: Path, *args: object, **kwargs: object) -> object:
        if self == logo:  # root reads any file: the refusal of a locked one is simulated
            raise PermissionError(13, "Permission denied", str(self))
        return opened(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(UserError, match=rf"^--logo: {re.escape(str(logo))}: cannot read: Perm"):
        brand_of(load_scenario(MIDSIZE), (), str(logo))


def test_scenario_presentation_section(tmp_path: Path) -> None:
    png(tmp_path / "logo.png")
    path = scenario_file(tmp_path, '{brand_colors: [0b5fff, "#FFB000"], logo: logo.png}')
    s = load_scenario(path)
    assert s.presentation is not None
    assert s.presentation.brand_colors == ["#0B5FFF", "#FFB000"]
    assert s.presentation.logo == str((tmp_path / "logo.png").resolve())


@pytest.mark.parametrize(
    ("presentation", "expected"),
    [
        ("{brand_colors: [blue]}", "presentation.brand_colors: 'blue' is not a colour"),
        (
            "{brand_colors: [333333]}",
            "presentation.brand_colors: 333333 is a number, not a colour; write it in quotes",
        ),
        ("{brand_colors: [012345]}", "presentation.brand_colors: 5349 is a number, not a colour"),
        ("{brand_colors: 333333}", "presentation.brand_colors: Input should be a valid list"),
        ("{logo: ../outside.png}", "presentation.logo: ../outside.png is outside the scenario"),
        ("{logo: missing.png}", "presentation.logo: file not found"),
        ("{logo: case.yaml}", "presentation.logo: "),
        ("{colours: []}", "presentation.colours: unknown field"),
    ],
)
def test_bad_presentation_is_one_line(tmp_path: Path, presentation: str, expected: str) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    png(tmp_path / "outside.png")
    path = scenario_file(folder, presentation)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (line,) = str(info.value).splitlines()
    assert expected in line


def _hex(colour: object) -> str:
    return matplotlib.colors.to_hex(colour).upper()  # type: ignore[arg-type]


def test_charts_use_brand_colours_and_keep_the_semantic_ones() -> None:
    ev = evaluate(load_scenario(MIDSIZE))
    keys = list(ev.options)
    assert accent() == OKABE_ITO["blue"]
    with brand(["#112233", "#445566"]):
        assert accent() == "#112233"
        assert option_colour("self-run", keys) == "#112233"
        assert option_colour(keys[2], keys) == "#445566"
        assert option_colour(keys[3], keys) == OKABE_ITO["pink"]  # the palette continues
        assert option_colour("do-nothing", keys) == OKABE_ITO["grey"]
        fig = cumulative_cost(ev)
        bars = incident_hours(ev)
    lines = {_hex(line.get_color()) for line in fig.axes[0].get_lines()}
    assert "#112233" in lines
    assert "#445566" in lines
    colours = {_hex(p.get_facecolor()) for p in bars.axes[0].patches}
    assert "#112233" in colours  # with tracing: the accent
    assert OKABE_ITO["vermillion"].upper() in colours  # today: the cost colour stays
    assert option_colour("self-run", keys) == OKABE_ITO["blue"]  # only inside the block


def test_deck_logo_on_the_title_slide_and_brand_series(tmp_path: Path) -> None:
    logo = png(tmp_path / "wide.png", (1600, 100))  # wide: fitted to the width
    inputs = deck_inputs(
        load_scenario(MIDSIZE),
        samples=0,
        date=dt.date(2026, 1, 15),
        brand=Brand(("#112233",), logo),
    )
    prs = Presentation(io.BytesIO(deck_bytes(inputs)))
    slides = list(prs.slides)
    (pic,) = [s for s in slides[0].shapes if s.name == "Logo"]
    assert pic.width <= 3.0 * 914400 + 1
    assert pic.height == pytest.approx(pic.width / 16, rel=0.02)  # aspect kept
    assert pic.left + pic.width <= prs.slide_width
    assert pic.top + pic.height <= prs.slide_height
    title = next(s for s in slides[0].shapes if s.name == "Title")
    assert title.top + title.height <= pic.top  # no overlap with the title
    assert not [s for s in slides[1].shapes if s.name == "Logo"]
    (chart,) = [s.chart for s in slides[1].shapes if s.has_chart]
    assert str(chart.plots[0].series[0].format.fill.fore_color.rgb) == "112233"
