# Everyday commands. `make help` lists them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
# The suite is split over one worker per core (pytest-xdist), a file to a
# worker; WORKERS=0 runs it in this process.
WORKERS ?= auto
PYTEST := $(PY) -m pytest -n $(WORKERS) --dist loadfile
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help setup run seed test test-fast test-pg lint format migrations-check bench browsers edge clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed ## Create the virtualenv and install everything

run: setup ## Serve the site on SQLite with the seed newsroom (PORT=8000 by default)
	DJANGO_DEBUG=true $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=true $(PY) manage.py seed
	DJANGO_DEBUG=true PORT=$(PORT) $(PY) manage.py demo_editor
	@echo "Serving on http://127.0.0.1:$(PORT)/ (admin at http://127.0.0.1:$(PORT)/admin/)"
	DJANGO_DEBUG=true NEWSDESK_SITE_URL=$${NEWSDESK_SITE_URL:-http://127.0.0.1:$(PORT)} $(PY) manage.py runserver 127.0.0.1:$(PORT)

seed: setup ## Import the seed articles and load the curated newsroom (idempotent)
	DJANGO_DEBUG=true $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=true $(PY) manage.py seed

lint: setup ## ruff lint and format check, and the import contracts (pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: setup ## Apply ruff fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: setup ## Fail when models and migrations are out of step
	DJANGO_DEBUG=true $(PY) manage.py makemigrations --check --dry-run

browsers: ## Make sure Debian's Chromium is there for the browser tests
	@scripts/ensure-chromium

edge: ## Make sure varnishd and its xkey vmod are there for the edge tests
	@scripts/ensure-varnish

test: setup lint migrations-check browsers edge ## Lint (imports too), check migrations, run the whole suite (SQLite unless DATABASE_URL is set)
	DJANGO_DEBUG=true $(PY) manage.py check --fail-level WARNING
	$(PYTEST) $(PYTEST_ARGS)

test-fast: setup ## The suite without the browser tests
	$(PYTEST) -m "not browser" $(PYTEST_ARGS)

test-pg: setup browsers edge ## The whole suite on PostgreSQL ($(PG_URL))
	DATABASE_URL=$(PG_URL) $(PYTEST) $(PYTEST_ARGS)

bench: setup ## Benchmark against a bare baseline (see bench/README.md)
	$(PY) -m bench.run

clean: ## Remove the virtualenv, caches and the local database
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis staticfiles db.sqlite3*
