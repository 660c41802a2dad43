"""Brand colours and a logo for slides and slide charts: checked here, once, for the scenario's
``presentation:`` section and the ``--brand-color`` / ``--logo`` flags alike.

A brand colour is ``#RRGGBB`` (the ``#`` may be left out, so YAML needs no quotes); a logo is a
PNG or JPEG file of at most :data:`MAX_LOGO_BYTES`, recognised by its first bytes, not its name.

Colour-blind safety: the charts' own palette is Okabe-Ito, distinguishable with every common
colour-vision deficiency. Brand colours replace only the option colours, in order (the first
replaces the accent, the self-run option's blue); benefit green, cost vermillion, neutral grey
and the tornado's low/high colours stay. Nothing can make arbitrary brand colours safe for every
reader: :func:`low_contrast` says which are hard to see on white (WCAG 2.1 non-text contrast
below 3:1), so the command can warn.

Examples
--------
>>> brand_colour("0b5fff"), brand_colour("#0B5FFF")
('#0B5FFF', '#0B5FFF')
>>> round(contrast_on_white("#FFD700"), 2), low_contrast(["#0B5FFF", "#FFD700"])
(1.4, ['#FFD700'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

MAX_BRAND_COLOURS = 8
"""Most brand colours a scenario or the flags may give (a chart shows at most 7 options)."""
MAX_LOGO_BYTES = 5_000_000
"""Largest logo file [bytes]."""
MIN_CONTRAST = 3.0
"""WCAG 2.1 success criterion 1.4.11: graphics need a contrast of 3:1 against their background."""
_HEX = re.compile(r"^#?([0-9A-Fa-f]{6})$")
_MAGIC = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg"}


def brand_colour(text: str) -> str:
    """``text`` as ``#RRGGBB`` (upper case); ValueError saying what is allowed otherwise."""
    match = _HEX.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        shown = repr(text)[:40]
        raise ValueError(f"{shown} is not a colour; allowed: #RRGGBB in hex, e.g. #0B5FFF")
    return f"#{match.group(1).upper()}"


def brand_colours(texts: Iterable[str]) -> tuple[str, ...]:
    """Every colour checked by :func:`brand_colour`, at most :data:`MAX_BRAND_COLOURS`."""
    colours = tuple(brand_colour(t) for t in texts)
    if len(colours) > MAX_BRAND_COLOURS:
        raise ValueError(f"{len(colours)} colours given; allowed: at most {MAX_BRAND_COLOURS}")
    return colours


def contrast_on_white(colour: str) -> float:
    """WCAG 2.1 contrast ratio of ``colour`` (``#RRGGBB``) against white, 1 to 21."""

    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    hexa = brand_colour(colour)[1:]
    r, g, b = (channel(int(hexa[i : i + 2], 16)) for i in (0, 2, 4))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def low_contrast(colours: Iterable[str]) -> list[str]:
    """The colours whose contrast on white is below :data:`MIN_CONTRAST`."""
    return [c for c in colours if contrast_on_white(c) < MIN_CONTRAST]


def logo_kind(path: str | Path) -> str:
    """``png`` or ``jpeg``: the kind of image file ``path`` holds.

    Raises
    ------
    ValueError
        One line naming the file: missing, not a regular file, too large, or not a PNG or JPEG.
    """
    p = Path(path)
    allowed = f"allowed: a PNG or JPEG file of at most {MAX_LOGO_BYTES // 1_000_000} MB"
    if not p.exists():
        raise ValueError(f"{p}: file not found; {allowed}")
    if not p.is_file():
        raise ValueError(f"{p}: not a regular file; {allowed}")
    size = p.stat().st_size
    if size > MAX_LOGO_BYTES:
        raise ValueError(f"{p}: {size:,} bytes is too large; {allowed}")
    with p.open("rb") as fh:
        head = fh.read(8)
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            return kind
    raise ValueError(f"{p}: not a PNG or JPEG image; {allowed}")
