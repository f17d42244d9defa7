# Pantau Kinerja. Two commands matter: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8080
export PORT

.PHONY: run run-gsheets demo weekly test lint format bench links clean help deploy
DEPLOY_ENV ?= deploy.env

help:
	@echo "make run    - siapkan dan jalankan seluruh sistem di http://127.0.0.1:$(PORT) (kota demo bila penyimpanan kosong)"
	@echo "make test   - lint dan seluruh pengujian (pengujian peramban perlu chromium dari Debian)"
	@echo "make run-gsheets - sama, dengan penyimpanan Google Sheets pada server uji Sheets API (port 8090)"
	@echo "make demo   - buat kota demo saja"
	@echo "make weekly - proses mingguan: skor, peringatan, saran pelatihan, email"
	@echo "make lint   - ruff (lint, cek format) dan mypy"
	@echo "make bench  - tolok ukur; angkanya ditulis ke docs/benchmarks.md"
	@echo "make deploy - deploy ke Google Cloud (DRY_RUN=1 hanya mencetak perintah gcloud); lihat README, Deploy"

$(VENV)/.runtime: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Perlu Python 3.11 atau lebih baru")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "Lingkungan virtual tidak dapat dibuat: di Debian/Ubuntu jalankan 'sudo apt-get install python3-venv'"; exit 1; }
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
	@test -x /usr/bin/chromium || echo "CATATAN: pengujian peramban dilewati karena Chromium tidak ada. Pasang dengan 'sudo apt-get install chromium'."
	$(PY) -m pytest -q

bench: $(VENV)/.dev
	$(PY) -m benchmarks.run

deploy: $(VENV)/.runtime
	$(PY) -m functions.tools.deploy $(if $(DRY_RUN),--dry-run) --env-file $(DEPLOY_ENV)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
