"""roi.report.export: stakeholder HTML without code, scripts, tracebacks or external resources."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, SHIPPED_SCENARIOS, RunCli
from nbformat.v4 import (
    new_code_cell,
    new_markdown_cell,
    new_notebook,
    new_output,
)

from roi.report import export
from roi.report.export import external_resources, report_html

# A 1x1 transparent PNG.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
).decode()


def executed_notebook() -> nbformat.NotebookNode:
    """A notebook as papermill leaves it, with every kind of output a report may hold."""
    cells = [
        new_markdown_cell("# The business case\n\nWritten for the CFO."),
        new_code_cell(
            'scenario_path: str = "DEFAULT_PATH_IN_PARAMETERS"  # scenario',
            metadata={"tags": ["parameters"]},
        ),
        new_code_cell(
            'scenario_path = "/abs/INJECTED_PATH.yaml"', metadata={"tags": ["injected-parameters"]}
        ),
        new_code_cell(
            "SECRET_INPUT_CODE = load_and_evaluate()",
            outputs=[
                new_output("display_data", data={"text/html": "<p class='tile'>NPV $1.2M</p>"}),
                new_output("stream", name="stdout", text="visible stdout line\n"),
                new_output("stream", name="stderr", text="UserWarning: ENGINEER_ONLY_WARNING\n"),
            ],
            execution_count=1,
        ),
        new_code_cell(
            "fig",
            outputs=[
                new_output(
                    "display_data", data={"image/png": PNG, "text/plain": "<Figure size 1x1>"}
                ),
                new_output(
                    "display_data",
                    data={"application/javascript": "EXTERNAL_JS_OUTPUT()", "text/plain": "js"},
                ),
            ],
            execution_count=2,
        ),
        new_code_cell(
            "1 / 0",
            outputs=[
                new_output(
                    "error",
                    ename="ZeroDivisionError",
                    evalue="division by zero",
                    traceback=["Traceback (most recent call last):", "TRACEBACK_FRAME_LINE"],
                )
            ],
            execution_count=3,
        ),
        new_code_cell("HIDDEN_CELL_OUTPUT", metadata={"tags": ["remove-cell"]}),
    ]
    nb = new_notebook(cells=cells)
    nb.cells[6].outputs = [new_output("stream", name="stdout", text="REMOVED_CELL_TEXT\n")]
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}
    }
    return nb


@pytest.fixture(scope="module")
def html() -> str:
    return report_html(executed_notebook(), "Acme <script>alert('x')</script> & Co", "FOOTER & <b>")


def test_no_input_cells_no_parameters(html: str) -> None:
    for text in (
        "SECRET_INPUT_CODE",
        "load_and_evaluate",
        "DEFAULT_PATH_IN_PARAMETERS",
        "INJECTED_PATH",
        "In&nbsp;[",
        "Out[",
    ):
        assert text not in html, text


def test_outputs_kept_for_the_reader(html: str) -> None:
    assert re.search(r"<p class=[\"']tile[\"']>NPV \$1\.2M</p>", html)
    assert "visible stdout line" in html
    assert "<h1" in html
    assert "The business case" in html
    assert f"data:image/png;base64,{PNG}" in html


def test_no_stderr_no_traceback_no_script(html: str) -> None:
    assert "ENGINEER_ONLY_WARNING" not in html
    assert "TRACEBACK_FRAME_LINE" not in html
    assert "Traceback" not in html
    assert "This part of the report could not be computed (ZeroDivisionError)" in html
    assert "<script" not in html.lower()
    assert "EXTERNAL_JS_OUTPUT" not in html
    assert "REMOVED_CELL_TEXT" not in html


def test_no_external_resources(html: str) -> None:
    assert external_resources(html) == []
    lowered = html.lower()
    for pattern in ("<script src=", "<link href=http", "@import url(http", 'src="http'):
        assert pattern not in lowered
    assert not re.search(r"<link[^>]+href=", lowered)


def test_title_and_footer_escaped(html: str) -> None:
    # nbconvert re-serializes the page (BeautifulSoup): quotes may stay literal inside text.
    title = re.search(r"<title>(.*?)</title>", html)
    assert title is not None
    assert title.group(1) in (
        "Acme &lt;script&gt;alert('x')&lt;/script&gt; &amp; Co",
        "Acme &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co",
    )
    assert "FOOTER &amp; &lt;b&gt;" in html


def test_print_css_keeps_charts_whole(html: str) -> None:
    assert "@media print" in html
    assert "break-inside: avoid" in html
    assert "@page" in html


@pytest.mark.parametrize(
    ("snippet", "found"),
    [
        ('<script src="https://cdn.example/require.js"></script>', 1),
        ('<script src="local.js"></script>', 1),
        ("<script>var inline = 1;</script>", 0),
        ('<link rel="stylesheet" href="http://fonts.example/a.css">', 1),
        ('<link rel="icon" href="data:image/png;base64,AAAA">', 0),
        ('<img src="https://tracker.example/p.gif">', 1),
        ('<img src="charts/npv.png">', 1),
        ('<img src="data:image/png;base64,AAAA">', 0),
        ('<img srcset="https://x.example/a.png 2x">', 1),
        ('<iframe src="https://x.example"></iframe>', 1),
        ('<a href="https://example.org/source">source</a>', 0),
        ('<svg><image href="https://x.example/a.png"/></svg>', 1),
        ('<svg><use href="#glyph"/></svg>', 0),
        ("<style>@import url(https://fonts.example/f.css);</style>", 1),
        ("<style>@import 'local.css';</style>", 1),
        ("<style>body { background: url('https://x.example/bg.png'); }</style>", 1),
        ("<style>i { background: url(data:image/svg+xml;base64,AAAA); }</style>", 0),
        ('<div style="background-image: url(http://x.example/a.png)">x</div>', 1),
        ("<p>write src=http://example in prose</p>", 0),
    ],
)
def test_external_resources_cases(snippet: str, found: int) -> None:
    assert len(external_resources(f"<html><body>{snippet}</body></html>")) == found


# --- keeping rendered folders small --------------------------------------------------------------


def _chart_png() -> bytes:
    """A real chart (flat colours, anti-aliased text and lines), as the notebooks save them."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 3), dpi=100)
    ax = fig.subplots()
    ax.plot(range(40), [x**0.5 for x in range(40)], color="#0072B2", linewidth=2)
    ax.fill_between(range(40), 0, [x**0.4 for x in range(40)], color="#E69F00", alpha=0.3)
    ax.set_title("Cumulative net cash")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=200)
    return buf.getvalue()


