"""A link checker for built sites: every internal link, image and download must resolve."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

PAGE_SUFFIXES = (".html", ".xhtml")
#: What a reader follows or sees: links, images, objects and style sheets. Scripts and the head's
#: rel=index/search links belong to the theme (singlehtml has no search page, yet the theme names one).
CHECKED = {("href", "a"), ("src", "img"), ("data", "object"), ("src", "source"), ("src", "embed")}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (attribute, value)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            elif (name, tag) in CHECKED or (name == "href" and tag == "link" and ("rel", "stylesheet") in attrs):
                self.links.append((f"{tag}@{name}", value))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def broken_links(root: Path) -> list[str]:
    """Every internal link under *root* that points at a missing file or a missing anchor."""
    pages = {path: _parse(path) for path in root.rglob("*")
             if path.suffix in PAGE_SUFFIXES and "_static" not in path.relative_to(root).parts}
    broken = []
    for path, page in pages.items():
        for where, value in page.links:
            parts = urlsplit(value)
            if parts.scheme or parts.netloc or value.startswith(("data:", "javascript:", "mailto:")):
                continue
            target = path if not parts.path else Path(posixpath.normpath(
                posixpath.join(path.parent.as_posix(), unquote(parts.path))))
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{path.relative_to(root)}: {where} {value!r}: no file {target}")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix in PAGE_SUFFIXES:
                ids = pages[target].ids if target in pages else _parse(target).ids
                if fragment not in ids:
                    broken.append(f"{path.relative_to(root)}: {where} {value!r}: no anchor #{fragment}")
    return broken
