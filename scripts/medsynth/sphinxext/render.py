"""Records and vocabulary -> docutils nodes (and, for the big views in HTML, markup).

Every value from the bib enters the page as text or a link target (see :mod:`.inline`), never
as markup to be parsed, so titles holding ``<script>``, MyST roles or ``%&_$#`` stay data. The
views are built when a page is written, after Sphinx's read-time transforms, so smart quotes
never rewrite ``O'Brien`` or ``"x"`` either.
"""

from __future__ import annotations

import functools

from html import escape
from urllib.parse import quote, urlencode, urlsplit

from docutils import nodes

from .. import export, identifiers
from ..records import Record
from ..review import ordered
from ..vocabulary import Vocabulary
from .domain import category_anchor, entry_anchor, metric_anchor
from .inline import BibTeX, Coins, Linker, PageLink, Piece, Span, Term, Text, Url, joined, plain_text, prerendered

#: (header, relative width) of the citation table's columns.
TABLE_COLUMNS = (
    ("Paper", 30),
    ("Family", 9),
    ("Application", 14),
    ("Architecture", 15),
    ("Links", 9),
    ("Evaluation", 12),
    ("Date", 8),
)


def _cell(*children: nodes.Node) -> nodes.entry:
    entry = nodes.entry()
    paragraph = nodes.paragraph()
    for child in children:
        paragraph += child
    entry += paragraph
    return entry


def links_of(record: Record) -> list[Piece]:
    found = []
    if record.paper_url:
        found.append(Url(record.paper_url, "paper"))
    if record.link("code"):
        found.append(Url(record.link("code"), "code"))
    if record.link("basecode"):
        found.append(Url(record.link("basecode"), "base code"))
    return joined(found, " · ")


def coins(record: Record) -> str:
    """The entry as an OpenURL ContextObject (COinS, Z39.88-2004), which Zotero's connector and
    other reference managers read from a page to offer every item on it."""
    get = record.fields.get
    book = record.entry_type in ("inproceedings", "incollection", "book")
    pairs = [("ctx_ver", "Z39.88-2004"),
             ("rft_val_fmt", "info:ofi/fmt:kev:mtx:" + ("book" if book else "journal")),
             ("rft.genre", "proceeding" if record.entry_type == "inproceedings" else "bookitem" if book
              else "article" if record.entry_type == "article" else "preprint"),
             ("rft.atitle", record.title)]
    if record.venue:
        pairs.append(("rft.btitle" if book else "rft.jtitle", record.venue))
    elif record.arxiv:
        pairs.append(("rft.jtitle", "arXiv"))
    names = [n for n in record.authors if n.family != "others"]
    if names:
        pairs += [("rft.aulast", names[0].family), ("rft.aufirst", names[0].given)]
    pairs += [("rft.au", " ".join(part for part in (n.given, n.family, n.suffix) if part)) for n in names]
    if record.year:
        pairs.append(("rft.date", record.year))
    for field, key in (("volume", "rft.volume"), ("number", "rft.issue")):
        if get(field, "").strip():
            pairs.append((key, get(field).strip()))
    pages = export.pages_of(record)
    if pages:
        first, _, last = pages.partition("-")
        pairs += [("rft.pages", pages), ("rft.spage", first)] + ([("rft.epage", last)] if last else [])
    if record.doi:
        pairs.append(("rft_id", f"info:doi/{record.doi}"))
    if record.arxiv:
        pairs.append(("rft_id", f"info:arxiv/{record.arxiv}"))
    if record.paper_url:
        pairs.append(("rft_id", record.paper_url))
    return urlencode(pairs, quote_via=quote)


def shared(linker: Linker, kind: str, record: Record, make) -> str:
    """What renders the same wherever the entry is listed (its COinS, its BibTeX and RIS), made
    once per build: the downloads take the BibTeX and RIS from here too (see :mod:`.downloads`)."""
    found = linker.rendered.get((kind, record.key))
    if found is None:
        found = linker.rendered[kind, record.key] = make(record)
    return found


def row_cells(record: Record, vocabulary: Vocabulary, linker: Linker) -> list[list[Piece]]:
    """What each of the :data:`TABLE_COLUMNS` shows for *record*."""
    return [
        [Term("entry", entry_anchor(record.key), record.label), Text(" "), Span(record.title, "review-title"),
         Coins(shared(linker, "coins", record, coins))],
        [Text(", ".join(vocabulary.short(f) for f in record.families))],
        [Text(record.application)],
        [Text(record.architecture)],
        links_of(record) + [Text(" "), BibTeX(record.raw)],
        joined([Term("category", category_anchor(c), c) for c in record.evaluation], " "),
        [Text(record.date or record.year)],
    ]


