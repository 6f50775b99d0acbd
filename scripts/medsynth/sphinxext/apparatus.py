"""The review's apparatus: the PRISMA flow diagram, the search record, the living-review status,
what changed, and papers by dataset. Every number comes from ``bib/`` when the page is written."""

from __future__ import annotations

import datetime as dt
import posixpath
from collections import Counter
from pathlib import Path

from docutils import nodes

from .. import prisma
from ..review import Review
from .domain import entry_anchor
from .inline import Linker, Term, Text, Url, joined, root_path
from .plots import drawn_figure, save_figure

PRISMA_CSV = "prisma2020.csv"


def _table(title: str, header: tuple[str, ...], rows: list[list[nodes.Node | str]], widths: tuple[int, ...],
           table_id: str, classes: tuple[str, ...] = ()) -> nodes.table:
    table = nodes.table(classes=["review-apparatus", "colwidths-given", *classes], ids=[table_id])
    table += nodes.title(title, title)
    group = nodes.tgroup(cols=len(header))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    row = nodes.row()
    for name in header:
        row += nodes.entry("", nodes.paragraph("", name))
    head += row
    group += head
    body = nodes.tbody()
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            paragraph = nodes.paragraph()
            if isinstance(cell, str):
                paragraph += nodes.Text(cell)
            elif isinstance(cell, list):
                paragraph.extend(cell)
            else:
                paragraph += cell
            row += nodes.entry("", paragraph)
        body += row
    group += body
    return table


def review_flow(review: Review) -> prisma.Flow | None:
    if review.screening is None:
        return None
    return prisma.flow(review.screening, review.records, list(review.vocabulary.modalities))


# --- PRISMA ---------------------------------------------------------------------------------

def flow_boxes(result: prisma.Flow, review: Review) -> dict[str, tuple[str, list[str]]]:
    """Box id -> (heading line, detail lines): what the diagram and its text alternative say."""
    vocabulary = review.vocabulary

    def source(name):
        return vocabulary.sources[name].title if name in vocabulary.sources else name

    def reason(name):
        return vocabulary.reasons[name].title if name in vocabulary.reasons else name

    db, other = result.databases, result.other
    return {
        "db-identified": (f"Records identified (n = {db.identified_total})",
                          [f"{source(s)}: {n}" for s, n in db.identified.items()]),
        "db-duplicates": (f"Duplicate records removed (n = {db.duplicates})", []),
        "db-screened": (f"Records screened (n = {db.screened})", []),
        "db-excluded": (f"Records excluded (n = {sum(db.excluded.values())})",
                        [f"{reason(r)}: {n}" for r, n in sorted(db.excluded.items(), key=lambda x: -x[1])]),
        "db-sought": (f"Reports sought for retrieval (n = {db.sought})", []),
        "db-not-retrieved": (f"Reports not retrieved (n = {sum(db.not_retrieved.values())})",
                             [f"{reason(r)}: {n}" for r, n in db.not_retrieved.items()]),
        "db-assessed": (f"Reports assessed for eligibility (n = {db.assessed})", []),
        "other-identified": (f"Records identified (n = {other.identified_total})",
                             [f"{source(s)}: {n}" for s, n in other.identified.items()]),
        "other-duplicates": (f"Duplicate records removed (n = {other.duplicates})", []),
        "other-sought": (f"Reports sought for retrieval (n = {other.screened})", []),
        "other-not-retrieved": (f"Reports not retrieved (n = {sum(other.not_retrieved.values())})",
                                [f"{reason(r)}: {n}" for r, n in other.not_retrieved.items()]),
        "other-assessed": (f"Reports assessed for eligibility (n = {other.screened - sum(other.not_retrieved.values())})",
                           []),
        "other-excluded": (f"Reports excluded (n = {sum(other.excluded.values())})",
                           [f"{reason(r)}: {n}" for r, n in sorted(other.excluded.items(), key=lambda x: -x[1])]),
        "included": (f"Studies included in the review (n = {result.included})",
                     [f"{vocabulary.modalities[m].title} (main modality): {n}" for m, n in result.studies_by_modality.items() if n]
                     + [f"Surveys and resources: {result.surveys}"]),
    }


