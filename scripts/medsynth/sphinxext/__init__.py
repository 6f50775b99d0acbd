"""Sphinx extension rendering the review's bib as citation tables, glossaries and a bibliography.

Enable it with ``extensions = ["medsynth.sphinxext"]``; set ``review_bibfile`` (relative to the
folder of ``conf.py``) if the bib is not ``bib/review.bib``.
"""

from __future__ import annotations

from pathlib import Path

from .. import __version__
from . import directives, downloads, incremental, inline, loader, plots, prose, resolve
from .domain import ReviewDomain


def setup(app):
    app.add_config_value("review_bibfile", "bib/review.bib", "env", [str])
    app.add_config_value("review_vocabulary", "", "env", [str])
    app.add_config_value("review_cited_bibfile", "", "env", [str])
    app.add_config_value("review_bibliography_split_above", 2000, "env", [int])
    app.connect("config-inited", prose.write_cited_bibfile)
    app.add_domain(ReviewDomain)
    app.add_directive("review-table", directives.ReviewTable)
    app.add_directive("metric-glossary", directives.MetricGlossary)
    app.add_directive("review-bibliography", directives.ReviewBibliography)
    app.add_directive("review-sections", directives.ReviewSections)
    app.add_directive("review-overview", directives.ReviewOverview)
    app.add_directive("review-plot", directives.ReviewPlot)
    app.add_directive("review-apparatus", directives.ReviewApparatus)
    app.connect("env-get-outdated", incremental.outdated_docs)
    app.connect("env-get-outdated", incremental.note_removed)
    app.connect("env-before-read-docs", incremental.note_reread)
    app.connect("env-updated", incremental.remember_shown)
    app.connect("doctree-resolved", resolve.render_views)
    app.connect("doctree-resolved", resolve.single_page_anchors)
    app.connect("html-collect-pages", resolve.letter_pages)
    app.add_node(directives.review_view)
    app.connect("builder-inited", _add_static)
    app.connect("build-finished", downloads.write_exports)
    app.connect("build-finished", plots.remove_unused)
    app.connect("build-finished", incremental.tidy_search_index)
    app.connect("build-finished", incremental.drop_removed)
    app.connect("build-finished", loader.forget, priority=900)
    inline.add_node(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 10}


def _add_static(app) -> None:
    """Ship the copy button's script and style with the extension, not with each site."""
    if app.builder.format == "html":
        app.config.html_static_path.append(str(Path(__file__).parent / "static"))
        app.add_js_file("review.js")
        app.add_css_file("review-ext.css")
