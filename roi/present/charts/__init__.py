"""Charts of the business case: matplotlib Figures built without pyplot's global state, in the
package style (``roi/styles/report.mplstyle``), labelled with units and currency, in the
colour-blind-safe Okabe-Ito palette.

Every chart function takes computed results and returns a ``matplotlib.figure.Figure``; none
computes the model itself. Matplotlib is imported here, never by ``import roi``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

import matplotlib.style
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from roi.present.formatting import compact_money

STYLE = "roi.present.styles.report"
_EXTRA_STYLES: ContextVar[tuple[str, ...]] = ContextVar("roi_extra_styles", default=())

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "pink": "#CC79A7",
    "sky": "#56B4E9",
    "vermillion": "#D55E00",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
}
BENEFIT = OKABE_ITO["green"]
COST = OKABE_ITO["vermillion"]
NEUTRAL = OKABE_ITO["grey"]
# Yellow last: it is hard to read as text or a thin line on white.
_OPTION_ORDER = ("blue", "orange", "pink", "sky", "vermillion", "black", "yellow")


_BRAND: ContextVar[tuple[str, ...]] = ContextVar("roi_brand_colours", default=())


def option_palette() -> list[str]:
    """The option colours in order: Okabe-Ito, the first ones replaced by the brand colours of
    the enclosing :func:`brand` block (if any)."""
    palette = [OKABE_ITO[name] for name in _OPTION_ORDER]
    brand_colours = list(_BRAND.get())
    return brand_colours + palette[len(brand_colours) :]


def accent() -> str:
    """The accent colour (self-run, "with tracing"): Okabe-Ito blue or the first brand colour."""
    return option_palette()[0]


def option_colour(key: str, keys: list[str]) -> str:
    """A stable colour per option: self-run the accent, vendors in list order, do-nothing grey."""
    if key == "do-nothing":
        return NEUTRAL
    others = [k for k in keys if k != "do-nothing"]
    palette = option_palette()
    return palette[others.index(key) % len(palette)]


@contextmanager
def brand(colours: Sequence[str]) -> Iterator[None]:
    """Charts built inside the block use ``colours`` (``#RRGGBB``, checked by
    :func:`roi.inputs.brand.brand_colours`) for the options, the first as the accent; the
    semantic colours (benefit, cost, neutral) stay Okabe-Ito. An empty sequence changes nothing.
    """
    token = _BRAND.set(tuple(colours))
    try:
        yield
    finally:
        _BRAND.reset(token)


@contextmanager
def style() -> Iterator[None]:
    """Apply the package style to everything created inside the block.

    Matplotlib reads most style settings when an artist is created, so a chart function builds
    its whole figure inside the block (see :func:`styled`).
    """
    with matplotlib.style.context([STYLE, *_EXTRA_STYLES.get()]):
        yield


@contextmanager
def extra_style(name: str) -> Iterator[None]:
    """Charts built inside the block use the style sheet ``name`` on top of the package style
    (e.g. ``roi.present.styles.pitch`` for slides)."""
    token = _EXTRA_STYLES.set((*_EXTRA_STYLES.get(), name))
    try:
        yield
    finally:
        _EXTRA_STYLES.reset(token)


P = ParamSpec("P")
R = TypeVar("R")


def styled(func: Callable[P, R]) -> Callable[P, R]:
    """Decorator: run a chart function inside :func:`style`."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with style():
            return func(*args, **kwargs)

    return wrapper


def figure(width: float = 8.0, height: float = 4.5, **kwargs: Any) -> Figure:
    """A new Figure, not registered with pyplot; call inside :func:`style`."""
    return Figure(figsize=(width, height), layout="constrained", **kwargs)


def money_formatter(currency: str) -> FuncFormatter:
    """Axis tick labels as compact money: $1.2M, €350k."""
    return FuncFormatter(lambda v, _pos: compact_money(v, currency))


CHART_DPI = 200
"""[dots/inch] Resolution of saved PNG charts."""


def render(fig: Figure, fmt: str, dpi: float = CHART_DPI) -> bytes:
    """``fig`` as PNG or SVG bytes, without a software or date stamp (same figure, same bytes)."""
    import io

    import matplotlib

    buf = io.BytesIO()
    metadata: dict[str, Any] = {"Software": None} if fmt == "png" else {"Date": None}
    # SVG element ids are hashes salted at random unless a salt is set.
    with text_as_written(fig), matplotlib.rc_context({"svg.hashsalt": "roi"}):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata)
    return buf.getvalue()


