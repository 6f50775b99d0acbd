"""Shared fixtures: Sphinx test roots under tests/roots, the real vocabulary and the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

REPO = Path(__file__).resolve().parent.parent
VOCABULARY = REPO / "bib" / "vocabulary.yaml"


def _find_shared() -> Path:
    """The project's shared/ folder: beside the checkout (as in CI), beside the repository this
    one was cloned from (a scratch clone), or where MEDSYNTH_SHARED points."""
    candidates = [Path(os.environ["MEDSYNTH_SHARED"])] if os.environ.get("MEDSYNTH_SHARED") else []
    candidates.append(REPO.parent / "shared")
    origin = subprocess.run(["git", "config", "--get", "remote.origin.url"], cwd=REPO, capture_output=True,
                            text=True).stdout.strip()
    if origin and "://" not in origin and ":" not in origin.split("/")[0]:
        candidates.append(Path(origin).resolve().parent / "shared")
    for candidate in candidates:
        if (candidate / "corpus" / "HEPML.bib").is_file():
            return candidate
    raise RuntimeError("cannot find shared/ (the seeds, corpus and schemas): set MEDSYNTH_SHARED")


SHARED = _find_shared()
os.environ["MEDSYNTH_TEST_VOCABULARY"] = str(VOCABULARY)


def require_tools(*tools: str) -> None:
    """Skip a test whose external tools are missing; under CI (``CI=true``) fail it instead,
    since .ci/run installs them and a skip there would hide a test that never ran."""
    missing = [tool for tool in tools if not shutil.which(tool)]
    if not missing:
        return
    message = f"needs {', '.join(missing)} (.ci/run installs them)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI: {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return REPO / "tests" / "roots"


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``medsynth`` as a contributor would, in a fresh interpreter."""
    return subprocess.run([sys.executable, "-m", "medsynth", *args], capture_output=True, text=True,
                          cwd=cwd or REPO, env={**os.environ, "PYTHONPATH": str(REPO / "scripts")})


@pytest.fixture
def cli():
    return run_cli


def build_root(root: str, dest: Path, buildername: str = "html", **kwargs):
    """Copy tests/roots/test-<root> to *dest* and build it fresh; the app keeps its warnings."""
    import shutil
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    srcdir = dest / "src"
    shutil.copytree(REPO / "tests" / "roots" / f"test-{root}", srcdir)
    app = SphinxTestApp(buildername, srcdir=srcdir, status=StringIO(), warning=StringIO(),
                        freshenv=True, **kwargs)
    try:
        app.build()
    finally:
        app.cleanup()
    return app
