"""Brand colours and a logo for slides and slide charts: checked here, once, for the scenario's
``presentation:`` section and the ``--brand-color`` / ``--logo`` flags alike.

A brand colour is ``#RRGGBB`` (the ``#`` may be left out). In YAML write it in quotes: ``#``
starts a comment, and unquoted digits such as ``333333`` (or ``012345``, an octal number) are
read as a number, which is refused with a line saying so. A logo is a PNG or JPEG file of at most
:data:`MAX_LOGO_BYTES` and :data:`MAX_LOGO_SIDE` pixels a side, recognised by its first bytes,
not its name, and decoded whole once (a truncated or corrupt image is refused here, not when a
deck is written).

Colour-blind safety: the charts' own palette is Okabe-Ito, distinguishable with every common
colour-vision deficiency. Brand colours replace only the option colours, in order (the first
replaces the accent, the self-run option's blue); benefit green, cost vermillion, neutral grey
and the tornado's low/high colours stay. Nothing can make arbitrary brand colours safe for every
reader: :func:`low_contrast` says which are hard to see on white (WCAG 2.1 non-text contrast
below :data:`MIN_CONTRAST`, 3:1), so the command can warn.

Examples
--------
>>> brand_colour("0b5fff"), brand_colour("#0B5FFF")
('#0B5FFF', '#0B5FFF')
>>> round(contrast_on_white("#FFD700"), 2), low_contrast(["#0B5FFF", "#FFD700"])
(1.4, ['#FFD700'])
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable
from pathlib import Path

from roi.inputs.errors import escaped

MAX_BRAND_COLOURS = 8
"""Most brand colours a scenario or the flags may give (a chart shows at most 7 options)."""
MAX_LOGO_BYTES = 5_000_000
"""Largest logo file [bytes]."""
MAX_LOGO_SIDE = 4096
"""Largest width and height of a logo [px]: decoding it takes at most 4096 x 4096 x 4 bytes."""
MIN_CONTRAST = 3.0
"""WCAG 2.1 success criterion 1.4.11: graphics need a contrast of 3:1 against their background."""
_HEX = re.compile(r"^#?([0-9A-Fa-f]{6})$")
_MAGIC = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg"}
_PILLOW_FORMATS = {"png": "PNG", "jpeg": "JPEG"}


def brand_colour(text: object) -> str:
    """``text`` as ``#RRGGBB`` (upper case); ValueError saying what is allowed otherwise (for a
    number, what YAML makes of unquoted digits, to write it in quotes)."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        raise ValueError(f"{text!r} is a number, not a colour; write it in quotes, e.g. '#333333'")
    match = _HEX.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        shown = repr(text)[:40]
        raise ValueError(f"{shown} is not a colour; allowed: #RRGGBB in hex, e.g. #0B5FFF")
    return f"#{match.group(1).upper()}"


def brand_colours(texts: Iterable[object]) -> tuple[str, ...]:
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
    """``png`` or ``jpeg``: the kind of image file ``path`` holds, checked whole: its first bytes,
    its size in pixels, then every byte decoded (Pillow's ``verify``, then ``load``).

    Raises
    ------
    ValueError
        One line naming the file: missing, not a regular file, unreadable, too large (bytes or
        pixels), not a PNG or JPEG, or an image that does not decode (truncated, corrupt).
    """
    p = Path(path)
    allowed = (
        f"allowed: a PNG or JPEG file of at most {MAX_LOGO_BYTES // 1_000_000} MB and "
        f"{MAX_LOGO_SIDE} pixels a side"
    )
    try:
        if not p.exists():
            raise ValueError(f"{p}: file not found; {allowed}")
        if not p.is_file():
            raise ValueError(f"{p}: not a regular file; {allowed}")
        size = p.stat().st_size
        if size > MAX_LOGO_BYTES:
            raise ValueError(f"{p}: {size:,} bytes is too large; {allowed}")
        with p.open("rb") as fh:
            data = fh.read(MAX_LOGO_BYTES + 1)
    except OSError as exc:
        raise ValueError(f"{p}: cannot read: {exc.strerror or exc}; {allowed}") from None
    if len(data) > MAX_LOGO_BYTES:  # it grew since stat()
        raise ValueError(f"{p}: more than {MAX_LOGO_BYTES:,} bytes is too large; {allowed}")
    kind = next((k for magic, k in _MAGIC.items() if data.startswith(magic)), None)
    if kind is None:
        raise ValueError(f"{p}: not a PNG or JPEG image; {allowed}")
    problem = _undecodable(data, _PILLOW_FORMATS[kind])
    if problem is not None:
        raise ValueError(f"{p}: {problem}; {allowed}")
    return kind


def _undecodable(data: bytes, pillow_format: str) -> str | None:
    """What stops ``data`` decoding as one image of ``pillow_format`` within
    :data:`MAX_LOGO_SIDE` pixels a side, or None when it decodes whole."""
    from PIL import Image  # Pillow: only when there is a logo to check

    try:
        with warnings.catch_warnings():
            # The pixel bound below is stricter than Pillow's decompression-bomb warning.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
                width, height = image.size
                if max(width, height) > MAX_LOGO_SIDE:
                    return f"{width} x {height} pixels is too large"
                image.verify()  # PNG: every chunk and its checksum
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
                image.load()  # every pixel decoded: a truncated JPEG fails here
    except Image.UnidentifiedImageError:  # its message names a BytesIO, not the file
        return f"cannot read the {pillow_format} image (its header is incomplete or corrupt)"
    except Exception as exc:  # a decoder's error on a hostile file, whatever its kind
        reason = escaped(" ".join(str(exc).split()), 80) or type(exc).__name__
        return f"cannot read the {pillow_format} image ({reason})"
    return None
