"""Loading the review once per build process and reporting its problems as located warnings."""

from __future__ import annotations

from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

from ..review import Review, load_review
from ..vocabulary import VocabularyError

logger = logging.getLogger(__name__)

# The parsed review of each source folder, shared by every read in this process and inherited
# by ``-j`` workers; the environment keeps only digests (see ``incremental``).
_LOADED: dict[tuple[str, str], Review] = {}


def paths(app) -> tuple[Path, Path, Path | None]:
    confdir = Path(app.confdir)
    bib = confdir / app.config.review_bibfile
    vocabulary = confdir / (app.config.review_vocabulary or bib.with_name("vocabulary.yaml"))
    chapters = Path(app.srcdir) / app.config.review_chapters if app.config.review_chapters else None
    return bib, vocabulary, chapters


def load(app) -> Review:
    bib, vocabulary, chapters = paths(app)
    try:
        review = load_review(bib, vocabulary, chapters)
    except VocabularyError as error:
        raise ExtensionError("the review's vocabulary is invalid:\n" + str(error)) from None
    _LOADED[str(app.srcdir)] = review
    for problem in review.problems:
        logger.warning(problem.message, location=f"{problem.path}:{problem.line}", type="review")
    return review


def review_of(env) -> Review:
    return _LOADED[str(env.srcdir)]
