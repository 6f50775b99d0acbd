"""What a table cell or a reference shows, written once and emitted two ways.

A cell is a list of pieces. For HTML, each piece writes its own escaped markup, so a table of
20,000 rows is a few string joins rather than a million docutils nodes to build, translate and
hold in memory; for every other builder (LaTeX above all) the same pieces become docutils nodes.
Either way a value from the bib is only ever text or a link target, never markup.
"""

from __future__ import annotations

import posixpath
from html import escape
from typing import NamedTuple, Union

from docutils import nodes


def root_path(builder, docname: str) -> str:
    """The relative path from *docname*'s output file to the output folder's root: the page's
    folder under ``html``, the page's own folder under ``dirhtml``, the root under ``singlehtml``."""
    folder = posixpath.dirname(builder.get_target_uri(docname).split("#", 1)[0])
    return posixpath.relpath(".", folder or ".")


class Linker:
    """Links from one page to entries (the bibliography), terms (the glossary) and other pages."""

    def __init__(self, builder, fromdocname: str, bibliography: str | None, glossary: str | None,
                 used_ids: set[str] | None = None, entry_pages: dict[str, str] | None = None,
                 rendered: dict | None = None):
        self.builder, self.fromdocname = builder, fromdocname
        #: What rows render the same on every page (an entry's COinS, BibTeX and RIS), by (kind,
        #: entry key): an entry listed in several tables is rendered once per build.
        self.rendered = {} if rendered is None else rendered
        self.html = builder.format == "html"
        self.used_ids = set() if used_ids is None else used_ids
        self.pages = {"entry": bibliography, "category": glossary, "metric": glossary}
        #: anchor -> page, when the bibliography is split into pages (see :mod:`.letters`).
        self.entry_pages = entry_pages
        self.uris: dict[str, str] = {}

    def page_uri(self, docname: str) -> str:
        """What precedes ``#anchor`` in a link to *docname*: computed once per page and target."""
        if docname == self.fromdocname:
            return ""
        if docname not in self.uris:
            uri = self.builder.get_relative_uri(self.fromdocname, docname)
            # singlehtml gives "#document-<page>": every page is this one, and anchors are global.
            self.uris[docname] = "" if uri.startswith("#") else uri
        return self.uris[docname]

    def href(self, kind: str, anchor: str) -> str | None:
        """The link to an entry, category or metric; None when no page holds them."""
        page = self.pages[kind]
        if kind == "entry" and self.entry_pages is not None:
            page = self.entry_pages.get(anchor, page)
        return None if page is None else f"{self.page_uri(page)}#{anchor}"

    def claim(self, anchor: str) -> bool:
        """True the first time *anchor* is asked for on this page: ids must be unique."""
        if anchor in self.used_ids:
            return False
        self.used_ids.add(anchor)
        return True

    def anchor(self, element: nodes.Element, anchor: str) -> None:
        """Give *element* the id *anchor* if it is still free; outside HTML a target carries it."""
        if not self.claim(anchor):
            return
        if self.html:
            element["ids"].append(anchor)
        else:
            element.insert(0, nodes.target("", "", ids=[anchor]))

    def nodes(self, pieces: list[Piece]) -> list[nodes.Node]:
        return [node for piece in pieces for node in piece.nodes(self)]

    def markup(self, pieces: list[Piece]) -> str:
        return "".join(piece.markup(self) for piece in pieces)


def _internal(href: str) -> nodes.reference:
    """A reference node for *href* (``#anchor`` is this page)."""
    if href.startswith("#"):
        return nodes.reference("", "", internal=True, refid=href[1:])
    return nodes.reference("", "", internal=True, refuri=href)


class Text(NamedTuple):
    text: str

    def nodes(self, linker: Linker) -> list[nodes.Node]:
        return [nodes.Text(self.text)]

    def markup(self, linker: Linker) -> str:
        return escape(self.text)


