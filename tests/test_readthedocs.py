"""The project built the way Read the Docs builds it: a clean clone, a new virtual environment
with the ``python.install`` steps of ``.readthedocs.yaml`` (``pip install .``, not editable), Read
the Docs' environment variables, then exactly the commands the file declares for each format."""

from __future__ import annotations

import os
import re
import subprocess
import venv
from pathlib import Path

import pytest
import yaml

from conftest import REPO, require_tools
from test_builders import check_epub

from medsynth.review import Selection, load_review, select

CONFIG = yaml.safe_load((REPO / ".readthedocs.yaml").read_text(encoding="utf-8"))


def run(command, cwd: Path, env: dict[str, str], shell: bool = False) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, shell=shell, capture_output=True, text=True, timeout=1500)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{command!r} failed:\n{output[-4000:]}"
    return output


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Outputs by format, as Read the Docs would publish them."""
    require_tools("git", "latexmk", "xelatex", "pdftotext")
    root = tmp_path_factory.mktemp("rtd")
    checkout, output = root / "checkout", root / "output"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{REPO}", str(checkout)], check=True)
    venv.create(root / "venv", with_pip=True)
    python = root / "venv" / "bin" / "python"
    env = {**os.environ, "READTHEDOCS": "True", "READTHEDOCS_PROJECT": "medsynth", "READTHEDOCS_LANGUAGE": "en",
           "READTHEDOCS_VERSION": "latest", "READTHEDOCS_VERSION_NAME": "latest", "READTHEDOCS_VERSION_TYPE": "branch",
           "READTHEDOCS_OUTPUT": f"{output}/", "READTHEDOCS_REPOSITORY_PATH": str(checkout),
           "READTHEDOCS_CANONICAL_URL": "https://medsynth.readthedocs.io/en/latest/",
           "READTHEDOCS_GIT_COMMIT_HASH": subprocess.run(["git", "rev-parse", "HEAD"], cwd=checkout, capture_output=True,
                                                         text=True, check=True).stdout.strip(),
           "PATH": f"{python.parent}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    env.pop("PYTHONPATH", None)
    for step in CONFIG["python"]["install"]:
        assert step["method"] == "pip" and "requirements" not in step
        run([str(python), "-m", "pip", "install", "-q", "--upgrade", "--upgrade-strategy", "only-if-needed",
             step.get("path", ".")], checkout, env)
    logs = {}
    for fmt in ["html", *CONFIG.get("formats", [])]:
        commands = CONFIG["build"]["jobs"]["build"][fmt]
        logs[fmt] = "".join(run(command, checkout, env, shell=True) for command in commands)
    return output, logs


@pytest.fixture(scope="module")
def review():
    return load_review(REPO / "bib" / "review.bib", REPO / "bib" / "vocabulary.yaml")


def test_the_config_declares_every_format_with_warnings_as_errors():
    assert set(CONFIG["formats"]) == {"pdf", "epub"}
    assert CONFIG["sphinx"]["fail_on_warning"] is True
    for fmt, commands in CONFIG["build"]["jobs"]["build"].items():
        sphinx = [command for command in commands if "sphinx" in command]
        assert sphinx and all(" -W " in command for command in sphinx), fmt


def test_no_build_warns(built):
    _, logs = built
    for fmt, log in logs.items():
        assert "WARNING" not in log, (fmt, [line for line in log.splitlines() if "WARNING" in line])


def test_html_has_every_chapter_and_the_canonical_url(built, review):
    output, _ = built
    html = output / "html"
    for modality in review.vocabulary.modalities:
        page = (html / "modalities" / f"{modality}.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="https://medsynth.readthedocs.io/en/latest/modalities/{modality}.html"' in page
        for record in select(review.records, Selection(modality=(modality,), kind=("study",))):
            assert f'id="{record.key}"' in page, (modality, record.key)


def test_pdf_is_one_file_holding_every_chapter(built, review):
    output, _ = built
    [pdf] = list((output / "pdf").iterdir())
    assert pdf.suffix == ".pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    body = re.sub(r"[\s\-\u00ad]+", "", text)
    for modality, term in review.vocabulary.modalities.items():
        assert re.sub(r"[\s\-]+", "", term.title) in body, modality
        for record in select(review.records, Selection(modality=(modality,), kind=("study",))):
            assert re.sub(r"[\s\-\u00ad]+", "", record.label) in body, (modality, record.key)


def test_epub_is_one_valid_file_with_every_chapter(built, tmp_path):
    output, _ = built
    [epub] = list((output / "epub").iterdir())
    assert epub.suffix == ".epub"
    check_epub(epub, tmp_path / "unpacked")
