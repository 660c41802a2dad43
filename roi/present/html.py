"""The report's HTML kit: trusted-HTML strings, escaping, the container, headings, paragraphs,
notes, tables and the embedded style sheet (``report.css``, a package file).

Every piece of text from a scenario file goes through :func:`esc`; nothing here loads an
external resource.

Examples
--------
>>> esc('<script>alert("x")</script> & co')
'&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co'
>>> str(paragraph("a < b"))
'<div class="roi"><p>a &lt; b</p></div>'
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence
from importlib.resources import files


class Html(str):
    """A string of trusted HTML that Jupyter displays as HTML (``_repr_html_``)."""

    def _repr_html_(self) -> str:
        return str(self)


def esc(text: object) -> str:
    """``text`` HTML-escaped (``<``, ``>``, ``&``, both quotes): safe anywhere in HTML."""
    return html.escape(str(text), quote=True)


def block(*parts: str, cls: str = "") -> Html:
    """Parts wrapped in the report's container ``<div class="roi ...">``."""
    return Html(f'<div class="{f"roi {cls}".strip()}">' + "".join(parts) + "</div>")


@functools.cache
def css() -> str:
    """The report's style sheet, ``roi/present/report.css``."""
    return files("roi.present").joinpath("report.css").read_text(encoding="utf-8")


def stylesheet() -> Html:
    """The report's embedded style sheet (no external fonts, scripts or images)."""
    return Html(f"<style>{css()}</style>")


def heading(text: str, level: int = 2) -> Html:
    """A section heading in the report style; ``text`` is escaped."""
    return block(f"<h{level}>{esc(text)}</h{level}>")


def paragraph(text: str, muted: bool = False) -> Html:
    """A paragraph of plain (escaped) text."""
    cls = ' class="roi-muted"' if muted else ""
    return block(f"<p{cls}>{esc(text)}</p>")


def note(text: str) -> Html:
    """A grey call-out with plain (escaped) text: what does not apply, what is missing."""
    return block(f'<div class="roi-note">{esc(text)}</div>')


def html_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[bool] | None = None,
    row_classes: Sequence[str] | None = None,
    widths: Sequence[int] | None = None,
    cls: str = "",
) -> Html:
    """A table of already-escaped cells; ``numeric`` right-aligns columns, ``widths`` sets
    column widths in percent."""
    numeric = numeric or [False] * len(header)
    cell = ['class="roi-num"' if n else "" for n in numeric]
    head = "".join(f"<th {c}>{h}</th>" for h, c in zip(header, cell, strict=True))
    body = []
    for k, row in enumerate(rows):
        rc = row_classes[k] if row_classes else ""
        rc_attr = f' class="{rc}"' if rc else ""
        body.append(
            f"<tr{rc_attr}>"
            + "".join(f"<td {c}>{v}</td>" for v, c in zip(row, cell, strict=True))
            + "</tr>"
        )
    cols = (
        "<colgroup>" + "".join(f'<col style="width:{w}%">' for w in widths) + "</colgroup>"
        if widths
        else ""
    )
    return Html(
        f'<table class="roi-table {cls}">{cols}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