def test_compact_png_is_smaller_and_looks_the_same() -> None:
    from PIL import Image, ImageChops

    data = _chart_png()
    small = export.compact_png(data)
    assert small[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(small) < 0.7 * len(data)
    before = Image.open(io.BytesIO(data)).convert("RGB")
    after = Image.open(io.BytesIO(small)).convert("RGB")
    assert after.size == before.size
    diff = ImageChops.difference(before, after).convert("L")
    histogram = diff.histogram()
    # no pixel is off by more than a few levels out of 255 anywhere that matters
    off = sum(histogram[16:]) / (before.width * before.height)
    assert off < 0.002, off


def test_compact_png_leaves_transparency_and_non_png_alone() -> None:
    from PIL import Image

    im = Image.new("RGBA", (20, 20), (255, 0, 0, 0))
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    assert export.compact_png(buf.getvalue()) == buf.getvalue()
    assert export.compact_png(b"not a png") == b"not a png"


def test_compact_images_reaches_html_data_uris_and_without_images_drops_them() -> None:
    data = _chart_png()
    uri = base64.b64encode(data).decode("ascii")
    nb = new_notebook(
        cells=[
            new_code_cell(
                "chart",
                outputs=[
                    new_output(
                        "display_data",
                        data={
                            "text/html": f'<img alt="Cash" src="data:image/png;base64,{uri}">',
                            "text/plain": "Chart(png=b'" + "x" * 5000 + "')",
                        },
                    )
                ],
            )
        ]
    )
    export.compact_images(nb)
    html = nb.cells[0].outputs[0].data["text/html"]
    assert len(html) < 0.7 * len(uri)
    kept = export.without_images(nb)
    assert kept.cells[0].outputs[0].data == {
        "text/html": "<p>[chart: Cash; see charts/ and report.html]</p>"
    }
    assert "data:image" in nb.cells[0].outputs[0].data["text/html"]  # the original untouched
    assert len(nbformat.writes(kept)) < 2000


def test_compact_svg_keeps_the_drawing() -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 2))
    fig.subplots().plot([0, 1, 2], [0.123456, 1.5, 0.25])
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    svg = buf.getvalue()
    small = export.compact_svg(svg)
    assert len(small) < 0.9 * len(svg)
    assert small.count("<path") == svg.count("<path")
    assert small.count("<use") == svg.count("<use")
    assert "<!--" not in small
    assert "<metadata>" not in small
    assert re.findall(r"scale\([^)]*\)", small) == re.findall(r"scale\([^)]*\)", svg)


FOLDER_LIMIT = 2_000_000
"""[B] The goal for one rendered scenario folder: 2 MB (2,000,000 bytes)."""


@pytest.mark.kernel
def test_shipped_scenario_folders_stay_small(tmp_path: Path, run_cli: RunCli) -> None:
    """Every shipped scenario rendered as `make report` does: each folder at most 2 MB (the kept
    report.ipynb was 4.5-7 MB with its images)."""
    out = tmp_path / "reports"
    scenarios = [*SHIPPED_SCENARIOS, *sorted((ROOT / "data_samples").glob("*.yaml"))]
    code, _, stderr = run_cli("report", *scenarios, "--out", out)
    assert code == 0, stderr
    sizes = {}
    for folder in sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")):
        sizes[folder.name] = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
        nb = (folder / "report.ipynb").read_text(encoding="utf-8")
        assert "data:image" not in nb
        assert '"image/png"' not in nb
    assert len(sizes) == len(scenarios)
    assert all(size <= FOLDER_LIMIT for size in sizes.values()), sizes
