"""Rebuilding only what a change to the bib or vocabulary touches.

Sphinx sees only the ``.md`` files, so a page that shows entries would never be rebuilt when
the bib changes. After each build we store, per page, a hash of the entries its views show;
on the next build, if the bib's content changed, exactly the pages whose hash changed (and the
bibliography page) are marked outdated. A changed vocabulary makes every review page outdated.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sphinx.util import logging

from ..review import ordered, records_digest
from ..stats import group_records
from .loader import digests, review_of

logger = logging.getLogger(__name__)


def shown(review, views) -> str:
    """A hash of what a page's views show: whole entries for tables and the bibliography,
    only the taxonomy for counts, plots and glossaries, so that a fixed typo in a title does not
    redraw the overview."""
    parts = []
    for view in views:
        key = ("shown", view)
        if key not in review.derived:
            review.derived[key] = _view_digest(review, *view)
        parts.append(review.derived[key])
    return "".join(parts)


def _view_digest(review, selection, shows) -> str:
    records = review.select(selection)
    if shows[0] == "table":
        _, order, limit = shows
        return f"{len(records)}:" + records_digest(ordered(records, order, limit))
    if shows[0] == "sections":
        _, by, limit = shows
        groups = group_records(records, by, review.vocabulary)
        return "".join(f"{value}:{len(rows)}:" + records_digest(ordered(rows, limit=limit))
                       for value, _, rows in groups)
    taxonomy = hashlib.sha256()
    for r in records:
        taxonomy.update(repr((r.key, r.kind, r.year, r.modalities, r.families, r.evaluation, r.metrics)).encode())
    return taxonomy.hexdigest()


def read_stamps(path: Path) -> dict[str, str]:
    """A JSON file of hashes written by an earlier build; missing or damaged means none."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def outdated_docs(app, env, added, changed, removed) -> list[str]:
    state = getattr(env, "review_state", None)
    current = digests(env)
    if state is not None and state[0] == current:
        return []
    domain = env.get_domain("review")
    if state is None or state[0][1] != current[1]:
        return sorted(domain.review_pages() - set(removed))
    review = review_of(env)
    facets = _facets(review)
    touched = _touched(state[2], facets)
    if touched is None:  # duplicate keys: compare every page
        candidates = dict(domain.views)
    else:  # only pages with a view that selects an edited entry, as it was or as it is
        candidates = {docname: views for docname, views in domain.views.items()
                      if any(selection.admits(f) for selection, _ in views for f in touched)}
    fresh = {docname: shown(review, views) for docname, views in candidates.items()}
    _FRESH[id(env)] = (current, fresh)
    stale = set(domain.data["bibliography"]) | {d for d, value in fresh.items() if value != state[1].get(d)}
    return sorted(stale - set(removed))


def _facets(review) -> dict | None:
    """Entry key -> (hash, facets), or None if keys repeat (lint reports that)."""
    facets = {record.key: (record.digest, record.facets) for record in review.records}
    return facets if len(facets) == len(review.records) else None


def _touched(before: dict | None, after: dict | None) -> list | None:
    """The facets, old and new, of every entry added, removed or edited since the last build."""
    if before is None or after is None:
        return None
    return ([f for key, (digest, f) in before.items() if after.get(key) != (digest, f)]
            + [f for key, (digest, f) in after.items() if before.get(key) != (digest, f)])


# Hashes computed by outdated_docs for the pages an edit may touch, reused after reading.
_FRESH: dict[int, tuple] = {}
_REREAD: dict[int, set[str]] = {}


def note_reread(app, env, docnames) -> None:
    _REREAD[id(env)] = set(docnames)


def remember_shown(app, env) -> None:
    """After reading: store what every page shows, and check that each modality has a table.

    A page whose source was not re-read and that no edited entry reaches keeps its hash.
    """
    current = digests(env)
    state = getattr(env, "review_state", None)
    domain = env.get_domain("review")
    if state is not None and state[0] == current and set(state[1]) == set(domain.views):
        return
    review = review_of(env)
    _check_chapters(review, domain)
    computed, fresh = _FRESH.pop(id(env), (None, {}))
    reread = _REREAD.pop(id(env), set())
    known = state[1] if state is not None and computed == current else {}
    pages = {}
    for docname, views in domain.views.items():
        if docname in fresh and docname not in reread:
            pages[docname] = fresh[docname]
        elif docname in known and docname not in reread:
            pages[docname] = known[docname]
        else:
            pages[docname] = shown(review, views)
    env.review_state = None if review.problems else (current, pages, _facets(review))


def _check_chapters(review, domain) -> None:
    """Every modality that studies use must have a page with a table for it."""
    tabled = {m for docname in domain.views for selection in domain.tables(docname) for m in selection.modality}
    used = {m for record in review.records if record.kind == "study" for m in record.modalities}
    for modality in sorted(used - tabled):
        logger.warning("entries use modality %r but no page has a review-table for it", modality, type="review")
