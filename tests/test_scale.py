"""Small versions of the scale paths: -j 1 and -j 2 agree, and an edit rebuilds only what shows it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from medsynth.bench import edit_one_entry, generate_bib, make_site


def build(root: Path, out: str, jobs: str) -> str:
    result = subprocess.run([sys.executable, "-m", "sphinx", "-N", "-b", "html", "-W", "-j", jobs, "-c", ".", "docs", out],
                            cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def pages(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*.html")}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("scale")
    make_site(root, generate_bib(300), baseline=False)
    return root


def test_parallel_build_gives_the_same_site(site):
    build(site, "_build/serial", "1")
    build(site, "_build/parallel", "2")
    serial, parallel = pages(site / "_build" / "serial"), pages(site / "_build" / "parallel")
    assert serial.keys() == parallel.keys()
    assert [name for name in serial if serial[name] != parallel[name]] == []
    for name in ("exports/review.bib", "exports/modalities-ecg.json", "searchindex.js"):
        assert (site / "_build" / "serial" / name).read_bytes() == (site / "_build" / "parallel" / name).read_bytes()


def test_editing_one_entry_rebuilds_only_the_pages_that_show_it(site):
    out = site / "_build" / "incremental"
    build(site, "_build/incremental", "1")
    before = pages(out)
    assert "nothing to do" in build(site, "_build/incremental", "1") or "0 source files" in \
        build(site, "_build/incremental", "1")
    edit_one_entry(site / "bib" / "review.bib")  # bench00001's architecture
    log = build(site, "_build/incremental", "1")
    written = set(re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", log))
    showing = {name[:-5] for name, html in before.items() if b'id="bench00001"' in html}
    assert "references" in showing and any(name.startswith("modalities/") for name in showing)
    # Sphinx also rewrites the page whose toctree lists re-read pages (the index), for its navigation;
    # the pages listing entries by fields no facet holds (what changed, datasets) follow every edit.
    assert written == showing | {"index", "views/changes", "views/datasets"}, \
        "exactly the pages that show the edited entry are rebuilt"
    after = pages(out)
    changed = {name[:-5] for name in before if before[name] != after[name]}
    assert changed <= showing | {"genindex", "search"}
    assert b"variant 1 (edited)" in after["references.html"]


@pytest.fixture(scope="module")
def split_site(tmp_path_factory) -> Path:
    """300 entries with the bibliography split above 100: one HTML page per initial letter."""
    root = tmp_path_factory.mktemp("split")
    make_site(root, generate_bib(300), baseline=False, views=False)
    with open(root / "conf.py", "a", encoding="utf-8") as conf:
        conf.write("\nreview_bibliography_split_above = 100\n")
    return root


def test_a_large_bibliography_is_split_by_initial_letter(split_site):
    from medsynth.bibfile import read_bib
    from medsynth.sphinxext.letters import letter_of

    build(split_site, "_build/html", "2")
    out = split_site / "_build" / "html"
    records = read_bib(split_site / "bib" / "review.bib").records
    letter_pages = {p.stem: p.read_text(encoding="utf-8") for p in (out / "references").glob("*.html")}
    assert len(letter_pages) > 5
    landing = (out / "references.html").read_text(encoding="utf-8")
    counts = {letter: int(n) for letter, n in re.findall(r'href="references/(\w+)\.html"><span>\w+ \((\d+)\)', landing)}
    assert counts.keys() == letter_pages.keys() and sum(counts.values()) == len(records)
    assert '<li class="review-reference"' not in landing
    for record in records:
        letter = letter_of(record)
        holders = [name for name, page in letter_pages.items() if f'id="{record.key}"' in page]
        assert holders == [letter]
        family = record.authors[0].family
        assert letter == family[0].lower() or (family[0] == "Ł" and letter == "l") or (family[0] == "Ç" and letter == "c")
    ecg = (out / "modalities" / "ecg.html").read_text(encoding="utf-8")
    links = re.findall(r'href="\.\./references/(\w+)\.html#(bench\d+)"', ecg)
    assert links and all(letter_of(next(r for r in records if r.key == key)) == letter for letter, key in links)
    # Within a page, references keep alphabetical order, accents folded (Łukasiewicz among the L names).
    names = re.findall(r'<li class="review-reference" id="[^"]+"><p>([^,]+),', letter_pages["l"])
    assert "Łukasiewicz" in names and names == sorted(names, key=lambda n: n.replace("Ł", "L"))


def test_an_edit_rewrites_only_its_letter_page(split_site):
    build(split_site, "_build/letters", "1")
    out = split_site / "_build" / "letters" / "references"
    before = {p.name: p.read_bytes() for p in out.glob("*.html")}
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.glob("*.html")}
    build(split_site, "_build/letters", "1")
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.html")} == mtimes, "a no-change build rewrites no letter page"
    landing_mtime = (split_site / "_build" / "letters" / "references.html").stat().st_mtime_ns
    edit_one_entry(split_site / "bib" / "review.bib")  # bench00001's architecture
    build(split_site, "_build/letters", "1")
    after = {p.name: p.read_bytes() for p in out.glob("*.html")}
    changed = [name for name in before if before[name] != after[name]]
    assert len(changed) == 1 and b"variant 1 (edited)" in after[changed[0]]
    assert [name for name, page in before.items() if b'id="bench00001"' in page] == changed
    landing = split_site / "_build" / "letters" / "references.html"
    assert landing.stat().st_mtime_ns == landing_mtime, "the letters' counts did not change"


def test_moving_an_entry_to_another_modality_rebuilds_both_chapters(site):
    out = site / "_build" / "moved"
    build(site, "_build/moved", "1")
    bib = site / "bib" / "review.bib"
    text = bib.read_text(encoding="utf-8")
    entry = text[text.index("@article{bench00003,"):]
    old = re.search(r"modality = \{([^}]*)\}", entry).group(1)
    new = "ehr" if "ehr" not in old else "ecg"
    bib.write_text(text.replace(entry, entry.replace(f"modality = {{{old}}}", f"modality = {{{new}}}", 1), 1),
                   encoding="utf-8")
    log = build(site, "_build/moved", "1")
    written = set(re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", log))
    before = {f"modalities/{m.strip()}" for m in old.split(",")}
    assert before | {f"modalities/{new}", "references"} <= written
    for chapter in before - {f"modalities/{new}"}:
        assert 'id="bench00003"' not in (out / f"{chapter}.html").read_text(encoding="utf-8")
    assert 'id="bench00003"' in (out / "modalities" / f"{new}.html").read_text(encoding="utf-8")


def outputs(out: Path) -> dict[str, bytes]:
    """Every page and download of a build."""
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*")
            if p.is_file() and (p.suffix == ".html" or p.parent.name == "exports") and not p.name.startswith(".")}


def test_an_edited_site_is_the_site_built_afresh(tmp_path):
    """Kept entries, kept downloads and the pages left alone add up to what a clean build of
    the edited bib writes, even when the edit moves every later entry down a line."""
    root = tmp_path / "site"
    make_site(root, generate_bib(300), baseline=False)
    build(root, "_build/kept", "2")
    bib = root / "bib" / "review.bib"
    text = bib.read_text(encoding="utf-8")
    start = text.index("@article{bench00100,")
    text = text[:start] + text[start:].replace("  year = ", "  note = {a line more},\n  year = ", 1)
    bib.write_text(text, encoding="utf-8")
    edit_one_entry(bib)
    build(root, "_build/kept", "2")
    assert (root / "_build" / "kept" / ".doctrees" / "medsynth-entries.pickle").exists()
    build(root, "_build/fresh", "2")
    kept, fresh = outputs(root / "_build" / "kept"), outputs(root / "_build" / "fresh")
    assert kept.keys() == fresh.keys() and any(name.startswith("exports/") for name in kept)
    assert [name for name in kept if kept[name] != fresh[name]] == []


def test_a_kept_entry_reports_its_problem_on_its_new_line(tmp_path):
    root = tmp_path / "site"
    make_site(root, generate_bib(300), baseline=False)
    bib = root / "bib" / "review.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("evaluation = {", "evaluation = {X, ", 1), encoding="utf-8")
    command = [sys.executable, "-m", "sphinx", "-N", "-b", "html", "-j", "1", "-c", ".", "docs", "_build/html"]
    first = subprocess.run(command, cwd=root, capture_output=True, text=True)
    bib.write_text("% three\n% lines\n% above\n" + bib.read_text(encoding="utf-8"), encoding="utf-8")
    again = subprocess.run(command, cwd=root, capture_output=True, text=True)
    text = bib.read_text(encoding="utf-8")
    line = text.count("\n", 0, text.index("evaluation = {X, ")) + 1
    assert "unknown evaluation code 'X'" in first.stderr
    assert f"review.bib:{line}: WARNING: bench00000: unknown evaluation code 'X'" in again.stderr


def test_the_shortcut_for_plain_keys_gives_make_ids_anchor():
    import random
    import string

    from docutils import nodes

    from medsynth.sphinxext.domain import entry_anchor

    rng = random.Random(5)
    keys = ["bench00001", "a1", "Foo:2019ab", "x--y", "9abc", "a-", "-a", "é1", "ibrahim2024generative"] + [
        "".join(rng.choice(string.ascii_letters + string.digits + "-_:") for _ in range(rng.randint(1, 8)))
        for _ in range(5000)]
    assert [entry_anchor(key) for key in keys] == [nodes.make_id(key) or "entry" for key in keys]


def test_changing_a_string_rebuilds_what_shows_it(tmp_path):
    """An ``@string`` edit changes no entry's text but does change what entries show."""
    root = tmp_path / "site"
    make_site(root, generate_bib(300), baseline=False, views=False)
    bib = root / "bib" / "review.bib"
    text = bib.read_text(encoding="utf-8")
    text = "@string{prefix = {Stringed}}\n\n" + text.replace("title = {", "title = prefix # { ", 1)
    bib.write_text(text, encoding="utf-8")
    build(root, "_build/html", "1")
    bib.write_text(text.replace("{Stringed}", "{Restrung}"), encoding="utf-8")
    build(root, "_build/html", "1")
    out = root / "_build" / "html"
    chapters = [p for p in (out / "modalities").glob("*.html") if 'id="bench00000"' in p.read_text(encoding="utf-8")]
    assert chapters and all("Restrung" in p.read_text(encoding="utf-8") and "Stringed" not in p.read_text(encoding="utf-8")
                            for p in chapters)
    chapter = chapters[0].stem
    assert "Restrung" in (out / "exports" / f"modalities-{chapter}.csv").read_text(encoding="utf-8")
