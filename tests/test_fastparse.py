"""The fast splitter builds exactly what bibtexparser builds, or steps aside."""

from __future__ import annotations

import bibtexparser
import pytest

from conftest import REPO, SHARED

from medsynth import fastparse
from medsynth.bench import generate_bib

HEPML = SHARED / "corpus" / "HEPML.bib"


def signature(library) -> list[tuple]:
    out = []
    for block in library.blocks:
        item = (type(block).__name__, block.start_line, block.raw, getattr(block, "key", None),
                getattr(block, "comment", None))
        if isinstance(block, bibtexparser.model.Entry):
            item += (block.entry_type, tuple((f.key, f.value, f.start_line) for f in block.fields))
        elif hasattr(block, "value"):
            item += (block.value,)
        out.append(item)
    return out


@pytest.mark.parametrize("name, text", [
    ("hepml", HEPML.read_text(encoding="utf-8")),
    ("review", (REPO / "bib" / "review.bib").read_text(encoding="utf-8")),
    ("synthetic", generate_bib(300)),
    ("strings-comments", '% c\n@string{jn = "J. Foo"}\n@preamble{"x"}\n@comment{ hi {x} }\n'
                         '@Article{a1,\n  title = {Hello {World}},\n  journal = jn # " vol",\n  year = 2020,\n'
                         '  author = "A {"}B"\n}\ntrailing\n'),
    ("duplicate-keys", "@a{x, t={1}}\n@a{x, t={2}}\n"),
    ("trailing-comma", "@a{x,\n t = {1},\n}\n"),
    ("empty", ""),
])
def test_same_library_as_bibtexparser(name, text):
    fast = fastparse.split(text)
    assert fast is not None, "the fast path takes well-formed input"
    slow = bibtexparser.parse_string(text, parse_stack=[])
    assert signature(fast) == signature(slow)
    assert [type(b).__name__ for b in fast.failed_blocks] == [type(b).__name__ for b in slow.failed_blocks]


@pytest.mark.parametrize("text", [
    "@a{x, t={1}, t={2}}", "@a{x, t={1}\n@a{y, t={2}}\n", "@a{x, t={1},\n", "@a{x, t={1} u={2}}",
    "@a{x, t={" + "{" * 20 + "x" + "}" * 20 + "}}", "@a(x, t={1})",
])
def test_steps_aside_for_anything_unusual(text):
    assert fastparse.split(text) is None
