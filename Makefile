# accredit: `make run` serves the demo, `make test` runs the whole suite. `make help` lists all.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
ASSETS := accredit/static/vendor/app.css
NHSUK_DIST := node_modules/nhsuk-frontend/dist/nhsuk
HOST ?= 127.0.0.1
PORT ?= 5000
export ACCREDIT_BASE_URL ?= http://$(HOST):$(PORT)

.DEFAULT_GOAL := help
.PHONY: help install assets run test test-quick test-unit test-browser lint format bench clean browser worker cron loadtest

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# Set-up steps print one line each; what their tools say goes to a temporary log that is shown
# only when a step fails (pip's warnings about its own configuration buried the demo sign-ins).
# `@$(QUIET); run a command; run another` in a recipe.
QUIET = log=$$(mktemp); trap 'rm -f "$$log"' EXIT; run() { "$$@" >>"$$log" 2>&1 || \
	{ status=$$?; cat "$$log"; echo "Failed ($$status): $$*"; exit $$status; }; }
PIP_QUIET := --quiet --disable-pip-version-check --no-input

$(STAMP): pyproject.toml .ci/install-system-packages
	@command -v python3 >/dev/null || { echo "python3 (3.11 or newer) is needed"; exit 1; }
	@bash .ci/install-system-packages
	@echo "Installing the Python packages into $(VENV)"
	@$(QUIET); test -d $(VENV) || run python3 -m venv $(VENV); \
	run $(PIP) install $(PIP_QUIET) --upgrade pip; \
	run $(PIP) install $(PIP_QUIET) -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) assets ## Create the virtualenv and install Python and npm packages

$(ASSETS): package.json accredit/static/scss/app.scss
	@command -v npm >/dev/null || { echo "npm (Node.js 18 or newer) is needed"; exit 1; }
	@echo "Installing the NHS.UK frontend from npm and building the stylesheet"
	@$(QUIET); run npm install --no-audit --no-fund --no-package-lock --silent; \
	run rm -rf accredit/static/vendor; \
	run mkdir -p accredit/static/vendor/nhsuk; \
	run cp -r $(NHSUK_DIST)/nhsuk-frontend.min.js $(NHSUK_DIST)/nhsuk-frontend.min.js.map \
	      $(NHSUK_DIST)/assets accredit/static/vendor/nhsuk/; \
	run node_modules/.bin/sass --style=compressed --no-source-map --quiet-deps \
	      --load-path=node_modules accredit/static/scss/app.scss $(ASSETS)

assets: $(ASSETS) ## Build the stylesheet from the NHS.UK frontend Sass; copy its JS and images

# Logs as text in a terminal (production's default is JSON); ACCREDIT_LOG_FORMAT=json still wins.
run: export ACCREDIT_LOG_FORMAT ?= text
run: install ## Migrate SQLite, load the demo cohort when empty, serve on :5000, then print sign-ins
	@echo "Preparing the database: migrations, reference data, standards, the demo cohort"
	@$(QUIET); run $(VENV)/bin/accredit init --skip-admin; \
	run $(VENV)/bin/accredit seed-demo --if-empty; \
	run $(VENV)/bin/accredit snapshot-progress
	@echo "Starting gunicorn: the demo sign-ins follow once it is ready"
	@$(VENV)/bin/gunicorn --config python:accredit.cli.demo_server --bind $(HOST):$(PORT) --workers 2 \
	  --threads 4 --keep-alive 30 --no-control-socket 'wsgi:app'

worker: $(STAMP) ## Run a background worker (needs ACCREDIT_REDIS_URL)
	$(VENV)/bin/accredit worker

cron: $(STAMP) ## Queue the weekly progress snapshot every Monday for the workers (needs ACCREDIT_REDIS_URL)
	$(VENV)/bin/accredit cron

browser: ## Install Debian's chromium for the browser tests (needs root)
	@bash .ci/install-chromium

# Tests run in parallel (pytest-xdist, TEST_WORKERS processes): unit and integration first,
# each worker with its own SQLite files and its own PostgreSQL database (test_gw0, ...); then
# the browser tests, each worker with its own live server, database and Chromium (much of
# their time is spent waiting for real timers, which overlap). The wall time is printed last.
TEST_WORKERS ?= 2
test: install ## Set up, then run the whole suite (unit, integration, browser)
	@bash .ci/install-chromium || true
	@start=$$(date +%s); status=0; \
	$(PY) -m pytest -n $(TEST_WORKERS) tests/unit tests/meta tests/integration $(PYTEST_ARGS) || status=$$?; \
	$(PY) -m pytest -n $(TEST_WORKERS) tests/browser $(PYTEST_ARGS) || status=$$?; \
	echo "make test: $$(( $$(date +%s) - start )) s wall time (exit $$status)"; exit $$status

test-quick: $(STAMP) ## Unit and SQLite integration tests, in parallel (no PostgreSQL, no browser)
	@start=$$(date +%s); status=0; \
	env -u ACCREDIT_TEST_POSTGRES_URL $(PY) -m pytest -n $(TEST_WORKERS) -q tests/unit tests/meta tests/integration $(PYTEST_ARGS) || status=$$?; \
	echo "make test-quick: $$(( $$(date +%s) - start )) s wall time (exit $$status)"; exit $$status

test-unit: $(STAMP) ## Only the pure unit tests
	$(PY) -m pytest tests/unit tests/meta -q

lint: $(STAMP) ## ruff (lint and format check) and mypy
	$(VENV)/bin/ruff check accredit tests bench wsgi.py
	$(VENV)/bin/ruff format --check accredit tests bench wsgi.py
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: $(STAMP) ## Reformat the code with ruff
	$(VENV)/bin/ruff format accredit tests bench wsgi.py
	$(VENV)/bin/ruff check --fix accredit tests bench wsgi.py

bench: install ## Run every benchmark and check its targets
	@set -e; for script in bench/*.py; do \
	  case $$script in bench/load*.py|bench/cohort_zip.py|bench/evidence_files.py|bench/locustfile.py|bench/common.py|bench/floors.py|bench/fresh_worker.py|bench/dashboard_varied.py) continue;; esac; \
	  echo "== $$script"; $(PY) $$script; done

loadtest: install ## Locust: 50 users on gunicorn for 2 minutes, no failures (LOAD_ARGS="--users 10 --time 20s")
	$(PY) bench/loadtest.py $(LOAD_ARGS)

clean: ## Remove the virtualenv, npm packages and built assets (keeps instance/)
	rm -rf $(VENV) node_modules accredit/static/vendor
