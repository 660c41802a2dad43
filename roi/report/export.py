"""Stakeholder HTML from an executed notebook: no code, nothing fetched from the network.

The template ``roi/report/templates/roi-report`` extends JupyterLab's ``lab/index.html.j2`` with
its script blocks emptied (require.js, MathJax, mermaid, widgets), its own inline style sheet
(screen and print: A4 or Letter, charts never cut across pages), error outputs shown as a short
note instead of a traceback and stderr left out. The exporter drops every input cell and prompt,
and the cells tagged ``parameters``, ``injected-parameters`` or ``remove-cell``; cells tagged
``remove-input`` keep only their outputs and ``remove-output`` only their inputs (hidden anyway).

Images are inline already (nbconvert writes matplotlib outputs as base64 ``data:`` URIs);
:func:`external_resources` lists anything that would still be fetched when the page opens, and
the pipeline refuses to publish a report where that list is not empty.

Examples
--------
>>> external_resources('<img src="data:image/png;base64,AAAA"><a href="https://x.org">x</a>')
[]
>>> external_resources('<script src="https://cdn.example/x.js"></script>')
['<script src="https://cdn.example/x.js">']
>>> external_resources("<style>@import url(https://fonts.example/f.css);</style>")
['@import url(https://fonts.example/f.css)']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from roi import __version__

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "roi-report"
STYLESHEET = TEMPLATE_DIR / TEMPLATE_NAME / "static" / "report.css"
REMOVED_CELL_TAGS = frozenset({"parameters", "injected-parameters", "remove-cell"})
"""Cells with any of these tags are not in the HTML at all."""

_LOCAL_URL = re.compile(r"^\s*(data:|#|$)", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]*)\1\s*\)", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import\s+(?:url\([^)]*\)|['\"][^'\"]*['\"])", re.IGNORECASE)
_RESOURCE_ATTRIBUTES = {"src", "srcset", "poster", "data", "background", "xlink:href"}
_HREF_LOADS = {"link", "image", "use", "script"}
"""Tags whose ``href`` loads something (an ``<a href>`` only links)."""


class _ResourceScanner(HTMLParser):
    """Collects every tag attribute or CSS rule that loads something from outside the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def _tag_text(self, tag: str, attrs: Sequence[tuple[str, str | None]]) -> str:
        shown = " ".join(f'{k}="{v}"' if v is not None else k for k, v in attrs)
        return f"<{tag} {shown}>" if shown else f"<{tag}>"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        bad = []
        for key, value in attrs:
            value = value or ""
            loads = key in _RESOURCE_ATTRIBUTES or (key == "href" and tag in _HREF_LOADS)
            if loads and not _LOCAL_URL.match(value):
                bad.append((key, value))
            elif key == "style":
                self._scan_css(value)
        if bad:
            self.found.append(self._tag_text(tag, bad))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._scan_css(data)

    def _scan_css(self, css: str) -> None:
        self.found.extend(m.group(0) for m in _CSS_IMPORT.finditer(css))
        for m in _CSS_URL.finditer(_CSS_IMPORT.sub("", css)):
            if not _LOCAL_URL.match(m.group(2)):
                self.found.append(m.group(0))


def external_resources(html: str) -> list[str]:
    """Everything in ``html`` that a browser would fetch from outside the file.

    Scripts, style sheets, fonts, images, media and frames with a ``src``/``href`` that is not a
    ``data:`` URI or a ``#fragment``, ``@import`` rules and CSS ``url(...)`` values. Plain links
    (``<a href>``) are not resources: they load nothing until clicked.

    Parameters
    ----------
    html : str
        A whole HTML document.

    Returns
    -------
    list of str
        The offending tags or CSS snippets, in document order; empty for a self-contained page.
    """
    scanner = _ResourceScanner()
    scanner.feed(html)
    scanner.close()
    return scanner.found


@functools.cache
def _stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


@functools.cache
def _exporter() -> Any:
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(
            remove_cell_tags=set(REMOVED_CELL_TAGS),
            remove_input_tags={"remove-input"},
            remove_all_outputs_tags={"remove-output"},
            enabled=True,
        ),
        enabled=True,
    )
    return exporter


def report_html(notebook: Any, title: str, footer: str) -> str:
    """The stakeholder HTML of an executed notebook.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The executed notebook (papermill's output).
    title : str
        The page title, e.g. the scenario's name; escaped by the template.
    footer : str
        One line of provenance at the end of the page; escaped by the template.

    Returns
    -------
    str
        A whole HTML document with every style and image inline.
    """
    resources = {
        "metadata": {"name": title},
        "roi": {"title": title, "footer": footer, "css": _stylesheet(), "version": __version__},
    }
    body, _ = _exporter().from_notebook_node(notebook, resources=resources)
    return str(body)


def warm_up() -> None:
    """Build the exporter and compile its template now (at worker start-up), not on first use."""
    import nbformat

    report_html(nbformat.v4.new_notebook(), "warm-up", "")
