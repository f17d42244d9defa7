# Pantau Kinerja. Two commands matter: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8080
export PORT

.PHONY: run run-gsheets demo weekly test lint format bench links clean help deploy
DEPLOY_ENV ?= deploy.env

help:
	@echo "make run    - set up and serve the whole system on http://127.0.0.1:$(PORT) (demo city on an empty store)"
	@echo "make test   - lint and run the whole test suite (browser tests need Debian's chromium)"
	@echo "make run-gsheets - the same on the Google Sheets store, against the Sheets API test server (port 8090)"
	@echo "make demo   - seed the demo city only"
	@echo "make weekly - the weekly run: scores, warnings, training suggestions"
	@echo "make lint   - ruff (lint, format check) and mypy"
	@echo "make bench  - benchmarks; figures written to docs/benchmarks.md"
	@echo "make deploy - deploy to Google Cloud (DRY_RUN=1 prints the gcloud commands only); see README, Deploy"

$(VENV)/.runtime: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "Cannot create a virtual environment: on Debian/Ubuntu run 'sudo apt-get install python3-venv'"; exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

run: $(VENV)/.runtime
	$(PY) -m functions serve

run-gsheets: $(VENV)/.dev
	$(PY) -m tests.sheets_server.system

demo: $(VENV)/.runtime
	$(PY) -m functions demo

weekly: $(VENV)/.runtime
	$(PY) -m functions score
	$(PY) -m functions send

links: $(VENV)/.runtime
	$(PY) -m functions links

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: $(VENV)/.dev lint
	@test -x /usr/bin/chromium || echo "NOTE: browser tests are skipped: Chromium is missing. Install it with 'sudo apt-get install chromium'."
	$(PY) -m pytest -q

bench: $(VENV)/.dev
	$(PY) -m benchmarks.run

deploy: $(VENV)/.runtime
	$(PY) -m functions.tools.deploy $(if $(DRY_RUN),--dry-run) --env-file $(DEPLOY_ENV)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
