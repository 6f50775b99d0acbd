"""Rebuilding only what a change to the bib or vocabulary touches.

Sphinx sees only the ``.md`` files, so a page that shows entries would never be rebuilt when
the bib changes. After each build we keep every entry's hash and facets (in a file beside the
environment, which ``-j`` workers pickle back and forth and should stay small) and what else the
pages showed (:class:`.state.LastBuild`); on the next build, if
the bib's content changed, the entries added, removed or edited are compared with each page's
views, as they were and as they are, and only the pages that show them (and the bibliography
page) are marked outdated. A view cut to its newest entries (``:limit:``) also keeps the keys it
showed, since most entries it selects are not on it. A changed vocabulary makes every review
page outdated.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path

from sphinx.search import js_index
from sphinx.util import logging

from ..review import ordered, select
from ..stats import group_records, values_of
from ..bibfile import collector_paused
from ..fmt import write_atomically
from . import letters
from .loader import digests, review_of
from .state import LastBuild, build_state

logger = logging.getLogger(__name__)

#: What a view shows of each entry it selects: all of it, or only its facets (counts and
#: glossaries), which a fixed typo in a title does not change.
WHOLE_ENTRIES = ("table", "sections", "entries")


def read_stamps(path: Path) -> dict[str, str]:
    """A JSON file of hashes written by an earlier build; missing or damaged means none."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


#: Every entry's hash and facets at the last build, beside the environment.
ENTRIES_FILE = "medsynth-entries-shown.pickle"


def note_removed(app, env, added, changed, removed) -> list[str]:
    """``env-get-outdated``: remember the pages whose sources are gone (see :func:`drop_removed`)."""
    build_state(env).removed = set(removed)
    return []


def drop_removed(app, exception) -> None:
    """``build-finished``: Sphinx leaves the output of a removed source in place; a clean build
    has none, so neither does an edited one."""
    if exception is not None or app.builder.format != "html":
        return
    for docname in build_state(app.env).removed:
        Path(app.builder.get_outfilename(docname)).unlink(missing_ok=True)


def outdated_docs(app, env, added, changed, removed) -> list[str]:
    domain = env.get_domain("review")
    last = domain.last_build
    current = digests(env)
    if last is not None and last.digests == current:
        return []
    before = _kept_entries(env, last.entries_token) if last is not None and last.digests[1] == current[1] else None
    entries = None if before is None else _entries(review_of(env))
    if entries is None:  # first build, a changed vocabulary, a lost file, or keys that repeat
        return sorted(domain.review_pages() - set(removed))
    changes = _changes(before, entries)
    review = review_of(env)
    # Split in letter pages (HTML only), the bibliography page shows only the letters' counts.
    listing = app.builder.format != "html" or last.letter_counts is None \
        or last.letter_counts != _letter_counts(env, review)
    stale = (set(domain.data["bibliography"]) if listing and changes else set()) | {
        docname for docname, views in domain.views.items()
        if any(_shows_any(review, view, last.cut.get((docname, index)), changes)
               for index, view in enumerate(views))}
    return sorted(stale - set(removed))


def _kept_entries(env, token: str) -> dict | None:
    try:
        data = (Path(env.doctreedir) / ENTRIES_FILE).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != token:
        return None  # written by another build than the one this environment remembers
    with collector_paused():
        return pickle.loads(data)


def _keep_entries(env, entries: dict) -> str:
    data = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
    path = Path(env.doctreedir) / ENTRIES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, data)
    return hashlib.sha256(data).hexdigest()


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


def _shows_any(review, view, cut_before, changes) -> bool:
    """Whether a view shows any of the changes: a table whose filter selects the entry as it
    was or as it is (and, if cut, showed it or shows it now), or a count of it whose facets
    changed."""
    selection, shows = view
    whole = shows[0] in WHOLE_ENTRIES
    admitted = [key for key, was, now, refaceted in changes
                if (whole or refaceted) and any(f is not None and selection.admits(f) for f in (was, now))]
    if not admitted or not _is_cut(shows) or cut_before is None:
        return bool(admitted)
    # A cut view's caption counts every entry it selects ("the 100 newest of 300"): an entry that
    # joins or leaves the selection changes it, whether or not the entry is shown.
    counted = {key for key, was, now, _ in changes
               if (was is not None and selection.admits(was)) != (now is not None and selection.admits(now))}
    if counted & set(admitted):
        return True
    if any(key in shown for shown in cut_before.values() for key in admitted):
        return True
    records = _by_key(review)
    return any(key in records and _enters(records, view, cut_before, records[key]) for key in admitted)


