"""Where the review's files live, so that the CLI and the Sphinx extension agree on them."""

from __future__ import annotations

from pathlib import Path

DEFAULT_BIB = Path("bib/review.bib")
VOCABULARY_NAME = "vocabulary.yaml"


def vocabulary_beside(bib: Path) -> Path:
    """The vocabulary file sits beside the bib."""
    return bib.parent / VOCABULARY_NAME


def chapters_for(bib: Path) -> Path | None:
    """``docs/modalities`` of the checkout the bib belongs to, if there is one."""
    candidate = bib.resolve().parent.parent / "docs" / "modalities"
    return candidate if candidate.is_dir() else None
