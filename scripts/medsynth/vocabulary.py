"""The controlled vocabulary: modalities, model families, evaluation categories and metrics.

It lives beside the bib (``bib/vocabulary.yaml``) and is, with the bib, the only source of the
words the site shows about the taxonomy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import Problem


class VocabularyError(Exception):
    """The vocabulary file is unreadable or incomplete; carries located problems."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass(frozen=True)
class Term:
    id: str
    title: str
    definition: str
    short: str = ""
    group: str = ""
    category: str = ""
    direction: str = ""
    reference: str = ""
    link: str = ""
    source: str = ""


@dataclass(frozen=True)
class Vocabulary:
    path: str
    groups: dict[str, Term]
    modalities: dict[str, Term]
    families: dict[str, Term]
    categories: dict[str, Term]
    metrics: dict[str, Term]
    kinds: dict[str, Term] = field(default_factory=dict)

    def short(self, family: str) -> str:
        term = self.families.get(family)
        return (term.short or term.title) if term else family


_SECTIONS = {
    "groups": ("id", "title", "definition"),
    "modalities": ("id", "title", "group", "definition"),
    "families": ("id", "title", "definition"),
    "categories": ("id", "title", "definition", "source"),
    "metrics": ("id", "title", "category", "definition", "direction", "reference"),
    "kinds": ("id", "title", "definition"),
}


def load_vocabulary(path: str | Path) -> Vocabulary:
    """Read and check the vocabulary; raise :class:`VocabularyError` with every problem found."""
    path = Path(path)
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        line = getattr(getattr(error, "problem_mark", None), "line", 0) + 1
        raise VocabularyError([Problem(where, line, f"cannot read vocabulary: {error}")]) from None
    if not isinstance(data, dict):
        raise VocabularyError([Problem(where, 1, "vocabulary must be a mapping of sections")])
    problems: list[Problem] = []
    sections: dict[str, dict[str, Term]] = {}
    for name, required in _SECTIONS.items():
        terms: dict[str, Term] = {}
        for index, item in enumerate(data.get(name) or []):
            if not isinstance(item, dict):
                problems.append(Problem(where, 1, f"{name}[{index}] must be a mapping"))
                continue
            missing = [k for k in required if not str(item.get(k, "")).strip()]
            if missing:
                problems.append(Problem(where, 1, f"{name}[{index}] ({item.get('id', '?')}) lacks {', '.join(missing)}"))
                continue
            term = Term(**{k: " ".join(str(v).split()) for k, v in item.items() if k in Term.__dataclass_fields__})
            if term.id in terms:
                problems.append(Problem(where, 1, f"{name}: duplicate id {term.id!r}"))
            terms[term.id] = term
        sections[name] = terms
    for term in sections["modalities"].values():
        if term.group not in sections["groups"]:
            problems.append(Problem(where, 1, f"modality {term.id!r}: unknown group {term.group!r}"))
    for term in sections["metrics"].values():
        if term.category not in sections["categories"]:
            problems.append(Problem(where, 1, f"metric {term.id!r}: unknown category {term.category!r}"))
        if term.direction not in ("higher", "lower", "target"):
            problems.append(Problem(where, 1, f"metric {term.id!r}: direction must be higher, lower or target"))
    if problems:
        raise VocabularyError(problems)
    return Vocabulary(where, **sections)
