"""The checks a review entry must pass, shared by ``medsynth lint`` and the Sphinx build."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

from bibtexparser import model

from . import identifiers
from .bibfile import BibFile
from .problems import Problem
from .records import LINK_FIELDS, Record
from .vocabulary import Vocabulary

REQUIRED = ("title", "author", "year", "verified")
REQUIRED_FOR_STUDIES = ("modality", "family", "evaluation", "coding")
#: What BibTeX's standard styles need of an entry type beyond title, author and year: without it
#: a citer's bibliography is incomplete (and sphinxcontrib-bibtex warns).
REQUIRED_BY_TYPE = {"article": ("journal",), "inproceedings": ("booktitle",), "incollection": ("booktitle",),
                    "book": ("publisher",), "phdthesis": ("school",), "mastersthesis": ("school",),
                    "techreport": ("institution",)}
_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
#: Keys become anchors, file names and URL fragments: one safe pattern.
KEY = re.compile(r"[A-Za-z][A-Za-z0-9_:.+-]*\Z")
_STRAY = re.compile(r"@\s*[A-Za-z]+\s*[{(]|[{}]")


def check(bib: BibFile, vocabulary: Vocabulary, chapters: Path | None = None,
          memo: dict[str, tuple] | None = None) -> list[Problem]:
    """Every problem in *bib*, parse failures first, in file order.

    *memo*: each entry's own problems by its verbatim text and its @strings' hash, as (line within the entry, message,
    severity), from an earlier check against the same vocabulary; read, and completed with what is new."""
    problems = list(bib.problems)
    if bib.library is not None:
        problems += _stray_text(bib)
    codes = {code.upper() for code in vocabulary.categories}
    for record in bib.records:
        if memo is None:
            problems += check_record(record, vocabulary, bib.path, codes)
            continue
        # An entry's problems follow its text and the @string values it was resolved with.
        found = memo.get((record.raw, record.resolved_with))
        if found is None:
            found = memo[record.raw, record.resolved_with] = tuple((p.line - record.line, p.message, p.severity)
                                             for p in check_record(record, vocabulary, bib.path, codes))
        problems += [Problem(bib.path, record.line + offset, message, severity) for offset, message, severity in found]
    problems += _duplicate_identifiers(bib)
    problems += _keys(bib)
    if chapters is not None:
        problems += _missing_chapters(bib, chapters)
    return sorted(problems, key=lambda p: (p.path, p.line, p.message))


def check_record(record: Record, vocabulary: Vocabulary, path: str, codes: set[str],
                 today: str | None = None) -> list[Problem]:
    """*codes*: the vocabulary's evaluation codes, upper-cased once for all records; *today*: the
    build date (ISO), after which no date may lie."""
    today = today or dt.date.today().isoformat()
    problems: list[Problem] = []

    def at(name: str) -> int:
        return record.field_lines.get(name, record.line)

    def report(name: str, message: str) -> None:
        problems.append(Problem(path, at(name), f"{record.key}: {message}"))

    required = REQUIRED + (REQUIRED_FOR_STUDIES if record.kind == "study" else ()) + \
        REQUIRED_BY_TYPE.get(record.entry_type, ())
    for name in required:
        if not record.fields.get(name, "").strip():
            report(name, f"missing required field {name!r}" + (f" (an @{record.entry_type} needs it)"
                                                               if name in REQUIRED_BY_TYPE.get(record.entry_type, ())
                                                               else ""))
    for name in record.unresolved_strings:
        report("", f"undefined @string {name!r}")
    if record.kind not in vocabulary.kinds:
        report("kind", f"unknown kind {record.kind!r}{_suggest(record.kind, vocabulary.kinds)}")
    for name, known in (("modality", vocabulary.modalities), ("family", vocabulary.families),
                        ("metrics", vocabulary.metrics), ("datasets", vocabulary.datasets)):
        for value in record.ids[name]:
            if value not in known:
                report(name, f"unknown {name} {value!r}{_suggest(value, known)}")
    for name, values in record.ids.items():
        repeated = sorted({value for value in values if values.count(value) > 1})
        if repeated:
            report(name, f"{name} lists {', '.join(map(repr, repeated))} more than once")
    if record.coding and record.coding not in vocabulary.codings:
        report("coding", f"unknown coding {record.coding!r}{_suggest(record.coding, vocabulary.codings)}")
    for url in record.verified:
        if not identifiers.is_web_url(url):
            report("verified", f"verified must list http(s) URLs, not {url[:60]!r}")
    if record.fields.get("correction", "").strip() and not record.fields.get("corrected", "").strip():
        report("correction", "a correction needs the date it was made ('corrected')")
    for code in record.evaluation:
        if code not in codes:
            report("evaluation", f"unknown evaluation code {code!r} (known: {', '.join(sorted(codes))})")
    if record.year and not (record.year.isdigit() and len(record.year) == 4):
        report("year", f"year {record.year!r} is not a four-digit year")
    for name in ("date", "added", "corrected"):
        value = record.fields.get(name, "").strip()
        if value and (message := date_problem(value)):
            report(name, f"{name} {value!r} {message}")
        elif value and value > today:
            report(name, f"{name} {value!r} is after today ({today})")
    if record.date and not date_problem(record.date):
        if record.year.isdigit() and record.date[:4] > record.year:
            report("date", f"date {record.date!r} (first appearance) is after the cited version's year {record.year}")
        earliest = identifiers.arxiv_month(record.arxiv) if record.arxiv else None
        # arXiv numbers a paper by the month it is announced: a late-month submission can carry
        # the next month's number, so a full date may precede the id's month by a few days.
        slack = dt.date.fromisoformat(earliest + "-01") - dt.timedelta(days=7) if earliest else None
        first = record.date if len(record.date) == 10 else record.date + "-31"
        if earliest and first < slack.isoformat() and not (record.year.isdigit() and record.year < earliest[:4]):
            report("date", f"date {record.date!r} is before arXiv {record.arxiv}, which appeared in {earliest} "
                           "(the first appearance cannot precede it unless the cited version is older)")
    for name in LINK_FIELDS:
        value = record.fields.get(name, "").strip()
        if value and not identifiers.is_web_url(value):
            report(name, f"{name} must be an http(s) URL, not {value[:60]!r}")
    if record.fields.get("doi", "").strip() and record.doi is None:
        report("doi", f"doi {record.fields['doi'][:60]!r} is not a DOI (10.NNNN/...)")
    if record.fields.get("eprint", "").strip() and record.arxiv is None and \
            record.fields.get("archiveprefix", "arxiv").lower() == "arxiv":
        report("eprint", f"eprint {record.fields['eprint'][:60]!r} is not an arXiv id")
    return problems


def date_problem(value: str) -> str | None:
    """Why *value* is not a YYYY-MM or YYYY-MM-DD calendar date, or None."""
    match = _DATE.match(value)
    if not match:
        return "is not YYYY-MM or YYYY-MM-DD"
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError as error:
        return f"is not a real date ({error})"
    return None


def _suggest(value: str, known) -> str:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(known)})"


def _keys(bib: BibFile) -> list[Problem]:
    """Keys match :data:`KEY` and are unique ignoring case (``Case2021`` and ``case2021`` would
    share an anchor on a case-insensitive file system or in a browser's mind)."""
    problems, first = [], {}
    for record in bib.records:
        if not KEY.match(record.key):
            problems.append(Problem(bib.path, record.line, f"key {record.key!r} must match {KEY.pattern[:-2]} "
                                    "(a letter, then letters, digits and _ : . + -)"))
        folded = record.key.casefold()
        if folded in first and first[folded].key != record.key:
            earlier = first[folded]
            problems.append(Problem(bib.path, record.line, f"key {record.key!r} differs from {earlier.key!r} "
                                    f"(line {earlier.line}) only in case"))
        first.setdefault(folded, record)
    return problems


def _doi_anywhere(record: Record) -> str | None:
    """The entry's DOI from its ``doi`` field, or from a ``https://doi.org/...`` ``url``."""
    if record.doi:
        return record.doi
    url = record.fields.get("url", "")
    return identifiers.normalize_doi(url) if "doi.org/" in url.lower() else None


def _duplicate_identifiers(bib: BibFile) -> list[Problem]:
    problems = []
    for label, value_of in (("DOI", _doi_anywhere), ("arXiv id", lambda r: r.arxiv)):
        first: dict[str, Record] = {}
        for record in bib.records:
            value = value_of(record)
            if not value:
                continue
            if value in first:
                earlier = first[value]
                problems.append(Problem(bib.path, record.line, f"{record.key}: duplicate {label} {value} "
                                        f"(first at line {earlier.line}, {earlier.key})"))
            else:
                first[value] = record
    return problems


def _stray_text(bib: BibFile) -> list[Problem]:
    """Text between entries that BibTeX would skip but that looks like a broken entry."""
    problems = []
    for block in bib.library.blocks:
        if isinstance(block, model.ImplicitComment) and _STRAY.search(block.comment):
            snippet = " ".join(block.comment.split())[:60]
            problems.append(Problem(bib.path, block.start_line + 1,
                                    f"text outside any entry is ignored by BibTeX: {snippet!r}"))
    return problems


def _missing_chapters(bib: BibFile, chapters: Path) -> list[Problem]:
    first_use: dict[str, Record] = {}
    for record in bib.records:
        for modality in record.modalities:
            first_use.setdefault(modality, record)
    return [Problem(bib.path, record.line, f"{record.key}: modality {modality!r} has no chapter "
                    f"({chapters / (modality + '.md')} is missing)")
            for modality, record in first_use.items() if not (chapters / f"{modality}.md").is_file()]
