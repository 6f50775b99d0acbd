"""Hostile input: every case gets a located error or is taken as data; no traceback, no lost entry."""

from __future__ import annotations

import pytest

from conftest import VOCABULARY

GOOD = "@misc{good%d,\n  title = {Good},\n  author = {Doe, Jane},\n  year = {2023},\n  modality = {ecg},\n" \
       "  family = {gan},\n  evaluation = {U},\n  verified = {https://example.org/fixture},\n  coding = {review},\n}\n"


def good(n: int) -> str:
    return GOOD % n


CASES = {
    "unbalanced-braces": (good(1) + "\n@misc{bad,\n  title = {Open {brace},\n  year = {2023},\n}\n\n" + good(2),
                          "cannot parse '@misc{bad,'", 12),
    "never-closes": (good(1) + "\n" + good(2) + "\n@misc{bad,\n  title = {T},\n", "cannot parse '@misc{bad,'", 23),
    "duplicate-key": (good(1) + "\n" + good(1), "duplicate key 'good1' (first at line 1)", 12),
    "javascript-url": (good(1).replace("evaluation", "url = {javascript:alert(1)},\n  evaluation"),
                       "url must be an http(s) URL", 7),
    "javascript-code": (good(1).replace("evaluation", "code = {JavaScript:alert(1)},\n  evaluation"),
                        "code must be an http(s) URL", 7),
    "data-basecode": (good(1).replace("evaluation", "basecode = {data:text/html;base64,PHNjcmlwdD4=},\n  evaluation"),
                      "basecode must be an http(s) URL", 7),
    "javascript-doi": (good(1).replace("evaluation", "doi = {javascript:alert(1)},\n  evaluation"),
                       "is not a DOI", 7),
    "impossible-date": (good(1).replace("evaluation", "date = {2023-13},\n  evaluation"), "is not a real date", 7),
    "non-utf8": ((good(1) + "@misc{x, title = {caf\xe9}}\n").encode("latin-1"), "file is not valid UTF-8", 11),
    "stray-closing-brace": (good(1) + "}}\n" + good(2), "text outside any entry is ignored", 11),
}

ACCEPTED = {
    "empty-file": ("", 0),
    "only-comments": ("% nothing here\n\n@comment{still nothing}\n", 0),
    "huge-title": (good(1).replace("{Good}", "{" + "A" * 100_000 + "}") + good(2), 2),
    "deep-braces": (good(1).replace("{Good}", "{" + "{" * 300 + "deep" + "}" * 300 + "}") + good(2), 2),
    "markup-in-fields": (good(1).replace("{Good}", "{<script>alert(1)</script> {cite}`x` $ % & _ #}"), 1),
}


def write(tmp_path, content) -> str:
    path = tmp_path / "review.bib"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_gets_a_located_error(cli, tmp_path, name):
    content, message, line = CASES[name]
    path = write(tmp_path, content)
    result = cli("lint", path, "--vocabulary", str(VOCABULARY))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert any(l.startswith(f"{path}:{line}: error:") and message in l for l in result.stderr.splitlines()), result.stderr


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_loses_no_other_entry(cli, tmp_path, name):
    content, _, _ = CASES[name]
    path = write(tmp_path, content)
    before = open(path, "rb").read()
    fmt = cli("fmt", path)
    assert "Traceback" not in fmt.stderr
    if fmt.returncode != 0:
        assert open(path, "rb").read() == before, "a file that failed to format is left untouched"
    exported = cli("export", path, "--vocabulary", str(VOCABULARY), "--keep-custom")
    assert "Traceback" not in exported.stderr
    if exported.returncode == 0:
        for key in ("good1", "good2"):
            if key in (before.decode("utf-8", "replace")):
                assert key in exported.stdout


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_odd_but_valid_input_is_data(cli, tmp_path, name):
    content, entries = ACCEPTED[name]
    path = write(tmp_path, content)
    result = cli("lint", path, "--vocabulary", str(VOCABULARY))
    assert result.returncode == 0, result.stderr
    assert f"{entries} entries, no problems" in result.stdout
    assert cli("fmt", path).returncode == 0
    once = open(path, "rb").read()
    assert cli("fmt", "--check", path).returncode == 0
    assert open(path, "rb").read() == once
    result = cli("lint", path, "--vocabulary", str(VOCABULARY))
    assert f"{entries} entries, no problems" in result.stdout
