"""The directives a MyST page uses to show part of the review.

They validate their options and leave a small :class:`review_view` placeholder; the rows are
rendered when the page is written (:mod:`.resolve`), so reading a page, pickling it and running
Sphinx's read-time transforms cost the same for 10 entries as for 20,000.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..review import Selection
from .loader import vocabulary_of


class review_view(nodes.General, nodes.Element):
    """Placeholder for a generated view: ``view`` is table, glossary, chapter-glossary or bibliography."""


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
        unknown = selection.unknown_ids(vocabulary_of(self.env))
        if unknown:
            raise self.error(f"{self.name}: " + "; ".join(unknown))
        return selection

    def view(self, kind: str, **attributes) -> review_view:
        node = review_view(view=kind, docname=self.env.docname, **attributes)
        node.source, node.line = self.get_source_info()
        return node


class ReviewTable(_ReviewDirective):
    """``review-table``: one row per matching entry, newest first."""

    option_spec = dict(_FILTERS, caption=directives.unchanged)

    def run(self) -> list[nodes.Node]:
        selection = self.selection()
        index = self.env.get_domain("review").note_view(self.env.docname, selection, table=True)
        return [self.view("table", selection=selection, index=index, caption=self.options.get("caption", ""))]


class MetricGlossary(_ReviewDirective):
    """``metric-glossary``: the full glossary with ``:all:``, else the codes and metrics a filter's entries use."""

    option_spec = dict(_FILTERS, all=directives.flag)

    def run(self) -> list[nodes.Node]:
        domain = self.env.get_domain("review")
        if "all" in self.options:
            domain.note_page("glossary", self.env.docname, self.get_location())
            return [self.view("glossary")]
        selection = self.selection()
        domain.note_view(self.env.docname, selection, table=False)
        return [self.view("chapter-glossary", selection=selection)]


class ReviewBibliography(_ReviewDirective):
    """``review-bibliography``: every entry, alphabetically, each at its key's anchor."""

    option_spec = {}

    def run(self) -> list[nodes.Node]:
        self.env.get_domain("review").note_page("bibliography", self.env.docname, self.get_location())
        return [self.view("bibliography")]
