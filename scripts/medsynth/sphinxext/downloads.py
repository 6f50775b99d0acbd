"""Exports written beside the HTML site at build time, and the links to them."""

from __future__ import annotations

import hashlib
import json
import pickle
import posixpath
from pathlib import Path

from docutils import nodes

from .. import export
from ..bibfile import collector_paused
from ..fmt import write_atomically
from ..review import records_digest
from .incremental import read_stamps
from . import apparatus
from .inline import root_path
from .loader import digests, rendering_code, review_of

EXPORT_DIR = "exports"
#: (format, file suffix, label) of each download.
DOWNLOADS = (("bibtex", ".bib", "BibTeX"), ("csljson", ".json", "CSL-JSON"), ("ris", ".ris", "RIS"),
             ("csv", ".csv", "CSV"))
WHOLE_REVIEW = "review"


def serves_files(builder) -> bool:
    """Whether the output is a web site that can offer download files (not an EPUB, whose
    package admits only its own media types, nor LaTeX)."""
    return builder.format == "html" and not builder.name.startswith("epub")


def table_slug(docname: str, index: int) -> str:
    return docname.replace("/", "-") + (f"-{index + 1}" if index else "")


def links(builder, docname: str, slug: str, prefix: str) -> nodes.Node:
    """``Download ...: BibTeX · CSL-JSON · RIS · CSV`` (web output only: the files sit beside it)."""
    paragraph = nodes.paragraph(classes=["review-downloads"])
    paragraph += nodes.Text(prefix)
    root = root_path(builder, docname)
    for index, (_, suffix, label) in enumerate(DOWNLOADS):
        if index:
            paragraph += nodes.Text(" · ")
        target = posixpath.normpath(posixpath.join(root, EXPORT_DIR, f"{slug}{suffix}"))
        paragraph += nodes.reference(label, label, refuri=target)
    return paragraph


def write_exports(app, exception) -> None:
    """Write the downloads whose entries changed since the files were last written."""
    if exception is not None or not serves_files(app.builder):
        return
    domain = app.env.get_domain("review")
    outdir = Path(app.outdir) / EXPORT_DIR
    # The stamps live beside the environment (nothing of the build's own is left in the output);
    # a stamp counts only while its files are there.
    stamp_path = Path(app.doctreedir) / f"medsynth-exports-{app.builder.name}.json"
    stamps = {slug: stamp for slug, stamp in read_stamps(stamp_path).items()
              if all((outdir / f"{slug}{suffix}").is_file() for _, suffix, _ in DOWNLOADS)}
    # The whole review's files also hold what the records beside the bib say (the PRISMA counts).
    bib_digest = "".join(digests(app.env))
    if stamps.get(WHOLE_REVIEW) == bib_digest and (outdir / apparatus.PRISMA_CSV).is_file() and all(
            table_slug(d, i) in stamps for d in domain.views for i, _ in enumerate(domain.tables(d))):
        return
    review = review_of(app.env)
    outdir.mkdir(parents=True, exist_ok=True)
    # Every table's download holds its whole selection (a :limit: cuts only the rows shown), so
    # each is compared with what its file holds, whether or not its page was read again.
    wanted, fresh = {WHOLE_REVIEW: review.records}, {}
    for docname in sorted(domain.views):
        for index, selection in enumerate(domain.tables(docname)):
            wanted[table_slug(docname, index)] = review.select(selection)
    fragments = Fragments(Path(app.doctreedir) / "medsynth-exports.pickle", review.bib, rendering_code(app.env),
                          review.derived.get("rendered rows", {}))
    # A BibTeX download opens with the file's @string definitions, and the code writes it: both
    # are part of what it shows.
    context = "".join(fragments.context)
    for slug, records in wanted.items():
        fresh[slug] = bib_digest if slug == WHOLE_REVIEW else records_digest(records) + context
        if stamps.get(slug) != fresh[slug]:
            for fmt, suffix, _ in DOWNLOADS:
                text = export.render(fmt, review.bib, records, fragments=fragments)
                (outdir / f"{slug}{suffix}").write_text(text, encoding="utf-8")
    fragments.save()
    # Downloads of tables that no page has any more (a page removed, a table dropped).
    names = {f"{slug}{suffix}" for slug in wanted for _, suffix, _ in DOWNLOADS}
    for path in outdir.iterdir():
        if path.suffix in {suffix for _, suffix, _ in DOWNLOADS} and path.name not in names \
                and path.name != f"{WHOLE_REVIEW}-master.bib" and path.name != apparatus.PRISMA_CSV:
            path.unlink()
    (outdir / f"{WHOLE_REVIEW}-master.bib").write_text(review.bib.text, encoding="utf-8")
    flow = apparatus.prisma_csv(review)
    if flow is not None:
        (outdir / apparatus.PRISMA_CSV).write_text(flow, encoding="utf-8")
    write_atomically(stamp_path, json.dumps(fresh, indent=0, sort_keys=True))


class Fragments:
    """Every record's text in every download format, kept between builds.

    Keyed by the hash of the entry's verbatim source, within one set of ``@string`` definitions
    and one version of the package's code: after an edit only the edited entry is rendered again, and the
    whole review's files are joined from the rest.
    """

    def __init__(self, path: Path, bib, code: str, this_build: dict) -> None:
        self.path = path
        #: The BibTeX and RIS that the tables' rows already made in this build, by (format, key).
        self.this_build = this_build
        strings = "\0".join(string.raw for string in bib.library.strings).encode("utf-8")
        self.context = (hashlib.sha256(strings).hexdigest()[:16], code[:16])
        self.kept: dict[tuple[str, bytes], str] = {}
        self.rendered = 0
        try:
            with open(path, "rb") as cache, collector_paused():
                context, self.known = pickle.load(cache)
        except Exception:  # a missing, truncated or foreign cache is only a slower build
            context, self.known = None, {}
        if context != self.context:
            self.known = {}

    def __call__(self, fmt: str, record) -> str:
        key = (fmt, record.digest)
        if key not in self.kept:
            if key in self.known:
                self.kept[key] = self.known[key]
            else:
                made = self.this_build.get((fmt, record.key))
                self.kept[key] = export.fragment(fmt, record) if made is None else made
                self.rendered += 1
        return self.kept[key]

    def save(self) -> None:
        """Keep what this build used (so removed entries drop out), unless little of it was new
        and little of the kept went unused: rendering a few entries again costs less than
        rewriting tens of megabytes."""
        unused = len(self.known) - (len(self.kept) - self.rendered)
        if self.known and max(self.rendered, unused) <= max(100, len(self.kept) // 10):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, pickle.dumps((self.context, self.kept), protocol=pickle.HIGHEST_PROTOCOL))