def _is_cut(shows) -> bool:
    return shows[0] in ("table", "sections") and bool(shows[-1])


def _cut(review, view) -> dict:
    """What a view cut to its newest entries shows: group -> its keys in order (a table is one
    group, None)."""
    selection, (kind, arrangement, limit) = view
    records = review.select(selection)
    if kind == "table":
        return {None: tuple(r.key for r in ordered(records, arrangement, limit))}
    return {value: tuple(r.key for r in ordered(rows, limit=limit))
            for value, _, rows in group_records(records, arrangement, review.vocabulary)}


def _enters(records, view, cut_before, record) -> bool:
    """Whether an entry that a cut view did not show is on it now. Every entry it showed is
    unchanged, so the entry is if one of its groups had room, or if it sorts before the last
    entry shown there."""
    selection, (kind, arrangement, limit) = view
    if not selection.matches(record):
        return False
    for group in [None] if kind == "table" else values_of(record, arrangement):
        shown = cut_before.get(group, ())
        if len(shown) < limit or shown[-1] not in records:
            return True
        pair = select([records[shown[-1]], record], selection)
        if ordered(pair, arrangement if kind == "table" else "date")[0] is record:
            return True
    return False


def _by_key(review) -> dict:
    if "by key" not in review.derived:
        review.derived["by key"] = {record.key: record for record in review.records}
    return review.derived["by key"]


def note_reread(app, env, docnames) -> None:
    """``env-before-read-docs``: every page not read again shows what it showed at the last build."""
    build_state(env).reread = set(docnames)


def remember_shown(app, env) -> list[str]:
    """After reading: keep every entry's hash and facets and what each cut view shows, and check
    that each modality has a table. A cut view on a page that was not re-read shows what it did."""
    current = digests(env)
    domain = env.get_domain("review")
    last, reread = domain.last_build, build_state(env).reread
    recut = any(_is_cut(shows) for docname in reread for _, shows in domain.views.get(docname, ()))
    if last is not None and last.digests == current and not recut:
        used = last.modalities
    else:
        review = review_of(env)
        used = frozenset(m for record in review.records if record.kind == "study" for m in record.modalities)
        earlier = last.cut if last is not None else {}
        cut = {}
        for docname, views in domain.views.items():
            for index, view in enumerate(views):
                if _is_cut(view[1]):
                    known = None if docname in reread else earlier.get((docname, index))
                    cut[docname, index] = known if known is not None else _cut(review, view)
        entries = None if review.problems else _entries(review)
        domain.data["last build"] = None if entries is None else LastBuild(
            current, _keep_entries(env, entries), cut, used, _letter_counts(env, review))
    _check_chapters(used, domain)
    return _chapters_moved(env, domain)


def _chapters_moved(env, domain) -> list[str]:
    """Pages that name the chapters (the references' "Listed in", the overview's links) show
    which page is the chapter of each modality: when a directive's options change that, they
    are written again though their own sources did not change."""
    from .resolve import chapter_pages

    chapters = sorted((modality, docname, selection) for modality, (docname, selection) in chapter_pages(env).items())
    before, domain.data["chapters"] = domain.data["chapters"], chapters
    if before is None or before == chapters:
        return []
    return sorted(set(domain.data["bibliography"]) | {
        docname for docname, views in domain.views.items() if any(shows[0] == "counts" for _, shows in views)})


def _letter_counts(env, review) -> dict[str, int] | None:
    split = letters.split(env, review)
    return None if split is None else {letter: len(records) for letter, records in split.items()}


def _check_chapters(used, domain) -> None:
    """Every modality that studies use must have a page with a table for it."""
    tabled = {m for docname in domain.views for selection in domain.tables(docname) for m in selection.modality}
    for modality in sorted(used - tabled):
        logger.warning("entries use modality %r but no page has a review-table for it", modality, type="review")


def tidy_search_index(app, exception) -> None:
    """``build-finished``: drop the search terms that no page holds any more. Sphinx prunes the
    pages it reads again out of each term's list but keeps a term whose list is now empty, so an
    edited site's index would differ from a clean build's; an empty term finds nothing either way."""
    if exception is not None or app.builder.format != "html" or not getattr(app.builder, "search", False):
        return
    path = Path(app.outdir) / "searchindex.js"
    try:
        data = js_index.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    changed = False
    for name in ("terms", "titleterms"):
        terms = data.get(name, {})
        empty = [term for term, pages in terms.items() if pages == []]
        for term in empty:
            del terms[term]
        changed = changed or bool(empty)
    if changed:
        write_atomically(path, js_index.dumps(data))
