"""Static plots drawn at build time from the bib: SVG for HTML, PDF for LaTeX.

The numbers come from :func:`plot_data`, which a test checks against the bib; the drawing
only lays them out. Files are named by a hash of their data, so an unchanged plot is not
redrawn and two builds give identical output.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from pathlib import Path

from docutils import nodes

from ..records import Record
from ..stats import counts, cross_counts
from ..vocabulary import Vocabulary
from .inline import root_path

KINDS = {
    "year-family": "Papers per year, by model family",
    "modality-family": "Papers per modality and model family",
    "evaluation-modality": "Share of papers per modality that report each evaluation category",
    "evaluation": "Papers that report each evaluation category",
}


def plot_data(kind: str, records: list[Record], vocabulary: Vocabulary) -> dict:
    """Rows, columns and values of a plot, all from the records."""
    studies = [r for r in records if r.kind == "study"]
    if kind == "year-family":
        years = sorted({r.year for r in studies if r.year})
        pairs = cross_counts(studies, "year", "family")
        families = [f for f in vocabulary.families if any((y, f) in pairs for y in years)]
        return {"rows": years, "columns": families,
                "values": [[pairs.get((y, f), 0) for f in families] for y in years]}
    if kind == "modality-family":
        pairs = cross_counts(studies, "modality", "family")
        modalities = list(vocabulary.modalities)
        families = list(vocabulary.families)
        return {"rows": modalities, "columns": families,
                "values": [[pairs.get((m, f), 0) for f in families] for m in modalities]}
    if kind == "evaluation-modality":
        per_modality = counts(studies, "modality")
        pairs = cross_counts(studies, "modality", "evaluation")
        modalities = [m for m in vocabulary.modalities if per_modality.get(m)]
        codes = list(vocabulary.categories)
        return {"rows": modalities, "columns": codes,
                "values": [[round(pairs.get((m, c), 0) / per_modality[m], 4) for c in codes] for m in modalities]}
    if kind == "evaluation":
        per_code = counts(studies, "evaluation")
        codes = list(vocabulary.categories)
        return {"rows": [f"{c} {vocabulary.categories[c].title}" for c in codes], "columns": ["papers"],
                "values": [[per_code.get(c, 0)] for c in codes]}
    raise ValueError(f"unknown plot {kind!r}")


def describe(kind: str, data: dict) -> str:
    """The figure's text alternative: its title and every value it draws."""
    rows, columns, values = data["rows"], data["columns"], data["values"]
    parts = []
    for row, row_values in zip(rows, values):
        cells = [f"{column} {value:.0%}" if kind == "evaluation-modality" else f"{column} {value}"
                 for column, value in zip(columns, row_values) if value]
        parts.append(f"{row}: {', '.join(cells) if cells else 'none'}")
    return f"{KINDS[kind]}. " + "; ".join(parts) + "." if parts else f"{KINDS[kind]}: no papers."


def _draw(kind: str, data: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 9})
    rows, columns, values = data["rows"], data["columns"], data["values"]
    if kind == "evaluation":
        figure, axes = plt.subplots(figsize=(7, 2.6))
        axes.barh(rows[::-1], [row[0] for row in values][::-1], color="#4c72b0")
        axes.set_xlabel("papers")
        for y, row in enumerate(values[::-1]):
            axes.text(row[0], y, f" {row[0]}", va="center", fontsize=7)
    elif kind == "year-family":
        figure, axes = plt.subplots(figsize=(7, 3.6))
        bottom = [0] * len(rows)
        for index, column in enumerate(columns):
            heights = [row[index] for row in values]
            axes.bar(rows, heights, bottom=bottom, label=column)
            bottom = [b + h for b, h in zip(bottom, heights)]
        axes.set_ylabel("papers")
        axes.legend(fontsize=7, ncol=2, frameon=False)
    else:
        figure, axes = plt.subplots(figsize=(7, 0.35 * len(rows) + 1.5))
        image = axes.imshow(values, cmap="Blues", aspect="auto")
        axes.set_xticks(range(len(columns)), columns, rotation=45, ha="right")
        axes.set_yticks(range(len(rows)), rows)
        for i, row in enumerate(values):
            for j, value in enumerate(row):
                if value:
                    label = f"{value:.0%}" if kind == "evaluation-modality" else str(value)
                    axes.text(j, i, label, ha="center", va="center", fontsize=7)
        figure.colorbar(image, ax=axes)
    axes.set_title(KINDS[kind])
    figure.tight_layout()
    save_figure(figure, path)


def save_figure(figure, path: Path) -> None:
    """Write *figure* to *path* the same way every time: no date, and SVG ids from a fixed salt
    (matplotlib draws them at random otherwise), so that a figure drawn again is the same file."""
    import matplotlib
    import matplotlib.pyplot as plt

    metadata = {"Date": None} if path.suffix == ".svg" else {"CreationDate": None}
    with matplotlib.rc_context({"svg.hashsalt": "medsynth"}):
        figure.savefig(path, metadata=metadata)
    plt.close(figure)


def drawn_figure(builder, fromdocname: str, kind: str, data, draw, code: str) -> str:
    """The URI, from *fromdocname*, of the figure *draw* makes of *data*: a file beside the output
    named by its data and by the drawing code (*code*, a module's path), drawn only if missing,
    so that a changed figure is a new file, never a stale one."""
    suffix = ".svg" if builder.format == "html" else ".pdf"
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode() + Path(code).read_bytes()).hexdigest()[:16]
    name = f"review-{kind}-{digest}{suffix}"
    folder = Path(builder.outdir) / ("_images" if builder.format == "html" else "")
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / name).is_file():
        draw(folder / name)
    return posixpath.normpath(posixpath.join(root_path(builder, fromdocname), "_images", name)) \
        if builder.format == "html" else name


def plot_node(kind: str, data: dict, builder, fromdocname: str) -> nodes.Node:
    """Draw (if needed) and return an image node pointing at the file beside the output."""
    uri = drawn_figure(builder, fromdocname, kind, [kind, data], lambda path: _draw(kind, data, path), __file__)
    # "?" marks the file as already in place, so the builder does not look for it among the sources.
    return nodes.image(uri=uri, alt=describe(kind, data), classes=["review-plot"], candidates={"?": uri})


_DRAWN = re.compile(r"review-[a-z-]+-[0-9a-f]{16}\.(?:svg|pdf)")


def remove_unused(app, exception) -> None:
    """``build-finished``: drop the figures no page shows any more (a plot's name follows its
    data, so an edit leaves the old file behind), so that an edited site holds what a clean
    build of it would."""
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.outdir) / "_images"
    drawn = [path for path in folder.glob("review-*") if _DRAWN.fullmatch(path.name)] if folder.is_dir() else []
    if not drawn:
        return
    shown = set()
    for page in Path(app.outdir).rglob("*.html"):
        shown.update(_DRAWN.findall(page.read_text(encoding="utf-8", errors="replace")))
    for path in drawn:
        if path.name not in shown:
            path.unlink()
