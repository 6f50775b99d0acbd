"""Loading the review on demand, once per content, and reporting its problems as warnings."""

from __future__ import annotations

import gc
import hashlib
import pickle
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

from .. import bibfile, fastparse, identifiers, latex, lint, records, screening
from ..bibfile import Reusable, collector_paused
from ..fmt import write_atomically
from ..review import Review, load_review
from ..vocabulary import Vocabulary, VocabularyError, load_vocabulary
from .state import FileDigest, LoadedReview, build_state

logger = logging.getLogger(__name__)

#: The parsed and checked entries, kept between builds beside the environment (see :func:`forget`).
ENTRY_CACHE = "medsynth-entries.pickle"


def _paths(env) -> tuple[Path, Path]:
    """The bib and the vocabulary, relative to the folder of ``conf.py``."""
    bib = Path(env.app.confdir) / env.config.review_bibfile
    return bib, Path(env.app.confdir) / (env.config.review_vocabulary or bib.with_name("vocabulary.yaml"))


def _digest(env, path: Path) -> str:
    """The file's content hash, computed again only when its size or modification time changed
    (every page asks, and hashing a 20,000-entry bib takes a noticeable fraction of a second)."""
    known = build_state(env).file_digests
    try:
        stat = path.stat()
        seen = (stat.st_mtime_ns, stat.st_size)
        cached = known.get(str(path))
        if cached and cached.seen == seen:
            return cached.digest
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""
    known[str(path)] = FileDigest(seen, digest)
    return digest


def digests(env) -> tuple[str, str]:
    """Content hashes of the bib and of what else shapes every page (the files beside it: the
    vocabulary, the search and the screening records; and the code that renders the views):
    what decides whether anything is stale."""
    bib, vocabulary = _paths(env)
    beside = "".join(_digest(env, path) for path in (vocabulary, *screening.beside(bib))) + rendering_code(env)
    return _digest(env, bib), hashlib.sha256(beside.encode("ascii")).hexdigest()


def rendering_code(env) -> str:
    """A hash of the package's code and static files, once per run: a changed view, export or
    script renders every page again, as a clean build would."""
    state = build_state(env)
    if state.code_hash is None:
        package = Path(__file__).resolve().parent.parent
        files = sorted(path for path in package.rglob("*") if path.suffix in (".py", ".js", ".css") and path.is_file())
        state.code_hash = hashlib.sha256(b"".join(path.read_bytes() for path in files)).hexdigest()
    return state.code_hash


def vocabulary_of(env) -> Vocabulary:
    _, path = _paths(env)
    digest = _digest(env, path)
    state = build_state(env)
    if state.vocabulary and state.vocabulary[0] == digest:
        return state.vocabulary[1]
    try:
        vocabulary = load_vocabulary(path)
    except VocabularyError as error:
        raise ExtensionError("the review's vocabulary is invalid:\n" + str(error)) from None
    state.vocabulary = (digest, vocabulary)
    return vocabulary


def review_of(env) -> Review:
    """The parsed, checked review; parsed again only when the bib or vocabulary changed."""
    current = digests(env)
    state = build_state(env)
    if state.loaded and state.loaded.digests == current:
        return state.loaded.review
    bib, vocabulary = _paths(env)
    with collector_paused():
        reuse, memo = _kept_entries(env, current[1])
        try:
            # No chapter-file check here: the build checks that every modality has a table instead.
            review = load_review(bib, vocabulary, reuse=reuse, memo=memo)
        except VocabularyError as error:
            raise ExtensionError("the review's vocabulary is invalid:\n" + str(error)) from None
        # The review lives until the build ends: keep the collector from walking its million
        # objects at every full collection (a second each at 20,000 entries). See forget().
        gc.freeze()
    for problem in review.problems:
        logger.warning(problem.message, location=f"{problem.path}:{problem.line}", type="review")
    state.loaded = LoadedReview(current, review)
    parsed_again = len(review.records) - review.bib.reused
    if reuse is None or parsed_again > max(100, len(review.records) // 10):
        state.problems_to_keep = memo
    return review


def _code_version() -> str:
    """The code that parsing and checking an entry runs: kept entries from other code are not used."""
    code = b"".join(Path(module.__file__).read_bytes()
                    for module in (bibfile, fastparse, identifiers, latex, lint, records))
    return hashlib.sha256(code).hexdigest()


def _kept_entries(env, vocabulary_digest: str) -> tuple[Reusable | None, dict]:
    """The entries and their problems that an earlier build kept (problems only if they were
    checked against this vocabulary); none if the cache is missing, damaged or from other code."""
    try:
        with open(Path(env.doctreedir) / ENTRY_CACHE, "rb") as cache:
            version, checked_against, reuse, memo = pickle.load(cache)
    except Exception:  # a missing, truncated or foreign cache only means parsing everything
        return None, {}
    if version != _code_version():
        return None, {}
    return reuse, memo if checked_against == vocabulary_digest else {}


def _keep_entries(env, review: Review, vocabulary_digest: str, memo: dict) -> None:
    path = Path(env.doctreedir) / ENTRY_CACHE
    path.parent.mkdir(parents=True, exist_ok=True)
    current = {record.raw for record in review.records}
    kept = (_code_version(), vocabulary_digest, Reusable.of(review.bib),
            {key: found for key, found in memo.items() if key[0] in current})
    write_atomically(path, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))


def forget(app, exception) -> None:
    """After the build, keep the parsed entries for the next one if many were parsed again, drop
    the loaded review and let the collector see every object again."""
    state = build_state(app.env)
    loaded, memo = state.loaded, state.problems_to_keep
    state.loaded = state.problems_to_keep = None
    if loaded is not None and memo is not None and exception is None:
        _keep_entries(app.env, loaded.review, loaded.digests[1], memo)
    gc.unfreeze()
