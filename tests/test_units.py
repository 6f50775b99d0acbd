"""Small behaviours the larger tests pass over, each pinned so that dropping it turns a test red:
the CSL-JSON month, dashes in displayed text, the vocabulary's own checks, add's escaping, and
the RIS page range."""

from __future__ import annotations

import json
import textwrap

import pytest
import rispy
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text

from conftest import VOCABULARY

from medsynth import export
from medsynth.add import escape
from medsynth.bibfile import parse_bib
from medsynth import latex
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


@pytest.mark.parametrize("value, text", [
    (r"Mart{\'\i}n", "Martín"), (r"\L{}ukasiewicz and \c{C}elik", "Łukasiewicz and Çelik"),
    (r"$\alpha$-synuclein", "α-synuclein"), (r"C\# nets", "C# nets"), ("50% of {GAN}s & more", "50% of GANs & more"),
    ("x~y\n z", "x y z"), (r"\textit{in vivo} ``quoted''", "in vivo \u201cquoted\u201d"),
])
def test_displayed_values_are_decoded_as_latex_reads_them(value, text):
    assert to_text(value) == text


#: Balanced-brace values over every character, without those only LaTeX decoding reads.
#: The characters LaTeX gives a meaning (dashes, quotes, ligatures) are drawn often.
_plain_character = st.one_of(st.sampled_from("--'!?<>\"#@,=^_ \t\n"),
                             st.characters(codec="utf-8", exclude_characters="{}\\$%&~`"))
_plain = st.recursive(st.text(_plain_character, max_size=12),
                      lambda inner: st.builds(lambda a, b, c: a + "{" + b + "}" + c, inner, inner, inner), max_leaves=6)


@settings(max_examples=400, deadline=None)
@given(_plain)
def test_the_fast_path_reads_plain_values_as_pylatexenc_does(value):
    assume(not latex._NEEDS_DECODING.search(value))  # no quote pair ('')
    expected = LatexNodes2Text(math_mode="text").latex_to_text(value)
    assert to_text(value) == latex.unicodedata.normalize("NFC", " ".join(expected.split()))


def test_add_escapes_what_bibtex_would_read_as_markup():
    assert escape("50% & a_b #1 $x {y} <i>z</i>") == "50\\% \\& a\\_b \\#1 \\$x y z"


@pytest.mark.parametrize("change, wrong_line, message", [
    ("category: D\n    direction: lower\n    reference: \"Heusel", "    category: Z", "metric 'fid': unknown category 'Z'"),
    ("direction: lower\n    reference: \"Heusel", "    direction: sideways",
     "metric 'fid': direction must be higher, lower or target"),
])
def test_the_vocabulary_checks_its_terms_where_they_stand(tmp_path, change, wrong_line, message):
    text = VOCABULARY.read_text(encoding="utf-8")
    broken = text.replace(change, change.replace("category: D", "category: Z").replace(
        "direction: lower\n    reference: \"Heusel", "direction: sideways\n    reference: \"Heusel"), 1)
    assert broken != text
    path = tmp_path / "vocabulary.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(VocabularyError) as error:
        load_vocabulary(path)
    # the field that is wrong, not the term's first line
    line = next(n for n, content in enumerate(broken.splitlines(), 1) if content == wrong_line)
    assert f"{path}:{line}: error: {message}" in str(error.value)


@pytest.mark.parametrize("addition, message", [
    ("metric:\n  - id: typo\n", "unknown section 'metric'"),
    ("datasets: none\n", "section 'datasets' must be a list of terms"),
])
def test_the_vocabulary_locates_a_wrong_section(tmp_path, addition, message):
    text = VOCABULARY.read_text(encoding="utf-8")
    if addition.startswith("datasets"):
        text = text[:text.index("\ndatasets:\n") + 1]  # the real datasets section replaced by a wrong one
    path = tmp_path / "vocabulary.yaml"
    path.write_text(text + addition, encoding="utf-8")
    with pytest.raises(VocabularyError) as error:
        load_vocabulary(path)
    line = len(text.splitlines()) + 1
    assert f"{path}:{line}: error: {message}" in str(error.value)
