"""Everything the extension remembers, in one typed place.

Two lifetimes, two classes, both held by the ``review`` domain:

* :class:`BuildState` lives for one run of Sphinx (an attribute of the domain instance, which
  the environment does not pickle): the loaded review, file digests, the pages read again.
  ``-j`` workers inherit it when they fork and what they add is dropped with them.
* :class:`LastBuild` is what the previous build saw (in the domain's data, pickled with the
  environment): the digests, each cut view's rows and the chapters, from which the next build
  decides what to render again (see :mod:`.incremental`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..review import Review
    from ..vocabulary import Vocabulary


@dataclass(frozen=True)
class FileDigest:
    """A file's content hash, valid while its modification time and size stay the same."""
    seen: tuple[int, int]
    digest: str


@dataclass(frozen=True)
class LoadedReview:
    """The review parsed from the bib and vocabulary whose digests are ``digests``."""
    digests: tuple[str, str]
    review: Review


@dataclass
class BuildState:
    """This run's working state; a new run starts empty."""
    file_digests: dict[str, FileDigest] = field(default_factory=dict)
    vocabulary: tuple[str, Vocabulary] | None = None
    loaded: LoadedReview | None = None
    #: The problems found per entry, when this build's entries are to replace the kept ones.
    problems_to_keep: dict | None = None
    #: The hash of the package's code and static files (see :func:`.loader.rendering_code`).
    code_hash: str | None = None
    #: The pages read again in this build.
    reread: set[str] = field(default_factory=set)
    #: Pages whose sources are gone: their output is removed after the build.
    removed: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class LastBuild:
    """What the last build showed, for deciding which pages the next one must write again."""
    digests: tuple[str, str]
    #: The hash of the file beside the environment holding every entry's hash and facets.
    entries_token: str
    #: (page, view index) -> group -> the keys a view cut to its newest entries showed.
    cut: dict[tuple[str, int], dict]
    #: The modalities that studies use (each needs a chapter).
    modalities: frozenset[str]
    #: The split bibliography's entries per letter; None while it is one page.
    letter_counts: dict[str, int] | None


def build_state(env) -> BuildState:
    return env.get_domain("review").build
