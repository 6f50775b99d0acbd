"""The real review, built as a reader gets it: the HTML site and the PDF, warnings as errors."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

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


@pytest.mark.skipif(not shutil.which("latexmk") or not shutil.which("pdftotext"),
                    reason="needs latexmk and pdftotext (.ci/run installs them)")
def test_pdf_builds_with_warnings_as_errors_and_holds_every_entry(tmp_path, review):
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
