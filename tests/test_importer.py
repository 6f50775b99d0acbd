"""``medsynth import-md`` over the survey's README and the earlier seed cut, with exact counts."""

from __future__ import annotations

import re

from conftest import SHARED

SURVEY = SHARED / "corpus" / "survey-README.md"
SEED = SHARED / "seeds" / "004_d31d6cc564107619.txt"


def summary(stderr: str) -> tuple[int, int, int]:
    match = re.search(r"(\d+) rows imported, (\d+) rows skipped, (\d+) problems reported", stderr)
    return tuple(int(g) for g in match.groups())


def test_survey_readme(cli, tmp_path):
    out = tmp_path / "candidates.bib"
    result = cli("import-md", str(SURVEY), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert summary(result.stderr) == (85, 5, 6)
    text = out.read_text(encoding="utf-8")
    assert text.count("@misc{") == 85
    assert "title =" not in text and "author =" not in text, "the importer never invents titles or authors"
    # Rows with placeholder links (MRI, CT, X-ray, OCT, text) are reported, not imported.
    for line in (199, 207, 215, 223, 250):
        assert f"{SURVEY}:{line}: warning: placeholder paper link 'https://example.com'; row skipped" in result.stderr
    assert f"{SURVEY}:119: warning: broken code link [Code](yES); dropped" in result.stderr
    assert "example.com" not in text


def test_survey_rows_map_to_the_taxonomy(cli, tmp_path):
    out = tmp_path / "candidates.bib"
    cli("import-md", str(SURVEY), "-o", str(out))
    text = out.read_text(encoding="utf-8")
    # H:GAN,VAE (ultrasound) becomes hybrid + gan + vae; Language Model (EEG) becomes llm.
    assert "family = {hybrid, gan, vae}" in text
    assert re.search(r"eprint = \{2303\.04839\}[^@]*modality = \{dermoscopy\}", text)
    assert re.search(r"doi = \{10\.1109/lra\.2021\.3056355\}[^@]*family = \{llm\}", text)
    # The EHR table spells evaluations out and has its dates under a second "Evaluation" header.
    assert re.search(r"eprint = \{2406\.16028\}[^@]*evaluation = \{U, F\}[^@]*date = \{2024-06\}", text)
    # A link labelled "Original" is the base method's code, not the paper's.
    assert "basecode = {https://github.com/clovaai/stargan-v2}" in text
    assert "code = {https://github.com/clovaai/stargan-v2}" not in text.replace("basecode", "")


def test_earlier_seed_cut(cli, tmp_path):
    result = cli("import-md", str(SEED), "-o", str(tmp_path / "c.bib"))
    assert result.returncode == 0
    assert summary(result.stderr) == (41, 10, 12)
    assert f"{SEED}:79: warning: broken code link [Code](Original method); dropped" in result.stderr


def test_unknown_type_is_reported(cli, tmp_path):
    md = tmp_path / "list.md"
    md.write_text("### ECG\n| Type | Paper | Evaluation |\n|--|--|--|\n"
                  "| Quantum GAN | [Paper](https://doi.org/10.1/x) | U, Z |\n", encoding="utf-8")
    result = cli("import-md", str(md))
    assert f"{md}:4: warning: unknown model type 'quantum gan'" in result.stderr
    assert f"{md}:4: warning: unknown evaluation 'Z'" in result.stderr
    assert summary(result.stderr) == (1, 0, 2)
