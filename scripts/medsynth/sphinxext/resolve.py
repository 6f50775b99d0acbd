"""Rendering the placeholders left by the directives, when each page is written."""

from __future__ import annotations

from ..review import select
from . import downloads, render
from .directives import review_view
from .loader import review_of


def render_views(app, doctree, docname: str) -> None:
    """Replace every :class:`review_view` with its table, glossary or bibliography."""
    views = list(doctree.findall(review_view))
    if not views:
        return
    env = app.env
    review = review_of(env)
    domain = env.get_domain("review")
    bibliography, glossary = domain.page("bibliography"), domain.page("glossary")
    html = app.builder.format == "html"
    for node in views:
        fromdocname = node["docname"]
        linker = render.Linker(app.builder, fromdocname, bibliography, glossary)
        kind = node["view"]
        if kind == "table":
            records = select(review.records, node["selection"])
            caption = node["caption"] or f"Papers in this chapter ({len(records)})"
            slug = downloads.table_slug(fromdocname, node["index"])
            new = [render.citation_table(records, review.vocabulary, caption, linker, f"table-{slug}")]
            if html:
                new.append(downloads.links(fromdocname, slug, f"Download these {len(records)} entries: "))
        elif kind == "chapter-glossary":
            new = [render.chapter_glossary(select(review.records, node["selection"]), review.vocabulary, linker)]
        elif kind == "glossary":
            new = render.full_glossary(review.vocabulary, linker)
        else:
            new = [render.bibliography(review.records, linker)]
            if html:
                new.insert(0, downloads.links(fromdocname, downloads.WHOLE_REVIEW,
                                              f"Download all {len(review.records)} entries: "))
        node.replace_self(new)
