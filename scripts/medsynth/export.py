"""Exports of a selection of records: BibTeX, CSL-JSON, RIS and CSV.

BibTeX keeps each entry as written in the master file; with ``keep_custom=False`` (the default
for LaTeX users) the review's own fields are left out and the rest is written in the canonical
form of ``medsynth fmt``, every value verbatim.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable

import rispy
from bibtexparser import model

from .bibfile import BibFile
from .fmt import format_entry
from .latex import to_text
from .records import REVIEW_FIELDS, Record

CUSTOM_FIELDS = frozenset(REVIEW_FIELDS)

FORMATS = ("bibtex", "csljson", "ris", "csv")

_CSL_TYPES = {
    "article": "article-journal", "inproceedings": "paper-conference", "conference": "paper-conference",
    "incollection": "chapter", "inbook": "chapter", "book": "book", "phdthesis": "thesis",
    "mastersthesis": "thesis", "techreport": "report", "misc": "article", "unpublished": "manuscript",
}
_RIS_TYPES = {
    "article": "JOUR", "inproceedings": "CPAPER", "conference": "CPAPER", "incollection": "CHAP",
    "inbook": "CHAP", "book": "BOOK", "phdthesis": "THES", "mastersthesis": "THES",
    "techreport": "RPRT", "misc": "GEN", "unpublished": "UNPB",
}


def bibtex_entry(record: Record, keep_custom: bool = False) -> str:
    """The entry as written in the master file, or in canonical form without the review's fields."""
    if keep_custom:
        return record.raw.strip()
    entry = record.entry
    kept = [f for f in entry.fields if f.key.lower() not in CUSTOM_FIELDS]
    return format_entry(model.Entry(entry.entry_type, entry.key, kept))


def pages_of(record: Record) -> str:
    """The page range with one hyphen (``12--19`` -> ``12-19``)."""
    return re.sub(r"\s*-+\s*", "-", record.fields.get("pages", "").strip())


def _month(record: Record) -> int | None:
    month = record.fields.get("month", "").strip()
    return int(month) if month.isdigit() and 1 <= int(month) <= 12 else None


def _keywords(record: Record) -> list[str]:
    return [*record.modalities, *record.families, *(f"evaluation:{c}" for c in record.evaluation)]


def csl_item(record: Record) -> dict:
    item: dict = {"id": record.key, "type": _CSL_TYPES.get(record.entry_type, "article"),
                  "title": record.title}
    authors = [{"family": n.family, "given": n.given, **({"suffix": n.suffix} if n.suffix else {})}
               if n.given else {"literal": n.family} for n in record.authors if n.family != "others"]
    if authors:
        item["author"] = authors
    if record.year.isdigit():
        parts = [int(record.year)] + ([_month(record)] if _month(record) else [])
        item["issued"] = {"date-parts": [parts]}
    if record.venue:
        item["container-title"] = record.venue
    for source, target in (("volume", "volume"), ("number", "issue"), ("publisher", "publisher")):
        if record.fields.get(source, "").strip():
            item[target] = to_text(record.fields[source])
    if pages_of(record):
        item["page"] = pages_of(record)
    if record.doi:
        item["DOI"] = record.doi
    if record.paper_url:
        item["URL"] = record.paper_url
    if record.arxiv and record.entry_type == "misc":
        item["type"] = "article"
        item["number"] = f"arXiv:{record.arxiv}"
        item["publisher"] = "arXiv"
    if _keywords(record):
        item["keyword"] = ", ".join(_keywords(record))
    return item


class _RisWriter(rispy.RisWriter):
    """rispy numbers references ("1.") before each TY line; reference managers expect none."""

    def set_header(self, count: int) -> str:
        return ""


def ris_item(record: Record) -> dict:
    item = {"type_of_reference": _RIS_TYPES.get(record.entry_type, "GEN"), "id": record.key,
            "title": record.title,
            "authors": [f"{n.family}, {n.given}".rstrip(", ") + (f", {n.suffix}" if n.suffix else "")
                        for n in record.authors if n.family != "others"]}
    if record.year:
        item["year"] = record.year
    if record.venue:
        item["secondary_title"] = record.venue
    for source, target in (("volume", "volume"), ("number", "number")):
        if record.fields.get(source, "").strip():
            item[target] = record.fields[source].strip()
    pages = pages_of(record).split("-")
    if pages[0]:
        item["start_page"] = pages[0]
        if len(pages) > 1:
            item["end_page"] = pages[-1]
    if record.doi:
        item["doi"] = record.doi
    if record.paper_url:
        item["urls"] = [record.paper_url]
    if _keywords(record):
        item["keywords"] = _keywords(record)
    return item


CSV_COLUMNS = ("key", "kind", "title", "authors", "year", "date", "venue", "modality", "family",
               "evaluation", "metrics", "architecture", "application", "doi", "arxiv", "url", "code",
               "basecode", "added")


def csv_row(record: Record) -> list[str]:
    r = record
    return [
        r.key, r.kind, r.title, "; ".join(f"{n.family_suffixed}, {n.given}".rstrip(", ") for n in r.authors),
        r.year, r.date, r.venue, ", ".join(r.modalities), ", ".join(r.families),
        ", ".join(r.evaluation), ", ".join(r.metrics), r.architecture, r.application, r.doi or "",
        r.arxiv or "", r.link("url") or "", r.link("code") or "", r.link("basecode") or "", r.added,
    ]


def _csv_line(values) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(values)
    return out.getvalue()


def fragment(fmt: str, record: Record, keep_custom: bool = False) -> str:
    """One record in *fmt*: the unit that :func:`render` joins, and that the site caches."""
    if fmt == "bibtex":
        return bibtex_entry(record, keep_custom)
    if fmt == "csljson":
        return json.dumps(csl_item(record), ensure_ascii=False)
    if fmt == "ris":
        return rispy.dumps([_one_line(ris_item(record))], implementation=_RisWriter)
    if fmt == "csv":
        return _csv_line([_inert(value) for value in csv_row(record)])
    raise ValueError(f"unknown format {fmt!r}")


def _one_line(item):
    """RIS is one tag a line: a line break inside a value would start a tag (or end the record
    with an early ``ER  -``), so every run of white space becomes one space."""
    if isinstance(item, dict):
        return {name: _one_line(value) for name, value in item.items()}
    if isinstance(item, list):
        return [_one_line(value) for value in item]
    return " ".join(item.split()) if isinstance(item, str) else item


#: What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: a value that would start a formula gets a leading
    apostrophe (the convention spreadsheets themselves use for literal text)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def render(fmt: str, bib: BibFile, records: list[Record], keep_custom: bool = False,
           fragments: Callable[[str, Record], str] | None = None) -> str:
    """The file of *records* in *fmt*, assembled from their :func:`fragment`s (or *fragments*,
    a cached equivalent). CSL-JSON is written one item per line."""
    parts = [fragments(fmt, r) if fragments else fragment(fmt, r, keep_custom) for r in records]
    if fmt == "bibtex":
        parts = [string.raw.strip() for string in bib.library.strings] + parts
        return "\n\n".join(parts) + "\n" if parts else ""
    if fmt == "csljson":
        return "[\n" + ",\n".join(parts) + "\n]\n" if parts else "[]\n"
    if fmt == "ris":
        return "\n".join(parts)
    return _csv_line(CSV_COLUMNS) + "".join(parts)
