"""Rendering the placeholders left by the directives, when each page is written."""

from __future__ import annotations

import hashlib
import json
from html import escape
from pathlib import Path

from docutils import nodes

from ..fmt import write_atomically
from ..records import Record
from ..review import Review, Selection, ordered, records_digest
from ..stats import counts, group_records
from . import apparatus, downloads, letters, plots, render
from .directives import review_view
from .domain import category_anchor
from .inline import Linker, Term
from .incremental import read_stamps
from .loader import digests, review_of


def render_views(app, doctree, docname: str) -> None:
    """Replace every :class:`review_view` with its table, glossary, plot or bibliography."""
    views = list(doctree.findall(review_view))
    if not views:
        return
    review = review_of(app.env)
    domain = app.env.get_domain("review")
    bibliography, glossary = domain.page("bibliography"), domain.page("glossary")
    entry_pages = letters.entry_pages(app.env, review, bibliography) if app.builder.format == "html" else None
    used_ids: dict[str, set[str]] = {}
    for node in views:
        fromdocname = node["docname"]
        linker = Linker(app.builder, fromdocname, bibliography, glossary, used_ids.setdefault(fromdocname, set()),
                        entry_pages, rendered=review.derived.setdefault("rendered rows", {}))
        node.replace_self(_render(app, node, review, linker))


def single_page_anchors(app, doctree, docname: str) -> None:
    """Under ``singlehtml`` every page is one page, and a link made as
    ``get_relative_uri(...) + "#" + id`` (sphinxcontrib-bibtex's citations do this) reads
    ``#document-<page>#<id>``, which no browser resolves: keep only the anchor."""
    if app.builder.name != "singlehtml":
        return
    for reference in doctree.findall(nodes.reference):
        uri = reference.get("refuri", "")
        if uri.startswith("#document-") and "#" in uri[1:]:
            reference["refuri"] = "#" + uri.rsplit("#", 1)[1]


def _render(app, node: review_view, review: Review, linker: Linker) -> list[nodes.Node]:
    kind, fromdocname, html = node["view"], node["docname"], app.builder.format == "html"
    vocabulary = review.vocabulary
    if kind == "glossary":
        return render.full_glossary(vocabulary, linker)
    if kind == "bibliography":
        split = letters.split(app.env, review) if html else None
        if split is not None:
            new = [letter_index(split, fromdocname, linker)]
        else:
            new = [render.bibliography(review.records, linker, listed_in(app.env, review.records))]
        if downloads.serves_files(app.builder):
            new.insert(0, downloads.links(app.builder, fromdocname, downloads.WHOLE_REVIEW,
                                          f"Download all {len(review.records)} entries: "))
        return new
    records = review.select(node["selection"])
    if kind == "table":
        slug = downloads.table_slug(fromdocname, node["index"])
        caption = node["caption"] or f"Papers in this chapter ({len(records)})"
        rows = ordered(records, node["order"], node["limit"])
        if len(rows) < len(records):
            caption = f"{caption}: the {len(rows)} newest of {len(records)}"
        tables = render.citation_table(rows, vocabulary, caption, linker, f"table-{slug}")
        new = tables if isinstance(tables, list) else [tables]
        if downloads.serves_files(app.builder):
            new.append(downloads.links(app.builder, fromdocname, slug, f"Download these {len(records)} entries: "))
        return new
    if kind == "chapter-glossary":
        return [render.chapter_glossary(records, vocabulary, linker)]
    if kind == "sections":
        groups = group_records(records, node["by"], vocabulary)
        return render.grouped_tables(groups, node["by"], vocabulary, linker, fromdocname.replace("/", "-"),
                                     node["limit"])
    if kind == "overview":
        return overview(records, review, linker, app.env)
    if kind == "apparatus":
        return _apparatus(app, node["show"], review, linker, fromdocname)
    return [plots.plot_node(node["plot"], plots.plot_data(node["plot"], records, vocabulary), app.builder,
                            fromdocname)]


