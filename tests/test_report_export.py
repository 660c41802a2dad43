"""roi.report.export: stakeholder HTML without code, scripts, tracebacks or external resources."""

from __future__ import annotations

import base64
import re

import nbformat
import pytest
from nbformat.v4 import (
    new_code_cell,
    new_markdown_cell,
    new_notebook,
    new_output,
)

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
