"""Rebuilding only what a change to the bib or vocabulary touches.

Pages that show entries are not rebuilt by Sphinx when the bib changes (it only sees the
``.md`` files), so on each build we reload the review, compare what every table would now show
with what it showed, and mark exactly the pages whose rows changed as outdated.
"""

from __future__ import annotations

from sphinx.util import logging

from ..review import select
from .directives import fingerprint
from .loader import load, review_of

logger = logging.getLogger(__name__)


def outdated_docs(app, env, added, changed, removed) -> list[str]:
    review = load(app)
    digests = (review.bib.digest, _vocabulary_digest(review))
    previous = getattr(env, "review_digests", None)
    env.review_digests = digests if not review.problems else None
    if previous == digests:
        return []
    domain = env.get_domain("review")
    if previous is None or previous[1] != digests[1]:
        pages = set(domain.tables) | set(domain.data["glossary"]) | set(domain.data["bibliography"])
        return sorted(pages - set(removed))
    stale = set(domain.data["bibliography"])
    for docname, tables in domain.tables.items():
        if any(fingerprint(select(review.records, selection)) != shown for selection, shown, _ in tables):
            stale.add(docname)
    return sorted(stale - set(removed))


def _vocabulary_digest(review) -> str:
    return repr(review.vocabulary)


def check_chapters(app, env) -> None:
    """Every modality that entries use must have a page with a table for it."""
    domain = env.get_domain("review")
    shown = {modality for tables in domain.tables.values() for selection, _, _ in tables
             for modality in selection.modality}
    used = {m for record in review_of(env).records if record.kind == "study" for m in record.modalities}
    for modality in sorted(used - shown):
        logger.warning("entries use modality %r but no page has a review-table for it", modality,
                       type="review")
