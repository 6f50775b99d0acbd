"""Rendering the placeholders left by the directives, when each page is written."""

from __future__ import annotations

from docutils import nodes

from ..review import Review, Selection, ordered
from ..stats import counts, group_records
from . import downloads, plots, render
from .directives import review_view
from .inline import Linker, Term
from .domain import category_anchor
from .loader import review_of


def render_views(app, doctree, docname: str) -> None:
    """Replace every :class:`review_view` with its table, glossary, plot or bibliography."""
    views = list(doctree.findall(review_view))
    if not views:
        return
    review = review_of(app.env)
    domain = app.env.get_domain("review")
    bibliography, glossary = domain.page("bibliography"), domain.page("glossary")
    used_ids: dict[str, set[str]] = {}
    for node in views:
        fromdocname = node["docname"]
        linker = Linker(app.builder, fromdocname, bibliography, glossary,
                               used_ids.setdefault(fromdocname, set()))
        node.replace_self(_render(app, node, review, linker))


def _render(app, node: review_view, review: Review, linker: Linker) -> list[nodes.Node]:
    kind, fromdocname, html = node["view"], node["docname"], app.builder.format == "html"
    vocabulary = review.vocabulary
    if kind == "glossary":
        return render.full_glossary(vocabulary, linker)
    if kind == "bibliography":
        new = [render.bibliography(review.records, linker, listed_in(app.env, review))]
        if html:
            new.insert(0, downloads.links(fromdocname, downloads.WHOLE_REVIEW,
                                          f"Download all {len(review.records)} entries: "))
        return new
    records = review.select(node["selection"])
    if kind == "table":
        slug = downloads.table_slug(fromdocname, node["index"])
        caption = node["caption"] or f"Papers in this chapter ({len(records)})"
        rows = ordered(records, node["order"], node["limit"])
        if len(rows) < len(records):
            caption = f"{caption}: the {len(rows)} newest of {len(records)}"
        new = [render.citation_table(rows, vocabulary, caption, linker, f"table-{slug}")]
        if html:
            new.append(downloads.links(fromdocname, slug, f"Download these {len(records)} entries: "))
        return new
    if kind == "chapter-glossary":
        return [render.chapter_glossary(records, vocabulary, linker)]
    if kind == "sections":
        groups = group_records(records, node["by"], vocabulary)
        return render.grouped_tables(groups, node["by"], vocabulary, linker, fromdocname.replace("/", "-"),
                                     node["limit"])
    if kind == "overview":
        return overview(records, review, linker, app.env)
    return [plots.plot_node(node["plot"], plots.plot_data(node["plot"], records, vocabulary), app.builder,
                            fromdocname)]


def chapter_pages(env) -> dict[str, tuple[str, Selection]]:
    """Modality id -> (page, selection) of the page whose first table shows that modality alone."""
    domain = env.get_domain("review")
    pages: dict[str, tuple[str, Selection]] = {}
    for docname in sorted(domain.views):
        for selection in domain.tables(docname)[:1]:
            if len(selection.modality) == 1 and not (selection.family or selection.evaluation):
                pages.setdefault(selection.modality[0], (docname, selection))
    return pages


def listed_in(env, review: Review) -> dict[str, list[tuple[str, str]]]:
    """Entry key -> the chapters (docname, title) whose tables list it."""
    found: dict[str, list[tuple[str, str]]] = {}
    for docname, selection in sorted(chapter_pages(env).values(), key=lambda page: page[0]):
        title = env.titles[docname].astext() if docname in env.titles else docname
        for record in review.select(selection):
            found.setdefault(record.key, []).append((docname, title))
    return found


def overview(records, review: Review, linker: Linker, env) -> list[nodes.Node]:
    """Counts per modality (linked to its chapter), model family and evaluation category."""
    vocabulary, total = review.vocabulary, len(records)
    chapters = chapter_pages(env)
    by_modality, by_family, by_code = counts(records, "modality"), counts(records, "family"), counts(records, "evaluation")

    def chapter_link(modality: str) -> nodes.Node:
        title = vocabulary.modalities[modality].title
        if modality in chapters:
            uri = linker.builder.get_relative_uri(linker.fromdocname, chapters[modality][0])
            return nodes.reference("", "", nodes.Text(title), internal=True, refuri=uri)
        return nodes.Text(title)

    return [
        render.counts_table(f"Papers per modality ({total} in all)",
                            [(chapter_link(m), by_modality.get(m, 0)) for m in vocabulary.modalities], total,
                            "counts-modality"),
        render.counts_table("Papers per model family",
                            [(nodes.Text(t.title), by_family.get(f, 0)) for f, t in vocabulary.families.items()], total,
                            "counts-family"),
        render.counts_table("Papers per evaluation category",
                            [(linker.nodes([Term("category", category_anchor(c), f"{c}: {t.title}")])[0], by_code.get(c, 0))
                             for c, t in vocabulary.categories.items()], total, "counts-evaluation"),
    ]
