"""A fast path for splitting well-formed BibTeX into bibtexparser's own model objects.

bibtexparser's splitter walks each value mark by mark in Python, which is most of the time
``medsynth lint`` spends on a 20,000-entry review. Here one compiled regular expression (with
atomic groups, so it cannot backtrack badly) matches a whole field, and the same ``Library``
of ``Entry``/``Field``/``String``/... blocks is built, with the same raw text and line numbers.
On anything unusual (unbalanced braces, braces nested deeper than :data:`DEPTH`, duplicate
fields, an entry that never closes) it returns ``None`` and the caller parses with
bibtexparser, whose failed blocks carry the located error messages.

Given the entries of an earlier parse by their verbatim text, an entry whose text is unchanged
is not matched again: it becomes a :class:`DeferredEntry`, whose fields are matched if read.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping

import bibtexparser
from bibtexparser import model

DEPTH = 8


def _braced(depth: int) -> str:
    inner = r"\{[^{}]*+\}"
    for _ in range(depth):
        inner = r"\{(?:[^{}]++|" + inner + r")*+\}"
    return inner


_BRACED = _braced(DEPTH)
# In quotes bibtexparser counts no braces: a quote ends the value unless a backslash precedes it
# or it stands as ``{"}`` with text after.
_QUOTED = r'"(?:[^"\\{]++|\\++"?|\{"(?=\}[\s\S])|\{)*+"'
_PART = r"(?:" + _BRACED + r"|" + _QUOTED + r'|[^\s,#{}()"=]++)'
_VALUE = _PART + r"(?:\s*+#\s*+" + _PART + r")*+"
_NAME = r"[^\s=,{}()\"#%]++"
_FIELD = re.compile(r"\s*+(" + _NAME + r")\s*+=\s*+(" + _VALUE + r")")
# What follows a field: a comma, or the entry's closing brace; or, after a comma, that brace.
_AFTER = re.compile(r"\s*+([,}])")
_CLOSE = re.compile(r"\s*+\}")
_ENTRY = re.compile(r"@([A-Za-z_]\w*+)[ \t]*+\{\s*+([^\s,{}()=\"#%'~]++)\s*+,")
_AT = re.compile(r"@([A-Za-z_]\w*+)[ \t]*+([{(])")
_SPECIAL = re.compile(r"@(comment|preamble|string)[ \t]*+(" + _BRACED + ")", re.IGNORECASE)
# What bibtexparser reads otherwise than these expressions do: a brace or line end after a
# backslash is none to it, a block may have a type that is no name (``@{``, ``@1{``), and a block
# start at the beginning of a line ends any value.
_UNUSUAL = re.compile(r"\\[{}\n]|@(?![A-Za-z_])\w*+[ \t]*+[{(]")
_LINE_START_BLOCK = re.compile(r"\n[ \t]*+@\w*+[ \t]*+[{(]")
_STRING_BODY = re.compile(r"\s*+([^\s=,{}()\"#%]++)\s*+=\s*+(" + _VALUE + r")\s*+\Z")


class _GiveUp(Exception):
    pass


def split(text: str, known: Mapping[str, tuple[str, str]] | None = None) -> bibtexparser.Library | None:
    """The library of *text*, or None if it holds anything the fast path does not take.

    *known*: the (entry type, key) of entries parsed before, by their raw text."""
    if _UNUSUAL.search(text):
        return None
    newlines = [m.start() for m in re.finditer("\n", text)]

    def line(offset: int) -> int:
        return bisect.bisect_left(newlines, offset)

    def comment(start: int, end: int) -> None:
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            first = start + len(chunk) - len(chunk.lstrip())
            blocks.append(model.ImplicitComment(stripped, start_line=line(first), raw=stripped))

    blocks: list[model.Block] = []
    position = 0
    try:
        while True:
            at = _AT.search(text, position)
            if not at:
                comment(position, len(text))
                break
            comment(position, at.start())
            kind = at.group(1).lower()
            if kind in ("comment", "preamble", "string"):
                position = _special(text, at, kind, line(at.start()), blocks)
            else:
                position = (known and _reused(text, at.start(), line, blocks, known)) or \
                    _entry(text, at.start(), line, blocks)
    except _GiveUp:
        return None
    library = bibtexparser.Library()
    library.add(blocks, fail_on_duplicate_key=False)
    return library


def _entry(text: str, start: int, line, blocks: list) -> int:
    head = _ENTRY.match(text, start)
    if not head:
        raise _GiveUp
    first_line = line(start)
    fields, names = [], set()
    counted, count = start, first_line  # line numbers by counting newlines forward, not bisecting
    new_field, count_newlines, match_field, match_after = model.Field, text.count, _FIELD.match, _AFTER.match
    position = head.end()
    while True:  # fields, each followed by a comma or the closing brace, or the closing brace
        field = match_field(text, position)
        if field is None:
            close = _CLOSE.match(text, position)
            if close is None:
                raise _GiveUp
            end = close.end()
            break
        name, value = field.group(1, 2)
        names.add(name.lower())
        name_start = field.start(1)
        count += count_newlines("\n", counted, name_start)
        counted = name_start
        fields.append(new_field(name, value, start_line=count))
        after = match_after(text, field.end())
        if after is None:
            raise _GiveUp
        if after.group(1) == "}":
            end = after.end()
            break
        position = after.end()
    if len(names) < len(fields):
        raise _GiveUp  # a field set twice: bibtexparser reports it
    if _LINE_START_BLOCK.search(text, start, end):
        raise _GiveUp  # bibtexparser ends the entry there
    blocks.append(model.Entry(head.group(1).lower(), head.group(2), fields, start_line=first_line,
                              raw=text[start:end]))
    return end


def _reused(text: str, start: int, line, blocks: list, known: Mapping[str, tuple[str, str]]) -> int | None:
    """Where an entry that was parsed before ends, if the text from *start* to the next line
    starting with ``@`` is exactly its raw text; the parse of a text cannot depend on what follows."""
    end = text.find("\n@", start)
    raw = text[start:len(text) if end < 0 else end].rstrip()
    if raw not in known:
        return None
    entry_type, key = known[raw]
    blocks.append(DeferredEntry(entry_type, key, None, start_line=line(start), raw=raw))
    return start + len(raw)


class DeferredEntry(model.Entry):
    """An entry known from an earlier parse of the same text: its fields are matched only when
    first read (most builds never read them, having the entry's record already)."""

    @property
    def _fields(self) -> list[model.Field]:
        if self._matched is None:
            try:
                blocks: list = []
                _entry(self.raw, 0, lambda _: self.start_line, blocks)
                self._matched = blocks[0].fields
            except _GiveUp:  # first parsed by bibtexparser
                entry = bibtexparser.parse_string(self.raw, parse_stack=[]).entries[0]
                self._matched = [model.Field(f.key, f.value, start_line=f.start_line + self.start_line)
                                 for f in entry.fields]
        return self._matched

    @_fields.setter
    def _fields(self, fields: list[model.Field] | None) -> None:
        self._matched = fields


def _special(text: str, at: re.Match, kind: str, start_line: int, blocks: list) -> int:
    match = _SPECIAL.match(text, at.start())
    if not match or at.group(2) != "{":
        raise _GiveUp
    raw, inner = match.group(0), match.group(2)[1:-1]
    if kind == "comment":
        blocks.append(model.ExplicitComment(inner.strip(), start_line=start_line, raw=raw))
    elif kind == "preamble":
        blocks.append(model.Preamble(inner.strip(), start_line=start_line, raw=raw))
    else:
        body = _STRING_BODY.match(inner)
        if not body:
            raise _GiveUp
        blocks.append(model.String(body.group(1), body.group(2), start_line=start_line, raw=raw))
    return match.end()
