"""A large review's bibliography, split into one HTML page per initial letter.

One page holding 20,000 references is tens of megabytes of HTML: slow to open, slow and
memory-hungry to write, and rewritten on every edit since every edit changes it. Above
``review_bibliography_split_above`` entries, the HTML bibliography page lists the letters and
each letter gets a page of its own (see :func:`.resolve.letter_pages`), rewritten only when its
entries change. The PDF and the other builders keep the single list.
"""

from __future__ import annotations

from ..records import Record
from .domain import entry_anchor
from .inline import PageLink, Piece, joined


def letter_of(record: Record) -> str:
    """``a``..``z`` for the first author's family name (``Łukasiewicz`` is under ``l``), else ``other``."""
    initial = record.sort_name[:1]
    return initial if "a" <= initial <= "z" else "other"


def split(env, review) -> dict[str, list[Record]] | None:
    """Letter -> its records, in the bib's order (a letter page sorts its own); None while the
    bibliography fits one page."""
    if len(review.records) <= env.config.review_bibliography_split_above:
        return None
    if "letters" not in review.derived:
        letters: dict[str, list[Record]] = {}
        for record in review.records:
            letters.setdefault(letter_of(record), []).append(record)
        review.derived["letters"] = dict(sorted(letters.items(), key=lambda item: (item[0] == "other", item[0])))
    return review.derived["letters"]


def label(letter: str) -> str:
    return letter.upper() if len(letter) == 1 else letter.capitalize()


def page_name(bibliography: str, letter: str) -> str:
    return f"{bibliography}/{letter}"


def links(split: dict[str, list[Record]], bibliography: str, counts: bool) -> list[Piece]:
    """``A · B · ...`` (with each letter's count if *counts*), each linked to its page."""
    return joined([PageLink(page_name(bibliography, letter), "",
                            label(letter) + (f" ({len(records)})" if counts else ""))
                   for letter, records in split.items()], " · ")


def entry_pages(env, review, bibliography: str | None) -> dict[str, str] | None:
    """Entry anchor -> the letter page that holds it, when the bibliography is split."""
    letters = split(env, review)
    if letters is None or bibliography is None:
        return None
    if "entry-pages" not in review.derived:
        review.derived["entry-pages"] = {entry_anchor(record.key): page_name(bibliography, letter)
                                         for letter, records in letters.items() for record in records}
    return review.derived["entry-pages"]
