"""Records and vocabulary -> docutils nodes.

Every value from the bib enters the doctree as a ``Text`` node or a ``refuri``, never as
markup to be parsed, so titles holding ``<script>``, MyST roles or ``%&_$#`` stay data. The
nodes are built when a page is written, after Sphinx's read-time transforms, so smart quotes
never rewrite ``O'Brien`` or ``"x"`` either.
"""

from __future__ import annotations

from docutils import nodes

from ..records import Record
from ..review import ordered
from ..vocabulary import Vocabulary
from .domain import category_anchor, entry_anchor, metric_anchor
from .snippet import bibtex_snippet

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


class Linker:
    """Builds links from one page to entries (bibliography page) and terms (glossary page)."""

    def __init__(self, builder, fromdocname: str, bibliography: str | None, glossary: str | None,
                 used_ids: set[str] | None = None):
        self.builder, self.fromdocname = builder, fromdocname
        self.html = builder.format == "html"
        self.used_ids = set() if used_ids is None else used_ids
        self.uris: dict[str, str | None] = {}
        for kind, page in (("entry", bibliography), ("category", glossary), ("metric", glossary)):
            # What make_refnode would compute for every link, computed once per page and target.
            self.uris[kind] = None if page is None else (
                "" if page == fromdocname else builder.get_relative_uri(fromdocname, page) + "#")

    def to(self, kind: str, anchor: str, text: str) -> nodes.Node:
        label = nodes.inline(text, text, classes=["xref", "review-" + kind])
        if self.uris[kind] is None:
            return label
        reference = nodes.reference("", "", label, internal=True)
        if self.uris[kind] == "":
            reference["refid"] = anchor
        else:
            reference["refuri"] = self.uris[kind] + anchor
        return reference

    def to_page(self, docname: str, anchor: str, text: str) -> nodes.Node:
        """A link to *anchor* on any page (a chapter's row, a section of a view)."""
        label = nodes.inline(text, text)
        uri = self.builder.get_relative_uri(self.fromdocname, docname)
        return nodes.reference("", "", label, internal=True, refuri=f"{uri}#{anchor}")

    def anchor(self, element: nodes.Element, anchor: str) -> None:
        """Give *element* the id *anchor*, unless an earlier element of the page has it.

        In HTML the id goes on the element (so ``:target`` can highlight a row); elsewhere a
        target node carries it.
        """
        if anchor in self.used_ids:
            return
        self.used_ids.add(anchor)
        if self.html:
            element["ids"].append(anchor)
        else:
            element.insert(0, nodes.target("", "", ids=[anchor]))


def link(url: str, text: str) -> nodes.reference:
    return nodes.reference(text, text, refuri=url, classes=["review-link"])


def _cell(*children: nodes.Node) -> nodes.entry:
    entry = nodes.entry()
    paragraph = nodes.paragraph()
    for child in children:
        paragraph += child
    entry += paragraph
    return entry


def _joined(items: list[nodes.Node], separator: str = ", ") -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for index, item in enumerate(items):
        if index:
            out.append(nodes.Text(separator))
        out.append(item)
    return out


def links_of(record: Record) -> list[nodes.Node]:
    found = []
    if record.paper_url:
        found.append(link(record.paper_url, "paper"))
    if record.link("code"):
        found.append(link(record.link("code"), "code"))
    if record.link("basecode"):
        found.append(link(record.link("basecode"), "base code"))
    return _joined(found, " · ")


def table_row(record: Record, vocabulary: Vocabulary, linker: Linker) -> nodes.row:
    anchor = entry_anchor(record.key)
    row = nodes.row(classes=["review-row", f"year-{record.year}"]
                    + [f"family-{f}" for f in record.families] + [f"eval-{c.lower()}" for c in record.evaluation])
    paper = [linker.to("entry", anchor, record.label), nodes.Text(" "),
             nodes.inline(record.title, record.title, classes=["review-title"])]
    row += _cell(*paper)
    linker.anchor(row if linker.html else row[0][0], anchor)
    row += _cell(nodes.Text(", ".join(vocabulary.short(f) for f in record.families)))
    row += _cell(nodes.Text(record.application))
    row += _cell(nodes.Text(record.architecture))
    row += _cell(*links_of(record), nodes.Text(" "), bibtex_snippet(source=record.raw))
    codes = [linker.to("category", category_anchor(c), c) for c in record.evaluation]
    row += _cell(*_joined(codes, " "))
    row += _cell(nodes.Text(record.date or record.year))
    return row


