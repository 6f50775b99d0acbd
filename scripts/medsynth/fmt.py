"""``medsynth fmt``: one canonical, lossless layout for the bib, so that diffs stay small.

The canonical form:

* the file's opening comment, then the ``@string`` and ``@preamble`` blocks (with the comments
  before them), come first, in their original order and text;
* entries follow, sorted by key (case-insensitively); every other comment moves with the entry
  after it, and comments after the last entry stay at the end;
* an entry is ``@type{key,`` (type in lower case), one ``name = value,`` line per field indented
  by two spaces (names in lower case, in :data:`FIELD_ORDER`, unknown fields alphabetically
  after the standard ones and before the review's own), and ``}`` on a line of its own;
* a value keeps its text exactly; ``"..."`` and bare numbers become ``{...}``; @string names
  and ``#`` concatenations stay as written;
* one blank line between blocks, a newline at the end of the file.

Nothing is dropped: the formatter refuses a file that did not parse completely.
"""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bibtexparser import model

from .bibfile import BibFile, parse_bib, read_bib
from .problems import Problem
from .records import REVIEW_FIELDS

FIELD_ORDER = (
    "title", "shorttitle", "author", "editor", "journal", "journaltitle", "booktitle", "series",
    "year", "month", "volume", "number", "issue", "pages", "articleno", "edition", "chapter",
    "organization", "institution", "school", "publisher", "address", "howpublished", "type",
    "doi", "issn", "isbn", "eprint", "archiveprefix", "eprinttype", "primaryclass", "url",
    "urldate", "note", "abstract", "keywords",
)
_RANK = {name: index for index, name in enumerate(FIELD_ORDER)}
_REVIEW_RANK = {name: index for index, name in enumerate(REVIEW_FIELDS)}


def field_sort_key(name: str) -> tuple:
    name = name.lower()
    if name in _RANK:
        return (0, _RANK[name], name)
    if name in _REVIEW_RANK:
        return (2, _REVIEW_RANK[name], name)
    return (1, 0, name)


def canonical_value(raw: str) -> str:
    """The value's text in braces; macros and concatenations are left as written."""
    value = raw.strip()
    if value.startswith("{") and value.endswith("}") and _is_one_group(value):
        return value
    if value.startswith('"') and value.endswith('"') and len(value) >= 2 and "#" not in _outside_braces(value[1:-1]):
        inner = value[1:-1]
        if _balanced(inner):
            return "{" + inner + "}"
    if value.isdigit():
        return "{" + value + "}"
    return value


def _is_one_group(value: str) -> bool:
    """True when the outer braces of *value* enclose all of it (``{a} # {b}`` is two groups)."""
    depth = 0
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and index != len(value) - 1:
                return False
    return depth == 0


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return False
    return depth == 0


def _outside_braces(text: str) -> str:
    out, depth = [], 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


def format_entry(entry: model.Entry) -> str:
    fields = sorted(entry.fields, key=lambda f: field_sort_key(f.key))
    lines = [f"@{entry.entry_type.lower()}{{{entry.key},"]
    lines += [f"  {f.key.lower()} = {canonical_value(f.value)}," for f in fields]
    lines.append("}")
    return "\n".join(lines)


def _block_text(block: model.Block) -> str:
    return block.raw.strip()


@dataclass
class Formatted:
    text: str
    changed_entries: list[tuple[int, str]]  # (line, key) of entries whose text changes
    reordered: bool


def format_library(bib: BibFile) -> Formatted:
    """The canonical text of a completely parsed file."""
    head: list[str] = []
    entries: list[tuple[str, str, list[str], int]] = []
    pending: list[str] = []
    changed: list[tuple[int, str]] = []
    for block in bib.library.blocks:
        if isinstance(block, model.Entry):
            text = format_entry(block)
            if text != block.raw.strip():
                changed.append((block.start_line + 1, block.key))
            entries.append((block.key, text, pending, block.start_line + 1))
            pending = []
        elif isinstance(block, (model.String, model.Preamble)):
            if not entries:
                head.extend(pending)
                pending = []
            head.append(_block_text(block))
        elif not head and not entries and not pending:
            head.append(_block_text(block))  # the file's opening comment stays on top
        else:
            pending.append(_block_text(block))
    ordered = sorted(entries, key=lambda e: (e[0].casefold(), e[0]))
    parts = [p for p in head if p]
    for _, text, comments, _ in ordered:
        parts.extend(c for c in comments if c)
        parts.append(text)
    parts.extend(p for p in pending if p)
    return Formatted("\n\n".join(parts) + "\n" if parts else "", changed,
                     [e[0] for e in ordered] != [e[0] for e in entries])


def content(bib: BibFile) -> tuple:
    """What formatting must preserve: every entry's fields and values, and every other block."""
    entries = sorted((e.key, e.entry_type.lower(), tuple(sorted(
        (f.key.lower(), canonical_value(f.value)) for f in e.fields))) for e in bib.library.entries)
    # Adjacent comments may merge into one block, so compare their lines, not their blocks.
    others = sorted(line.strip() for b in bib.library.blocks if not isinstance(b, model.Entry)
                    for line in b.raw.splitlines() if line.strip())
    return entries, others


def refusal(bib: BibFile) -> list[Problem]:
    """Why *bib* may not be rewritten (empty when it may)."""
    if bib.library is None or bib.problems:
        return bib.problems + [Problem(bib.path, 0, "not formatted: the file did not parse completely; "
                                       "fix the errors above first")]
    return []


def _mode_of(path: Path) -> int:
    """The permissions *path* has, or those a new file gets (mkstemp's are 600)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(path: Path, text: str | bytes) -> None:
    """Replace *path* in one step, through a temporary file of its own (two builds at once never
    share one), keeping the mode *path* had: an interrupted run leaves the old file intact."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, _mode_of(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def format_file(path: Path, check: bool) -> tuple[int, list[str]]:
    """Format (or check) *path*; returns the exit status and the messages to print."""
    bib = read_bib(path)
    problems = refusal(bib)
    if problems:
        return 1, [str(p) for p in problems]
    formatted = format_library(bib)
    if content(parse_bib(formatted.text, str(path))) != content(bib):
        return 1, [f"{path}:0: error: not formatted: the canonical form would change the file's content "
                   "(please report this as a bug)"]
    if formatted.text == bib.text:
        return 0, [f"{path}: already formatted"]
    if check:
        messages = [f"{path}:{line}: {key} would be reformatted" for line, key in formatted.changed_entries]
        if formatted.reordered:
            messages.append(f"{path}: entries would be reordered by key")
        if not messages:
            messages.append(f"{path}: blank lines or comments would be rearranged")
        return 1, messages
    write_atomically(path, formatted.text)
    return 0, [f"{path}: formatted ({len(formatted.changed_entries)} entries rewritten)"]
