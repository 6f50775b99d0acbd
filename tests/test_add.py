"""``medsynth add`` against recorded Crossref and arXiv responses; never the live network."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import VOCABULARY

from medsynth.add import NoNetwork, add_to_bib, arxiv_api_url, crossref_url
from medsynth.bibfile import read_bib
from medsynth.vocabulary import load_vocabulary

RECORDED = Path(__file__).parent / "data" / "recorded"
RESPONSES = {
    crossref_url("10.1038/s41598-023-34341-2"): RECORDED / "crossref-10.1038-s41598-023-34341-2.json",
    arxiv_api_url("2306.01875"): RECORDED / "arxiv-2306.01875.xml",
}
EXISTING = "@misc{zzz2020last,\n  title = {Last},\n  author = {Zed, Zoe},\n  year = {2020},\n  modality = {ecg},\n" \
           "  family = {gan},\n  evaluation = {U},\n}\n"


def recorded(url: str) -> bytes:
    return RESPONSES[url].read_bytes()


def offline(url: str) -> bytes:
    raise NoNetwork("could not reach the service")


@pytest.fixture
def bib(tmp_path):
    path = tmp_path / "review.bib"
    path.write_text(EXISTING, encoding="utf-8")
    return path


def test_adds_a_doi_from_crossref(bib):
    status, messages = add_to_bib(bib, "https://doi.org/10.1038/s41598-023-34341-2",
                                  {"modality": "multimodal", "family": "diffusion", "evaluation": "U, D"},
                                  load_vocabulary(VOCABULARY), fetch=recorded)
    assert status == 0, messages
    assert messages[0].endswith("added khader2023denoising; check it against the paper's page before committing")
    review = read_bib(bib)
    assert not review.problems
    assert [r.key for r in review.records] == ["khader2023denoising", "zzz2020last"], "inserted in canonical place"
    record = review.records[0]
    assert record.title == "Denoising diffusion probabilistic models for 3D medical image generation"
    assert record.authors[1].family == "Müller-Franzes" and len(record.authors) == 15
    assert record.fields["journal"] == "Scientific Reports" and record.fields["pages"] == "7303"
    assert record.doi == "10.1038/s41598-023-34341-2" and record.year == "2023"
    assert record.fields["date"] == "2023-05"
    assert "zzz2020last" in bib.read_text(encoding="utf-8"), "the existing entry is kept"


def test_adds_an_arxiv_id(bib):
    status, messages = add_to_bib(bib, "arXiv:2306.01875v2", {"modality": "ecg", "family": "diffusion",
                                  "evaluation": "U, F, Q"}, load_vocabulary(VOCABULARY), fetch=recorded)
    assert status == 0, messages
    record = next(r for r in read_bib(bib).records if r.key == "neifar2023diffecg")
    assert record.title == "DiffECG: A Versatile Probabilistic Diffusion Model for ECG Signals Synthesis"
    assert [n.family for n in record.authors] == ["Neifar", "Ben-Hamadou", "Mdhaffar", "Jmaiel"]
    assert record.arxiv == "2306.01875" and record.entry_type == "misc"


def test_refuses_a_paper_already_in_the_review(bib):
    vocabulary = load_vocabulary(VOCABULARY)
    add_to_bib(bib, "2306.01875", {"modality": "ecg", "family": "diffusion", "evaluation": "U"}, vocabulary,
               fetch=recorded)
    before = bib.read_bytes()
    status, messages = add_to_bib(bib, "https://arxiv.org/abs/2306.01875", {}, vocabulary, fetch=recorded)
    assert status == 1 and "is already in the review as neifar2023diffecg" in messages[0]
    assert bib.read_bytes() == before


def test_without_network_says_so_and_writes_nothing(bib):
    before = bib.read_bytes()
    status, messages = add_to_bib(bib, "10.1038/s41598-023-34341-2", {}, load_vocabulary(VOCABULARY), fetch=offline)
    assert status == 1 and messages[0].startswith("medsynth: no network:") and "--template" in messages[0]
    assert bib.read_bytes() == before


def test_template_is_written_and_fails_lint_until_filled(bib):
    status, messages = add_to_bib(bib, "10.1038/s41598-023-34341-2", {"modality": "ct", "family": "gan",
                                  "evaluation": "U"}, load_vocabulary(VOCABULARY), fetch=offline, use_template=True)
    assert status == 1
    assert any("missing required field 'title'" in m for m in messages)
    assert "doi = {10.1038/s41598-023-34341-2}" in bib.read_text(encoding="utf-8")


def test_cli_never_touches_the_network_in_tests(cli, bib, monkeypatch):
    monkeypatch.setenv("MEDSYNTH_OFFLINE", "1")
    result = cli("add", "10.1038/s41598-023-34341-2", "--bib", str(bib), "--vocabulary", str(VOCABULARY),
                 "--modality", "ct", "--family", "gan", "--evaluation", "u")
    assert result.returncode == 1 and "no network" in result.stderr and "Traceback" not in result.stderr
    result = cli("add", "10.1/x", "--bib", str(bib), "--vocabulary", str(VOCABULARY), "--modality", "mrii")
    assert result.returncode == 2 and "unknown modality 'mrii'" in result.stderr


def test_records_where_the_facts_were_seen_and_the_inclusion(bib, cli):
    """The entry names the page it was read from and is coded by the review; the screening
    record gets its include line, counted in the contributors' search."""
    (bib.parent / "screening.tsv").write_text("identifier\ttitle\tfound_in\tdecision\treason\tkey\tnote\n"
                                              "https://example.org/zzz\tLast\tcontributions\tinclude\t\tzzz2020last\t\n",
                                              encoding="utf-8")
    (bib.parent / "searches.tsv").write_text("id\tsource\tquery\tdate\tscreened\n"
                                             "contributions\tcontributor\tby hand\t2026-01-01\t1\n", encoding="utf-8")
    bib.write_text(EXISTING.replace("  evaluation = {U},\n", "  evaluation = {U},\n  url = {https://example.org/zzz},\n"
                                    "  verified = {https://example.org/zzz},\n  coding = {review},\n"), encoding="utf-8")
    status, messages = add_to_bib(bib, "arXiv:2306.01875", {"modality": "ecg", "family": "diffusion",
                                  "evaluation": "U, F, Q"}, load_vocabulary(VOCABULARY), fetch=recorded)
    assert status == 0, messages
    record = next(r for r in read_bib(bib).records if r.key == "neifar2023diffecg")
    assert record.verified == (arxiv_api_url("2306.01875"),) and record.coding == "review"
    rows = (bib.parent / "screening.tsv").read_text(encoding="utf-8").splitlines()
    assert rows[-1].split("\t")[:6] == ["arxiv:2306.01875", record.title, "contributions", "include", "",
                                        "neifar2023diffecg"]
    assert (bib.parent / "searches.tsv").read_text(encoding="utf-8").splitlines()[-1].endswith("\t2")
    result = cli("lint", str(bib), "--vocabulary", str(VOCABULARY))
    assert result.returncode == 0, result.stderr
