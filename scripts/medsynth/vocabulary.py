"""The controlled vocabulary: modalities, model families, evaluation categories and metrics.

It lives beside the bib (``bib/vocabulary.yaml``) and is, with the bib, the only source of the
words the site shows about the taxonomy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import identifiers
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
    #: For a dataset: the modalities it holds.
    modalities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    path: str
    groups: dict[str, Term]
    modalities: dict[str, Term]
    families: dict[str, Term]
    categories: dict[str, Term]
    metrics: dict[str, Term]
    kinds: dict[str, Term] = field(default_factory=dict)
    #: Datasets a study may name in its ``datasets`` field.
    datasets: dict[str, Term] = field(default_factory=dict)
    #: Where candidates were found (the search record names one per search).
    sources: dict[str, Term] = field(default_factory=dict)
    #: Why a screened candidate was left out (the screening record names one per exclusion).
    reasons: dict[str, Term] = field(default_factory=dict)
    #: Where a study's coding came from (its ``coding`` field).
    codings: dict[str, Term] = field(default_factory=dict)

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
    "datasets": ("id", "title", "definition", "modalities"),
    "sources": ("id", "title", "definition"),
    "reasons": ("id", "title", "definition"),
    "codings": ("id", "title", "definition"),
}


def _lines(text: str) -> dict[tuple, int]:
    """The line of every section ``(section,)``, list item ``(section, index)`` and item field
    ``(section, index, field)``, so that a problem points at what is wrong."""
    root = yaml.compose(text)
    lines: dict[tuple, int] = {}
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            lines[key.value,] = key.start_mark.line + 1
            if isinstance(value, yaml.SequenceNode):
                for index, item in enumerate(value.value):
                    lines[key.value, index] = item.start_mark.line + 1
                    if isinstance(item, yaml.MappingNode):
                        for field_key, _ in item.value:
                            lines[key.value, index, field_key.value] = field_key.start_mark.line + 1
    return lines


def load_vocabulary(path: str | Path) -> Vocabulary:
    """Read and check the vocabulary; raise :class:`VocabularyError` with every problem found."""
    path = Path(path)
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        lines = _lines(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        line = getattr(getattr(error, "problem_mark", None), "line", 0) + 1
        raise VocabularyError([Problem(where, line, f"cannot read vocabulary: {error}")]) from None
    if not isinstance(data, dict):
        raise VocabularyError([Problem(where, 1, "vocabulary must be a mapping of sections")])
    problems: list[Problem] = []
    for name in data:
        if name not in _SECTIONS:
            problems.append(Problem(where, lines.get((name,), 1), f"unknown section {str(name)!r} (known: "
                                    f"{', '.join(_SECTIONS)})"))
    sections: dict[str, dict[str, Term]] = {}
    # (section, id) -> where the term starts, and (section, id, field) -> where that field stands
    term_lines: dict[tuple, int] = {}
    for name, required in _SECTIONS.items():
        terms: dict[str, Term] = {}
        items = data.get(name) or []
        if not isinstance(items, list):
            problems.append(Problem(where, lines.get((name,), 1), f"section {name!r} must be a list of terms"))
            items = []
        for index, item in enumerate(items):
            line = lines.get((name, index), 1)
            if not isinstance(item, dict):
                problems.append(Problem(where, line, f"{name}[{index}] must be a mapping"))
                continue
            missing = [k for k in required if not str(item.get(k, "")).strip()]
            if missing:
                problems.append(Problem(where, line, f"{name}[{index}] ({item.get('id', '?')}) lacks {', '.join(missing)}"))
                continue
            modalities = item.get("modalities", [])
            if not isinstance(modalities, list):
                problems.append(Problem(where, lines.get((name, index, "modalities"), line),
                                        f"{name}[{index}] ({item['id']}): modalities must be a list"))
                continue
            term = Term(**{k: " ".join(str(v).split()) for k, v in item.items()
                           if k in Term.__dataclass_fields__ and k != "modalities"},
                        modalities=tuple(str(m) for m in modalities))
            if term.id in terms:
                problems.append(Problem(where, line, f"{name}: duplicate id {term.id!r} "
                                        f"(first at line {term_lines[name, term.id]})"))
            else:
                term_lines[name, term.id] = line
                for key in item:
                    term_lines[name, term.id, key] = lines.get((name, index, key), line)
            terms[term.id] = term
        sections[name] = terms
    def at(section: str, term: Term, field: str) -> int:
        """The line of the term's *field* (of the term itself if the field is not written)."""
        return term_lines.get((section, term.id, field), term_lines.get((section, term.id), 1))

    for term in sections["modalities"].values():
        if term.group not in sections["groups"]:
            problems.append(Problem(where, at("modalities", term, "group"), f"modality {term.id!r}: unknown group {term.group!r}"))
    for term in sections["datasets"].values():
        for modality in term.modalities:
            if modality not in sections["modalities"]:
                problems.append(Problem(where, at("datasets", term, "modalities"), f"dataset {term.id!r}: unknown modality {modality!r}"))
    for section in ("metrics", "datasets"):
        for term in sections[section].values():
            if term.link and not identifiers.is_web_url(term.link):
                problems.append(Problem(where, at(section, term, "link"),
                                        f"{term.id!r}: link must be an http(s) URL, not {term.link[:60]!r}"))
    for term in sections["metrics"].values():
        if term.category not in sections["categories"]:
            problems.append(Problem(where, at("metrics", term, "category"), f"metric {term.id!r}: unknown category {term.category!r}"))
        if term.direction not in ("higher", "lower", "target"):
            problems.append(Problem(where, at("metrics", term, "direction"),
                                    f"metric {term.id!r}: direction must be higher, lower or target"))
    if problems:
        raise VocabularyError(problems)
    return Vocabulary(where, **sections)
