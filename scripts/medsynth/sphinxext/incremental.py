"""Rebuilding only what a change to the bib or vocabulary touches.

Sphinx sees only the ``.md`` files, so a page that shows entries would never be rebuilt when
the bib changes. After each build we keep every entry's hash and facets; on the next build, if
the bib's content changed, the entries added, removed or edited are compared with each page's
views, as they were and as they are, and only the pages that show them (and the bibliography
page) are marked outdated. A view cut to its newest entries (``:limit:``) also keeps the keys it
showed, since most entries it selects are not on it. A changed vocabulary makes every review
page outdated.
"""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.util import logging

from ..review import ordered
from ..stats import group_records
from .loader import digests, review_of

logger = logging.getLogger(__name__)

#: What a view shows of each entry it selects: all of it, or only its facets (counts and
#: glossaries), which a fixed typo in a title does not change.
WHOLE_ENTRIES = ("table", "sections")


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
    entries = None if state is None or state[0][1] != current[1] else _entries(review_of(env))
    if entries is None:  # first build, a changed vocabulary, or keys that repeat
        return sorted(domain.review_pages() - set(removed))
    changes = _changes(state[1], entries)
    review = review_of(env)
    stale = set(domain.data["bibliography"]) | {
        docname for docname, views in domain.views.items()
        if any(_shows_any(review, view, state[2].get((docname, index)), changes)
               for index, view in enumerate(views))}
    return sorted(stale - set(removed))


def _entries(review) -> dict | None:
    """Entry key -> (hash, facets), or None if keys repeat (lint reports that)."""
    entries = {record.key: (record.digest, record.facets) for record in review.records}
    return entries if len(entries) == len(review.records) else None


def _changes(before: dict, after: dict) -> list[tuple]:
    """(key, facets before, facets after, whether the facets changed) of every entry added,
    removed or edited since the last build; None stands for an entry that is not there."""
    changes = []
    for key, (digest, facets) in after.items():
        earlier = before.get(key)
        if earlier is None:
            changes.append((key, None, facets, True))
        elif earlier[0] != digest or earlier[1] != facets:
            changes.append((key, earlier[1], facets, earlier[1] != facets))
    changes += [(key, facets, None, True) for key, (_, facets) in before.items() if key not in after]
    return changes


def _shows_any(review, view, shown_before, changes) -> bool:
    """Whether a view shows any of the changes: a table whose filter selects the entry as it
    was or as it is (and, if cut, showed it or shows it now), or a count of it whose facets
    changed."""
    selection, shows = view
    whole = shows[0] in WHOLE_ENTRIES
    admitted = [key for key, was, now, refaceted in changes
                if (whole or refaceted) and any(f is not None and selection.admits(f) for f in (was, now))]
    if not admitted or not _is_cut(shows) or shown_before is None:
        return bool(admitted)
    return any(key in shown_before for key in admitted) or any(key in _cut_keys(review, view) for key in admitted)


def _is_cut(shows) -> bool:
    return shows[0] in WHOLE_ENTRIES and bool(shows[-1])


def _cut_keys(review, view) -> frozenset[str]:
    """The keys a view cut to its newest entries shows."""
    key = ("cut", view)
    if key not in review.derived:
        selection, (kind, arrangement, limit) = view
        records = review.select(selection)
        if kind == "table":
            shown = ordered(records, arrangement, limit)
        else:
            shown = [r for _, _, rows in group_records(records, arrangement, review.vocabulary)
                     for r in ordered(rows, limit=limit)]
        review.derived[key] = frozenset(r.key for r in shown)
    return review.derived[key]


_REREAD: dict[int, set[str]] = {}


def note_reread(app, env, docnames) -> None:
    _REREAD[id(env)] = set(docnames)


def remember_shown(app, env) -> None:
    """After reading: keep every entry's hash and facets and what each cut view shows, and check
    that each modality has a table. A cut view on a page that was not re-read shows what it did."""
    current = digests(env)
    state = getattr(env, "review_state", None)
    reread = _REREAD.pop(id(env), set())
    domain = env.get_domain("review")
    recut = any(_is_cut(shows) for docname in reread for _, shows in domain.views.get(docname, ()))
    if state is not None and state[0] == current and not recut:
        facets = [entry_facets for _, entry_facets in state[1].values()]
    else:
        review = review_of(env)
        facets = [record.facets for record in review.records]
        earlier = state[2] if state is not None else {}
        cut = {}
        for docname, views in domain.views.items():
            for index, view in enumerate(views):
                if _is_cut(view[1]):
                    known = None if docname in reread else earlier.get((docname, index))
                    cut[docname, index] = known if known is not None else _cut_keys(review, view)
        env.review_state = None if review.problems else (current, _entries(review), cut)
    _check_chapters(facets, domain)


def _check_chapters(facets, domain) -> None:
    """Every modality that studies use must have a page with a table for it."""
    tabled = {m for docname in domain.views for selection in domain.tables(docname) for m in selection.modality}
    used = {m for entry in facets if entry.kind == "study" for m in entry.modalities}
    for modality in sorted(used - tabled):
        logger.warning("entries use modality %r but no page has a review-table for it", modality, type="review")