def row_classes(record: Record) -> list[str]:
    """The facets the table's filters read (see ``static/review.js``)."""
    return (["review-row", f"year-{record.year}"] + [f"family-{f}" for f in record.families]
            + [f"eval-{c.lower()}" for c in record.evaluation]
            + ([f"coding-{record.coding}"] if record.coding else []))


def table_row(record: Record, vocabulary: Vocabulary, linker: Linker) -> nodes.row:
    row = nodes.row(classes=row_classes(record))
    for cell in row_cells(record, vocabulary, linker):
        row += _cell(*linker.nodes(cell))
    linker.anchor(row if linker.html else row[0][0], entry_anchor(record.key))
    return row


def table_row_markup(record: Record, vocabulary: Vocabulary, linker: Linker) -> tuple[str, str]:
    """The row as HTML, and its words for the search index."""
    cells = row_cells(record, vocabulary, linker)
    anchor = entry_anchor(record.key)
    id_attribute = f' id="{escape(anchor)}"' if linker.claim(anchor) else ""
    markup = "".join(f"<td><p>{linker.markup(cell)}</p></td>" for cell in cells)
    words = " ".join(plain_text(cell) for cell in cells[:4])
    # What the in-browser basket downloads for a ticked row: the entry as BibTeX and as RIS.
    bibtex = shared(linker, "bibtex", record, functools.partial(export.fragment, "bibtex"))
    ris = shared(linker, "ris", record, functools.partial(export.fragment, "ris"))
    basket = f' data-bibtex="{escape(bibtex)}" data-ris="{escape(ris)}"'
    return f'<tr class="{escape(" ".join(row_classes(record)))}"{id_attribute}{basket}>{markup}</tr>\n', words


#: Rows per table in print: TeX holds a whole longtable in its main memory, which a table of a
#: few thousand rows exhausts; the rows continue in the next table, its caption says so.
PRINT_ROWS = 400


def citation_table(records: list[Record], vocabulary: Vocabulary, caption: str, linker: Linker,
                   table_id: str) -> nodes.Node | list[nodes.Node]:
    if not records:
        return nodes.paragraph("", "No entry of the review matches this table yet.", classes=["review-empty"])
    if linker.html or len(records) <= PRINT_ROWS:
        return _citation_table(records, vocabulary, caption, linker, table_id)
    parts = range(0, len(records), PRINT_ROWS)
    return [_citation_table(records[start:start + PRINT_ROWS], vocabulary,
                            caption if not index else f"{caption} (continued, rows {start + 1} to "
                                                      f"{min(start + PRINT_ROWS, len(records))})",
                            linker, table_id if not index else f"{table_id}-{index + 1}")
            for index, start in enumerate(parts)]


def _citation_table(records: list[Record], vocabulary: Vocabulary, caption: str, linker: Linker,
                    table_id: str) -> nodes.Node:
    table = nodes.table(classes=["review-table", "longtable", "colwidths-given"], ids=[table_id])
    table += nodes.title(caption, caption)
    group = nodes.tgroup(cols=len(TABLE_COLUMNS))
    table += group
    for _, width in TABLE_COLUMNS:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    header = nodes.row()
    for name, _ in TABLE_COLUMNS:
        header += _cell(nodes.Text(name))
    head += header
    group += head
    body = nodes.tbody()
    if linker.html:
        parts = [table_row_markup(record, vocabulary, linker) for record in records]
        body += prerendered("", nodes.Text("\n".join(words for _, words in parts)),
                            html="".join(markup for markup, _ in parts))
    else:
        for record in records:
            body += table_row(record, vocabulary, linker)
    group += body
    return table


def _definition_item(anchor: str, term_text: str, children: list[nodes.Node],
                     linker: Linker) -> nodes.definition_list_item:
    item = nodes.definition_list_item()
    term = nodes.term(term_text, term_text)
    linker.anchor(term, anchor)
    item += term
    definition = nodes.definition()
    for child in children:
        definition += child
    item += definition
    return item


