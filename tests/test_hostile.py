"""Hostile input: every case gets a located error or is taken as data; no traceback, no lost entry."""

from __future__ import annotations

import re
import subprocess

import bibtexparser
import pytest

from conftest import VOCABULARY, require_tools

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


#: The cases the parser refuses: no writer touches the file, no export is made.
REFUSED = {"unbalanced-braces", "never-closes", "duplicate-key", "non-utf8"}


def entries_of(text: str) -> dict[str, dict[str, str]]:
    """Key -> field -> value, as bibtexparser reads the file (no middleware: values verbatim)."""
    library = bibtexparser.parse_string(text)
    return {entry.key: {field.key: field.value for field in entry.fields} for entry in library.entries}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_is_refused_whole_or_kept_entry_by_entry(cli, tmp_path, name):
    content, message, line = CASES[name]
    path = write(tmp_path, content)
    before = open(path, "rb").read()
    fmt = cli("fmt", path)
    exported = cli("export", path, "--vocabulary", str(VOCABULARY), "--keep-custom")
    assert "Traceback" not in fmt.stderr + exported.stderr
    if name in REFUSED:
        assert fmt.returncode == 1 and f"{path}:{line}: error:" in fmt.stderr
        assert open(path, "rb").read() == before, "a file that could not be parsed is left untouched"
        assert exported.returncode == 1 and exported.stdout == ""
        return
    # Taken as data: lint reports the problem, and every entry keeps every field, value for value.
    assert fmt.returncode == 0, fmt.stderr
    original, formatted = entries_of(before.decode("utf-8")), entries_of(open(path, encoding="utf-8").read())
    assert formatted == original and set(original) >= {"good1"}
    assert exported.returncode == 0
    assert set(re.findall(r"^@\w+\{([^,]+),", exported.stdout, re.M)) == set(original)
    assert set(entries_of(exported.stdout)) == set(original)


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


#: Valid values that LaTeX or BibTeX could misread: specials, markup, quotes, name parts, links.
BIBTEX_HOSTILE = {
    "specials": "title = {50% of \\$ \\& a_b #1 ~ ^ {x} <script>alert(1)</script> @misc{y,}}",
    "quotes": 'title = {He said "C# nets" {{deep {deeper}}}, = and , and @}',
    "markup": "title = {{cite}`x` and \\emph{em} and $\\alpha$ and \\'{e} and caf\u00e9}",
    "names": "title = {Names}",
    "links": "title = {Links},\n  url = {https://example.org/a%20b?x=1&y=2#frag}",
}


@pytest.mark.parametrize("keep_custom", [False, True])
def test_bibtex_itself_reads_every_hostile_but_valid_export(cli, tmp_path, keep_custom):
    require_tools("bibtex")
    entries = []
    for index, (name, fields) in enumerate(BIBTEX_HOSTILE.items()):
        authors = "van der Berg, Jr., Jan and {\\'E}mile Zola and {Barnes and Noble, Inc.} and others" \
            if name == "names" else "Doe, Jane"
        entries.append(f"@article{{{name},\n  {fields},\n  author = {{{authors}}},\n  journal = {{J}},\n"
                       f"  year = {{202{index}}},\n  modality = {{ecg}},\n  family = {{gan}},\n  evaluation = {{U}},\n"
                       f"  verified = {{https://example.org/{name}}},\n  coding = {{review}},\n}}\n")
    path = write(tmp_path, "\n".join(entries))
    assert cli("lint", path, "--vocabulary", str(VOCABULARY)).returncode == 0
    export = tmp_path / "export.bib"
    result = cli("export", path, "--vocabulary", str(VOCABULARY), "-o", str(export),
                 *(["--keep-custom"] if keep_custom else []))
    assert result.returncode == 0, result.stderr
    (tmp_path / "cite.aux").write_text("\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{export}\n",
                                       encoding="utf-8")
    run = subprocess.run(["bibtex", "cite"], cwd=tmp_path, capture_output=True, text=True)
    log = (tmp_path / "cite.blg").read_text(encoding="utf-8", errors="replace")
    assert run.returncode == 0 and "error message" not in log, run.stdout + log
    bbl = (tmp_path / "cite.bbl").read_text(encoding="utf-8")
    assert sorted(re.findall(r"\\bibitem\{([^}]+)\}", bbl)) == sorted(BIBTEX_HOSTILE)