#: Where each box stands (column, row) and which boxes its arrow leads to.
_LAYOUT = {
    "db-identified": (0, 0), "db-duplicates": (1, 0), "db-screened": (0, 1), "db-excluded": (1, 1),
    "db-sought": (0, 2), "db-not-retrieved": (1, 2), "db-assessed": (0, 3),
    "other-identified": (2, 0), "other-duplicates": (3, 0), "other-sought": (2, 2),
    "other-not-retrieved": (3, 2), "other-assessed": (2, 3), "other-excluded": (3, 3), "included": (1, 4),
}
_ARROWS = (("db-identified", "db-duplicates"), ("db-identified", "db-screened"), ("db-screened", "db-excluded"),
           ("db-screened", "db-sought"), ("db-sought", "db-not-retrieved"), ("db-sought", "db-assessed"),
           ("db-assessed", "included"), ("other-identified", "other-duplicates"),
           ("other-identified", "other-sought"), ("other-sought", "other-not-retrieved"),
           ("other-sought", "other-assessed"), ("other-assessed", "other-excluded"), ("other-assessed", "included"))


def _draw_flow(boxes: dict[str, tuple[str, list[str]]], path: Path) -> None:
    """The PRISMA 2020 diagram for new reviews (databases, other methods), with matplotlib."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    width, height, gap_x, gap_y = 3.3, 1.35, 0.35, 0.55
    figure = plt.figure(figsize=(4 * (width + gap_x), 5 * (height + gap_y) + 0.6))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, 4 * (width + gap_x))
    axes.set_ylim(0, 5 * (height + gap_y) + 0.6)
    axes.axis("off")
    top = 5 * (height + gap_y) + 0.2

    def frame(name):
        column, row = _LAYOUT[name]
        x = gap_x / 2 + column * (width + gap_x) + (0 if name != "included" else (width + gap_x) / 2)
        return x, top - (row + 1) * (height + gap_y) + gap_y / 2

    axes.text(gap_x / 2 + width + gap_x / 2, top + 0.15, "Identification of studies via the web index",
              ha="center", fontsize=10, weight="bold")
    axes.text(gap_x / 2 + 3 * (width + gap_x) - gap_x / 2, top + 0.15, "Identification via other methods",
              ha="center", fontsize=10, weight="bold")
    for name, (heading, details) in boxes.items():
        x, y = frame(name)
        if name == "included":  # twice as wide, its per-modality counts in two columns
            x -= (width + gap_x) / 2
            axes.add_patch(FancyBboxPatch((x, y), 2 * width + gap_x, height, boxstyle="round,pad=0.02",
                                          linewidth=1, edgecolor="#2b4c7e", facecolor="#fdf3d6"))
            half = (len(details) + 1) // 2
            axes.text(x + 0.1, y + height - 0.12, "\n".join([heading] + details[:half]), ha="left", va="top",
                      fontsize=6.6)
            axes.text(x + width + gap_x, y + height - 0.12, "\n".join([""] + details[half:]), ha="left", va="top",
                      fontsize=6.6)
            continue
        axes.add_patch(FancyBboxPatch((x, y), width, height, boxstyle="round,pad=0.02", linewidth=1,
                                      edgecolor="#2b4c7e", facecolor="#eef3fa"))
        axes.text(x + 0.1, y + height - 0.12, "\n".join([heading] + details), ha="left", va="top", fontsize=6.6)
    for start, end in _ARROWS:
        (x0, y0), (x1, y1) = frame(start), frame(end)
        same_row = _LAYOUT[start][1] == _LAYOUT[end][1]
        if same_row:
            begin, finish = (x0 + width, y0 + height / 2), (x1, y1 + height / 2)
        else:
            begin, finish = (x0 + width / 2, y0), (x1 + width / 2, y1 + height)
        axes.annotate("", xy=finish, xytext=begin, arrowprops={"arrowstyle": "->", "color": "#2b4c7e"})
    save_figure(figure, path)


def prisma_nodes(review: Review, builder, fromdocname: str, offers_files: bool) -> list[nodes.Node]:
    result = review_flow(review)
    if result is None:
        return [nodes.paragraph("", "This review keeps no search and screening records.")]
    boxes = flow_boxes(result, review)
    uri = drawn_figure(builder, fromdocname, "prisma", boxes, lambda path: _draw_flow(boxes, path), __file__)
    alternative = "PRISMA 2020 flow diagram. " + " ".join(
        f"{heading}{': ' + '; '.join(details) if details else ''}." for heading, details in boxes.values())
    figure = nodes.figure(classes=["review-prisma"], ids=["prisma-flow-diagram"])
    figure += nodes.image(uri=uri, alt=alternative, candidates={"?": uri})
    caption = "PRISMA 2020 flow diagram of the review, counted from bib/searches.tsv and bib/screening.tsv."
    figure += nodes.caption(caption, caption)
    rows = [[heading.split(" (n = ")[0], heading.split(" (n = ")[1].rstrip(")"), "; ".join(details)]
            for heading, details in boxes.values()]
    out: list[nodes.Node] = [figure, _table("The flow diagram's counts", ("Stage", "n", "Detail"), rows, (35, 10, 55),
                                            "prisma-counts")]
    if offers_files:
        link = nodes.paragraph(classes=["review-downloads"])
        link += nodes.Text("The counts in the layout of the PRISMA2020 R package's template, to redraw the "
                           "diagram with that package: ")
        target = posixpath.normpath(posixpath.join(root_path(builder, fromdocname), "exports", PRISMA_CSV))
        link += nodes.reference("CSV", "CSV", refuri=target)
        out.append(link)
    return out


def prisma_csv(review: Review) -> str | None:
    result = review_flow(review)
    if result is None:
        return None
    vocabulary = review.vocabulary
    rows = prisma.template_rows(result, {k: t.title for k, t in vocabulary.sources.items()},
                                {k: t.title for k, t in vocabulary.reasons.items()})
    return prisma.template_csv(rows)


# --- the search record ------------------------------------------------------------------------

def searches_nodes(review: Review) -> list[nodes.Node]:
    if review.screening is None:
        return []
    records, vocabulary = review.screening, review.vocabulary
    found = Counter(candidate.search for candidate in records.candidates)
    by_source: dict[str, list] = {}
    for search in records.searches:
        by_source.setdefault(search.source, []).append(search)
    summary = [[vocabulary.sources[s].title if s in vocabulary.sources else s, str(len(searches)),
                str(sum(x.screened for x in searches)), str(sum(found[x.id] for x in searches)),
                f"{min(x.date for x in searches)} to {max(x.date for x in searches)}"]
               for s, searches in by_source.items()]
    listing = [[search.id, vocabulary.sources[search.source].title if search.source in vocabulary.sources
                else search.source, search.query, search.date, str(search.screened), str(found[search.id])]
               for search in records.searches]
    return [
        _table("Sources searched", ("Source", "Searches", "Hits screened", "New candidates", "Dates"), summary,
               (40, 12, 16, 16, 16), "search-sources"),
        _table("Every search, with its query as run", ("Id", "Source", "Query", "Date", "Hits screened",
                                                       "New candidates"),
               listing, (10, 14, 46, 12, 9, 9), "search-record", ("review-search-record",)),
    ]


def exclusions_nodes(review: Review) -> list[nodes.Node]:
    if review.screening is None:
        return []
    counts = Counter(c.reason for c in review.screening.candidates if c.decision == "exclude")
    rows = [[term.title, term.definition, str(counts.get(reason, 0))]
            for reason, term in review.vocabulary.reasons.items()]
    return [_table("Reasons for exclusion", ("Reason", "Meaning", "Candidates"), rows, (22, 63, 15),
                   "exclusion-reasons")]


# --- status, changes, datasets --------------------------------------------------------------

def coverage(review: Review) -> tuple[str, str]:
    """The first and the last year of the entries' first appearances."""
    years = sorted((r.date or r.year)[:4] for r in review.records if (r.date or r.year)[:4].isdigit())
    return (years[0], years[-1]) if years else ("", "")


