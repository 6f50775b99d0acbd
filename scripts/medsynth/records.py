"""Typed records built from parsed BibTeX entries: what every view of the review reads.

A :class:`Record` keeps the entry's resolved field values (still LaTeX, as written) and the
values derived from them once: display text, split id lists, normalised identifiers, links.
"""

from __future__ import annotations

import copy
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple

from pybtex.database import Person
from pybtex.exceptions import PybtexError

from . import identifiers
from .latex import to_text

#: Fields whose values are lists of vocabulary ids or codes.
LIST_FIELDS = ("modality", "family", "evaluation", "metrics", "datasets", "scenario", "task")
#: The review's own fields (a LaTeX user's bibliography style knows none of them), in their
#: canonical order.
REVIEW_FIELDS = (
    "kind", "modality", "family", "evaluation", "metrics", "datasets", "architecture", "application",
    "scenario", "task", "code", "basecode", "date", "verified", "coding", "correction", "corrected", "added",
)
#: Fields that must hold an http(s) URL.
LINK_FIELDS = ("url", "code", "basecode")

_MONTHS = {m: str(i) for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


@dataclass(frozen=True)
class Name:
    family: str  # with its "von" part: "van der Berg"
    given: str = ""
    suffix: str = ""  # the "Jr." part

    @property
    def family_suffixed(self) -> str:
        """``van der Berg, Jr.``: how a reference list writes the family name."""
        return f"{self.family}, {self.suffix}" if self.suffix else self.family

    @property
    def initials(self) -> str:
        parts = re.split(r"([\s-]+)", self.given)
        return "".join(p[0] + "." if p.strip(" -") else p for p in parts).strip()


class Facets(NamedTuple):
    """What a :class:`~medsynth.review.Selection` reads of an entry, and what counts and
    glossaries show of it (its year and metrics besides)."""
    kind: str
    modalities: tuple[str, ...]
    families: tuple[str, ...]
    evaluation: tuple[str, ...]
    scenarios: tuple[str, ...]
    sort_date: str
    year: str
    metrics: tuple[str, ...]
    coding: str
    datasets: tuple[str, ...]


@dataclass
class Record:
    key: str
    entry_type: str
    line: int
    fields: dict[str, str]
    field_lines: dict[str, int]
    raw: str
    unresolved_strings: list[str] = field(default_factory=list)
    #: A hash of the ``@string`` values the entry was resolved with ("" if the file has none).
    resolved_with: str = ""
    entry: object = field(default=None, repr=False, compare=False)  # the verbatim bibtexparser Entry

    def __post_init__(self) -> None:
        # What every check needs is derived now; display text is derived on first use.
        get = self.fields.get
        self.year = get("year", "").strip()
        self.date = get("date", "").strip()
        self.added = get("added", "").strip()
        self.kind = get("kind", "").strip().lower() or "study"
        self.ids = {name: split_list(get(name, "")) for name in LIST_FIELDS}
        self.doi = identifiers.normalize_doi(get("doi", "")) if get("doi") else None
        self.arxiv = self._find_arxiv()

    def __getstate__(self) -> dict:
        """Pickled (the build keeps parsed entries between builds) with what was derived from
        the text, but without the bibtexparser entry, which the text gives again."""
        return {name: value for name, value in self.__dict__.items() if name not in _NOT_KEPT}

    def moved(self, entry) -> Record:
        """This record for *entry*, its same text found again (perhaps on another line), with
        what was derived from the text. The record itself is taken over if the line is the same."""
        lines = entry.start_line + 1 - self.line
        record = self if not lines else copy.copy(self)
        if lines:
            record.line += lines
            record.field_lines = {name: line + lines for name, line in self.field_lines.items()}
        record.entry = entry
        return record

    @cached_property
    def facets(self) -> Facets:
        """What filters read; kept between builds, so that the views an edit touches can be
        found both before and after it."""
        return Facets(self.kind, self.modalities, self.families, self.evaluation, self.ids["scenario"],
                      self.sort_date, self.year, self.metrics, self.coding, self.datasets)

    @cached_property
    def digest(self) -> bytes:
        """A hash of the entry as written and of the ``@string`` values it was resolved with:
        what decides whether a view showing it is stale."""
        return hashlib.blake2b((self.raw + self.resolved_with).encode("utf-8"), digest_size=16).digest()

    @cached_property
    def title(self) -> str:
        return to_text(self.fields.get("title", ""))

    @cached_property
    def authors(self) -> list[Name]:
        return split_names(self.fields.get("author", ""))

    @cached_property
    def first_author(self) -> Name | None:
        """The first name alone, which sorting the references needs for every entry: cheaper
        than splitting every name when the rest are not shown."""
        names = split_names(self.fields.get("author", ""), limit=1)
        return names[0] if names else None

    @cached_property
    def sort_name(self) -> str:
        """What references sort by first: the first author's family name (else the title) with
        accents folded, so that ``Łukasiewicz`` sorts among the L names."""
        return _folded(self.first_author.family if self.first_author else self.title)

    @cached_property
    def venue(self) -> str:
        get = self.fields.get
        return to_text(get("journal") or get("booktitle") or get("howpublished") or get("publisher") or "")

    @cached_property
    def architecture(self) -> str:
        return to_text(self.fields.get("architecture", ""))

    @cached_property
    def application(self) -> str:
        return to_text(self.fields.get("application", ""))

    def _find_arxiv(self) -> str | None:
        prefix = self.fields.get("archiveprefix", self.fields.get("eprinttype", "arxiv")).lower()
        if self.fields.get("eprint") and prefix == "arxiv":
            return identifiers.normalize_arxiv(self.fields["eprint"])
        for name in ("url", "doi"):
            if self.fields.get(name):
                found = identifiers.normalize_arxiv(self.fields[name])
                if found:
                    return found
        return None

    @cached_property
    def verified(self) -> tuple[str, ...]:
        """The pages on which the entry's bibliographic facts were seen (comma or space separated)."""
        return tuple(part for part in re.split(r"[\s,]+", self.fields.get("verified", "")) if part)

    @property
    def coding(self) -> str:
        """Where the study's coding came from: ``survey`` (confirmed against the paper) or ``review``."""
        return self.fields.get("coding", "").strip().lower()

    @property
    def datasets(self) -> tuple[str, ...]:
        return self.ids["datasets"]

    @property
    def modalities(self) -> tuple[str, ...]:
        return self.ids["modality"]

    @property
    def families(self) -> tuple[str, ...]:
        return self.ids["family"]

    @cached_property
    def evaluation(self) -> tuple[str, ...]:
        return tuple(code.upper() for code in self.ids["evaluation"])

    @property
    def metrics(self) -> tuple[str, ...]:
        return self.ids["metrics"]

    @property
    def paper_url(self) -> str | None:
        """The paper's own link, preferring the version of record."""
        if self.doi:
            return identifiers.doi_url(self.doi)
        if self.arxiv:
            return identifiers.arxiv_url(self.arxiv)
        url = self.fields.get("url", "").strip()
        return url if identifiers.is_web_url(url) else None

    def link(self, name: str) -> str | None:
        value = self.fields.get(name, "").strip()
        return value if identifiers.is_web_url(value) else None

    @property
    def sort_date(self) -> str:
        """Newest-first ordering key: the table's date, else the year."""
        return self.date or self.year

    @property
    def label(self) -> str:
        """Author-year label, e.g. ``Adib et al., 2023``."""
        names = [n.family for n in self.authors if n.family != "others"]
        if not names:
            who = self.title[:40] or self.key
        elif len(names) == 1 and len(self.authors) == 1:
            who = names[0]
        elif len(names) == 2 and len(self.authors) == 2:
            who = f"{names[0]} and {names[1]}"
        else:
            who = f"{names[0]} et al."
        return f"{who}, {self.year or 'n.d.'}"


# Letters that Unicode does not decompose into a base letter and a mark.
_BASE_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ß": "ss", "æ": "ae", "œ": "oe",
                               "þ": "th", "ı": "i"})


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_BASE_LETTERS)


