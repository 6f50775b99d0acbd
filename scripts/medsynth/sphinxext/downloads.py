"""Exports written beside the HTML site at build time, and the links to them."""

from __future__ import annotations

import posixpath
from pathlib import Path

from docutils import nodes
from sphinx import addnodes

from .. import export
from ..review import select
from .loader import review_of

EXPORT_DIR = "exports"
#: (format, file suffix, label) of each download.
DOWNLOADS = (("bibtex", ".bib", "BibTeX"), ("csljson", ".json", "CSL-JSON"), ("ris", ".ris", "RIS"),
             ("csv", ".csv", "CSV"))
WHOLE_REVIEW = "review"


def table_slug(docname: str, index: int) -> str:
    return docname.replace("/", "-") + (f"-{index + 1}" if index else "")


def links(docname: str, slug: str, prefix: str) -> nodes.Node:
    """``Download ...: BibTeX · CSL-JSON · RIS · CSV``, in HTML output only."""
    paragraph = nodes.paragraph(classes=["review-downloads"])
    paragraph += nodes.Text(prefix)
    for index, (_, suffix, label) in enumerate(DOWNLOADS):
        if index:
            paragraph += nodes.Text(" · ")
        target = posixpath.relpath(f"{EXPORT_DIR}/{slug}{suffix}", posixpath.dirname(docname) or ".")
        paragraph += nodes.reference(label, label, refuri=target)
    only = addnodes.only(expr="html")
    only += paragraph
    return only


def write_exports(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    review = review_of(app.env)
    outdir = Path(app.outdir) / EXPORT_DIR
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / f"{WHOLE_REVIEW}-master.bib").write_text(review.bib.text, encoding="utf-8")
    _write(outdir, WHOLE_REVIEW, review, review.records)
    for docname, tables in sorted(app.env.get_domain("review").tables.items()):
        for index, (selection, _, keys) in enumerate(t for t in tables if t[2] is not None):
            _write(outdir, table_slug(docname, index), review, select(review.records, selection))


def _write(outdir: Path, slug: str, review, records) -> None:
    for fmt, suffix, _ in DOWNLOADS:
        text = export.render(fmt, review.bib, records)
        path = outdir / f"{slug}{suffix}"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