def _apparatus(app, show: str, review: Review, linker: Linker, fromdocname: str) -> list[nodes.Node]:
    if show == "prisma":
        return apparatus.prisma_nodes(review, app.builder, fromdocname, downloads.serves_files(app.builder))
    if show == "searches":
        return apparatus.searches_nodes(review)
    if show == "exclusions":
        return apparatus.exclusions_nodes(review)
    if show == "status":
        return apparatus.status_nodes(review, app.config.release)
    if show == "changes":
        return apparatus.changes_nodes(review, linker)
    return apparatus.datasets_nodes(review, linker)


def chapter_pages(env) -> dict[str, tuple[str, Selection]]:
    """Modality id -> (page, selection) of the page whose first table shows that modality alone."""
    domain = env.get_domain("review")
    pages: dict[str, tuple[str, Selection]] = {}
    for docname in sorted(domain.views):
        for selection in domain.tables(docname)[:1]:
            if len(selection.modality) == 1 and not (selection.family or selection.evaluation):
                pages.setdefault(selection.modality[0], (docname, selection))
    return pages


def listed_in(env, records: list[Record]) -> dict[str, list[tuple[str, str]]]:
    """Entry key -> the chapters (docname, title) whose tables list it, for *records*."""
    chapters = [(docname, env.titles[docname].astext() if docname in env.titles else docname, selection)
                for docname, selection in sorted(chapter_pages(env).values(), key=lambda page: page[0])]
    found: dict[str, list[tuple[str, str]]] = {}
    for record in records:
        listing = [(docname, title) for docname, title, selection in chapters if selection.matches(record)]
        if listing:
            found[record.key] = listing
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


def letter_index(split: dict[str, list], bibliography: str, linker: Linker) -> nodes.Node:
    """The split bibliography's contents: each letter, linked to its page, with its count."""
    paragraph = nodes.paragraph(classes=["review-letters"])
    paragraph += linker.nodes(letters.links(split, bibliography, counts=True))
    return paragraph


def letter_pages(app):
    """``html-collect-pages``: the split bibliography's letter pages whose entries changed.

    Each page's stamp covers its entries, the chapters (which list entries by their facets), and
    the site's navigation and configuration, so that a page is rewritten exactly when something
    it shows changed.
    """
    if app.builder.format != "html":
        return
    domain = app.env.get_domain("review")
    bibliography, glossary = domain.page("bibliography"), domain.page("glossary")
    if bibliography is None:
        return
    stamp_path = Path(app.doctreedir) / f"medsynth-letters-{app.builder.name}.json"
    stamps = read_stamps(stamp_path)
    site = repr((getattr(app.builder, "build_info", None) and app.builder.build_info.config_hash,
                 sorted(app.env.toctree_includes.items()), sorted((d, t.astext()) for d, t in app.env.titles.items())))
    everything = hashlib.sha256(repr((digests(app.env), site)).encode("utf-8")).hexdigest()
    if stamps.get("") == everything:
        return  # nothing changed: not even the bib needs loading
    review = review_of(app.env)
    split = letters.split(app.env, review) or {}
    chapters = repr(sorted(chapter_pages(app.env).items()))
    fresh = {"": everything}
    title = app.env.titles[bibliography].astext() if bibliography in app.env.titles else "References"
    for letter, records in split.items():
        pagename = letters.page_name(bibliography, letter)
        shown = records_digest(records) + chapters + site
        fresh[pagename] = hashlib.sha256(shown.encode("utf-8")).hexdigest()
        if stamps.get(pagename) == fresh[pagename] and Path(app.builder.get_outfilename(pagename)).exists():
            continue
        linker = Linker(app.builder, pagename, bibliography, glossary)
        heading = f"{title}: {letters.label(letter)}"
        index = linker.markup(letters.links(split, bibliography, counts=False))
        markup, _ = render.bibliography_markup(sorted(records, key=render.bibliography_order), linker,
                                               listed_in(app.env, records))
        body = (f'<section id="{escape(letter)}"><h1>{escape(heading)}</h1>\n'
                f'<p class="review-letters">{index}</p>\n{markup}</section>\n')
        yield pagename, {"title": heading, "body": body}, "page.html"
    write_atomically(stamp_path, json.dumps(fresh, indent=0, sort_keys=True))
