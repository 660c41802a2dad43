"""roi.present.html: the HTML kit (escaping, containers, tables) and the style sheet shipped as a
package file."""

from __future__ import annotations

import subprocess
import sys

from roi.present import html


def test_esc_escapes_markup_quotes_and_ampersands() -> None:
    assert html.esc('<a href="x">&\'') == "&lt;a href=&quot;x&quot;&gt;&amp;&#x27;"


def test_block_heading_paragraph_and_note_escape_their_text() -> None:
    assert html.block("<b>x</b>", cls="roi-ok") == '<div class="roi roi-ok"><b>x</b></div>'
    assert html.heading("A & B", 3) == '<div class="roi"><h3>A &amp; B</h3></div>'
    assert html.paragraph("<i>", muted=True) == (
        '<div class="roi"><p class="roi-muted">&lt;i&gt;</p></div>'
    )
    assert html.note("<x>") == '<div class="roi"><div class="roi-note">&lt;x&gt;</div></div>'
    assert html.Html("<p>")._repr_html_() == "<p>"


def test_html_table_aligns_numbers_marks_rows_and_sets_widths() -> None:
    table = html.html_table(["A", "B"], [["a", "1"], ["t", "2"]], [False, True], ["", "roi-total"])
    assert '<th class="roi-num">B</th>' in table
    assert '<td class="roi-num">2</td>' in table
    assert '<tr class="roi-total">' in table
    assert "<colgroup>" not in table
    sized = html.html_table(["A"], [["a"]], widths=[100])
    assert '<col style="width:100%">' in sized


def test_the_style_sheet_is_the_package_file() -> None:
    from importlib.resources import files

    text = files("roi.present").joinpath("report.css").read_text(encoding="utf-8")
    assert ".roi table.roi-table" in text
    sheet = html.stylesheet()
    assert sheet == f"<style>{text}</style>"
    # Self-contained: no fonts, images or imports fetched from anywhere.
    assert "url(" not in text
    assert "@import" not in text


def test_the_kit_imports_no_matplotlib_and_no_numpy() -> None:
    code = (
        "import sys, roi.present.html; print('matplotlib' in sys.modules, 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"
