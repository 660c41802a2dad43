"""Folder names for reports: short lowercase ASCII slugs that cannot leave the output directory.

A slug is made of ``a-z``, ``0-9`` and single hyphens, never starts or ends with a hyphen, is at
most :data:`MAX_LENGTH` characters long and is never empty: it cannot be ``..``, cannot start with
a dot (so it never collides with the pipeline's own hidden folders) and cannot hold a path
separator, whatever the scenario file was called.

Examples
--------
>>> slugify("Seed article: tracing at a mid-size company")
'seed-article-tracing-at-a-mid-size-company'
>>> slugify("../../etc/passwd")
'etc-passwd'
>>> slugify("Zürich Café")
'zurich-cafe'
>>> slugify("<<<>>>")
'scenario'
>>> slugify("CON"), slugify("lpt1")
('con-scenario', 'lpt1-scenario')
>>> unique_slugs(["a", "a", "a-2", "b"])
['a', 'a-2', 'a-2-2', 'b']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_LENGTH = 60
"""Longest slug [characters]; leaves room in a 255-byte file name for the pipeline's suffixes."""
FALLBACK = "scenario"
"""The slug of a name with nothing left after cleaning."""
RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in range(10)]
)
"""Names Windows keeps for devices (with any extension): a folder so named cannot be made or
copied there, so such a slug gets :data:`FALLBACK` appended."""


def slugify(text: str, max_length: int = MAX_LENGTH) -> str:
    """A folder name made from ``text``: ASCII letters and digits joined by single hyphens.

    Accents are dropped (``é`` -> ``e``), everything else that is not a letter or digit becomes a
    hyphen, and the result is cut to ``max_length`` characters at most.

    Parameters
    ----------
    text : str
        Any text, e.g. a scenario file's stem or a scenario's name.
    max_length : int
        Longest result [characters], at least 1.

    Returns
    -------
    str
        A slug matching ``[a-z0-9]+(-[a-z0-9]+)*``; :data:`FALLBACK` (cut to ``max_length``) when
        nothing is left; never a Windows device name (:data:`RESERVED`).
    """
    if max_length < 1:
        raise ValueError(f"max_length must be at least 1, got {max_length}")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:max_length].rstrip("-")
    if slug in RESERVED:
        slug = f"{slug}-{FALLBACK}"[:max_length].rstrip("-")
    return slug or FALLBACK[:max_length]


def unique_slugs(texts: Iterable[str], max_length: int = MAX_LENGTH) -> list[str]:
    """Slugs of ``texts`` in order, made unique by suffixes ``-2``, ``-3``... on collision.

    Parameters
    ----------
    texts : iterable of str
        Names to slugify, e.g. the stems of the scenario files of one batch.
    max_length : int
        Longest slug [characters], suffix included.

    Returns
    -------
    list of str
        One distinct slug per text; the first occurrence keeps the plain slug.
    """
    used: set[str] = set()
    out: list[str] = []
    for text in texts:
        base = slugify(text, max_length)
        slug, n = base, 1
        while slug in used:
            n += 1
            suffix = f"-{n}"
            slug = base[: max(1, max_length - len(suffix))].rstrip("-") + suffix
        used.add(slug)
        out.append(slug)
    return out
