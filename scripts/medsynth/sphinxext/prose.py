"""Feeding sphinxcontrib-bibtex only the entries that prose pages cite.

sphinxcontrib-bibtex parses every entry of its bib files with pybtex on each change, which
costs about a millisecond an entry. Prose cites a handful of papers (tables and the
bibliography page are rendered by this extension), so before the build starts we copy just
the cited entries, verbatim, into a small file and point ``bibtex_bibfiles`` at it.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..fmt import write_atomically

_CITE = re.compile(r"\{(?:foot)?cite(?::[a-z]+)?\}`([^`]*)`|:(?:foot)?cite(?::[a-z]+)?:`([^`]*)`")
_STRING = re.compile(r"@string\s*[{(]", re.IGNORECASE)


def cited_keys(srcdir: Path, suffixes) -> set[str]:
    keys: set[str] = set()
    for path in sorted(srcdir.rglob("*")):
        if path.suffix in suffixes and "_build" not in path.parts and path.is_file():
            for match in _CITE.finditer(path.read_text(encoding="utf-8", errors="replace")):
                keys.update(k.strip() for k in (match.group(1) or match.group(2)).split(",") if k.strip())
    return keys


def _block_at(text: str, start: int) -> str:
    """The ``@type{...}`` block starting at *start*, up to its matching closing delimiter."""
    opening = start + re.match(r"@\s*\w+\s*", text[start:]).end()
    # Braces always nest; a block opened with "(" also counts parentheses.
    opens, closes = ("{", "}") if text[opening] == "{" else ("{(", "})")
    depth = 0
    for index in range(opening, len(text)):
        char = text[index]
        if char in opens:
            depth += 1
        elif char in closes:
            depth -= 1
            if depth == 0:
                return text[start:index + 1]
    return text[start:]


def cited_subset(bib_text: str, keys: set[str]) -> str:
    """@string blocks, then every entry whose key is in *keys*, verbatim."""
    blocks = [_block_at(bib_text, m.start()) for m in _STRING.finditer(bib_text)]
    if keys:
        pattern = re.compile(r"@\s*(?!string|comment|preamble)\w+\s*[{(]\s*(" +
                             "|".join(re.escape(k) for k in sorted(keys)) + r")\s*,", re.IGNORECASE)
        blocks += [_block_at(bib_text, m.start()) for m in pattern.finditer(bib_text)]
    return "\n\n".join(blocks) + "\n"


def write_cited_bibfile(app, config) -> None:
    """``config-inited``: write the subset and make it sphinxcontrib-bibtex's only bib file."""
    if not config.review_cited_bibfile:
        return
    confdir = Path(app.confdir)
    target = confdir / config.review_cited_bibfile
    source = (confdir / config.review_bibfile).read_text(encoding="utf-8", errors="replace")
    text = cited_subset(source, cited_keys(Path(app.srcdir), tuple(config.source_suffix)))
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        write_atomically(target, text)  # a second build at once (make serve) never reads half a file
    config.bibtex_bibfiles = [str(target)]
