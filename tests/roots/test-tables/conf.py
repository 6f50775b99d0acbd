import os

extensions = ["myst_parser", "sphinxcontrib.bibtex", "medsynth.sphinxext"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
review_bibfile = "refs.bib"
review_vocabulary = os.environ["MEDSYNTH_TEST_VOCABULARY"]
bibtex_bibfiles = ["refs.bib"]
bibtex_reference_style = "author_year"
