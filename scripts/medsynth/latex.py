"""Turning BibTeX field values into the plain text a reader sees.

Only displayed fields (titles, names, venues) pass through here; links and identifiers never
do, because LaTeX decoding mangles ``&`` and ``%`` in URLs. What is not a known escape, accent
or text macro stays literal: a ``$`` or an unknown ``\\command`` is shown, never interpreted.
"""

from __future__ import annotations

import re
import unicodedata

_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
    "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
    "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323", "b": "\u0331",
}
_LETTERS = {
    "ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ",
    "oe": "œ", "OE": "Œ", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ",
}
_ESCAPES = {"&": "&", "%": "%", "_": "_", "$": "$", "#": "#", "{": "{", "}": "}", " ": " "}
_TEXT_MACROS = {"emph", "textit", "textbf", "textrm", "textsf", "texttt", "textsc", "mbox", "textup", "url"}

_TOKEN = re.compile(
    r"""\\(?P<accent>['`^"~=.])\s*(?:\{(?P<abody>\\?[A-Za-z]?)\}|(?P<achar>\\?[A-Za-z]))"""
    r"""|\\(?P<laccent>[uvHckrdb])(?:\s*\{(?P<lbody>\\?[A-Za-z]?)\}|\s+(?P<lchar>[A-Za-z]))"""
    r"""|\\(?P<escape>[&%_$#{} ])"""
    r"""|\\(?P<macro>[A-Za-z]+)(?![A-Za-z])\s*"""
    r"""|(?P<dash>---?)|(?P<tie>~)|(?P<brace>[{}])|(?P<other>[^\\{}~-]+|.)""",
    re.DOTALL,
)


def _letter(body: str) -> str:
    """The base letter under an accent: ``\\i`` and ``\\j`` are the dotless letters LaTeX puts an
    accent on, so ``{\\'\\i}`` is an í, not a dotless ı with an accent."""
    return body.lstrip("\\")


def to_text(value: str) -> str:
    """Plain Unicode text of a BibTeX value: accents composed, grouping braces dropped."""
    if "\\" not in value and "{" not in value and "~" not in value and "-" not in value:
        return " ".join(value.split())
    out: list[str] = []
    for match in _TOKEN.finditer(value):
        kind = match.lastgroup
        if kind in ("accent", "abody", "achar"):
            accent = match.group("accent")
            body = match.group("abody") if match.group("abody") is not None else match.group("achar")
            out.append(_letter(body or "") + _ACCENTS[accent])
        elif kind in ("laccent", "lbody", "lchar"):
            body = match.group("lbody") if match.group("lbody") is not None else match.group("lchar")
            out.append(_letter(body or "") + _ACCENTS[match.group("laccent")])
        elif kind == "escape":
            out.append(_ESCAPES[match.group("escape")])
        elif kind == "macro":
            name = match.group("macro")
            if name in _LETTERS:
                out.append(_LETTERS[name])
            elif name not in _TEXT_MACROS:
                out.append(match.group(0))
        elif kind == "dash":
            out.append("\u2014" if match.group("dash") == "---" else "\u2013")
        elif kind == "tie":
            out.append("\u00a0")
        elif kind == "brace":
            continue
        else:
            out.append(match.group(0))
    return unicodedata.normalize("NFC", " ".join("".join(out).split()))
