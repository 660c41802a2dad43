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

A rendered folder stays small (goal: at most 2 MB): charts are flat colours with anti-aliased
edges, so :func:`compact_png` stores an opaque chart as a 256-colour palette PNG (median cut, no
dithering; the same to the eye, a third of the bytes), in the HTML and in ``charts/`` alike;
:func:`compact_svg` drops what a viewer never uses from a chart's SVG (comments, metadata,
indentation, coordinates finer than 1/100 pt); and the executed notebook is kept as
:func:`without_images`: every cell, the injected parameters and every table, but no image (the
charts are in ``charts/`` and ``report.html``) and no plain-text copy of an output that has a
richer one (a chart's text form is its whole PNG as a Python ``bytes`` literal).

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

import base64
import copy
import functools
import io
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


_DATA_PNG = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=\s]+)")
_IMG_TAG = re.compile(r"<img\b[^>]*\bsrc=[\"']data:image/[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"\balt=[\"']([^\"']*)[\"']", re.IGNORECASE)


def compact_png(data: bytes) -> bytes:
    """An opaque PNG as an 8-bit palette PNG (256 colours, median cut, no dithering), when that
    is smaller; a PNG with transparency, or one that does not decode, unchanged.

    Parameters
    ----------
    data : bytes
        A PNG file.

    Returns
    -------
    bytes
        The smaller of the palette PNG and ``data``.
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            if im.mode == "P":
                return data
            if "A" in im.getbands() and im.getchannel("A").getextrema() != (255, 255):
                return data
            rgb = im.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError):
        return data
    palette = rgb.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    palette.save(buf, format="PNG", optimize=True)
    out = buf.getvalue()
    return out if len(out) < len(data) else data


_SVG_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SVG_METADATA = re.compile(r"<metadata>.*?</metadata>", re.DOTALL)
_SVG_SPACE = re.compile(r" *\n\s*")
_SVG_DIGITS = re.compile(r"(?<![\d.])([1-9]\d+\.\d\d|[1-9]\.\d{3})\d+")
"""Digits beyond 1/100 pt for coordinates of 10 pt or more, beyond 1/1000 for smaller ones;
numbers below 1 (glyph scales such as ``scale(0.105)``) keep every digit."""


def compact_svg(svg: str) -> str:
    """A matplotlib SVG without what no viewer uses: comments, the ``<metadata>`` block, line
    breaks and indentation, and digits finer than 1/100 of a point (0.0035 mm) from 10 pt on,
    1/1000 below; numbers below 1 are left whole (a relative error of at most 0.05 %).

    >>> compact_svg('<svg>\\n <!-- x -->\\n <path d="M 12.345678 1.234567 \\nL 3 4"/>\\n</svg>')
    '<svg> <path d="M 12.34 1.234 L 3 4"/> </svg>'
    >>> compact_svg('<g transform="translate(101.254321 20) scale(0.105 -0.105)"/>')
    '<g transform="translate(101.25 20) scale(0.105 -0.105)"/>'
    """
    text = _SVG_METADATA.sub("", _SVG_COMMENT.sub("", svg))
    return _SVG_DIGITS.sub(r"\1", _SVG_SPACE.sub(" ", text))


def _compact_data_uri(match: re.Match[str]) -> str:
    raw = base64.b64decode("".join(match.group(1).split()))
    return "data:image/png;base64," + base64.b64encode(compact_png(raw)).decode("ascii")


def _outputs(notebook: Any) -> list[Any]:
    return [o for cell in notebook.get("cells", []) for o in cell.get("outputs", [])]


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def compact_images(notebook: Any) -> Any:
    """Every PNG of ``notebook``'s outputs (``image/png`` and ``data:`` URIs inside HTML) through
    :func:`compact_png`, in place; returns ``notebook``."""
    for output in _outputs(notebook):
        data = output.get("data")
        if not data:
            continue
        if "image/png" in data:
            raw = base64.b64decode("".join(_text(data["image/png"]).split()))
            data["image/png"] = base64.b64encode(compact_png(raw)).decode("ascii")
        if "text/html" in data:
            data["text/html"] = _DATA_PNG.sub(_compact_data_uri, _text(data["text/html"]))
    return notebook


def _image_note(match: re.Match[str]) -> str:
    alt = _ALT.search(match.group(0))
    what = f": {alt.group(1)}" if alt and alt.group(1) else ""
    return f"<p>[chart{what}; see charts/ and report.html]</p>"


def without_images(notebook: Any) -> Any:
    """A copy of ``notebook`` to keep beside the report: every cell and output, but images
    replaced by a note naming the chart, and no ``text/plain`` beside a richer representation.

    >>> nb = {"cells": [{"outputs": [{"output_type": "display_data", "data": {
    ...     "text/html": '<figure><img alt="NPV" src="data:image/png;base64,AAAA"></figure>',
    ...     "text/plain": "Chart(png=b'...')", "image/png": "AAAA"}}]}]}
    >>> without_images(nb)["cells"][0]["outputs"][0]["data"]
    {'text/html': '<figure><p>[chart: NPV; see charts/ and report.html]</p></figure>'}
    """
    out = copy.deepcopy(notebook)
    for output in _outputs(out):
        data = output.get("data")
        if not data:
            continue
        for mime in [m for m in data if m.startswith("image/")]:
            del data[mime]
        if "text/html" in data:
            data["text/html"] = _IMG_TAG.sub(_image_note, _text(data["text/html"]))
        if "text/plain" in data and len(data) > 1:
            del data["text/plain"]
        if not data:
            data["text/plain"] = "[image removed; see charts/ and report.html]"
    return out
