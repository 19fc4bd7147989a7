# These commands do all the set-up on a fresh machine with Python 3.11:
#   make reports   create .venv, install the project, render every notebook into reports/
#   make test      the everyday check (under 3 minutes on 2 cores): create .venv, install the
#                  dev extras, run ruff, the layer contract, mypy, the doctests and every test
#                  not marked slow, on all cores (pytest-xdist)
#   make test-all  the whole suite, as CI runs it: make test's checks, then every test (slow,
#                  install and browser ones included) and nbval of the committed notebooks
#   make dist      sdist and wheel into dist/, checked by twine
#   make docs      the documentation site (Sphinx) into docs/_build/html, warnings as errors
#   make coverage  the coverage study of the concentration intervals (benchmarks/results/)
#   make screenshots  the README's pictures (docs/images) from the site make reports rendered
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KERNEL := python3
NBVAL := --nbval --nbval-kernel-name $(KERNEL) --nbval-sanitize-with tests/nbval_sanitize.cfg

# The README's two pictures, from the site make reports rendered (headless Chromium).
SHOTS := .screenshots
.PHONY: screenshots reports test test-all doctest unit nbval lint format notebooks panel benchmarks coverage clean explore lab dist docs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

SCENARIOS := $(wildcard data/scenarios/*.yaml)
JOBS ?= 2
# pytest-xdist workers of `make test` (auto: one per core); each test file runs in one worker,
# so a module's fixtures are built once.
TEST_JOBS ?= auto

reports: $(VENV)/.installed
	$(BIN)/influence-kit render $(addprefix --scenario ,$(SCENARIOS)) --jobs $(JOBS) --output-dir reports

# The explorer as a web app (Voila) on 127.0.0.1; Ctrl-C stops it.
explore: $(VENV)/.installed
	$(BIN)/influence-kit explore

# JupyterLab in the project's environment, on the notebooks (kernel and widgets included).
# Jupyter refuses to start as root unless told: --allow-root only when running as root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
lab: $(VENV)/.installed
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT)

# The source distribution and the wheel in dist/ (replacing what was there), then twine's
# check of their metadata and README rendering.
dist: $(VENV)/.installed-dev
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*

# The documentation site, offline: notebooks shown with their committed outputs (not re-run), the
# CLI reference and the scenario schema generated from the code; any warning fails the build.
docs: $(VENV)/.installed-dev
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html

test: lint doctest
	$(BIN)/python -m pytest tests -m "not slow" -n $(TEST_JOBS) --dist loadfile -p no:cacheprovider --durations=10

# The tests on every core (each file in one worker, as in make test), then nbval of the
# committed notebooks.
test-all: lint doctest
	$(BIN)/python -m pytest tests -n $(TEST_JOBS) --dist loadfile -p no:cacheprovider --durations=15
	$(BIN)/python -m pytest notebooks $(NBVAL) -p no:cacheprovider

doctest: $(VENV)/.installed-dev
	$(BIN)/python -m pytest influence_kit --doctest-modules --ignore=influence_kit/resources -q -p no:cacheprovider

unit: $(VENV)/.installed-dev
	$(BIN)/python -m pytest tests

nbval: $(VENV)/.installed-dev
	$(BIN)/python -m pytest notebooks $(NBVAL)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Notebooks are edited as text (notebooks/*.py, jupytext percent format): bring the .ipynb
# inputs in step with them, then re-execute the committed notebooks in place.
notebooks: $(VENV)/.installed-dev
	$(BIN)/python -m jupytext --update --to ipynb notebooks/*.py
	$(BIN)/python -c "import sys; from influence_kit.render import refresh_notebook; [refresh_notebook(p) for p in sys.argv[1:]]" notebooks/*.ipynb

# Regenerate the shipped synthetic panel (byte-identical for the same seed).
panel: $(VENV)/.installed
	$(BIN)/influence-kit simulate --n 100000 --seed 20100420 --out data/population/forrester-us-2009-panel.parquet

benchmarks: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run_all.py

# The coverage study of the concentration intervals (seeded; about 15 minutes on 2 cores):
# rewrites benchmarks/results/coverage.md and coverage.csv.
coverage: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/coverage.py --jobs $(JOBS)

screenshots: $(VENV)/.installed-dev
	$(BIN)/python scripts/site_screenshots.py reports $(SHOTS) --report forrester-us-2009/01-headline-impressions
	cp $(SHOTS)/index-1280.png docs/images/index.png
	cp $(SHOTS)/forrester-us-2009--01-headline-impressions-1280.png docs/images/report.png
	rm -rf $(SHOTS)

clean:
	rm -rf $(VENV) reports/*/ reports/index.html .pytest_cache .ruff_cache build dist docs/_build
