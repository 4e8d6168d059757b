# The book's two commands: `make book` and `make test`. Both set everything up first.
# Set-up is incremental: the virtual environment is rebuilt only when the lock changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
UV_VERSION := 0.13.9
# The book's kernel ignores one third-party warning: pandera imports PySpark's pandas API
# whenever PySpark is installed, and PySpark warns that it predates pandas 3. No chapter
# uses that API (chapter 26 uses Spark's own DataFrames), so the warning says nothing
# about the book's code; every other warning is still shown.
KERNEL_WARNINGS := ignore:PySpark does not yet fully support pandas:FutureWarning

# Quieter TensorFlow, no GUI backends, fewer threads fighting over 2 cores.
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: all setup test unit lint format book lab bench bench-scale seeds strip lock clean distclean help student teaching publish wheelhouse pdf browser-test

all: help

help:
	@echo "make book   - set up, execute every notebook and build the HTML book (_build/html)"
	@echo "make test   - set up, lint, and run all tests (unit tests, notebooks, repository checks, book build)"
	@echo "make unit   - the fast unit tests alone (no notebooks, no book build), for the edit-test loop"
	@echo "make browser-test - the site built from the notebooks make test executed, read in headless Chromium"
	@echo "make pdf    - the whole book as one PDF (Chromium prints the single-page build) -> _build/pdf/book.pdf"
	@echo "make lint   - ruff (lint + format check) over src, tests, tools, notebooks; package shape; mypy"
	@echo "make format - apply ruff's formatter and safe fixes"
	@echo "make lab    - open the notebooks in JupyterLab"
	@echo "make bench  - time every notebook in a fresh kernel -> bench/results.md"
	@echo "make bench-scale - chapter 26's engines at 1-50 million rows -> bench/scaling.md"
	@echo "make seeds  - run the deep-learning chapters with seeds 0-4 (all asserts) -> bench/seeds.md"
	@echo "              (NOTEBOOKS='notebooks/20_x.ipynb ...' reruns those and keeps the other rows)"
	@echo "make strip  - remove outputs and execution counts from the notebooks"
	@echo "make student - the student edition: every notebook with its solutions stubbed -> _build/student"
	@echo "make teaching - regenerate book/teaching.md (teacher's guide) from bench/results.json and the notebooks"
	@echo "make publish - put _build/html on the gh-pages branch of PUBLISH_REMOTE (default origin) with ghp-import"
	@echo "make wheelhouse - download every locked wheel once into wheelhouse/, for installing offline (classrooms)"
	@echo "make lock   - re-resolve requirements.lock and environment.yml from pyproject.toml"
	@echo "make clean  - remove build outputs (make distclean also removes .venv)"

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml Makefile
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else f"Python 3.11 or newer is needed, found {sys.version.split()[0]}; set PYTHON=/path/to/python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (dlbigdata)" \
		--env PYTHONWARNINGS "$(KERNEL_WARNINGS)" >/dev/null
	touch $@

# The notebooks nbval executes are kept, outputs and all, in _build/executed (tests/browser/
# capture.py); browser-test builds the site from them without executing anything again.
# browser-test is not yet part of test: its first full run (2026-12-02) failed on glue values
# stored as numpy scalars (see the issue tracker); it joins once it has passed on all chapters.
test: lint
	DLBIGDATA_EXECUTED_DIR=$(CURDIR)/_build/executed $(BIN)/python -m pytest --ignore=tests/browser

browser-test: setup
	$(BIN)/python -m tools.build_site --executed _build/executed --output _build/test-site \
		--builder html --builder singlehtml
	$(BIN)/python -m pytest tests/browser

unit: setup
	$(BIN)/python -m pytest tests -m "not slow and not seed_sweep"

LINTED := src tests tools notebooks

lint: setup
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/python tools/check_package_shape.py src/dlbigdata
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format $(LINTED)
	$(BIN)/ruff check --fix $(LINTED)

# execute_notebooks: cache (_config.yml): a notebook is executed again only when its code
# changed (jupyter-cache in _build/.jupyter_cache); a fresh clone executes them all. A change
# to the package or the lock changes outputs without changing a notebook, so it empties the cache.
JUPYTER_CACHE_STAMP := _build/.jupyter_cache.stamp
$(JUPYTER_CACHE_STAMP): requirements.lock $(shell find src -type f -not -path '*/__pycache__/*' 2>/dev/null)
	rm -rf _build/.jupyter_cache
	mkdir -p _build && touch $@

book: setup $(JUPYTER_CACHE_STAMP)
	$(BIN)/jupyter-book build . --builder html -W -n --keep-going
	$(BIN)/python tools/check_site.py _build/html
	@echo "The book is at file://$(CURDIR)/_build/html/index.html"

# Jupyter refuses to run as root unless told; containers often run as root.
lab: setup
	$(BIN)/jupyter lab notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)

bench: setup
	$(BIN)/python -m tools.benchmark --output-dir bench

bench-scale: setup
	$(BIN)/python -m tools.scaling_bench --output-dir bench

seeds: setup
	$(BIN)/python -m pytest -m seed_sweep -v
	$(BIN)/python -m tools.seedsweep $(NOTEBOOKS) --seeds 0 1 2 3 4 --output-dir bench $(if $(NOTEBOOKS),--merge)

strip: setup
	$(BIN)/nbstripout notebooks/*.ipynb

student: setup
	$(BIN)/python -m tools.student_edition --toc _toc.yml --output-dir _build/student

pdf: setup $(JUPYTER_CACHE_STAMP)
	$(BIN)/python -m tools.make_pdf --executed _build/executed --output _build/pdf/book.pdf

teaching: setup
	$(BIN)/python -m tools.teaching_guide --toc _toc.yml --results bench/results.json --output book/teaching.md

# The built book (make book first) onto gh-pages, .nojekyll included; the branch is replaced.
PUBLISH_REMOTE ?= origin
publish: setup
	$(BIN)/python -m tools.publish --html _build/html --remote $(PUBLISH_REMOTE) --branch gh-pages

# Every locked wheel for this platform, plus the uv that `setup` installs: see tools/wheelhouse.py.
wheelhouse: setup
	$(BIN)/python -m tools.wheelhouse --lock requirements.lock --output-dir wheelhouse --extra uv==$(UV_VERSION)

lock: setup
	$(BIN)/uv pip compile pyproject.toml --all-extras --universal --python-version 3.11 \
		--no-header --annotation-style line -o requirements.lock
	$(BIN)/python tools/sync_environment.py

clean:
	rm -rf _build .pytest_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
