# LPN Portal — `make run` serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint install catalogs secret db demo chromium r screenshots bench clean \
	reliability reliability-short

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

catalogs: install
	PORTAL_TESTING=1 $(FLASK) translate compile

# A random SECRET_KEY, written once into instance/config.py (git-ignored).
secret:
	@mkdir -p instance
	@grep -qs '^SECRET_KEY' instance/config.py || \
	  $(BIN)/python -c "import secrets; print('SECRET_KEY = ' + repr(secrets.token_hex(32)))" >> instance/config.py

db: install secret
	$(FLASK) init-db

demo: db
	$(FLASK) seed-demo --if-empty

# The server and, beside it, the background-job worker (embedded queue: a SQLite file in
# instance/); stopping `make run` (Ctrl-C) stops both.
run: catalogs demo
	@$(FLASK) jobs worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(FLASK) run --host $(HOST) --port $(PORT)

# Debian's Chromium for the end-to-end tests (never a downloaded browser).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: run 'sudo apt-get install chromium'"; fi; }

# Debian's R with httr2: a test runs docs/api.md's R example against a live server.
r:
	@command -v Rscript >/dev/null 2>&1 && Rscript -e 'library(httr2)' >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
	    apt-get install -y -qq --no-install-recommends r-base-core r-cran-httr2 >/dev/null; \
	  else echo "R is missing: run 'sudo apt-get install r-base-core r-cran-httr2'"; fi; }

# COVERAGE=1 adds branch coverage of portal/, printed per file (CI's SQLite run sets it).
COVERAGE_ARGS := $(if $(filter 1,$(COVERAGE)),--cov --cov-branch --cov-report=term:skip-covered)

test: catalogs chromium r
	$(BIN)/python -m pytest $(COVERAGE_ARGS) $(PYTEST_ARGS)

# The checks of pyproject.toml ([tool.ruff], [tool.mypy]); CI runs them before the tests.
lint: install
	$(BIN)/ruff check portal tests benchmarks migrations reliability
	$(BIN)/mypy portal reliability

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis test-artifacts

# README pictures of the network pages: serves fresh demo data, drives Debian's Chromium.
screenshots: catalogs chromium
	$(BIN)/python scripts/screenshots.py --out docs

# The reliability suite of issue #14 (README, Reliability suite): its own gunicorn servers on a
# fresh SQLite file and a fresh PostgreSQL database; exits 1 on any loss, duplicate or 5xx.
reliability: catalogs
	$(BIN)/python -m reliability $(RELIABILITY_ARGS)

reliability-short: catalogs
	$(BIN)/python -m reliability --short $(RELIABILITY_ARGS)
