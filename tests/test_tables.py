"""Citation tables, filters and glossaries, from a real build of tests/roots/test-tables."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from conftest import build_root


class Rows(HTMLParser):
    """Collects every table row: its id and the text of each cell."""

    def __init__(self):
        super().__init__()
        self.rows, self._cell, self._row = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = {"id": dict(attrs).get("id"), "cells": [], "links": []}
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "a" and self._row is not None:
            self._row["links"].append(dict(attrs).get("href"))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row["cells"].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def rows_of(app, page: str) -> list[dict]:
    parser = Rows()
    parser.feed((app.outdir / f"{page}.html").read_text(encoding="utf-8"))
    return [row for row in parser.rows if row["id"]]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_root("tables", tmp_path_factory.mktemp("tables"))


def test_builds_without_warnings(built):
    assert built._warning.getvalue() == ""


def test_one_row_per_entry_with_its_cells(built):
    rows = rows_of(built, "ecg")
    assert [r["id"] for r in rows] == ["alpha2023", "beta2022", "hostile2021"], "newest first"
    alpha = rows[0]["cells"]
    assert alpha[0] == "Alpha et al., 2023 Alpha ECG Generator"
    assert alpha[1:4] == ["GAN", "class-conditional", "StyleGAN2-ADA"]
    assert alpha[4].startswith("paper · code BibTeX@article{alpha2023,")
    assert alpha[5:] == ["U F", "2023-06"]
    assert "references.html#alpha2023" in rows[0]["links"]
    assert "https://doi.org/10.1234/alpha.2023" in rows[0]["links"]
    assert "glossary.html#category-u" in rows[0]["links"]
    beta = rows[1]
    assert beta["cells"][0].startswith("Béta and Müller, 2022")
    assert beta["cells"][4].startswith("paper · base code BibTeX")
    assert "https://arxiv.org/abs/2201.00001" in beta["links"]


def test_link_fields_keep_their_characters(built):
    html = (built.outdir / "ecg.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/example-org/alpha?tab=readme&amp;x=1%20"' in html
    assert 'href="https://example.org/a?b=1&amp;c=%20"' in html


def test_filters(built):
    assert [r["id"] for r in rows_of(built, "mri")] == ["gamma2024"]
    assert [r["id"] for r in rows_of(built, "ppg")] == ["beta2022"]
    ids = [r["id"] for r in rows_of(built, "filters")]
    assert ids == ["alpha2023", "hostile2021", "beta2022"], "ECG GANs, then privacy (lower-case code accepted)"
    assert [r["id"] for r in rows_of(built, "surveys")] == ["survey2020"]


def test_chapter_glossary_lists_exactly_what_its_entries_use(built):
    def glossary_terms(page):
        html = (built.outdir / f"{page}.html").read_text(encoding="utf-8")
        block = html.split('class="review-chapter-glossary', 1)[1].split("</ul>", 1)[0]
        return re.findall(r'href="glossary\.html#([a-z0-9-]+)"', block)

    # FID belongs to diversity (D) in the vocabulary, so D appears although no entry has code D.
    assert glossary_terms("ecg") == ["category-u", "metric-accuracy", "category-f", "metric-dtw",
                                     "category-d", "metric-fid", "category-p", "metric-k-anonymity"]
    assert glossary_terms("mri") == ["category-q"]
    assert glossary_terms("ppg") == ["category-f", "metric-dtw", "category-p", "metric-k-anonymity"]
    html = (built.outdir / "ecg.html").read_text(encoding="utf-8")
    assert "(2 of 3 entries)" in html


def test_full_glossary_defines_every_anchor(built):
    html = (built.outdir / "glossary.html").read_text(encoding="utf-8")
    for anchor in ("category-u", "category-q", "metric-fid", "metric-turing-test", "metric-dp-epsilon"):
        assert f'id="{anchor}"' in html
    assert "Lower is better." in html
    assert "this reading of it is the review's own" in html


def test_hostile_values_are_shown_literally(built):
    html = (built.outdir / "ecg.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>b</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    # LaTeX is decoded to text (math too: $x$ is x), and what is left is shown, not interpreted
    assert "x 50% &amp; a_b #1 **bold** &lt;b&gt;b&lt;/b&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "ref`target`" in html and "cite`nosuchkey`" in html
    assert "nosuchkey" not in built._warning.getvalue()


def test_each_row_carries_its_bibtex_escaped(built):
    html = (built.outdir / "ecg.html").read_text(encoding="utf-8")
    assert '<details class="review-bibtex"><summary>BibTeX</summary><code class="review-bibtex-source">@misc{hostile2021,' in html
    assert "title = {&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert (built.outdir / "_static" / "review.js").is_file()


def test_tables_offer_their_entries_for_download(built):
    html = (built.outdir / "ecg.html").read_text(encoding="utf-8")
    assert 'href="exports/ecg.bib"' in html and 'href="exports/ecg.json"' in html
    exported = (built.outdir / "exports" / "ecg.bib").read_text(encoding="utf-8")
    assert [line.split("{")[1].rstrip(",") for line in exported.splitlines() if line.startswith("@") and
            not line.startswith("@string")] == ["alpha2023", "beta2022", "hostile2021"]
    assert "modality" not in exported, "chapter downloads are clean for LaTeX"
    filters = (built.outdir / "filters.html").read_text(encoding="utf-8")
    assert 'href="exports/filters-2.csv"' in filters
    assert (built.outdir / "exports" / "filters-2.csv").read_text().count("\n") == 1 + 1
    master = (built.outdir / "exports" / "review-master.bib").read_bytes()
    assert master == (built.srcdir / "refs.bib").read_bytes()


def test_bibliography_has_an_anchor_per_entry(built):
    html = (built.outdir / "references.html").read_text(encoding="utf-8")
    for key in ("alpha2023", "beta2022", "gamma2024", "hostile2021", "survey2020"):
        assert f'id="{key}"' in html
    assert "Alpha, A., Beta, B., Gamma, C. (2023). Alpha ECG Generator. Journal of Test Fixtures." in html


def test_build_is_deterministic(tmp_path):
    outputs = []
    for run in ("one", "two"):
        app = build_root("tables", tmp_path / run)
        outputs.append({p.relative_to(app.outdir): p.read_bytes() for p in app.outdir.rglob("*.html")})
    assert outputs[0] == outputs[1]
