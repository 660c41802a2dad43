"""Errors meant for people: one line naming the file, field or row, what was wrong and what is
allowed. The command line prints them without a traceback and exits with code 2.

Input text never reaches a message whole: :func:`excerpt` quotes at most a few dozen characters of
a value, :func:`escaped` writes control characters as escapes, and :func:`plain` is what scenario
text keeps of itself (no terminal control sequences, no bidirectional overrides).
"""

from __future__ import annotations

import re
import reprlib
import unicodedata

EXCERPT_CHARS = 40
"""Longest quote of input text in a message [characters]."""
PROBLEM_CHARS = 400
"""Longest one problem line [characters]; a longer one is cut."""

_KEEP = frozenset("\n\t")
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, clearing the screen
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC: titles, links
    r"|\x1b[@-_]?"  # any other escape
)


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(_BIDI)) + "]")
"""What :func:`plain` removes: the control characters (Unicode category Cc) but line feed and
tab, and the bidirectional overrides; one regular expression, so long texts are cleaned fast."""


_SURROGATE = re.compile("[\ud800-\udfff]")
"""Halves of UTF-16 surrogate pairs, which escapes in YAML and JSON can produce: no encoding
can write one alone."""


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" or char in _BIDI


def plain(text: str) -> str:
    """``text`` without control characters (line breaks and tabs kept) and bidirectional
    overrides, surrogate pairs joined and lone surrogates replaced by U+FFFD: what a terminal, a
    table or a page may show of a scenario's text.

    >>> plain("Acme\\x1b[2J\\u202eCorp\\r\\nline two\\x07")
    'AcmeCorp\\nline two'
    >>> plain("\\ud83d\\ude80 \\ud83d")
    '🚀 \\ufffd'
    """
    if text.isprintable():
        return text
    if _SURROGATE.search(
        text
    ):  # "\\ud83d\\ude80" in YAML or JSON: pairs joined, lone ones replaced
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def escaped(text: str, limit: int = EXCERPT_CHARS) -> str:
    """``text`` with control characters written as escapes and cut to ``limit`` characters.

    >>> escaped("bad\\x1b[31mkey"), escaped("x" * 50, 10)
    ('bad\\\\x1b[31mkey', 'xxxxxxxxx…')
    """
    out = "".join(
        c.encode("unicode_escape").decode("ascii") if _is_control(c) or c == "\n" else c
        for c in (text if len(text) <= 4 * limit else text[: 4 * limit])
    )
    return out if len(out) <= limit else out[: limit - 1] + "…"


_REPR = reprlib.Repr()
_REPR.maxstring = EXCERPT_CHARS
_REPR.maxother = EXCERPT_CHARS
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 4
_REPR.maxlevel = 2


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """A short, escaped quote of an input value for a message (``repr`` style).

    >>> excerpt("fast"), excerpt([1, 2, 3, 4, 5, 6]), len(excerpt("y" * 10_000)) <= 40
    ("'fast'", '[1, 2, 3, 4, ...]', True)
    """
    return escaped(_REPR.repr(value), limit)


class UserError(Exception):
    """A problem with the user's input or usage; its message is shown as it is."""


class ScenarioError(UserError):
    """A scenario file that cannot be read or is not valid; one message line per problem.

    The path and every problem are shown with control characters escaped and cut to
    :data:`PROBLEM_CHARS`, so a message is always one line per problem on a terminal."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = escaped(path, PROBLEM_CHARS)
        self.problems = [escaped(p, PROBLEM_CHARS) for p in problems]
        super().__init__("\n".join(f"{self.path}: {p}" for p in self.problems))
