"""The ``review`` domain: which page shows which part of the review, and where anchors live.

Its data (pickled with the environment) holds per-document state, so ``-j`` workers merge
cleanly: the filters of each page's views, and which page holds the full glossary and the
bibliography; and what the last build showed (:class:`.state.LastBuild`, written after reading,
in the main process). The instance holds this run's :class:`.state.BuildState`.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.domains import Domain
from sphinx.util import logging

from .state import BuildState, LastBuild

logger = logging.getLogger(__name__)

_KINDS = ("views", "glossary", "bibliography")


def entry_anchor(key: str) -> str:
    """The HTML id of an entry: its key, made a valid id (``Foo:2019ab`` -> ``foo-2019ab``)."""
    if _PLAIN_ID.match(key):  # already what make_id returns (most keys; a build asks for thousands)
        return key
    return nodes.make_id(key) or "entry"


_PLAIN_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")


def category_anchor(code: str) -> str:
    return f"category-{code.lower()}"


def metric_anchor(metric: str) -> str:
    return f"metric-{nodes.make_id(metric)}"


class ReviewDomain(Domain):
    name = "review"
    label = "Systematic review"
    initial_data = {
        "views": {},  # docname -> list of (Selection, what the view shows: a tuple, see incremental)
        "glossary": {},  # docname -> True for the page holding the full glossary
        "bibliography": {},  # docname -> True for the page listing every entry
        "last build": None,  # LastBuild, or None before the first build or if keys repeated
        "chapters": None,  # (modality, its chapter page, the table's selection), sorted
    }

    def __init__(self, env) -> None:
        super().__init__(env)
        self.build = BuildState()

    @property
    def last_build(self) -> LastBuild | None:
        return self.data["last build"]

    @property
    def views(self) -> dict[str, list]:
        return self.data["views"]

    def note_view(self, docname: str, selection, shows: tuple) -> int:
        """Record a view; returns the number of tables on the page before this one."""
        views = self.views.setdefault(docname, [])
        index = sum(kind[0] == "table" for _, kind in views)
        views.append((selection, shows))
        return index

    def tables(self, docname: str) -> list:
        return [selection for selection, kind in self.views.get(docname, []) if kind[0] == "table"]

    def note_page(self, kind: str, docname: str, location) -> None:
        others = [d for d in self.data[kind] if d != docname]
        if others:
            logger.warning("a second %s page; the first is %s", kind, others[0], location=location)
        self.data[kind][docname] = True

    def page(self, kind: str) -> str | None:
        return next(iter(sorted(self.data[kind])), None)

    def review_pages(self) -> set[str]:
        return {docname for kind in _KINDS for docname in self.data[kind]}

    def clear_doc(self, docname: str) -> None:
        for kind in _KINDS:
            self.data[kind].pop(docname, None)

    def merge_domaindata(self, docnames, otherdata) -> None:
        for kind in _KINDS:
            for docname in docnames:
                if docname in otherdata[kind]:
                    self.data[kind][docname] = otherdata[kind][docname]
