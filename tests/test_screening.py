"""The search and screening records beside the bib: each rule gives a located error, and the real
records account for every entry, every survey row and every candidate."""

from __future__ import annotations

import pytest

from conftest import REPO, SHARED, VOCABULARY

from medsynth import screening
from medsynth.bibfile import read_bib
from medsynth.importer import import_markdown
from medsynth.review import load_review

ENTRY = """\
@article{good2023,
  title = {Good},
  author = {Doe, Jane},
  journal = {Journal of Good Entries},
  year = {2023},
  eprint = {2301.00001},
  archiveprefix = {arXiv},
  modality = {ecg},
  family = {gan},
  evaluation = {U},
  verified = {https://arxiv.org/abs/2301.00001},
  coding = {review},
}
"""
SEARCHES = "id\tsource\tquery\tdate\tscreened\nq1\tweb-index\tsynthetic ECG GAN\t2026-11-30\t3\n"
INCLUDED = "arxiv:2301.00001\tGood\tq1\tinclude\t\tgood2023\t\n"
EXCLUDED = "doi:10.1000/other\tOther\tq1\texclude\tno-synthesis\t\tclassifier only\n"
HEADER = "identifier\ttitle\tfound_in\tdecision\treason\tkey\tnote\n"


def lint(cli, folder, bib=ENTRY, searches=SEARCHES, rows=INCLUDED + EXCLUDED):
    folder.mkdir(exist_ok=True)
    (folder / "review.bib").write_text(bib, encoding="utf-8")
    (folder / "searches.tsv").write_text(searches, encoding="utf-8")
    (folder / "screening.tsv").write_text("# a comment\n" + HEADER + rows, encoding="utf-8")
    result = cli("lint", str(folder / "review.bib"), "--vocabulary", str(VOCABULARY))
    assert "Traceback" not in result.stderr
    return result


