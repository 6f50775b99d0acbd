"""The real review, built as a reader gets it: the HTML site and the PDF, warnings as errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, require_tools

from medsynth.review import Selection, load_review, select

SPHINX = [sys.executable, "-m", "sphinx"]


@pytest.fixture(scope="module")
def review():
    return load_review(REPO / "bib" / "review.bib", REPO / "bib" / "vocabulary.yaml")


@pytest.fixture(scope="module")
def html(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "html"
    result = subprocess.run([*SPHINX, "-b", "html", "-W", "--keep-going", "-n", "-q", "-c", str(REPO),
                             str(REPO / "docs"), str(out)], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    return out


def test_one_page_per_modality_with_its_table(html, review):
    for modality in review.vocabulary.modalities:
        page = (html / "modalities" / f"{modality}.html").read_text(encoding="utf-8")
        records = select(review.records, Selection(modality=(modality,), kind=("study",)))
        rows = re.findall(r'<tr class="review-row[^"]*" id="([^"]+)"', page)
        assert rows == [r.key for r in records], modality
        if not records:
            assert "No entry of the review matches this table yet." in page


def test_every_entry_has_a_reference_anchor(html, review):
    page = (html / "references.html").read_text(encoding="utf-8")
    for record in review.records:
        assert f'<li class="review-reference" id="{record.key}">' in page


def test_site_offers_the_whole_review(html, review):
    assert (html / "exports" / "review-master.bib").read_bytes() == (REPO / "bib" / "review.bib").read_bytes()
    assert (html / "exports" / "review.json").is_file()


def test_nothing_outside_docs_is_a_source(html):
    assert not (html / "README.html").exists()
    assert not list(html.rglob("roots"))


def test_pdf_builds_with_warnings_as_errors_and_holds_every_entry(tmp_path, review):
    require_tools("latexmk", "xelatex", "pdftotext")
    build = tmp_path / "build"
    result = subprocess.run([*SPHINX, "-M", "latexpdf", str(REPO / "docs"), str(build), "-c", str(REPO),
                             "-W", "--keep-going", "-q"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    pdf = build / "latex" / "medsynth-review.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout

    def squash(value: str) -> str:
        return re.sub(r"[\s\-\u00ad]+", "", value)

    body = squash(text)
    for modality, term in review.vocabulary.modalities.items():
        assert squash(term.title) in body
        for record in select(review.records, Selection(modality=(modality,), kind=("study",))):
            assert squash(record.label) in body, (modality, record.key)
    assert "Release" in text and re.search(r"\b20\d\d\b", text)


def test_views_group_every_study(html, review):
    from medsynth.stats import group_records

    studies = select(review.records, Selection(kind=("study",)))
    page = (html / "views" / "families.html").read_text(encoding="utf-8")
    for family, title, records in group_records(studies, "family", review.vocabulary):
        assert f'id="family-{family}"' in page
        assert f"{title} ({len(records)})" in page
        assert len(records) == sum(family in r.families for r in studies)
    years = (html / "views" / "years.html").read_text(encoding="utf-8")
    assert years.index('id="year-2024"') < years.index('id="year-2021"'), "newest year first"
    evaluation = (html / "views" / "evaluation.html").read_text(encoding="utf-8")
    privacy = [r.key for r in studies if "P" in r.evaluation]
    block = evaluation.split('id="evaluation-p"', 1)[1].split("</table>", 1)[0]
    assert sorted(re.findall(r'<tr class="review-row[^"]*" id="([^"]+)"', block)) == sorted(
        k for k in privacy if f'id="{k}"' in block) and all(k in block for k in privacy)


def test_what_is_new_follows_the_added_field(html, review):
    page = (html / "views" / "new.html").read_text(encoding="utf-8")
    keys = re.findall(r'<tr class="review-row[^"]*" id="([^"]+)"', page)
    added = {r.key: (r.added, r.sort_date, r.key) for r in review.records}
    limit = int(re.search(r":limit: (\d+)", (REPO / "docs" / "views" / "new.md").read_text()).group(1))
    assert len(keys) == min(limit, len(review.records))
    assert [added[k] for k in keys] == sorted(added.values(), reverse=True)[:limit]
    assert f"the {len(keys)} newest of {len(review.records)}" in page or len(keys) == len(review.records)


def test_overview_counts_come_from_the_bib(html, review):
    page = (html / "views" / "overview.html").read_text(encoding="utf-8")
    studies = select(review.records, Selection(kind=("study",)))
    ecg = sum("ecg" in r.modalities for r in studies)
    assert re.search(r'<a class="reference internal" href="\.\./modalities/ecg\.html">Electrocardiogram \(ECG\)'
                     r'</a></p></td>\s*<td><p>' + str(ecg) + "</p>", page)
    assert len(re.findall(r'<img[^>]+src="\.\./_images/review-[a-z-]+-[0-9a-f]{16}\.svg"', page)) == 3


def test_plot_data_matches_the_bib(review):
    from medsynth.sphinxext.plots import plot_data

    studies = [r for r in review.records if r.kind == "study"]
    data = plot_data("year-family", review.records, review.vocabulary)
    for i, year in enumerate(data["rows"]):
        for j, family in enumerate(data["columns"]):
            assert data["values"][i][j] == sum(r.year == year and family in r.families for r in studies)
    assert sum(map(sum, data["values"])) == sum(len(r.families) for r in studies if r.year)
    heat = plot_data("modality-family", review.records, review.vocabulary)
    assert heat["values"][heat["rows"].index("ecg")][heat["columns"].index("gan")] == \
        sum("ecg" in r.modalities and "gan" in r.families for r in studies)
    coverage = plot_data("evaluation-modality", review.records, review.vocabulary)
    ecg = [r for r in studies if "ecg" in r.modalities]
    assert coverage["values"][coverage["rows"].index("ecg")][coverage["columns"].index("U")] == \
        round(sum("U" in r.evaluation for r in ecg) / len(ecg), 4)


def test_bibliography_links_back_to_the_tables(html, review):
    page = (html / "references.html").read_text(encoding="utf-8")
    item = page.split('<li class="review-reference" id="neifar2023diffecg">', 1)[1].split("</li>", 1)[0]
    assert 'href="modalities/ecg.html#neifar2023diffecg"' in item
    chapter = (html / "modalities" / "ecg.html").read_text(encoding="utf-8")
    assert 'href="../references.html#neifar2023diffecg"' in chapter
