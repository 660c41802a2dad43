"""Charts at slide sizes: exact pixel sizes, SVG, pitch style, every report chart, CLI errors."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from roi.cli import main
from roi.report.charts_export import export_charts, pitch_context, pitch_figures

SEED = "data_samples/scenarios/seed-article.yaml"
MIDSIZE = "data_samples/scenarios/ecommerce-midsize.yaml"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (read independently of matplotlib)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def midsize_figures() -> dict:
    return pitch_figures(pitch_context(MIDSIZE, samples=500))


def test_every_report_chart_is_built(midsize_figures: dict) -> None:
    # The charts the four report notebooks save for a scenario with vendors, latency and growth.
    expected = {
        "cumulative-net-cash", "benefits", "cost-structure", "cumulative-cost",
        "run-rate-vs-traffic", "lock-in", "bill-growth", "npv-distribution", "cash-fan",
        "tornado", "incident-hours", "mttr-breakeven", "latency-waterfall", "start-lean",
        "elasticity-presets", "vendor-bill-components",
    }  # fmt: skip
    assert set(midsize_figures) == expected


@pytest.mark.parametrize(("size", "pixels"), [("slide", (2666, 1500)), ("half", (1333, 1500))])
def test_png_pixel_sizes(midsize_figures: dict, tmp_path: Path, size: str, pixels: tuple) -> None:
    some = {k: midsize_figures[k] for k in ("cumulative-net-cash", "cost-structure", "tornado")}
    written = export_charts(some, tmp_path, ["png", "svg"], size)
    assert len(written) == 6
    for name in some:
        assert png_size(tmp_path / f"{name}.png") == pixels
        svg = (tmp_path / f"{name}.svg").read_text(encoding="utf-8")
        assert "<svg" in svg
    # 16:9 for the slide: 2666 / 1500 = 13.333 / 7.5.
    if size == "slide":
        assert pixels[0] / pixels[1] == pytest.approx(13.333 / 7.5, rel=1e-3)


@pytest.mark.parametrize("size", ["slide", "half"])
def test_no_title_runs_past_the_right_edge(midsize_figures: dict, size: str) -> None:
    """Titles and subtitles that would be cut at the figure's edge are wrapped (the NPV
    distribution's subtitle is longer than half a slide)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from roi.present.charts import slide_bytes

    wrapped = 0
    for name, fig in midsize_figures.items():
        slide_bytes(fig, "png", size)
        renderer = FigureCanvasAgg(fig).get_renderer()  # at the figure's size and dpi
        titles = {ax.get_title(loc) for ax in fig.axes for loc in ("left", "center")} - {""}
        for text in fig.findobj(Text):
            if text.get_text() in titles:
                wrapped += "\n" in text.get_text()
                right = text.get_window_extent(renderer).x1
                assert right <= fig.bbox.x1 + 1, (name, text.get_text())
    if size == "half":
        assert wrapped  # there was something to wrap


def test_pitch_style_is_larger_than_the_report(midsize_figures: dict) -> None:
    from roi.present.charts import business

    report = business.cumulative_net_cash(pitch_context(SEED, samples=None).evaluation)
    pitch = midsize_figures["cumulative-net-cash"]
    size = lambda fig: fig.axes[0].xaxis.get_ticklabels()[0].get_fontsize()  # noqa: E731
    assert size(pitch) > size(report)
    # The finding stays the title.
    assert "pays back" in pitch.get_suptitle() or "ahead" in pitch.get_suptitle()


def test_cli_writes_pngs_of_the_stated_size(tmp_path: Path) -> None:
    out = tmp_path / "charts"
    assert main(["charts", SEED, "--out", str(out), "--format", "png", "--size", "half"]) == 0
    pngs = sorted(out.glob("*.png"))
    assert pngs
    assert not list(out.glob("*.svg"))
    assert {png_size(p) for p in pngs} == {(1333, 1500)}
    assert not list(out.glob(".*"))  # no temporary files left


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "gif"], "--format: gif is not allowed"),
        (["--size", "huge"], "--size: 'huge' is not allowed"),
    ],
)
def test_cli_refuses_bad_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    out = tmp_path / "charts"
    assert main(["charts", SEED, "--out", str(out), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()