def test_complete_records_pass(cli, tmp_path):
    result = lint(cli, tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_duplicate_may_name_another_candidate(cli, tmp_path):
    rows = INCLUDED + EXCLUDED + "https://example.org/other\tOther\tq1\texclude\tduplicate\tdoi:10.1000/other\t\n"
    result = lint(cli, tmp_path, rows=rows)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("rows, line, message", [
    (EXCLUDED, "review.bib:1", "good2023: no 'include' line in screening.tsv"),
    (INCLUDED + INCLUDED.replace("arxiv:2301.00001", "https://arxiv.org/abs/2301.00001"), "screening.tsv:4",
     "https://arxiv.org/abs/2301.00001 is screened twice (first at line 3)"),
    (INCLUDED + "doi:10.1000/x\tX\tq1\tinclude\t\tmissing2020\t\n", "screening.tsv:4",
     "doi:10.1000/x: included as 'missing2020', which is not an entry of the bib"),
    (INCLUDED + "doi:10.1000/x\tX\tq1\texclude\tboring\t\t\n", "screening.tsv:4",
     "doi:10.1000/x: exclusion reason 'boring' is not one of"),
    (INCLUDED + "doi:10.1000/x\tX\tq9\texclude\tmodality\t\t\n", "screening.tsv:4",
     "doi:10.1000/x: found_in 'q9' names no search of searches.tsv"),
    (INCLUDED + "doi:10.1000/x\tX\tq1\tmaybe\t\t\t\n", "screening.tsv:4", "decision must be include or exclude"),
    (INCLUDED + "doi:10.1000/x\tX\tq1\texclude\tduplicate\t\t\n", "screening.tsv:4",
     "a duplicate must name the entry or the candidate it duplicates"),
    (INCLUDED + "pmid:123\tX\tq1\texclude\tmodality\t\t\n", "screening.tsv:4",
     "identifier 'pmid:123' is not doi:..., arxiv:... or an http(s) URL"),
    (INCLUDED.replace("arxiv:2301.00001", "doi:10.1000/elsewhere"), "screening.tsv:3",
     "doi:10.1000/elsewhere is not an identifier of good2023 (arxiv:2301.00001)"),
    (INCLUDED + "doi:10.1000/x\tX\tq1\texclude\tmodality\n", "screening.tsv:4", "5 tab-separated cells, expected 7"),
    (INCLUDED + EXCLUDED + "doi:10.1000/y\tY\tq1\texclude\tmodality\t\t\n"
     + "doi:10.1000/z\tZ\tq1\texclude\tmodality\t\t\n", "searches.tsv:2",
     "search 'q1': 4 candidates are recorded as found by it, but it screened only 3"),
])
def test_each_screening_rule_reports_its_line(cli, tmp_path, rows, line, message):
    result = lint(cli, tmp_path, rows=rows)
    assert result.returncode == 1
    assert f"{tmp_path / line}: error: " in result.stderr and message in result.stderr, result.stderr


@pytest.mark.parametrize("searches, message", [
    (SEARCHES + "q1\tweb-index\tagain\t2026-11-30\t1\n", "searches.tsv:3: error: search 'q1': duplicate search id"),
    (SEARCHES + "q2\tgoogle\tx\t2026-11-30\t1\n", "searches.tsv:3: error: search 'q2': unknown source 'google'"),
    (SEARCHES + "q2\tweb-index\tx\t2999-01-01\t1\n", "searches.tsv:3: error: search 'q2': date 2999-01-01 is after"),
    (SEARCHES + "q2\tweb-index\tx\tyesterday\t1\n", "searches.tsv:3: error: search 'q2': date 'yesterday' is not"),
    (SEARCHES + "Q 2\tweb-index\tx\t2026-11-30\tmany\n", "searches.tsv:3: error: search 'Q 2': ids are lower-case"),
    ("query\tdate\nx\t2026-01-01\n", "searches.tsv:1: error: the header must be id | source | query | date | screened"),
])
def test_each_search_rule_reports_its_line(cli, tmp_path, searches, message):
    result = lint(cli, tmp_path, searches=searches)
    assert result.returncode == 1
    assert f"{tmp_path}/{message}" in result.stderr, result.stderr


def test_a_bib_alone_has_no_records_to_check(cli, tmp_path):
    (tmp_path / "review.bib").write_text(ENTRY, encoding="utf-8")
    result = cli("lint", str(tmp_path / "review.bib"), "--vocabulary", str(VOCABULARY))
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def review():
    return load_review(REPO / "bib" / "review.bib", VOCABULARY)


def test_the_review_keeps_its_records(review):
    assert review.screening is not None and review.screening.searches and review.screening.candidates
    assert [p for p in review.problems if p.path.endswith(".tsv")] == []


def test_every_entry_carries_provenance(review):
    for record in review.records:
        assert record.verified, record.key
        if record.kind == "study":
            assert record.coding in ("survey", "review"), record.key


def test_every_survey_row_is_screened():
    """Each of the survey's 85 rows ends as an entry or as an exclusion with its reason, under
    the survey's search and its own line."""
    survey = SHARED / "corpus" / "survey-README.md"
    rows = import_markdown(survey.read_text(encoding="utf-8"), str(survey)).candidates
    records = screening.read_records(REPO / "bib" / "review.bib")
    by_line = {c.found_in: c for c in records.candidates if c.search == "survey"}
    assert len(rows) == 85
    for row in rows:
        candidate = by_line.get(f"survey:{row.line}")
        assert candidate is not None, f"survey line {row.line} is not screened"
        assert candidate.decision == "include" or candidate.reason, row.line
    keys = {record.key for record in read_bib(REPO / "bib" / "review.bib").records}
    assert all(c.key in keys for c in by_line.values() if c.decision == "include")
    # the link each row gives is in the bib or in the screening record (a DOI no page confirmed
    # is named in its line's note)
    recorded = (REPO / "bib" / "screening.tsv").read_text(encoding="utf-8").lower() + \
        (REPO / "bib" / "review.bib").read_text(encoding="utf-8").lower()
    for row in rows:
        link = row.fields.get("doi") or row.fields.get("eprint") or row.fields.get("url")
        assert link and link.lower() in recorded, (row.line, link)
