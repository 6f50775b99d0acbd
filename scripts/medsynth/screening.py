"""The search record and the screening record: how candidates were found and what became of them.

Both are tab-separated files beside the bib (``searches.tsv``, ``screening.tsv``), one line a
search or a candidate, so that a contributor edits them as easily as the bib and a reader can
recount the PRISMA flow diagram from them. Lines starting with ``#`` are comments; the first other
line is the header.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import identifiers
from .problems import Problem
from .records import Record
from .vocabulary import Vocabulary

SEARCHES_NAME = "searches.tsv"
SCREENING_NAME = "screening.tsv"
SEARCH_COLUMNS = ("id", "source", "query", "date", "screened")
SCREENING_COLUMNS = ("identifier", "title", "found_in", "decision", "reason", "key", "note")
DECISIONS = ("include", "exclude")
_SEARCH_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Search:
    id: str
    source: str
    query: str
    date: str
    screened: int
    line: int


@dataclass(frozen=True)
class Candidate:
    identifier: str
    title: str
    found_in: str
    decision: str
    reason: str
    key: str
    note: str
    line: int

    @property
    def search(self) -> str:
        """The search id of ``found_in`` (``survey:88`` names line 88 of the survey's table)."""
        return self.found_in.split(":", 1)[0]


@dataclass
class Records:
    """The search and screening records as read, with their problems (located at their lines)."""
    searches: list[Search] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    searches_path: str = ""
    screening_path: str = ""

    @property
    def last_searched(self) -> str:
        return max((search.date for search in self.searches), default="")


def beside(bib_path: str | Path) -> tuple[Path, Path]:
    folder = Path(bib_path).parent
    return folder / SEARCHES_NAME, folder / SCREENING_NAME


def has_records(bib_path: str | Path) -> bool:
    """A bib keeps its records beside it; a bib alone (a test, a scratch file) has none to check."""
    return any(path.exists() for path in beside(bib_path))


def _rows(path: Path, columns: tuple[str, ...], problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(where, 0, f"cannot read the record: {error}"))
        return []
    rows, header = [], None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = tuple(cells)
            if header != columns:
                problems.append(Problem(where, number, f"the header must be {' | '.join(columns)}"))
                return []
            continue
        if len(cells) != len(columns):
            problems.append(Problem(where, number, f"{len(cells)} tab-separated cells, expected {len(columns)}"))
            continue
        rows.append((number, dict(zip(columns, (cell.strip() for cell in cells)))))
    if header is None:
        problems.append(Problem(where, 1, "the record is empty (no header)"))
    return rows


def read_records(bib_path: str | Path) -> Records:
    searches_path, screening_path = beside(bib_path)
    records = Records(searches_path=str(searches_path), screening_path=str(screening_path))
    for number, row in _rows(searches_path, SEARCH_COLUMNS, records.problems):
        screened = int(row["screened"]) if row["screened"].isdigit() else -1
        records.searches.append(Search(row["id"], row["source"], row["query"], row["date"], screened, number))
    for number, row in _rows(screening_path, SCREENING_COLUMNS, records.problems):
        records.candidates.append(Candidate(**row, line=number))
    return records


def normalized(identifier: str) -> str | None:
    """``doi:10.X/Y`` / ``arxiv:2301.00001`` / an http(s) URL -> one spelling; None if none of these."""
    scheme, _, value = identifier.partition(":")
    if scheme.lower() == "doi":
        doi = identifiers.normalize_doi(value)
        return f"doi:{doi}" if doi else None
    if scheme.lower() == "arxiv":
        arxiv = identifiers.normalize_arxiv(value)
        return f"arxiv:{arxiv}" if arxiv else None
    if identifiers.is_web_url(identifier):
        return normalized_of_url(identifier.strip())
    return None


def normalized_of_url(url: str) -> str:
    """A DOI or arXiv URL names its paper the way the identifier does; other URLs stand as written."""
    doi = identifiers.normalize_doi(url)
    if doi:
        return f"doi:{doi}"
    arxiv = identifiers.normalize_arxiv(url)
    return f"arxiv:{arxiv}" if arxiv else url.rstrip("/")


def identifiers_of(record: Record) -> set[str]:
    """Every spelling under which a screening line may name *record*."""
    found = set()
    if record.doi:
        found.add(f"doi:{record.doi}")
    if record.arxiv:
        found.add(f"arxiv:{record.arxiv}")
    url = record.fields.get("url", "").strip()
    if identifiers.is_web_url(url):
        found.add(normalized_of_url(url))
    return found


def check_records(records: Records, bib_records: list[Record], bib_path: str, vocabulary: Vocabulary,
                  today: str | None = None) -> list[Problem]:
    """Both records line by line, and against the bib in both directions: every included candidate
    is an entry, and every entry has its one ``include`` line."""
    today = today or dt.date.today().isoformat()
    problems = list(records.problems)
    searches_at, screening_at = records.searches_path, records.screening_path
    searches: dict[str, Search] = {}
    for search in records.searches:
        def report(message: str) -> None:
            problems.append(Problem(searches_at, search.line, f"search {search.id!r}: {message}"))
        if not _SEARCH_ID.match(search.id):
            report("ids are lower-case letters, digits and hyphens")
        if search.id in searches:
            report(f"duplicate search id (first at line {searches[search.id].line})")
            continue
        searches[search.id] = search
        if search.source not in vocabulary.sources:
            report(f"unknown source {search.source!r} (known: {', '.join(vocabulary.sources)})")
        if not search.query:
            report("the query is empty")
        if not _is_date(search.date):
            report(f"date {search.date!r} is not YYYY-MM-DD")
        elif search.date > today:
            report(f"date {search.date} is after today ({today})")
        if search.screened < 0:
            report("screened must be a whole number")

    by_key = {record.key: record for record in bib_records}
    seen: dict[str, Candidate] = {}
    included: dict[str, Candidate] = {}
    per_search: dict[str, int] = {}
    for candidate in records.candidates:
        def report(message: str) -> None:
            problems.append(Problem(screening_at, candidate.line, message))
        spelling = normalized(candidate.identifier)
        if spelling is None:
            report(f"identifier {candidate.identifier[:60]!r} is not doi:..., arxiv:... or an http(s) URL")
        elif spelling in seen:
            report(f"{candidate.identifier} is screened twice (first at line {seen[spelling].line})")
        else:
            seen[spelling] = candidate
        if not candidate.title:
            report(f"{candidate.identifier}: the title is empty")
        if candidate.search not in searches:
            report(f"{candidate.identifier}: found_in {candidate.found_in!r} names no search of {SEARCHES_NAME}")
        else:
            per_search[candidate.search] = per_search.get(candidate.search, 0) + 1
        if candidate.decision not in DECISIONS:
            report(f"{candidate.identifier}: decision must be include or exclude, not {candidate.decision!r}")
        elif candidate.decision == "include":
            _check_included(candidate, spelling, by_key, included, report)
        elif candidate.reason not in vocabulary.reasons:
            report(f"{candidate.identifier}: exclusion reason {candidate.reason!r} is not one of "
                   f"{', '.join(vocabulary.reasons)}")
    for candidate in records.candidates:
        # A duplicate names what it repeats: an entry, or another candidate by its identifier.
        if candidate.decision == "exclude" and candidate.reason == "duplicate" and candidate.key not in by_key \
                and (normalized(candidate.key) or "") not in seen:
            problems.append(Problem(screening_at, candidate.line, f"{candidate.identifier}: a duplicate must name "
                                    f"the entry or the candidate it duplicates (key {candidate.key!r})"))
    for search_id, count in per_search.items():
        search = searches[search_id]
        if 0 <= search.screened < count:
            problems.append(Problem(searches_at, search.line, f"search {search_id!r}: {count} candidates are "
                                    f"recorded as found by it, but it screened only {search.screened}"))
    for record in bib_records:
        if record.key not in included:
            problems.append(Problem(bib_path, record.line, f"{record.key}: no 'include' line in {SCREENING_NAME}"))
    return problems


def _check_included(candidate: Candidate, spelling: str | None, by_key: dict[str, Record],
                    included: dict[str, Candidate], report) -> None:
    if candidate.reason:
        report(f"{candidate.identifier}: an included candidate has no exclusion reason")
    record = by_key.get(candidate.key)
    if record is None:
        report(f"{candidate.identifier}: included as {candidate.key!r}, which is not an entry of the bib")
        return
    if candidate.key in included:
        report(f"{candidate.key} is included twice (first at line {included[candidate.key].line})")
    included.setdefault(candidate.key, candidate)
    names = identifiers_of(record)
    if spelling is not None and names and spelling not in names:
        report(f"{candidate.identifier} is not an identifier of {candidate.key} ({', '.join(sorted(names))})")


def _is_date(value: str) -> bool:
    try:
        return len(value) == 10 and dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False
