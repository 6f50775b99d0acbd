"""``medsynth lint``: every rule reports ``PATH:LINE: error: message`` and exits 1; clean is 0."""

from __future__ import annotations

import textwrap

import pytest

from conftest import VOCABULARY

GOOD = """\
@article{good2023,
  title = {Good},
  author = {Doe, Jane},
  journal = {Journal of Good Entries},
  year = {2023},
  modality = {ecg},
  family = {gan},
  evaluation = {U, F},
  verified = {https://arxiv.org/abs/2301.00001},
  coding = {review},
}
"""


def lint(cli, tmp_path, text: str | bytes, *extra: str):
    path = tmp_path / "review.bib"
    path.write_bytes(text if isinstance(text, bytes) else textwrap.dedent(text).encode("utf-8"))
    result = cli("lint", str(path), "--vocabulary", str(VOCABULARY), *extra)
    assert "Traceback" not in result.stderr
    return result, str(path)


def test_clean_file_passes(cli, tmp_path):
    result, path = lint(cli, tmp_path, GOOD)
    assert result.returncode == 0, result.stderr
    assert "1 entries, no problems" in result.stdout


@pytest.mark.parametrize("body, line, message", [
    ("title = {T},\n  author = {A, B},\n  year = {2023},\n  family = {gan},\n  evaluation = {U},",
     1, "missing required field 'modality'"),
    ("title = {T},\n  author = {A, B},\n  year = {2023},\n  modality = {mrii},\n  family = {gan},\n  evaluation = {U},",
     5, "unknown modality 'mrii'; did you mean 'mri'?"),
    ("title = {T},\n  author = {A, B},\n  year = {2023},\n  modality = {ecg},\n  family = {gann},\n  evaluation = {U},",
     6, "unknown family 'gann'; did you mean 'gan'?"),
    ("title = {T},\n  author = {A, B},\n  year = {2023},\n  modality = {ecg},\n  family = {gan},\n  evaluation = {U, X},",
     7, "unknown evaluation code 'X'"),
    ("title = {T},\n  author = {A, B},\n  year = {2023},\n  modality = {ecg},\n  family = {gan},\n  evaluation = {U},\n  metrics = {fidd},",
     8, "unknown metrics 'fidd'; did you mean 'fid'?"),
    ("title = {T},\n  author = {A, B},\n  year = {2023},\n  modality = {ecg},\n  family = {gan},\n  evaluation = {U},\n  date = {2023-02-30},",
     8, "date '2023-02-30' is not a real date"),
    ("title = {T},\n  author = {A, B},\n  year = {2023},\n  modality = {ecg},\n  family = {gan},\n  evaluation = {U},\n  date = {March 2023},",
     8, "date 'March 2023' is not YYYY-MM or YYYY-MM-DD"),
    ("title = {T},\n  author = {A, B},\n  year = {23},\n  modality = {ecg},\n  family = {gan},\n  evaluation = {U},",
     4, "year '23' is not a four-digit year"),
    ("title = {T},\n  author = {A, B},\n  year = {2023},\n  modality = {ecg},\n  family = {gan},\n  evaluation = {U},\n  code = {javascript:alert(1)},",
     8, "code must be an http(s) URL, not 'javascript:alert(1)'"),
    ("title = {T},\n  author = {A, B},\n  year = {2023},\n  modality = {ecg},\n  family = {gan},\n  evaluation = {U},\n  url = {data:text/html,x},",
     8, "url must be an http(s) URL"),
    ("title = {T},\n  author = {A, B},\n  year = {2023},\n  modality = {ecg},\n  family = {gan},\n  evaluation = {U},\n  doi = {not-a-doi},",
     8, "doi 'not-a-doi' is not a DOI"),
    ("title = {T},\n  author = {A, B},\n  year = {2023},\n  modality = {ecg},\n  family = {gan},\n  evaluation = {U},\n  eprint = {abc},\n  archiveprefix = {arXiv},",
     8, "eprint 'abc' is not an arXiv id"),
    ("title = {T},\n  author = {A, B},\n  year = {2023},\n  modality = {ecg},\n  family = {gan},\n  evaluation = {U},\n  kind = {surveyy},",
     8, "unknown kind 'surveyy'; did you mean 'survey'?"),
])
def test_each_rule_reports_its_line(cli, tmp_path, body, line, message):
    check_rule(cli, tmp_path, body, line, message)


STUDY = ("title = {T},\n  author = {A, B},\n  year = {2023},\n  modality = {ecg},\n  family = {gan},\n"
         "  evaluation = {U},\n  verified = {https://arxiv.org/abs/2301.00001},\n  coding = {review},")


