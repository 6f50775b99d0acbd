"""``medsynth export`` on the real review, and the Read the Docs configuration."""

from __future__ import annotations

import csv
import io
import json

import bibtexparser
import jsonschema
import pytest
import yaml

from conftest import REPO, SHARED

from medsynth.review import Selection, load_review, select

SCHEMAS = SHARED / "schemas"
BIB = REPO / "bib" / "review.bib"


@pytest.fixture(scope="module")
def review():
    return load_review(BIB, REPO / "bib" / "vocabulary.yaml")


def keys_in(bibtex: str) -> list[str]:
    return [entry.key for entry in bibtexparser.parse_string(bibtex).entries]


@pytest.mark.parametrize("args, selection", [
    ((), Selection()),
    (("--modality", "ecg"), Selection(modality=("ecg",))),
    (("--family", "diffusion"), Selection(family=("diffusion",))),
    (("--evaluation", "p"), Selection(evaluation=("P",))),
    (("--since", "2023"), Selection(since="2023")),
    (("--modality", "ultrasound", "--family", "gan"), Selection(modality=("ultrasound",), family=("gan",))),
    (("--kind", "survey"), Selection(kind=("survey",))),
])
def test_every_format_exports_the_selection(cli, review, tmp_path, args, selection):
    expected = [r.key for r in select(review.records, selection)]
    assert expected, "each filter selects something in the real review"
    outputs = {}
    for fmt in ("bibtex", "csljson", "ris", "csv"):
        out = tmp_path / f"out.{fmt}"
        result = cli("export", *args, "--format", fmt, "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert f"exported {len(expected)} entries as {fmt}" in result.stderr
        outputs[fmt] = out.read_text(encoding="utf-8")
    assert keys_in(outputs["bibtex"]) == expected
    assert [item["id"] for item in json.loads(outputs["csljson"])] == expected
    assert [line[6:] for line in outputs["ris"].splitlines() if line.startswith("ID  - ")] == expected
    assert [row["key"] for row in csv.DictReader(io.StringIO(outputs["csv"]))] == expected


def test_bibtex_round_trip_keeps_entries_and_fields(cli, review, tmp_path):
    out = tmp_path / "all.bib"
    assert cli("export", "--keep-custom", "-o", str(out)).returncode == 0
    master = {e.key: e.fields_dict for e in bibtexparser.parse_string(BIB.read_text(encoding="utf-8")).entries}
    exported = {e.key: e.fields_dict for e in bibtexparser.parse_string(out.read_text(encoding="utf-8")).entries}
    assert exported.keys() == master.keys()
    for key, fields in master.items():
        assert {n: f.value for n, f in exported[key].items()} == {n: f.value for n, f in fields.items()}, key


def test_clean_bibtex_drops_only_the_review_fields(cli, tmp_path):
    out = tmp_path / "clean.bib"
    assert cli("export", "-o", str(out)).returncode == 0
    master = {e.key: e for e in bibtexparser.parse_string(BIB.read_text(encoding="utf-8")).entries}
    for entry in bibtexparser.parse_string(out.read_text(encoding="utf-8")).entries:
        original = master[entry.key]
        standard = {k: f.value for k, f in original.fields_dict.items()
                    if k.lower() not in {"modality", "family", "evaluation", "metrics", "scenario", "task", "kind",
                                         "architecture", "application", "code", "basecode", "added", "date",
                                         "datasets", "verified", "coding", "correction", "corrected"}}
        assert {k: f.value for k, f in entry.fields_dict.items()} == standard


def test_csl_json_validates_and_splits_names(cli, tmp_path):
    out = tmp_path / "all.json"
    assert cli("export", "--format", "csljson", "-o", str(out)).returncode == 0
    items = json.loads(out.read_text(encoding="utf-8"))
    schema = json.loads((SCHEMAS / "csl-data.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(items, schema)
    with_doi = [i for i in items if "DOI" in i]
    assert with_doi and all(i["URL"] == f"https://doi.org/{i['DOI']}" for i in with_doi)
    assert all("family" in a or "literal" in a for i in items for a in i.get("author", []))
    assert all(isinstance(i["issued"]["date-parts"][0][0], int) for i in items)


def test_unknown_filter_is_an_error(cli):
    result = cli("export", "--modality", "mrii")
    assert result.returncode == 2
    assert "unknown modality 'mrii'" in result.stderr and "Traceback" not in result.stderr


def test_readthedocs_config_validates():
    config = yaml.safe_load((REPO / ".readthedocs.yaml").read_text(encoding="utf-8"))
    schema = json.loads((SCHEMAS / "readthedocs-config-v2.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(config, schema)
    assert config["sphinx"]["fail_on_warning"] is True
    assert set(config["formats"]) == {"pdf", "epub"}


HOSTILE = """@article{evil2024,
  title = {Line one
ER  -
TY  - JOUR},
  author = {=HYPERLINK("http://example.org"), Eve and +Plus, Pat},
  journal = {@SUM(A1:A9)},
  year = {2024},
  pages = {12--19},
  modality = {ecg},
  family = {gan},
  evaluation = {U},
  verified = {https://example.org/x},
  coding = {review},
}
"""


def test_exports_cannot_be_injected(cli, tmp_path):
    """A newline in a field cannot start a RIS tag or end the record; a formula-like value stays
    text in a spreadsheet."""
    import rispy

    bib = tmp_path / "review.bib"
    bib.write_text(HOSTILE, encoding="utf-8")
    vocabulary = str(REPO / "bib" / "vocabulary.yaml")
    ris = tmp_path / "out.ris"
    assert cli("export", str(bib), "--vocabulary", vocabulary, "--format", "ris", "-o", str(ris)).returncode == 0
    text = ris.read_text(encoding="utf-8")
    assert text.count("ER  -") == 1 and text.count("TY  -") == 1
    [item] = rispy.loads(text)
    assert item["title"] == "Line one ER - TY - JOUR"
    assert item["start_page"] == "12" and item["end_page"] == "19"
    out = tmp_path / "out.csv"
    assert cli("export", str(bib), "--vocabulary", vocabulary, "--format", "csv", "-o", str(out)).returncode == 0
    [row] = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert row["authors"].startswith("'=HYPERLINK") and row["venue"] == "'@SUM(A1:A9)"
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@")), value


def test_names_and_values_are_decoded_as_bibtex_means_them(cli, tmp_path):
    """"von" and "Jr." parts survive, an accent on \\i is an í, a quoted value may hold #."""
    bib = tmp_path / "review.bib"
    bib.write_text('@misc{csharp2020,\n  title = "C# nets for {ECG}",\n'
                   "  author = {van der Berg, Jr., John and Mart{\\'\\i}n, Ana and Ludwig van Beethoven},\n"
                   "  year = {2020},\n  modality = {ecg},\n  family = {gan},\n  evaluation = {U},\n"
                   "  verified = {https://example.org/x},\n  coding = {review},\n}\n", encoding="utf-8")
    vocabulary = str(REPO / "bib" / "vocabulary.yaml")
    result = cli("lint", str(bib), "--vocabulary", vocabulary)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out.json"
    assert cli("export", str(bib), "--vocabulary", vocabulary, "--format", "csljson", "-o", str(out)).returncode == 0
    [item] = json.loads(out.read_text(encoding="utf-8"))
    assert item["title"] == "C# nets for ECG"
    assert item["author"] == [{"family": "van der Berg", "given": "John", "suffix": "Jr."},
                              {"family": "Martín", "given": "Ana"}, {"family": "van Beethoven", "given": "Ludwig"}]
    ris = tmp_path / "out.ris"
    assert cli("export", str(bib), "--vocabulary", vocabulary, "--format", "ris", "-o", str(ris)).returncode == 0
    assert "AU  - van der Berg, John, Jr." in ris.read_text(encoding="utf-8")
