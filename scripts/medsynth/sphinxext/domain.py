"""The ``review`` domain: which page shows which entries, and where every anchor lives.

It holds per-document state only (so ``-j`` workers merge cleanly) and resolves the cross
references that tables and glossaries leave as ``pending_xref`` nodes.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.domains import Domain
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

logger = logging.getLogger(__name__)


def entry_anchor(key: str) -> str:
    """The HTML id of an entry: its key, made a valid id (``Foo:2019ab`` -> ``foo-2019ab``)."""
    return nodes.make_id(key) or "entry"


def category_anchor(code: str) -> str:
    return f"category-{code.lower()}"


def metric_anchor(metric: str) -> str:
    return f"metric-{nodes.make_id(metric)}"


class ReviewDomain(Domain):
    name = "review"
    label = "Systematic review"
    dangling_warnings = {
        "entry": "no page lists entry %(target)s (add a review-bibliography directive)",
        "category": "no glossary page defines %(target)s (add a metric-glossary directive with :all:)",
        "metric": "no glossary page defines %(target)s (add a metric-glossary directive with :all:)",
    }
    initial_data = {
        "tables": {},  # docname -> list of (selection, fingerprint, keys or None for a glossary)
        "glossary": {},  # docname -> True for the page holding the full glossary
        "bibliography": {},  # docname -> True for the page listing every entry
    }

    @property
    def tables(self) -> dict[str, list]:
        return self.data["tables"]

    def note_table(self, docname: str, selection, fingerprint: str, keys: list[str]) -> None:
        self.tables.setdefault(docname, []).append((selection, fingerprint, keys))

    def note_page(self, kind: str, docname: str, location) -> None:
        others = [d for d in self.data[kind] if d != docname]
        if others:
            logger.warning("a second %s page; the first is %s", kind, others[0], location=location)
        self.data[kind][docname] = True

    def page(self, kind: str) -> str | None:
        return next(iter(sorted(self.data[kind])), None)

    def clear_doc(self, docname: str) -> None:
        for kind in ("tables", "glossary", "bibliography"):
            self.data[kind].pop(docname, None)

    def merge_domaindata(self, docnames, otherdata) -> None:
        for kind in ("tables", "glossary", "bibliography"):
            for docname in docnames:
                if docname in otherdata[kind]:
                    self.data[kind][docname] = otherdata[kind][docname]

    def resolve_xref(self, env, fromdocname, builder, typ, target, node, contnode):
        kind = "bibliography" if typ == "entry" else "glossary"
        todocname = self.page(kind)
        if todocname is None:
            return None
        return make_refnode(builder, fromdocname, todocname, target, contnode)

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        return []

    def get_objects(self):
        return []
