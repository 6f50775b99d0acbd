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


def bibtex(bib: BibFile, records: list[Record], keep_custom: bool = False) -> str:
    """The selected entries, preceded by every ``@string`` they may use."""
    parts = [string.raw.strip() for string in bib.library.strings]
    for record in records:
        if keep_custom:
            parts.append(record.raw.strip())
        else:
            parts.append(_without_custom(record))
    return "\n\n".join(parts) + "\n" if parts else ""


def _without_custom(record: Record) -> str:
    """The entry in canonical form with the review's own fields left out; values verbatim."""
    entry = record.entry
    kept = [f for f in entry.fields if f.key.lower() not in CUSTOM_FIELDS]
    return format_entry(model.Entry(entry.entry_type, entry.key, kept))


def _pages(record: Record) -> str:
    return re.sub(r"\s*-+\s*", "-", record.fields.get("pages", "").strip())


def _month(record: Record) -> int | None:
    month = record.fields.get("month", "").strip()
    return int(month) if month.isdigit() and 1 <= int(month) <= 12 else None


def _keywords(record: Record) -> list[str]:
    return [*record.modalities, *record.families, *(f"evaluation:{c}" for c in record.evaluation)]


def csl_item(record: Record) -> dict:
    item: dict = {"id": record.key, "type": _CSL_TYPES.get(record.entry_type, "article"),
                  "title": record.title}
    authors = [{"family": n.family, "given": n.given} if n.given else {"literal": n.family}
               for n in record.authors if n.family != "others"]
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
    if _pages(record):
        item["page"] = _pages(record)
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


def csljson(records: list[Record], indent: int | None = 2) -> str:
    """CSL-JSON; the site's downloads use ``indent=None``, which lets json use its C encoder."""
    return json.dumps([csl_item(r) for r in records], ensure_ascii=False, indent=indent) + "\n"


class _RisWriter(rispy.RisWriter):
    """rispy numbers references ("1.") before each TY line; reference managers expect none."""

    def set_header(self, count: int) -> str:
        return ""


def ris(records: list[Record]) -> str:
    items = []
    for record in records:
        item = {"type_of_reference": _RIS_TYPES.get(record.entry_type, "GEN"), "id": record.key,
                "title": record.title,
                "authors": [f"{n.family}, {n.given}".rstrip(", ") for n in record.authors if n.family != "others"]}
        if record.year:
            item["year"] = record.year
        if record.venue:
            item["secondary_title"] = record.venue
        for source, target in (("volume", "volume"), ("number", "number")):
            if record.fields.get(source, "").strip():
                item[target] = record.fields[source].strip()
        pages = _pages(record).split("-")
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
        items.append(item)
    return rispy.dumps(items, implementation=_RisWriter).lstrip("\n")


CSV_COLUMNS = ("key", "kind", "title", "authors", "year", "date", "venue", "modality", "family",
               "evaluation", "metrics", "architecture", "application", "doi", "arxiv", "url", "code",
               "basecode", "added")


def csv_text(records: list[Record]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in records:
        writer.writerow([
            r.key, r.kind, r.title, "; ".join(f"{n.family}, {n.given}".rstrip(", ") for n in r.authors),
            r.year, r.date, r.venue, ", ".join(r.modalities), ", ".join(r.families),
            ", ".join(r.evaluation), ", ".join(r.metrics), r.architecture, r.application, r.doi or "",
            r.arxiv or "", r.link("url") or "", r.link("code") or "", r.link("basecode") or "", r.added,
        ])
    return out.getvalue()


def render(fmt: str, bib: BibFile, records: list[Record], keep_custom: bool = False, compact: bool = False) -> str:
    if fmt == "bibtex":
        return bibtex(bib, records, keep_custom)
    if fmt == "csljson":
        return csljson(records, indent=None if compact else 2)
    if fmt == "ris":
        return ris(records)
    if fmt == "csv":
        return csv_text(records)
    raise ValueError(f"unknown format {fmt!r}")
