"""Groupings and counts of records: the numbers behind the cross-cutting views and the plots."""

from __future__ import annotations

from collections import Counter

from .records import Record
from .vocabulary import Vocabulary

AXES = ("modality", "family", "evaluation", "scenario", "task", "year")


def values_of(record: Record, by: str) -> list[str]:
    if by == "year":
        return [record.year] if record.year else []
    if by == "evaluation":
        return record.evaluation
    return record.ids[by]


def group_records(records: list[Record], by: str, vocabulary: Vocabulary) -> list[tuple[str, str, list[Record]]]:
    """``(value, title, records)`` per non-empty group, in vocabulary order (years newest first)."""
    terms = {"modality": vocabulary.modalities, "family": vocabulary.families,
             "evaluation": vocabulary.categories}.get(by)
    groups: dict[str, list[Record]] = {}
    for record in records:
        for value in dict.fromkeys(values_of(record, by)):  # once, even if a value repeats
            groups.setdefault(value, []).append(record)
    present = groups.keys()
    if terms is not None:
        order = [(value, f"{value}: {term.title}" if by == "evaluation" else term.title)
                 for value, term in terms.items() if value in present]
    elif by == "year":
        order = [(value, value) for value in sorted(present, reverse=True)]
    else:
        order = [(value, value) for value in sorted(present)]
    return [(value, title, groups[value]) for value, title in order]


def counts(records: list[Record], by: str) -> Counter:
    return Counter(value for record in records for value in values_of(record, by))


def cross_counts(records: list[Record], rows: str, columns: str) -> dict[tuple[str, str], int]:
    """How many records have each (row value, column value) pair, e.g. (modality, family)."""
    table: Counter = Counter()
    for record in records:
        for row in values_of(record, rows):
            for column in values_of(record, columns):
                table[row, column] += 1
    return dict(table)