def status_nodes(review: Review, release: str) -> list[nodes.Node]:
    studies = sum(r.kind == "study" for r in review.records)
    first, last = coverage(review)
    searched = review.screening.last_searched if review.screening else ""
    box = nodes.container(classes=["review-status"])
    title = nodes.paragraph(classes=["review-status-title"])
    title += nodes.strong("", "Living review status")
    box += title
    items = nodes.bullet_list()
    for label, value in (("Studies included", f"{studies} (and {len(review.records) - studies} surveys and resources)"),
                         ("Last searched", searched or "not recorded"),
                         ("Coverage", f"papers first published from {first} to {last}" if first else "none yet"),
                         ("Release", release),
                         ("Built", dt.date.today().isoformat())):
        item = nodes.list_item()
        paragraph = nodes.paragraph()
        paragraph += nodes.strong("", label + ": ")
        paragraph += nodes.Text(value)
        item += paragraph
        items += item
    box += items
    return [box]


def changes_nodes(review: Review, linker: Linker) -> list[nodes.Node]:
    """Per month, newest first: how many entries joined (``added``) and which were corrected
    (``corrected``, with what ``correction`` says changed)."""
    added = Counter(r.added[:7] for r in review.records if r.added)
    corrected: dict[str, list] = {}
    for record in review.records:
        when = record.fields.get("corrected", "").strip()[:7]
        if when:
            corrected.setdefault(when, []).append(record)
    out: list[nodes.Node] = []
    for month in sorted(set(added) | set(corrected), reverse=True):
        section_title = nodes.rubric(month, month)
        out.append(section_title)
        paragraph = nodes.paragraph()
        paragraph += nodes.Text(f"Entries added: {added.get(month, 0)}. Entries corrected: "
                                f"{len(corrected.get(month, []))}.")
        out.append(paragraph)
        fixes = sorted(corrected.get(month, []), key=lambda r: r.key)
        if fixes:
            listing = nodes.bullet_list(classes=["review-corrections"])
            for record in fixes:
                item = nodes.list_item()
                line = nodes.paragraph()
                line += linker.nodes([Term("entry", entry_anchor(record.key), record.label), Text(": "),
                                      Text(" ".join(record.fields.get("correction", "").split()))])
                item += line
                listing += item
            out.append(listing)
    return out


def datasets_nodes(review: Review, linker: Linker) -> list[nodes.Node]:
    """Each dataset of the vocabulary with its link and the studies that name it, by modality."""
    vocabulary = review.vocabulary
    users: dict[str, list] = {}
    for record in review.records:
        for dataset in record.datasets:
            users.setdefault(dataset, []).append(record)
    out: list[nodes.Node] = []
    for modality, term in vocabulary.modalities.items():
        rows = []
        for dataset_id, dataset in vocabulary.datasets.items():
            if modality not in dataset.modalities:
                continue
            studies = sorted((r for r in users.get(dataset_id, []) if modality in r.modalities),
                             key=lambda r: (r.sort_name, r.year, r.key))
            name = linker.nodes([Url(dataset.link, dataset.title)]) if dataset.link else [nodes.Text(dataset.title)]
            papers = linker.nodes(joined([Term("entry", entry_anchor(r.key), r.label) for r in studies], "; ")) \
                or [nodes.Text("none yet")]
            rows.append([name, dataset.definition, papers])
        if rows:
            out.append(_table(term.title, ("Dataset", "What it holds", "Studies using it"), rows, (25, 40, 35),
                              f"datasets-{modality}"))
    return out
