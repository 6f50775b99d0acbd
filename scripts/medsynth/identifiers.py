"""Normalising DOIs, arXiv ids and links, so that spellings of one identifier compare equal."""

from __future__ import annotations

import re

_DOI_PREFIXES = re.compile(
    r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE
)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_ARXIV_NEW = re.compile(r"^(\d{4}\.\d{4,5})(?:v\d+)?$")
_ARXIV_OLD = re.compile(r"^([a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$", re.IGNORECASE)
_ARXIV_URL = re.compile(
    r"^https?://(?:www\.)?(?:arxiv\.org|ar5iv\.(?:labs\.arxiv\.)?org)/(?:abs|pdf|html)/(.+?)(?:\.pdf)?/?$",
    re.IGNORECASE,
)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)


def normalize_doi(value: str) -> str | None:
    """The bare, lower-cased DOI, or None if *value* is not one.

    DOIs are case-insensitive, so ``https://doi.org/10.1/X`` and ``10.1/x`` are the same DOI.
    """
    bare = _DOI_PREFIXES.sub("", value.strip())
    return bare.lower() if _DOI.match(bare) else None


def normalize_arxiv(value: str) -> str | None:
    """The bare arXiv id without version (``2306.01875``), from an id, an abs/pdf URL or an arXiv DOI."""
    text = value.strip()
    if text.lower().startswith("arxiv:"):
        text = text[6:].strip()
    url = _ARXIV_URL.match(text)
    if url:
        text = url.group(1)
    doi = _ARXIV_DOI.match(normalize_doi(text) or "")
    if doi:
        text = doi.group(1)
    for pattern in (_ARXIV_NEW, _ARXIV_OLD):
        match = pattern.match(text)
        if match:
            return match.group(1).lower() if pattern is _ARXIV_OLD else match.group(1)
    return None


def is_web_url(value: str) -> bool:
    """Only http(s) URLs are links: ``javascript:``, ``data:`` and the rest are refused."""
    return re.match(r"^https?://[^\s/$.?#][^\s]*$", value.strip(), re.IGNORECASE) is not None


def doi_url(doi: str) -> str:
    return f"https://doi.org/{doi}"


def arxiv_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


def arxiv_month(arxiv_id: str) -> str | None:
    """``YYYY-MM`` in which a new-style arXiv id (``YYMM.NNNNN``) was issued; None for old-style ids."""
    match = re.match(r"^(\d{2})(\d{2})\.\d{4,5}", arxiv_id)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return f"20{match.group(1)}-{match.group(2)}"