def full_glossary(vocabulary: Vocabulary, linker: Linker) -> list[nodes.Node]:
    """Every evaluation category with its metrics: the page that all glossary links point to."""
    out: list[nodes.Node] = []
    categories = nodes.definition_list(classes=["review-glossary"])
    for code, category in vocabulary.categories.items():
        text = category.definition
        if category.source == "ours":
            text += (" (The survey uses this code without defining it; this reading of it is the"
                     " review's own.)")
        categories += _definition_item(category_anchor(code), f"{code}: {category.title}",
                                       [nodes.paragraph(text, text)], linker)
    out.append(categories)
    for code, category in vocabulary.categories.items():
        metrics = [m for m in vocabulary.metrics.values() if m.category == code]
        if not metrics:
            continue
        section_title = nodes.rubric(f"{category.title} metrics", f"{category.title} metrics")
        out.append(section_title)
        listing = nodes.definition_list(classes=["review-glossary"])
        for metric in metrics:
            listing += _definition_item(metric_anchor(metric.id), metric.title, _metric_body(metric, linker),
                                        linker)
        out.append(listing)
    return out


def _metric_body(metric, linker: Linker) -> list[nodes.Node]:
    direction = {"higher": "Higher is better.", "lower": "Lower is better.",
                 "target": "Closest to its target value is best."}[metric.direction]
    body = nodes.paragraph()
    body += nodes.Text(f"{metric.definition} {direction} Category: ")
    body += linker.nodes([Term("category", category_anchor(metric.category), metric.category)])
    body += nodes.Text(".")
    out = [body]
    if metric.reference:
        ref = nodes.paragraph(classes=["review-metric-reference"])
        ref += nodes.Text("Reference: " + metric.reference)
        if metric.link:
            ref += nodes.Text(" ")
            ref += linker.nodes([Url(metric.link, metric.link)])
        out.append(ref)
    return out


def chapter_glossary(records: list[Record], vocabulary: Vocabulary, linker: Linker) -> nodes.Node:
    """Exactly the categories and metrics the given records use, each linked to the full glossary."""
    codes = {code for record in records for code in record.evaluation}
    metrics = {metric for record in records for metric in record.metrics}
    if not codes and not metrics:
        return nodes.paragraph("", "The entries shown here report no evaluation codes yet.",
                               classes=["review-empty"])
    listing = nodes.bullet_list(classes=["review-chapter-glossary"])
    for code, category in vocabulary.categories.items():
        used = [m for m in vocabulary.metrics.values() if m.category == code and m.id in metrics]
        if code not in codes and not used:
            continue
        item = nodes.list_item()
        paragraph = nodes.paragraph()
        paragraph += linker.nodes([Term("category", category_anchor(code), f"{code}: {category.title}")])
        count = sum(code in record.evaluation for record in records)
        paragraph += nodes.Text(f" ({count} of {len(records)} entries). {category.definition}")
        if used:
            paragraph += nodes.Text(" Metrics reported: ")
            paragraph += linker.nodes(joined([Term("metric", metric_anchor(m.id), m.title) for m in used]))
            paragraph += nodes.Text(".")
        item += paragraph
        listing += item
    return listing


def reference_text(record: Record) -> str:
    """An author-year reference line: ``Family, G., Other, H. (2023). Title. Venue.``"""
    names = [f"{n.family_suffixed}, {n.initials}".rstrip(", ") if n.family != "others" else "et al."
             for n in record.authors]
    who = ", ".join(names) or "Anonymous"
    parts = [f"{who} ({record.year or 'n.d.'}).", f"{record.title.rstrip('.')}."]
    if record.venue:
        parts.append(f"{record.venue}.")
    elif record.arxiv:
        parts.append(f"arXiv:{record.arxiv}.")
    return " ".join(parts)


def reference_pieces(record: Record, listed_in: list[tuple[str, str]]) -> list[Piece]:
    """A reference line, its identifiers and code, the chapters listing it, and its BibTeX."""
    pieces: list[Piece] = [Text(reference_text(record))]
    for url, text in ((record.doi and f"https://doi.org/{record.doi}", f"doi:{record.doi}"),
                      (record.arxiv and f"https://arxiv.org/abs/{record.arxiv}", f"arXiv:{record.arxiv}"),
                      (not record.doi and not record.arxiv and record.link("url"), "link"),
                      (record.link("code"), "code")):
        if url:
            pieces += [Text(" "), Url(url, text)]
    checked = [url for url in record.verified if identifiers.is_web_url(url)]
    if checked:
        pieces.append(Text(" Verified at: "))
        pieces += joined([Url(url, urlsplit(url).netloc.removeprefix("www.")) for url in checked], ", ")
        pieces.append(Text("."))
    if listed_in:
        pieces.append(Text(" Listed in: "))
        pieces += joined([PageLink(docname, entry_anchor(record.key), title) for docname, title in listed_in], " · ")
        pieces.append(Text("."))
    return pieces + [Text(" "), BibTeX(record.raw)]


