"""Turning BibTeX field values into the plain text a reader sees, with pylatexenc.

Only displayed fields (titles, names, venues) pass through here; links and identifiers never
do, because LaTeX decoding mangles ``&`` and ``%`` in URLs. Two rules of our own, both because a
field value is data: a bare ``%`` or ``&`` is the character (LaTeX would read a comment or an
alignment), and every run of white space, ties included, is one space.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from pylatexenc.latex2text import LatexNodes2Text

#: What only LaTeX decoding can read: a command, math, a tie, a bare ``%`` or ``&``, quotes
#: written as quote pairs, and the ``?``` / ``!``` ligatures.
_NEEDS_DECODING = re.compile(r"[\\$%&~`]|''")
_BARE = re.compile(r"(?<!\\)[%&]")
_DECODER = LatexNodes2Text(math_mode="text")


def to_text(value: str) -> str:
    """Plain Unicode text of a BibTeX value: accents composed, grouping braces dropped.

    Most values hold at most braces and dashes, and pylatexenc takes about half a millisecond
    a value, so those are read here; ``tests/test_units.py`` checks on generated values that
    this gives what pylatexenc gives.
    """
    if _NEEDS_DECODING.search(value):
        text = _decoded(value)
    else:
        text = value.replace("---", "\u2014").replace("--", "\u2013").replace("{", "").replace("}", "")
    return unicodedata.normalize("NFC", " ".join(text.split()))


@functools.lru_cache(maxsize=1 << 16)
def _decoded(value: str) -> str:
    """pylatexenc's text of *value* (venues and accented names repeat across entries)."""
    return _DECODER.latex_to_text(_BARE.sub(r"\\\g<0>", value))
