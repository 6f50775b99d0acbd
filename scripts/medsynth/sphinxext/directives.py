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
from ..stats import AXES
from .loader import vocabulary_of
from .plots import KINDS as PLOTS


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
    "coding": _ids,
    "datasets": _ids,
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


def _order(argument: str | None) -> str:
    return directives.choice(argument, ("date", "added"))


class ReviewTable(_ReviewDirective):
    """``review-table``: one row per matching entry, newest first (by date, or by ``:order: added``);
    ``:limit: N`` keeps the first N rows."""

    option_spec = dict(_FILTERS, caption=directives.unchanged, order=_order, limit=directives.positive_int)

    def run(self) -> list[nodes.Node]:
        selection = self.selection()
        order, limit = self.options.get("order", "date"), self.options.get("limit", 0)
        index = self.env.get_domain("review").note_view(self.env.docname, selection, ("table", order, limit))
        return [self.view("table", selection=selection, index=index, caption=self.options.get("caption", ""),
                          order=order, limit=limit)]


class ReviewSections(_ReviewDirective):
    """``review-sections``: the matching entries grouped ``:by:`` an axis, one table per group;
    ``:limit: N`` shows each group's N newest papers and says how many more there are."""

    option_spec = dict(_FILTERS, by=lambda argument: directives.choice(argument, AXES),
                       limit=directives.positive_int)

    def run(self) -> list[nodes.Node]:
        if "by" not in self.options:
            raise self.error("review-sections needs :by: (one of " + ", ".join(AXES) + ")")
        selection = self.selection()
        by, limit = self.options["by"], self.options.get("limit", 0)
        self.env.get_domain("review").note_view(self.env.docname, selection, ("sections", by, limit))
        return [self.view("sections", selection=selection, by=by, limit=limit)]


class ReviewOverview(_ReviewDirective):
    """``review-overview``: how many papers per modality, family and evaluation category."""

    def run(self) -> list[nodes.Node]:
        selection = self.selection()
        self.env.get_domain("review").note_view(self.env.docname, selection, ("counts",))
        return [self.view("overview", selection=selection)]


class ReviewPlot(_ReviewDirective):
    """``review-plot``: a figure drawn from the bib (``:plot:`` year-family, modality-family, ...)."""

    option_spec = dict(_FILTERS, plot=lambda argument: directives.choice(argument, tuple(PLOTS)))

    def run(self) -> list[nodes.Node]:
        if "plot" not in self.options:
            raise self.error("review-plot needs :plot: (one of " + ", ".join(PLOTS) + ")")
        plot = self.options["plot"]
        selection = self.selection()
        self.env.get_domain("review").note_view(self.env.docname, selection, ("counts",))
        return [self.view("plot", selection=selection, plot=plot)]


#: What ``review-apparatus`` can show: each is drawn from the bib and the records beside it.
APPARATUS = ("prisma", "searches", "exclusions", "status", "changes", "datasets")


class ReviewApparatus(_ReviewDirective):
    """``review-apparatus``: part of the systematic review's apparatus (``:show:`` prisma,
    searches, exclusions, status, changes or datasets)."""

    option_spec = {"show": lambda argument: directives.choice(argument, APPARATUS)}

    def run(self) -> list[nodes.Node]:
        if "show" not in self.options:
            raise self.error("review-apparatus needs :show: (one of " + ", ".join(APPARATUS) + ")")
        # The flow, the searches and the status count entries by their facets; what changed and
        # the datasets list entries (by label, with their corrections): any edit may change those.
        shows = ("entries",) if self.options["show"] in ("changes", "datasets") else ("counts",)
        self.env.get_domain("review").note_view(self.env.docname, Selection(), shows)
        return [self.view("apparatus", selection=Selection(), show=self.options["show"])]


class MetricGlossary(_ReviewDirective):
    """``metric-glossary``: the full glossary with ``:all:``, else the codes and metrics a filter's entries use."""

    option_spec = dict(_FILTERS, all=directives.flag)

    def run(self) -> list[nodes.Node]:
        domain = self.env.get_domain("review")
        if "all" in self.options:
            domain.note_page("glossary", self.env.docname, self.get_location())
            return [self.view("glossary")]
        selection = self.selection()
        domain.note_view(self.env.docname, selection, ("glossary",))
        return [self.view("chapter-glossary", selection=selection)]


class ReviewBibliography(_ReviewDirective):
    """``review-bibliography``: every entry, alphabetically, each at its key's anchor."""

    option_spec = {}

    def run(self) -> list[nodes.Node]:
        self.env.get_domain("review").note_page("bibliography", self.env.docname, self.get_location())
        return [self.view("bibliography")]
