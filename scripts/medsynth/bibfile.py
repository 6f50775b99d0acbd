"""Reading a BibTeX file once, verbatim, with every parse failure located.

The library is parsed with no bibtexparser middlewares, so it can be written back byte for
byte (see :mod:`medsynth.fmt`); values are resolved for reading by :mod:`medsynth.records`.
Well-formed files take the fast path of :mod:`medsynth.fastparse`; anything else goes through
bibtexparser, whose failed blocks locate the errors. Given an earlier parse (:class:`Reusable`),
entries whose text did not change are taken from it.
"""

from __future__ import annotations

import gc
import hashlib
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser import model

from . import fastparse
from .problems import Problem
from .records import Record, resolve_value

# bibtexparser logs every failed block itself; we report them, located, instead.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL + 1)


@dataclass
class BibFile:
    path: str
    text: str
    digest: str
    library: bibtexparser.Library | None
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: The ``@string`` values, resolved.
    strings: dict[str, str] = field(default_factory=dict)
    #: How many records were taken from an earlier parse.
    reused: int = 0


@dataclass
class Reusable:
    """The records of an earlier parse by their verbatim text, and the ``@string`` values they
    were resolved with. A parse given them takes them over: they become its records."""
    strings: dict[str, str]
    records: dict[str, Record]

    @classmethod
    def of(cls, bib: BibFile) -> Reusable:
        return cls(bib.strings, {record.raw: record for record in bib.records})


def read_bib(path: str | Path, reuse: Reusable | None = None) -> BibFile:
    path = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return BibFile(path, "", "", None, problems=[Problem(path, 0, f"cannot read file: {error.strerror}")])
    return parse_bib(data, path, reuse)


def parse_bib(data: bytes | str, path: str = "<string>", reuse: Reusable | None = None) -> BibFile:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return BibFile(path, "", digest, None, problems=[Problem(
            path, line, f"file is not valid UTF-8 (byte 0x{raw[error.start]:02x} at column {column}); "
            "save it as UTF-8")])
    with collector_paused():
        return _parse_text(text, digest, path, reuse)


@contextmanager
def collector_paused():
    """Pause Python's cycle collector while parsing: the parse allocates hundreds of thousands of
    objects and no cycles, and collections re-scanning that growing heap took half its time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse_text(text: str, digest: str, path: str, reuse: Reusable | None) -> BibFile:
    known = {raw: (record.entry_type, record.key) for raw, record in reuse.records.items()} if reuse else None
    library = fastparse.split(text, known) or bibtexparser.parse_string(text, parse_stack=[])
    bib = BibFile(path, text, digest, library)
    bib.problems.extend(_failed_block_problems(path, library))
    strings = bib.strings
    for string in library.strings:
        missing: list[str] = []
        strings[string.key.lower()] = resolve_value(string.value, strings, missing)
    earlier = reuse.records if reuse and reuse.strings == strings else {}
    resolved_with = hashlib.sha256(repr(sorted(strings.items())).encode("utf-8")).hexdigest() if strings else ""
    for entry in library.entries:
        record = earlier.get(entry.raw)
        if record is None:
            bib.records.append(_record(entry, strings, resolved_with))
        else:
            bib.records.append(record.moved(entry))
            bib.reused += 1
    return bib


def _record(entry: model.Entry, strings: dict[str, str], resolved_with: str) -> Record:
    missing: list[str] = []
    fields, lines = {}, {}
    for item in entry.fields:
        name = item.key.lower()
        fields[name] = resolve_value(item.value, strings, missing)
        lines[name] = item.start_line + 1
    return Record(entry.key, entry.entry_type.lower(), entry.start_line + 1, fields, lines,
                  entry.raw, unresolved_strings=missing, resolved_with=resolved_with, entry=entry)


def _failed_block_problems(path: str, library: bibtexparser.Library) -> list[Problem]:
    problems = []
    for block in library.failed_blocks:
        line = block.start_line + 1
        if isinstance(block, model.DuplicateBlockKeyBlock):
            where = block._previous_block.start_line + 1
            problems.append(Problem(path, line, f"duplicate key {block.key!r} (first at line {where})"))
        elif isinstance(block, model.DuplicateFieldKeyBlock):
            names = ", ".join(sorted(block._duplicate_keys))
            key = block.ignore_error_block.key
            problems.append(Problem(path, line, f"entry {key!r} sets {names} more than once"))
        else:
            error = getattr(block, "error", None)
            reason = getattr(error, "abort_reason", None) or str(error) or "syntax error"
            head = block.raw.strip().splitlines()[0][:60] if block.raw.strip() else ""
            problems.append(Problem(path, line, f"cannot parse {head!r}: {reason.strip()}"))
    return problems