def bibliography_item(record: Record, linker: Linker, listed_in: list[tuple[str, str]]) -> nodes.Node:
    item = nodes.list_item(classes=["review-reference"])
    paragraph = nodes.paragraph()
    paragraph += linker.nodes(reference_pieces(record, listed_in))
    item += paragraph
    linker.anchor(paragraph, entry_anchor(record.key))
    return item


def bibliography_item_markup(record: Record, linker: Linker, listed_in: list[tuple[str, str]]) -> tuple[str, str]:
    """The item as HTML, and its reference line for the search index."""
    anchor = entry_anchor(record.key)
    id_attribute = f' id="{escape(anchor)}"' if linker.claim(anchor) else ""
    pieces = reference_pieces(record, listed_in)
    return f'<li class="review-reference"{id_attribute}><p>{linker.markup(pieces)}</p></li>\n', pieces[0].text


def bibliography_order(record: Record) -> tuple:
    """References sort by first author's family name (else title), year, title and key; accents
    are ignored, so that ``Łukasiewicz`` and ``Müller`` sort among the L and M names."""
    return (record.sort_name, record.year, record.title.casefold(), record.key)


def bibliography_markup(records: list[Record], linker: Linker, listed_in: dict[str, list[tuple[str, str]]]
                        ) -> tuple[str, str]:
    """The HTML list of *records* (in the order given), and their words for a search index."""
    parts = [bibliography_item_markup(r, linker, listed_in.get(r.key, [])) for r in records]
    markup = '<ul class="review-bibliography simple">\n' + "".join(part for part, _ in parts) + "</ul>\n"
    return markup, "\n".join(words for _, words in parts)


def bibliography(records: list[Record], linker: Linker, listed_in: dict[str, list[tuple[str, str]]]) -> nodes.Node:
    """Every record at its anchor, each with links back to the chapter tables that list it."""
    records = sorted(records, key=bibliography_order)
    if linker.html:
        markup, words = bibliography_markup(records, linker, listed_in)
        return prerendered("", nodes.Text(words), html=markup)
    listing = nodes.bullet_list(classes=["review-bibliography"])
    for record in records:
        listing += bibliography_item(record, linker, listed_in.get(record.key, []))
    return listing


def group_anchor(by: str, value: str) -> str:
    return nodes.make_id(f"{by}-{value}")


def grouped_tables(groups: list[tuple[str, str, list[Record]]], by: str, vocabulary: Vocabulary,
                   linker: Linker, slug: str, limit: int = 0) -> list[nodes.Node]:
    """One rubric and one table per group, e.g. one per model family (its *limit* newest rows)."""
    out: list[nodes.Node] = []
    contents = nodes.paragraph(classes=["review-group-index"])
    contents += linker.nodes(joined([PageLink(linker.fromdocname, group_anchor(by, value), f"{title} ({len(records)})")
                                     for value, title, records in groups], " · "))
    out.append(contents)
    for value, title, records in groups:
        rubric = nodes.rubric(f"{title} ({len(records)})", f"{title} ({len(records)})")
        linker.anchor(rubric, group_anchor(by, value))
        out.append(rubric)
        caption = f"{title}: {len(records)} papers"
        if limit and len(records) > limit:
            caption = f"{title}: the {limit} newest of {len(records)} papers (the chapters list them all)"
        records = ordered(records, limit=limit)
        tables = citation_table(records, vocabulary, caption, linker, f"table-{slug}-{group_anchor(by, value)}")
        out.extend(tables if isinstance(tables, list) else [tables])
    return out


def counts_table(title: str, rows: list[tuple[nodes.Node, int]], total: int, table_id: str) -> nodes.Node:
    """A two-column table of counts, with the share of all entries."""
    table = nodes.table(classes=["review-counts", "colwidths-given"], ids=[table_id])
    table += nodes.title(title, title)
    group = nodes.tgroup(cols=3)
    table += group
    for width in (60, 20, 20):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    header = nodes.row()
    for name in ("", "papers", "share"):
        header += _cell(nodes.Text(name))
    head += header
    group += head
    body = nodes.tbody()
    for label, count in rows:
        row = nodes.row()
        row += _cell(label)
        row += _cell(nodes.Text(str(count)))
        row += _cell(nodes.Text(f"{count / total:.0%}" if total else "–"))
        body += row
    group += body
    return table
