# The review's commands. `make html` and `make test` work on a fresh clone: the first call
# creates .venv and installs the package with its dependencies.

PYTHON      ?= python3
VENV        ?= .venv
BIN         := $(VENV)/bin
SPHINXBUILD := $(BIN)/sphinx-build
SPHINXOPTS  ?= -W --keep-going -n
BUILDDIR    ?= _build

.PHONY: help venv lint fmt html pdf test test-incremental bench serve clean

help:
	@echo "make html   build the site into $(BUILDDIR)/html (lints the bib first)"
	@echo "make test   run the test suite"
	@echo "make test-incremental  200 seeded random edits, each build compared with a clean build"
	@echo "make pdf    build the PDF into $(BUILDDIR)/latex (needs latexmk and xelatex)"
	@echo "make serve  live preview on http://127.0.0.1:8000, rebuilt on edits to docs/ and bib/"
	@echo "make bench  benchmark builds at 1,000 / 5,000 / 20,000 entries (writes benchmarks/results/)"
	@echo "make lint   check bib/review.bib (lint and canonical format)"
	@echo "make fmt    rewrite bib/review.bib in its canonical form"
	@echo "make clean  remove build output"

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

venv: $(VENV)/.installed

lint: venv
	$(BIN)/medsynth lint bib/review.bib
	$(BIN)/medsynth fmt --check bib/review.bib

fmt: venv
	$(BIN)/medsynth fmt bib/review.bib

html: lint
	$(SPHINXBUILD) -b html $(SPHINXOPTS) -c . docs $(BUILDDIR)/html
	@echo "The site is in $(BUILDDIR)/html/index.html"

pdf: lint
	@command -v latexmk >/dev/null && command -v xelatex >/dev/null || { \
	  echo "make pdf needs LaTeX. On Debian or Ubuntu install it with:"; \
	  echo "  sudo apt-get install latexmk texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended texlive-xetex tex-gyre fonts-freefont-otf"; \
	  exit 1; }
	$(SPHINXBUILD) -M latexpdf docs $(BUILDDIR) -c . $(SPHINXOPTS)
	@echo "The PDF is $(BUILDDIR)/latex/medsynth-review.pdf"

serve: venv
	$(BIN)/python -m pip install --quiet -e '.[serve]'
	$(BIN)/sphinx-autobuild -c . docs $(BUILDDIR)/html --watch bib --watch scripts/medsynth --port 8000

bench: venv
	$(BIN)/python -m medsynth.bench

test: venv
	$(BIN)/python -m pytest -q -rs

# The long run of the differential test: MEDSYNTH_INCREMENTAL_SEED picks another sequence.
test-incremental: venv
	MEDSYNTH_INCREMENTAL_STEPS=$${MEDSYNTH_INCREMENTAL_STEPS:-200} $(BIN)/python -m pytest -q -rs tests/test_incremental.py

clean:
	rm -rf $(BUILDDIR)
