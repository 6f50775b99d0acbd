"""Loading the review on demand, once per content, and reporting its problems as warnings."""

from __future__ import annotations

import gc
import hashlib
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

from ..review import Review, load_review
from ..vocabulary import Vocabulary, VocabularyError, load_vocabulary

logger = logging.getLogger(__name__)

# Per source folder: (digests, loaded object). Shared by every page of a build and inherited by
# ``-j`` workers, so the bib is parsed once per build at most, and not at all when nothing changed.
_REVIEWS: dict[str, tuple[tuple[str, str], Review]] = {}
_VOCABULARIES: dict[str, tuple[str, Vocabulary]] = {}
_DIGESTS: dict[str, tuple[tuple[int, int], str]] = {}


def _paths(env) -> tuple[Path, Path]:
    """The bib and the vocabulary, relative to the folder of ``conf.py``."""
    bib = Path(env.app.confdir) / env.config.review_bibfile
    return bib, Path(env.app.confdir) / (env.config.review_vocabulary or bib.with_name("vocabulary.yaml"))


def _digest(path: Path) -> str:
    """The file's content hash, computed again only when its size or modification time changed
    (every page asks, and hashing a 20,000-entry bib takes a noticeable fraction of a second)."""
    try:
        stat = path.stat()
        seen = (stat.st_mtime_ns, stat.st_size)
        cached = _DIGESTS.get(str(path))
        if cached and cached[0] == seen:
            return cached[1]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""
    _DIGESTS[str(path)] = (seen, digest)
    return digest


def digests(env) -> tuple[str, str]:
    """Content hashes of the bib and the vocabulary: what decides whether anything is stale."""
    bib, vocabulary = _paths(env)
    return _digest(bib), _digest(vocabulary)


def vocabulary_of(env) -> Vocabulary:
    _, path = _paths(env)
    digest = _digest(path)
    cached = _VOCABULARIES.get(str(env.srcdir))
    if cached and cached[0] == digest:
        return cached[1]
    try:
        vocabulary = load_vocabulary(path)
    except VocabularyError as error:
        raise ExtensionError("the review's vocabulary is invalid:\n" + str(error)) from None
    _VOCABULARIES[str(env.srcdir)] = (digest, vocabulary)
    return vocabulary


def review_of(env) -> Review:
    """The parsed, checked review; parsed again only when the bib or vocabulary changed."""
    current = digests(env)
    cached = _REVIEWS.get(str(env.srcdir))
    if cached and cached[0] == current:
        return cached[1]
    bib, vocabulary = _paths(env)
    try:
        # No chapter-file check here: the build checks that every modality has a table instead.
        review = load_review(bib, vocabulary)
    except VocabularyError as error:
        raise ExtensionError("the review's vocabulary is invalid:\n" + str(error)) from None
    for problem in review.problems:
        logger.warning(problem.message, location=f"{problem.path}:{problem.line}", type="review")
    _REVIEWS[str(env.srcdir)] = (current, review)
    # The review lives until the build ends: keep the collector from walking its million objects
    # again at every full collection (a second each at 20,000 entries). See forget().
    gc.freeze()
    return review


def forget(app, exception) -> None:
    """After the build, drop the loaded review and let the collector see every object again."""
    _REVIEWS.pop(str(app.env.srcdir), None)
    gc.unfreeze()
