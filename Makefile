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
.PHONY: help install assets run test test-unit test-browser lint format bench clean browser worker cron loadtest

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml .ci/install-system-packages
	@command -v python3 >/dev/null || { echo "python3 (3.11 or newer) is needed"; exit 1; }
	@bash .ci/install-system-packages
	test -d $(VENV) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) assets ## Create the virtualenv and install Python and npm packages

$(ASSETS): package.json accredit/static/scss/app.scss
	@command -v npm >/dev/null || { echo "npm (Node.js 18 or newer) is needed"; exit 1; }
	npm install --no-audit --no-fund --no-package-lock --silent
	rm -rf accredit/static/vendor && mkdir -p accredit/static/vendor/nhsuk
	cp -r $(NHSUK_DIST)/nhsuk-frontend.min.js $(NHSUK_DIST)/nhsuk-frontend.min.js.map \
	      $(NHSUK_DIST)/assets accredit/static/vendor/nhsuk/
	node_modules/.bin/sass --style=compressed --no-source-map --quiet-deps --load-path=node_modules \
	      accredit/static/scss/app.scss $(ASSETS)

assets: $(ASSETS) ## Build the stylesheet from the NHS.UK frontend Sass; copy its JS and images

run: install ## Migrate SQLite, load the demo cohort when empty, print sign-ins, serve with gunicorn on :5000
	@$(VENV)/bin/accredit init --skip-admin
	@$(VENV)/bin/accredit seed-demo --if-empty
	@$(VENV)/bin/accredit snapshot-progress
	$(VENV)/bin/gunicorn --bind $(HOST):$(PORT) --workers 2 --threads 4 --keep-alive 30 --no-control-socket 'wsgi:app'

worker: $(STAMP) ## Run a background worker (needs ACCREDIT_REDIS_URL)
	$(VENV)/bin/accredit worker

cron: $(STAMP) ## Queue the weekly progress snapshot every Monday for the workers (needs ACCREDIT_REDIS_URL)
	$(VENV)/bin/accredit cron

browser: ## Install Debian's chromium for the browser tests (needs root)
	@bash .ci/install-chromium

test: install ## Set up, then run the whole suite (unit, integration, browser)
	@bash .ci/install-chromium || true
	$(PY) -m pytest $(PYTEST_ARGS)

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
	  case $$script in bench/load*.py|bench/locustfile.py) continue;; esac; \
	  echo "== $$script"; $(PY) $$script; done

loadtest: install ## Locust: 50 users on gunicorn for 2 minutes, no failures (LOAD_ARGS="--users 10 --time 20s")
	$(PY) bench/loadtest.py $(LOAD_ARGS)

clean: ## Remove the virtualenv, npm packages and built assets (keeps instance/)
	rm -rf $(VENV) node_modules accredit/static/vendor
