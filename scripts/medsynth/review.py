"""The review as loaded once: bib records, vocabulary and their problems, plus selection.

Both the command line and the Sphinx extension go through :func:`load_review` and
:func:`select`, so a filter means the same thing in a table, an export and a test.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .bibfile import BibFile, Reusable, collector_paused, read_bib
from .lint import check
from .problems import Problem
from .records import Facets, Record
from .screening import Records, check_records, has_records, read_records
from .vocabulary import Vocabulary, load_vocabulary


@dataclass
class Review:
    bib: BibFile
    vocabulary: Vocabulary
    problems: list[Problem] = field(default_factory=list)
    #: The search and screening records beside the bib (None for a bib alone).
    screening: Records | None = None
    #: Values that views derive from the review (selections, digests), kept as long as it is.
    derived: dict = field(default_factory=dict, repr=False)

    @property
    def records(self) -> list[Record]:
        return self.bib.records

    def select(self, selection: Selection) -> list[Record]:
        """:func:`select` over the review, remembered: a build asks for each table's rows several
        times (to find stale pages, to render them, to write their downloads). Do not modify."""
        key = ("select", selection)
        if key not in self.derived:
            self.derived[key] = select(self._candidates(selection), selection)
        return self.derived[key]

    def _candidates(self, selection: Selection) -> list[Record]:
        """The records that may match: with a modality filter, only those of its modalities (a
        chapter's table then looks at its own entries, not at all 20,000)."""
        if not selection.modality:
            return self.records
        if "by modality" not in self.derived:
            index: dict[str, list[Record]] = {}
            for record in self.records:
                for modality in dict.fromkeys(record.modalities):
                    index.setdefault(modality, []).append(record)
            self.derived["by modality"] = index
        index = self.derived["by modality"]
        if len(selection.modality) == 1:
            return index.get(selection.modality[0], [])
        return list({id(r): r for m in selection.modality for r in index.get(m, ())}.values())


def load_review(bib_path: str | Path, vocabulary_path: str | Path, chapters: Path | None = None,
                reuse: Reusable | None = None, memo: dict | None = None) -> Review:
    """Parse and check once; raises :class:`~medsynth.vocabulary.VocabularyError` on a bad vocabulary.

    *reuse* and *memo*: an earlier parse and check, for entries whose text did not change (see
    :func:`~medsynth.bibfile.parse_bib` and :func:`~medsynth.lint.check`)."""
    vocabulary = load_vocabulary(vocabulary_path)
    with collector_paused():  # checking allocates as much as parsing, again with no cycles
        bib = read_bib(bib_path, reuse)
        problems = check(bib, vocabulary, chapters, memo)
    records = None
    if has_records(bib_path):
        records = read_records(bib_path)
        problems += check_records(records, bib.records, bib.path, vocabulary)
        problems.sort(key=lambda p: (p.path, p.line, p.message))
    return Review(bib, vocabulary, problems, records)


@dataclass(frozen=True)
class Selection:
    """A filter over records; every field is a tuple of accepted values (empty: any)."""

    modality: tuple[str, ...] = ()
    family: tuple[str, ...] = ()
    evaluation: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    scenario: tuple[str, ...] = ()
    coding: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    since: str = ""

    def unknown_ids(self, vocabulary: Vocabulary) -> list[str]:
        """Messages for values the vocabulary does not define."""
        known = {
            "modality": vocabulary.modalities, "family": vocabulary.families,
            "evaluation": vocabulary.categories, "kind": vocabulary.kinds,
            "coding": vocabulary.codings, "datasets": vocabulary.datasets,
        }
        return [f"unknown {name} {value!r}" for name, terms in known.items()
                for value in getattr(self, name) if value not in terms]

    def matches(self, record: Record) -> bool:
        return self.admits(record.facets)

    def admits(self, facets: Facets) -> bool:
        """Whether an entry with these facets (perhaps as it was before an edit) is selected."""
        return (
            _any(self.modality, facets.modalities)
            and _any(self.family, facets.families)
            and _any(self.evaluation, facets.evaluation)
            and _any(self.kind, (facets.kind,))
            and _any(self.scenario, facets.scenarios)
            and _any(self.coding, (facets.coding,))
            and _any(self.datasets, facets.datasets)
            and (not self.since or facets.sort_date[:len(self.since)] >= self.since)
        )


def _any(wanted: tuple[str, ...], present) -> bool:
    return not wanted or any(value in present for value in wanted)


def select(records: list[Record], selection: Selection) -> list[Record]:
    """Matching records, newest first (by date, else year), ties by key."""
    chosen = [record for record in records if selection.matches(record)]
    chosen.sort(key=lambda r: r.key)
    chosen.sort(key=lambda r: r.sort_date, reverse=True)
    return chosen


def ordered(records: list[Record], order: str = "date", limit: int = 0) -> list[Record]:
    """A table's rows: newest first by date (as :func:`select` returns them) or by ``added``,
    cut to the first *limit* when one is given."""
    if order == "added":
        records = sorted(records, key=lambda r: (r.added, r.sort_date, r.key), reverse=True)
    return records[:limit] if limit else records


def records_digest(records: list[Record]) -> str:
    """A hash of exactly what a view of *records* shows: their BibTeX, in order."""
    return hashlib.sha256(b"".join(record.digest for record in records)).hexdigest()
