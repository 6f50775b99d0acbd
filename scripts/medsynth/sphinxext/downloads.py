"""Exports written beside the HTML site at build time, and the links to them."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

from docutils import nodes

from .. import export
from ..review import records_digest, select
from .loader import digests, review_of

EXPORT_DIR = "exports"
#: (format, file suffix, label) of each download.
DOWNLOADS = (("bibtex", ".bib", "BibTeX"), ("csljson", ".json", "CSL-JSON"), ("ris", ".ris", "RIS"),
             ("csv", ".csv", "CSV"))
WHOLE_REVIEW = "review"


def table_slug(docname: str, index: int) -> str:
    return docname.replace("/", "-") + (f"-{index + 1}" if index else "")


def links(docname: str, slug: str, prefix: str) -> nodes.Node:
    """``Download ...: BibTeX · CSL-JSON · RIS · CSV`` (HTML output only: the files sit beside it)."""
    paragraph = nodes.paragraph(classes=["review-downloads"])
    paragraph += nodes.Text(prefix)
    for index, (_, suffix, label) in enumerate(DOWNLOADS):
        if index:
            paragraph += nodes.Text(" · ")
        target = posixpath.relpath(f"{EXPORT_DIR}/{slug}{suffix}", posixpath.dirname(docname) or ".")
        paragraph += nodes.reference(label, label, refuri=target)
    return paragraph


def write_exports(app, exception) -> None:
    """Write the downloads whose entries changed since the files were last written."""
    if exception is not None or app.builder.format != "html":
        return
    domain = app.env.get_domain("review")
    outdir = Path(app.outdir) / EXPORT_DIR
    stamp_path = outdir / ".stamps.json"
    try:
        stamps = json.loads(stamp_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stamps = {}
    bib_digest = digests(app.env)[0]
    if stamps.get(WHOLE_REVIEW) == bib_digest and all(
            table_slug(d, i) in stamps for d in domain.views for i, _ in enumerate(domain.tables(d))):
        return
    review = review_of(app.env)
    outdir.mkdir(parents=True, exist_ok=True)
    wanted = {WHOLE_REVIEW: review.records}
    for docname in sorted(domain.views):
        for index, selection in enumerate(domain.tables(docname)):
            wanted[table_slug(docname, index)] = select(review.records, selection)
    fresh = {}
    for slug, records in wanted.items():
        fresh[slug] = bib_digest if slug == WHOLE_REVIEW else records_digest(records)
        if stamps.get(slug) != fresh[slug]:
            _write(outdir, slug, review, records)
    (outdir / f"{WHOLE_REVIEW}-master.bib").write_text(review.bib.text, encoding="utf-8")
    stamp_path.write_text(json.dumps(fresh, indent=0, sort_keys=True), encoding="utf-8")


def _write(outdir: Path, slug: str, review, records) -> None:
    for fmt, suffix, _ in DOWNLOADS:
        (outdir / f"{slug}{suffix}").write_text(export.render(fmt, review.bib, records, compact=True), encoding="utf-8")