class Span(NamedTuple):
    """Text with a class, e.g. a title the stylesheet puts on its own line."""
    text: str
    classes: str

    def nodes(self, linker: Linker) -> list[nodes.Node]:
        return [nodes.inline(self.text, self.text, classes=self.classes.split())]

    def markup(self, linker: Linker) -> str:
        return f'<span class="{self.classes}">{escape(self.text)}</span>'


class Term(NamedTuple):
    """A link to an entry, category or metric (``kind``) at its anchor on the page that holds them."""
    kind: str
    anchor: str
    text: str

    def nodes(self, linker: Linker) -> list[nodes.Node]:
        label = nodes.inline(self.text, self.text, classes=["xref", "review-" + self.kind])
        href = linker.href(self.kind, self.anchor)
        if href is None:
            return [label]
        reference = _internal(href)
        reference += label
        return [reference]

    def markup(self, linker: Linker) -> str:
        label = f'<span class="xref review-{self.kind}">{escape(self.text)}</span>'
        href = linker.href(self.kind, self.anchor)
        if href is None:
            return label
        return f'<a class="reference internal" href="{escape(href)}">{label}</a>'


class PageLink(NamedTuple):
    """A link to *anchor* on any page (a chapter's row, a section of a view), or to its top."""
    docname: str
    anchor: str
    text: str

    def href(self, linker: Linker) -> str:
        uri = linker.page_uri(self.docname)
        return f"{uri}#{self.anchor}" if self.anchor or not uri else uri

    def nodes(self, linker: Linker) -> list[nodes.Node]:
        reference = _internal(self.href(linker))
        reference += nodes.inline(self.text, self.text)
        return [reference]

    def markup(self, linker: Linker) -> str:
        href = self.href(linker)
        return f'<a class="reference internal" href="{escape(href)}"><span>{escape(self.text)}</span></a>'


class Url(NamedTuple):
    """An external link; the URL was checked to be http(s) when the record was read."""
    url: str
    text: str

    def nodes(self, linker: Linker) -> list[nodes.Node]:
        return [nodes.reference(self.text, self.text, refuri=self.url, classes=["review-link"])]

    def markup(self, linker: Linker) -> str:
        return f'<a class="review-link reference external" href="{escape(self.url)}">{escape(self.text)}</a>'


class BibTeX(NamedTuple):
    """An entry's source, collapsible and copyable in HTML; left out of the PDF."""
    source: str

    def nodes(self, linker: Linker) -> list[nodes.Node]:
        return []

    def markup(self, linker: Linker) -> str:
        # Not a <pre>: the theme reads the layout of every <pre> on the page, one after another,
        # which takes minutes on a chapter of a few thousand rows.
        return ('<details class="review-bibtex"><summary>BibTeX</summary><code class="review-bibtex-source">'
                + escape(self.source) + "</code></details>")


class Coins(NamedTuple):
    """A COinS span (its ContextObject already URL-encoded); web pages only."""
    context: str

    def nodes(self, linker: Linker) -> list[nodes.Node]:
        return []

    def markup(self, linker: Linker) -> str:
        return f'<span class="Z3988" title="{escape(self.context)}"></span>'


Piece = Union[Text, Span, Term, PageLink, Url, BibTeX, Coins]


def joined(items: list[Piece], separator: str = ", ") -> list[Piece]:
    out: list[Piece] = []
    for index, item in enumerate(items):
        if index:
            out.append(Text(separator))
        out.append(item)
    return out


def plain_text(pieces: list[Piece]) -> str:
    """The words a reader could search for (for the search index)."""
    return " ".join(piece.text for piece in pieces if isinstance(piece, (Text, Span, Term, PageLink)))


class prerendered(nodes.General, nodes.Element):
    """Rows or items already written as HTML in ``node["html"]``.

    Its one ``Text`` child holds their words, so that Sphinx's search index still finds them.
    Only HTML builders get this node; the others get the same pieces as docutils nodes.
    """


def visit_prerendered(translator, node: prerendered) -> None:
    translator.body.append(node["html"])
    raise nodes.SkipNode


def add_node(app) -> None:
    app.add_node(prerendered, html=(visit_prerendered, None), epub=(visit_prerendered, None))
