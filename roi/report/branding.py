"""The brand of slides and slide charts: the scenario's ``presentation:`` section, overridden by
the ``--brand-color`` and ``--logo`` flags of ``roi charts``, ``roi deck`` and ``roi pack``.

The scenario's logo was checked (inside its folder tree, a PNG or JPEG) when it was loaded; a
logo given on the command line is the user's own choice of file (like the scenario path itself),
so it is checked only to be a whole PNG or JPEG image (:func:`roi.inputs.brand.logo_kind`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from roi.inputs.brand import MIN_CONTRAST, brand_colours, logo_kind, low_contrast
from roi.inputs.errors import UserError
from roi.inputs.schema import Scenario


@dataclass(frozen=True)
class Brand:
    """Colours (``#RRGGBB``, the first the accent) and a logo file; both optional."""

    colours: tuple[str, ...] = ()
    logo: Path | None = None

    def logo_bytes(self) -> bytes | None:
        """The logo's bytes, None without a logo."""
        return self.logo.read_bytes() if self.logo is not None else None

    def warnings(self) -> list[str]:
        """One line per colour that is hard to see on white (WCAG contrast below
        :data:`~roi.inputs.brand.MIN_CONTRAST`)."""
        return [
            f"brand colour {c}: low contrast on white (below {MIN_CONTRAST:g}:1); lines and "
            "labels in it may be hard to see"
            for c in low_contrast(self.colours)
        ]


def brand_of(scenario: Scenario, colours: Sequence[str] = (), logo: str | None = None) -> Brand:
    """The brand to use: the flags' colours and logo where given, else the scenario's.

    Raises
    ------
    UserError
        One line naming the flag: a colour that is not ``#RRGGBB``, too many colours, a logo
        that is missing or not a PNG or JPEG.
    """
    section = scenario.presentation
    stated = tuple(section.brand_colors) if section is not None else ()
    try:
        chosen = brand_colours(colours) if colours else stated
    except ValueError as exc:
        raise UserError(f"--brand-color: {exc}") from None
    path: Path | None = None
    if logo is not None:
        try:
            logo_kind(logo)
        except ValueError as exc:
            raise UserError(f"--logo: {exc}") from None
        path = Path(logo)
    elif section is not None and section.logo is not None:
        path = Path(section.logo)
    return Brand(chosen, path)