@pytest.mark.parametrize("body, line, message", [
    ("title = {T},\n  author = {A, B},\n  year = {2023},\n  kind = {survey},", 1, "missing required field 'verified'"),
    (STUDY.replace("  coding = {review},", ""), 1, "missing required field 'coding'"),
    (STUDY.replace("https://arxiv.org/abs/2301.00001", "https://arxiv.org/abs/2301.00001, seen on arXiv"), 8,
     "verified must list http(s) URLs, not 'seen'"),
    (STUDY.replace("{review}", "{guess}"), 9, "unknown coding 'guess'"),
    (STUDY + "\n  datasets = {mimic-iiii},", 10, "unknown datasets 'mimic-iiii'; did you mean 'mimic-iii'?"),
    (STUDY.replace("{ecg}", "{mri, ct, mri}"), 5, "modality lists 'mri' more than once"),
    (STUDY + "\n  date = {2999-01},", 10, "date '2999-01' is after today"),
    (STUDY + "\n  added = {2999-01-01},", 10, "added '2999-01-01' is after today"),
    (STUDY + "\n  date = {2024-02},", 10, "date '2024-02' (first appearance) is after the cited version's year 2023"),
    (STUDY + "\n  eprint = {2306.01875},\n  archiveprefix = {arXiv},\n  date = {2023-01},", 12,
     "date '2023-01' is before arXiv 2306.01875, which appeared in 2023-06"),
    (STUDY + "\n  correction = {evaluation P -> F},", 10, "a correction needs the date it was made ('corrected')"),
    (STUDY, 1, "missing required field 'journal' (an @article needs it)"),
])
def test_each_provenance_rule_reports_its_line(cli, tmp_path, body, line, message):
    check_rule(cli, tmp_path, body, line, message)


@pytest.mark.parametrize("extra", [
    "  eprint = {2306.01875},\n  archiveprefix = {arXiv},\n  date = {2023-05-29},",  # announced next month
    "  eprint = {2306.01875},\n  archiveprefix = {arXiv},\n  date = {2021-04},\n",  # see year below
])
def test_dates_that_are_allowed(cli, tmp_path, extra):
    body = STUDY + "\n" + extra
    if "2021-04" in extra:
        body = body.replace("year = {2023}", "year = {2021}")  # the cited version predates the preprint
    result, path = lint(cli, tmp_path, GOOD + "\n@misc{fine2023,\n  " + body + "\n}\n")
    assert result.returncode == 0, result.stderr


def check_rule(cli, tmp_path, body, line, message):
    text = GOOD + "\n@article{bad2023,\n  " + body + "\n}\n"
    result, path = lint(cli, tmp_path, text)
    assert result.returncode == 1
    first_line = GOOD.count("\n") + 2  # the bad entry starts after GOOD and a blank line
    expected = f"{path}:{first_line + line - 1}: error: bad2023: {message}"
    assert expected in result.stderr, result.stderr


def test_duplicate_keys(cli, tmp_path):
    result, path = lint(cli, tmp_path, GOOD + "\n" + GOOD)
    assert result.returncode == 1
    assert f"{path}:{GOOD.count(chr(10)) + 2}: error: duplicate key 'good2023' (first at line 1)" in result.stderr


@pytest.mark.parametrize("first, second", [
    ("doi = {10.1000/ABC.1}", "doi = {https://doi.org/10.1000/abc.1}"),
    ("doi = {10.1000/abc.1}", "doi = {doi:10.1000/ABC.1}"),
])
def test_duplicate_dois_in_any_spelling(cli, tmp_path, first, second):
    text = GOOD.replace("good2023", "one").replace("evaluation", first + ",\n  evaluation") + "\n" + \
        GOOD.replace("good2023", "two").replace("evaluation", second + ",\n  evaluation")
    result, path = lint(cli, tmp_path, text)
    assert result.returncode == 1
    assert f"{path}:{GOOD.count(chr(10)) + 3}: error: two: duplicate DOI 10.1000/abc.1 (first at line 1, one)" in result.stderr


@pytest.mark.parametrize("first, second", [
    ("eprint = {2306.01875}", "eprint = {2306.01875v3}"),
    ("eprint = {2306.01875}", "url = {https://arxiv.org/pdf/2306.01875v2.pdf}"),
    ("url = {http://arxiv.org/abs/2306.01875v1}", "doi = {10.48550/arXiv.2306.01875}"),
])
def test_duplicate_arxiv_ids_in_any_spelling(cli, tmp_path, first, second):
    text = GOOD.replace("good2023", "one").replace("evaluation", first + ",\n  evaluation") + "\n" + \
        GOOD.replace("good2023", "two").replace("evaluation", second + ",\n  evaluation")
    result, path = lint(cli, tmp_path, text)
    assert result.returncode == 1
    assert f"{path}:{GOOD.count(chr(10)) + 3}: error: two: duplicate arXiv id 2306.01875 (first at line 1, one)" in result.stderr


