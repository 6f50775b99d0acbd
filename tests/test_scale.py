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
    # Sphinx also rewrites the page whose toctree lists re-read pages (the index), for its navigation.
    assert written == showing | {"index"}, "exactly the pages that show the edited entry are rebuilt"
    after = pages(out)
    changed = {name[:-5] for name in before if before[name] != after[name]}
    assert changed <= showing | {"genindex", "search"}
    assert b"variant 1 (edited)" in after["references.html"]
