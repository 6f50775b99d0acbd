"""A collapsible, copyable BibTeX snippet: HTML only, skipped by every other builder."""

from __future__ import annotations

import html

from docutils import nodes


class bibtex_snippet(nodes.General, nodes.Element):
    """Holds an entry's BibTeX source in ``node["source"]``."""


def visit_html(self, node: bibtex_snippet) -> None:
    self.body.append('<details class="review-bibtex"><summary>BibTeX</summary><pre>'
                     + html.escape(node["source"]) + "</pre></details>")
    raise nodes.SkipNode


def skip(self, node: bibtex_snippet) -> None:
    raise nodes.SkipNode


def add_node(app) -> None:
    handlers = {fmt: (skip, None) for fmt in ("latex", "text", "man", "texinfo")}
    app.add_node(bibtex_snippet, html=(visit_html, None), epub=(visit_html, None), **handlers)