def citation_table(records: list[Record], vocabulary: Vocabulary, caption: str, linker: Linker,
                   table_id: str) -> nodes.Node:
    if not records:
        return nodes.paragraph("", "No entry of the review matches this table yet.", classes=["review-empty"])
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
    body += linker.to("category", category_anchor(metric.category), metric.category)
    body += nodes.Text(".")
    out = [body]
    if metric.reference:
        ref = nodes.paragraph(classes=["review-metric-reference"])
        ref += nodes.Text("Reference: " + metric.reference)
        if metric.link:
            ref += nodes.Text(" ")
            ref += link(metric.link, metric.link)
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
        paragraph += linker.to("category", category_anchor(code), f"{code}: {category.title}")
        count = sum(code in record.evaluation for record in records)
        paragraph += nodes.Text(f" ({count} of {len(records)} entries). {category.definition}")
        if used:
            paragraph += nodes.Text(" Metrics reported: ")
            paragraph += _joined([linker.to("metric", metric_anchor(m.id), m.title) for m in used])
            paragraph += nodes.Text(".")
        item += paragraph
        listing += item
    return listing


def reference_text(record: Record) -> str:
    """An author-year reference line: ``Family, G., Other, H. (2023). Title. Venue.``"""
    names = [f"{n.family}, {n.initials}".rstrip(", ") if n.family != "others" else "et al."
             for n in record.authors]
    who = ", ".join(names) or "Anonymous"
    parts = [f"{who} ({record.year or 'n.d.'}).", f"{record.title.rstrip('.')}."]
    if record.venue:
        parts.append(f"{record.venue}.")
    elif record.arxiv:
        parts.append(f"arXiv:{record.arxiv}.")
    return " ".join(parts)


def bibliography_item(record: Record, linker: Linker, listed_in: list[tuple[str, str]]) -> nodes.Node:
    item = nodes.list_item(classes=["review-reference"])
    paragraph = nodes.paragraph()
    paragraph += nodes.Text(reference_text(record))
    for url, text in ((record.doi and f"https://doi.org/{record.doi}", f"doi:{record.doi}"),
                      (record.arxiv and f"https://arxiv.org/abs/{record.arxiv}", f"arXiv:{record.arxiv}"),
                      (not record.doi and not record.arxiv and record.link("url"), "link"),
                      (record.link("code"), "code")):
        if url:
            paragraph += nodes.Text(" ")
            paragraph += link(url, text)
    if listed_in:
        paragraph += nodes.Text(" Listed in: ")
        paragraph += _joined([linker.to_page(docname, entry_anchor(record.key), title)
                              for docname, title in listed_in], " · ")
        paragraph += nodes.Text(".")
    paragraph += nodes.Text(" ")
    paragraph += bibtex_snippet(source=record.raw)
    item += paragraph
    linker.anchor(item if linker.html else paragraph, entry_anchor(record.key))
    return item


def sort_for_bibliography(records: list[Record]) -> list[Record]:
    def key(record: Record):
        first = record.authors[0].family if record.authors else record.title
        return (first.casefold(), record.year, record.title.casefold(), record.key)
    return sorted(records, key=key)


def bibliography(records: list[Record], linker: Linker, listed_in: dict[str, list[tuple[str, str]]]) -> nodes.Node:
    """Every record at its anchor, each with links back to the chapter tables that list it."""
    listing = nodes.bullet_list(classes=["review-bibliography"])
    for record in sort_for_bibliography(records):
        listing += bibliography_item(record, linker, listed_in.get(record.key, []))
    return listing


def group_anchor(by: str, value: str) -> str:
    return nodes.make_id(f"{by}-{value}")


def grouped_tables(groups: list[tuple[str, str, list[Record]]], by: str, vocabulary: Vocabulary,
                   linker: Linker, slug: str, limit: int = 0) -> list[nodes.Node]:
    """One rubric and one table per group, e.g. one per model family (its *limit* newest rows)."""
    out: list[nodes.Node] = []
    contents = nodes.paragraph(classes=["review-group-index"])
    contents += _joined([linker.to_page(linker.fromdocname, group_anchor(by, value), f"{title} ({len(records)})")
                         for value, title, records in groups], " · ")
    out.append(contents)
    for value, title, records in groups:
        rubric = nodes.rubric(f"{title} ({len(records)})", f"{title} ({len(records)})")
        linker.anchor(rubric, group_anchor(by, value))
        out.append(rubric)
        caption = f"{title}: {len(records)} papers"
        if limit and len(records) > limit:
            caption = f"{title}: the {limit} newest of {len(records)} papers (the chapters list them all)"
        records = ordered(records, limit=limit)
        out.append(citation_table(records, vocabulary, caption, linker, f"table-{slug}-{group_anchor(by, value)}"))
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