#: What a pickled record leaves out (see :meth:`Record.__getstate__`).
_NOT_KEPT = ("entry",)


@lru_cache(maxsize=4096)  # a review repeats the same few lists ("ecg", "gan, vae") thousands of times
def split_list(value: str) -> tuple[str, ...]:
    """``"gan, VAE"`` -> ``("gan", "vae")``; ids are case-insensitive, codes are upper-cased by callers."""
    if not value:
        return ()
    return tuple(part.strip().lower() for part in _LIST_SEPARATOR.split(to_text(value)) if part.strip())


_LIST_SEPARATOR = re.compile(r"[,;]")


def _split_top(value: str, separator: re.Pattern[str], quotes: bool = False) -> Iterator[str]:
    """Split at *separator* matches that stand outside braces (and, with *quotes*, outside a
    ``"..."`` string), lazily: a caller may stop early."""
    depth, start, quoted = 0, 0, False
    for match in re.finditer(r'[{}"]|' + separator.pattern, value, separator.flags):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(0, depth - 1)
        elif token == '"':
            if quotes and depth == 0:
                quoted = not quoted
        elif depth == 0 and not quoted:
            yield value[start:match.start()]
            start = match.end()
    yield value[start:]


_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def split_names(value: str, limit: int = 0) -> list[Name]:
    """BibTeX name list -> names (the first *limit* only, if given), by BibTeX's own rules
    (pybtex's ``Person``): ``Family, Given``, ``Given Family``, the "von" part and "Jr."."""
    names: list[Name] = []
    for raw in _split_top(" ".join(value.split()), _AND):
        raw = raw.strip()
        if limit and len(names) == limit:
            break
        if raw:
            names.append(_name(raw))
    return names


@lru_cache(maxsize=65536)  # a review names the same authors again and again
def _name(raw: str) -> Name:
    if raw.lower() == "others":
        return Name("others")
    try:
        person = Person(raw)
    except PybtexError:  # a name BibTeX itself cannot split: shown whole
        return Name(to_text(raw))
    family = " ".join(person.prelast_names + person.last_names)
    given = " ".join(person.first_names + person.middle_names)
    return Name(to_text(family), to_text(given), to_text(" ".join(person.lineage_names)))


_CONCATENATION = re.compile(r"#")


def resolve_value(raw: str, strings: dict[str, str], missing: list[str]) -> str:
    """A raw BibTeX value (``{..}``, ``".."``, number, @string name, ``#`` concatenation) -> its text."""
    if raw[:1] == "{" and raw[-1:] == "}" and "#" not in raw:
        return raw[1:-1]  # the common case: one braced value
    pieces = []
    for part in _split_top(raw, _CONCATENATION, quotes=True):
        part = part.strip()
        if len(part) >= 2 and part[0] == "{" and part[-1] == "}":
            pieces.append(part[1:-1])
        elif len(part) >= 2 and part[0] == '"' and part[-1] == '"':
            pieces.append(part[1:-1])
        elif part.isdigit():
            pieces.append(part)
        elif part.lower() in strings:
            pieces.append(strings[part.lower()])
        elif part.lower() in _MONTHS:
            pieces.append(_MONTHS[part.lower()])
        else:
            missing.append(part)
            pieces.append(part)
    return "".join(pieces)
