"""Every Sphinx builder a reader or Read the Docs may use, on the real review, with -W; and a
crawl of each web output for broken links, images and downloads."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from conftest import REPO
from crawl import broken_links

WEB_BUILDERS = ("html", "dirhtml", "singlehtml")


def sphinx_build(builder: str, out: Path, doctrees: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sphinx", "-T", "-W", "--keep-going", "-n", "-q", "-b", builder,
                           "-d", str(doctrees), "-c", str(REPO), str(REPO / "docs"), str(out)],
                          capture_output=True, text=True, cwd=REPO)


def untracked_files() -> set[str]:
    listing = subprocess.run(["git", "status", "--porcelain", "--ignored", "--untracked-files=all"], cwd=REPO,
                             capture_output=True, text=True, check=True).stdout
    return {line[3:] for line in listing.splitlines()}


@pytest.mark.parametrize("builder", WEB_BUILDERS)
def test_web_builders_build_cleanly_with_no_broken_link(tmp_path, builder):
    before = untracked_files()
    result = sphinx_build(builder, tmp_path / "out", tmp_path / "doctrees")
    assert result.returncode == 0, result.stderr
    assert broken_links(tmp_path / "out") == []
    written = sorted(path for path in untracked_files() - before if not path.startswith("_build/"))
    assert written == [], "a build wrote into the source tree outside _build/"
    state = [p.name for p in (tmp_path / "out").rglob("*") if "medsynth" in p.name or p.name.endswith(".pickle")]
    assert state == [], "the extension's state belongs beside the environment, not in the output"
    page = (tmp_path / "out" / ("index.html" if builder == "singlehtml" else
                                "modalities/ecg/index.html" if builder == "dirhtml" else "modalities/ecg.html"))
    text = page.read_text(encoding="utf-8")
    assert "exports/modalities-ecg.bib" in text and "review-table" in text


def test_epub_is_a_valid_package_with_every_chapter(tmp_path):
    result = sphinx_build("epub", tmp_path / "epub", tmp_path / "doctrees")
    assert result.returncode == 0, result.stderr
    [epub] = (tmp_path / "epub").glob("*.epub")
    check_epub(epub, tmp_path / "unpacked")


def check_epub(epub: Path, unpacked: Path) -> None:
    """An EPUB as readers expect it: ``mimetype`` first and stored, a chapter per modality, and
    no broken link inside the package."""
    with zipfile.ZipFile(epub) as package:
        first = package.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert package.read("mimetype") == b"application/epub+zip"
        names = set(package.namelist())
        package.extractall(unpacked)
    for chapter in (REPO / "docs" / "modalities").glob("*.md"):
        assert f"modalities/{chapter.stem}.xhtml" in names, chapter.stem
    assert broken_links(unpacked) == []


def test_the_crawler_finds_what_is_broken(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text('<a id="top" href="sub/page.html#here">x</a><img src="missing.svg">'
                                         '<a href="sub/page.html#gone">y</a><a href="https://example.org/x">z</a>')
    (tmp_path / "sub" / "page.html").write_text('<p id="here"><a href="../index.html#top">back</a></p>')
    assert broken_links(tmp_path) == [
        "index.html: img@src 'missing.svg': no file " + str(tmp_path / "missing.svg"),
        "index.html: a@href 'sub/page.html#gone': no anchor #gone"]


def test_the_python_promised_is_the_python_tested():
    """pyproject, the README and the interpreter agree on the oldest Python supported."""
    required = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    oldest = required.removeprefix(">=")
    assert f"Python {oldest}+" in (REPO / "README.md").read_text(encoding="utf-8")
    assert sys.version_info >= tuple(int(part) for part in oldest.split("."))