def test_unbalanced_braces_are_located_not_a_traceback(cli, tmp_path):
    text = GOOD + "\n@article{broken,\n  title = {Never {closed},\n  year = {2023},\n}\n\n" + GOOD.replace("good2023", "after")
    result, path = lint(cli, tmp_path, text)
    assert result.returncode == 1
    assert f"{path}:{GOOD.count(chr(10)) + 2}: error: cannot parse '@article{{broken,'" in result.stderr


def test_non_utf8_file(cli, tmp_path):
    result, path = lint(cli, tmp_path, GOOD.encode() + b"\n@misc{x, title = {caf\xe9}}\n")
    assert result.returncode == 1
    assert f"{path}:{GOOD.count(chr(10)) + 2}: error: file is not valid UTF-8 (byte 0xe9 at column 22)" in result.stderr


def test_stray_text_that_looks_like_an_entry(cli, tmp_path):
    result, path = lint(cli, tmp_path, GOOD + "}\n")
    assert result.returncode == 1
    assert f"{path}:{GOOD.count(chr(10)) + 1}: error: text outside any entry is ignored by BibTeX" in result.stderr


def test_every_modality_in_use_needs_a_chapter(cli, tmp_path):
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    result, path = lint(cli, tmp_path, GOOD, "--chapters", str(chapters))
    assert result.returncode == 1
    assert f"{path}:1: error: good2023: modality 'ecg' has no chapter" in result.stderr
    (chapters / "ecg.md").write_text("# ECG\n")
    result, _ = lint(cli, tmp_path, GOOD, "--chapters", str(chapters))
    assert result.returncode == 0, result.stderr


def test_missing_file(cli, tmp_path):
    result = cli("lint", str(tmp_path / "nope.bib"), "--vocabulary", str(VOCABULARY))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "nope.bib:0: error: cannot read file" in result.stderr


def test_problems_kept_from_an_earlier_check_move_with_their_entries():
    """The build keeps each entry's problems between builds; found again lower in the file,
    they are reported on the entry's new lines, exactly as a fresh check reports them."""
    from medsynth.bibfile import Reusable, parse_bib
    from medsynth.lint import check
    from medsynth.vocabulary import load_vocabulary

    vocabulary = load_vocabulary(VOCABULARY)
    bad = "".join(f"\n@article{{bad{i},\n  title = {{T}},\n  author = {{A, B}},\n  year = {{2023}},\n"
                  f"  modality = {{ecg}},\n  family = {{gann}},\n  evaluation = {{U, X}},\n}}\n" for i in range(3))
    text = GOOD + bad
    memo: dict = {}
    earlier = parse_bib(text)
    assert check(earlier, vocabulary, memo=memo) == check(earlier, vocabulary)
    moved = text.replace("@article{bad1,", "% two lines\n% more\n@article{bad1,")
    again = parse_bib(moved, reuse=Reusable.of(earlier))
    assert again.reused == len(again.records) == 4
    fresh = check(parse_bib(moved), vocabulary)
    assert check(again, vocabulary, memo=memo) == fresh
    family_line = moved.count("\n", 0, moved.index("family = {gann}", moved.index("@article{bad2,"))) + 1
    assert [p.line for p in fresh if p.message.startswith("bad2: unknown family")] == [family_line]


@pytest.mark.parametrize("key", ["a<b>c", "x#y/z", "9lives", "has%percent"])
def test_keys_match_one_safe_pattern(cli, tmp_path, key):
    result, path = lint(cli, tmp_path, GOOD.replace("good2023", key))
    assert result.returncode == 1
    assert f"{path}:1: error: key {key!r} must match" in result.stderr, result.stderr


def test_keys_are_unique_ignoring_case(cli, tmp_path):
    result, path = lint(cli, tmp_path, GOOD.replace("good2023", "Case2021") + "\n" + GOOD.replace("good2023", "case2021"))
    assert result.returncode == 1
    assert f"{path}:{GOOD.count(chr(10)) + 2}: error: key 'case2021' differs from 'Case2021' (line 1) only in case" \
        in result.stderr


def test_a_doi_in_one_url_and_another_doi_is_a_duplicate(cli, tmp_path):
    text = GOOD.replace("good2023", "one").replace("evaluation", "doi = {10.1000/abc.1},\n  evaluation") + "\n" + \
        GOOD.replace("good2023", "two").replace("evaluation", "url = {https://doi.org/10.1000/ABC.1},\n  evaluation")
    result, path = lint(cli, tmp_path, text)
    assert result.returncode == 1
    assert "two: duplicate DOI 10.1000/abc.1 (first at line 1, one)" in result.stderr
