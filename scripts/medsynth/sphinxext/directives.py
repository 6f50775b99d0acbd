"""The directives a MyST page uses to show part of the review."""

from __future__ import annotations

import hashlib

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..review import Selection, select
from . import downloads, render
from .loader import review_of


def _ids(argument: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (argument or "").split(",") if part.strip())


def _codes(argument: str | None) -> tuple[str, ...]:
    return tuple(code.upper() for code in _ids(argument))


_FILTERS = {
    "modality": _ids,
    "family": _ids,
    "evaluation": _codes,
    "kind": _ids,
    "scenario": _ids,
    "since": directives.unchanged,
}


class _ReviewDirective(SphinxDirective):
    """Shared by the views: reads the filter options into a :class:`Selection`."""

    option_spec = dict(_FILTERS)

    def selection(self) -> Selection:
        values = {name: self.options[name] for name in _FILTERS if name in self.options}
        values.setdefault("kind", ("study",))
        selection = Selection(**values)
        unknown = selection.unknown_ids(review_of(self.env).vocabulary)
        if unknown:
            raise self.error(f"{self.name}: " + "; ".join(unknown))
        return selection

    def records(self):
        return select(review_of(self.env).records, self.selection())


def fingerprint(records) -> str:
    """What a table shows, hashed: a page is re-read only when this changes."""
    digest = hashlib.sha256()
    for record in records:
        digest.update(record.raw.encode("utf-8"))
    return digest.hexdigest()


class ReviewTable(_ReviewDirective):
    """``review-table``: one row per matching entry, newest first."""

    option_spec = dict(_FILTERS, caption=directives.unchanged)

    def run(self) -> list[nodes.Node]:
        review = review_of(self.env)
        selection = self.selection()
        records = select(review.records, selection)
        domain = self.env.get_domain("review")
        index = sum(keys is not None for _, _, keys in domain.tables.get(self.env.docname, []))
        domain.note_table(self.env.docname, selection, fingerprint(records), [r.key for r in records])
        caption = self.options.get("caption") or f"Papers in this chapter ({len(records)})"
        slug = downloads.table_slug(self.env.docname, index)
        return [render.citation_table(records, review.vocabulary, caption),
                downloads.links(self.env.docname, slug, f"Download these {len(records)} entries: ")]


class MetricGlossary(_ReviewDirective):
    """``metric-glossary``: the full glossary with ``:all:``, else the codes and metrics a filter's entries use."""

    option_spec = dict(_FILTERS, all=directives.flag)

    def run(self) -> list[nodes.Node]:
        review = review_of(self.env)
        if "all" in self.options:
            self.env.get_domain("review").note_page("glossary", self.env.docname, self.get_location())
            return render.full_glossary(review.vocabulary)
        selection = self.selection()
        records = select(review.records, selection)
        self.env.get_domain("review").note_table(self.env.docname, selection, fingerprint(records), None)
        return [render.chapter_glossary(records, review.vocabulary)]


class ReviewBibliography(SphinxDirective):
    """``review-bibliography``: every entry, alphabetically, each at its key's anchor."""

    def run(self) -> list[nodes.Node]:
        review = review_of(self.env)
        self.env.get_domain("review").note_page("bibliography", self.env.docname, self.get_location())
        return [downloads.links(self.env.docname, downloads.WHOLE_REVIEW,
                                f"Download all {len(review.records)} entries: "),
                render.bibliography(review.records)]
