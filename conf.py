"""Sphinx configuration of the review site. Build with ``sphinx-build -c . docs _build/html``."""

import datetime
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "scripts"))

project = "Generative Models for Medical Data Synthesis: a living review"
author = "The medsynth review contributors"
copyright = f"{datetime.date.today().year}, {author}"


def _revision() -> str:
    """The commit the site was built from, for the build stamp: Read the Docs names it in its
    environment; elsewhere git does (``--always`` gives the short hash in a shallow clone too)."""
    commit = os.environ.get("READTHEDOCS_GIT_COMMIT_HASH", "")[:12]
    if commit:
        return commit
    try:
        return subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True,
                              cwd=os.path.dirname(os.path.abspath(__file__)), check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


release = version = _revision()

# Read the Docs names the canonical address of the version being built; links in the sitemap and
# the pages' canonical tags use it. Everything else is the same as a local build.
html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL", "")

extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "medsynth.sphinxext",
]

# Only the MyST pages under docs/ are sources; nothing else in the repository is parsed.
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", ".venv", "**/.ipynb_checkpoints", "README.md"]
root_doc = "index"

review_bibfile = "bib/review.bib"

# Prose citations go through sphinxcontrib-bibtex; it is handed only the entries the pages cite,
# copied at the start of each build into this file (tables and references come from the bib).
review_cited_bibfile = "_build/.medsynth/cited.bib"
bibtex_bibfiles = [review_cited_bibfile]
bibtex_reference_style = "author_year"
bibtex_default_style = "plain"

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "sphinx_book_theme"
html_title = "Medical data synthesis review"
html_static_path = ["docs/_static"]
html_css_files = ["review.css"]
html_last_updated_fmt = ""
html_theme_options = {
    "show_toc_level": 2,
    # The download button offers each page's source, which this site does not publish (the
    # pages are directives; the data are offered as downloads on every table).
    "use_download_button": False,
}
html_copy_source = False
html_show_sourcelink = False

epub_basename = "medsynth-review"
epub_show_urls = "no"

latex_engine = "xelatex"

# The PDF: A4, tables in a small font so that seven columns fit; the release (the commit) and
# the build date stand on the title page.
latex_documents = [("index", "medsynth-review.tex", project, author, "manual")]
latex_show_urls = "no"
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "extraclassoptions": "openany,oneside",
    "preamble": r"""
\usepackage{etoolbox}
\usepackage{array}
\AtBeginEnvironment{longtable}{\scriptsize\setlength{\tabcolsep}{3pt}%
  \renewcommand{\sphinxAtStartPar}{\raggedright\arraybackslash\leavevmode}}
""",
}