@contextmanager
def text_as_written(fig: Figure) -> Iterator[None]:
    """While ``fig`` is drawn or measured: no text reads "$" as mathtext (a scenario's journey
    or option label is shown as written, tick labels made when the figure is drawn included), and
    a character the font lacks (an emoji in a label) is drawn as a box, not a warning."""
    import warnings

    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text.set_parse_math(False)
    with matplotlib.rc_context({"text.parse_math": False}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"Glyph \d+ .* missing from font", UserWarning)
        yield


def title_of(fig: Figure) -> str:
    """The figure's title (its finding), for an image's alt text."""
    suptitle = fig.get_suptitle() if hasattr(fig, "get_suptitle") else ""
    if suptitle:
        return str(suptitle)
    for ax in fig.axes:
        for loc in ("left", "center"):
            t = ax.get_title(loc=loc)
            if t:
                return str(t)
    return "chart"


PITCH_STYLE = "roi.present.styles.pitch"
SLIDE_INCHES = (13.333, 7.5)
"""[in] A 16:9 slide."""
SLIDE_SIZES = {"slide": (2666, 1500), "half": (1333, 1500)}
"""[px] Chart sizes at 200 dpi: the whole 16:9 slide, or half its width at full height."""
_DRAWN_INCHES = {"slide": (8.0, 4.5), "half": (6.4, 7.2)}
"""[in] The size a chart is laid out at before scaling to its pixels: smaller than the slide,
so report fonts come out about 1.7x (half: 1.04x) larger on the slide."""
_TITLE_CHARACTERS = {"slide": 80, "half": 60}


def slide_bytes(fig: Figure, fmt: str, size: str = "slide") -> bytes:
    """``fig`` re-laid out at a slide size, as PNG (exactly :data:`SLIDE_SIZES` pixels) or SVG.

    The figure is resized in place (constrained layout re-flows it; its aspect becomes the
    slide's), and a long title is wrapped to fit the width.

    Parameters
    ----------
    fig : Figure
        A chart, best built under :func:`extra_style` with :data:`PITCH_STYLE`.
    fmt : {"png", "svg"}
        Output format.
    size : {"slide", "half"}
        The whole slide (13.333 x 7.5 in) or half its width.
    """
    import textwrap

    if size not in SLIDE_SIZES:
        raise ValueError(f"size must be one of {', '.join(SLIDE_SIZES)}, not {size!r}")
    width_px, height_px = SLIDE_SIZES[size]
    width_in, _ = _DRAWN_INCHES[size]
    dpi = width_px / width_in
    # A hair over the exact pixel count so that rounding down never loses a pixel row.
    fig.set_size_inches(width_in, (height_px + 0.25) / dpi)
    title = fig.get_suptitle()
    if title:
        wrapped = "\n".join(textwrap.wrap(title.replace("\n", " "), _TITLE_CHARACTERS[size]))
        from matplotlib.text import Text

        for text in fig.findobj(Text):  # the title keeps its own size and colour
            if text.get_text() == title:
                text.set_text(wrapped)
    with text_as_written(fig):
        _wrap_wide_titles(fig)
    return render(fig, fmt, dpi=dpi)


def _wrap_wide_titles(fig: Figure) -> None:
    """Wrap an axes title (or subtitle) that would run past the figure's right edge, line by
    line, in place; its font, size and colour stay. Widths are measured at the figure's size
    and dpi, before the layout (which moves a title by a few pixels: hence the margin)."""
    import textwrap

    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.text import Text

    renderer = RendererAgg(int(fig.bbox.width), int(fig.bbox.height), fig.dpi)
    titles = {ax.get_title(loc) for ax in fig.axes for loc in ("left", "center")} - {""}
    right = fig.bbox.x1 - 0.04 * fig.bbox.width
    for text in fig.findobj(Text):
        content = text.get_text()
        if content not in titles:
            continue
        extent = text.get_window_extent(renderer)
        room = right - max(extent.x0, fig.bbox.x0)
        if not 0 < room < extent.width:
            continue
        lines = content.split("\n")
        longest = max(len(line) for line in lines)
        chars = max(20, int(longest * room / extent.width))
        text.set_text("\n".join(part for line in lines for part in textwrap.wrap(line, chars)))
