"""Small behaviours the larger tests pass over, each pinned so that dropping it turns a test red:
the CSL-JSON month, dashes in displayed text, the vocabulary's own checks, add's escaping, and
the RIS page range."""

from __future__ import annotations

import json
import textwrap

import pytest
import rispy

from conftest import VOCABULARY

from medsynth import export
from medsynth.add import escape
from medsynth.bibfile import parse_bib
from medsynth.latex import to_text
from medsynth.vocabulary import VocabularyError, load_vocabulary

ENTRY = textwrap.dedent("""\
    @article{one2020,
      title = {Pages---and dashes--too},
      author = {Doe, Jane},
      journal = {J},
      year = {2020},
      month = mar,
      pages = {12--19},
    }
    """)


def record():
    return parse_bib(ENTRY).records[0]


def test_csl_json_carries_the_month():
    assert json.loads(export.fragment("csljson", record()))["issued"] == {"date-parts": [[2020, 3]]}


def test_ris_has_both_ends_of_the_page_range():
    [item] = rispy.loads(export.fragment("ris", record()))
    assert (item["start_page"], item["end_page"]) == ("12", "19")


def test_dashes_are_typeset_as_in_latex():
    assert to_text("Pages---and dashes--too, a-b") == "Pages\u2014and dashes\u2013too, a-b"
    assert record().title == "Pages\u2014and dashes\u2013too"


def test_add_escapes_what_bibtex_would_read_as_markup():
    assert escape("50% & a_b #1 $x {y} <i>z</i>") == "50\\% \\& a\\_b \\#1 \\$x y z"


@pytest.mark.parametrize("change, message", [
    ("category: D\n    direction: lower\n    reference: \"Heusel", "metric 'fid': unknown category 'Z'"),
    ("direction: lower\n    reference: \"Heusel", "metric 'fid': direction must be higher, lower or target"),
])
def test_the_vocabulary_checks_its_terms_where_they_stand(tmp_path, change, message):
    text = VOCABULARY.read_text(encoding="utf-8")
    broken = text.replace(change, change.replace("category: D", "category: Z").replace(
        "direction: lower\n    reference: \"Heusel", "direction: sideways\n    reference: \"Heusel"), 1)
    assert broken != text
    path = tmp_path / "vocabulary.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(VocabularyError) as error:
        load_vocabulary(path)
    line = next(n for n, content in enumerate(broken.splitlines(), 1) if content == "  - id: fid")
    assert f"{path}:{line}: error: {message}" in str(error.value)
