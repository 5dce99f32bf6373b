# Chancery: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The pure modules: no Django (pyproject.toml's import contract "pure" lists the same ones,
# chancery/core/tests/test_layers.py keeps the two lists alike), mypy --strict.
PURE_MODULES := chancery/draws/lottery.py chancery/allocation/matching.py chancery/mun/rules.py \
	chancery/mun/presets.py chancery/directory/names.py chancery/programmes/eligibility.py chancery/programmes/lifecycle.py chancery/programmes/periods.py \
	chancery/programmes/charts.py chancery/core/messages.py chancery/selection/assignment.py

# Django 6 needs Python 3.12 or newer; the machine's python3 may be older.
PYTHON ?= $(shell for c in python3.14 python3.13 python3.12 python3 \
	$$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] 2>/dev/null | sort -rV); do \
	if "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo "$$c"; break; fi; done)

.PHONY: run test lint typecheck pytest screenshots bench bench-packages runtime-packages browser-packages locale clean

$(VENV)/.base: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Chancery needs Python 3.12 or newer (Django 6). Install it, or run: make PYTHON=/path/to/python3.12 ..." >&2; exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.test: $(VENV)/.base
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

locale: $(VENV)/.base runtime-packages
	@if ls locale/*/LC_MESSAGES/django.po >/dev/null 2>&1; then $(PY) -m chancery compilemessages --ignore=.venv -v0; fi

run: $(VENV)/.base runtime-packages locale
	$(PY) -m chancery migrate --noinput -v0
	@DEBUG=on $(PY) -m chancery demo
	@echo ""
	@echo "Chancery is at http://$(HOST):$(PORT)/  (sign in as officer / chancery-demo; every demo login is listed above)"
	@echo "Background jobs (big imports, exports, certificates, allocation runs, e-mail) run in a worker started alongside; it stops with the server."
	@echo "E-mail is not sent while DEBUG is on: every message the worker delivers is written to var/mail/ instead."
	@DEBUG=on $(PY) -m chancery db_worker --no-reload -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	DEBUG=on $(PY) -m chancery runserver $(HOST):$(PORT)

# Debian packages: gettext (catalogues) and DejaVu (Cyrillic in PDFs) to run;
# Chromium and its driver for the browser tests. Installed only when missing.
APT_INSTALL = SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq

runtime-packages:
	@if ! command -v msgfmt >/dev/null || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
		$(APT_INSTALL) gettext fonts-dejavu-core >/dev/null; fi

browser-packages:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		$(APT_INSTALL) chromium chromium-driver >/dev/null; fi

lint: $(VENV)/.test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports  # the apps' layers, no Django in the pure modules (pyproject.toml)
	$(PY) -m chancery makemigrations --check --dry-run -v1

# mypy with its Django and pydantic plugins (pyproject.toml): the whole package, then the pure
# modules again with --strict (the modules they import are silent in that second run).
typecheck: $(VENV)/.test
	$(VENV)/bin/mypy chancery
	$(VENV)/bin/mypy --strict --follow-imports=silent $(PURE_MODULES)

pytest: $(VENV)/.test runtime-packages browser-packages locale
	$(PY) -m pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# Every role's main pages in three languages, phone and desktop, and the projector, as PNG
# files with an index.html, into var/screenshots/ (or SHOTS=<folder>).
SHOTS ?= var/screenshots
screenshots: $(VENV)/.test runtime-packages browser-packages locale
	CHANCERY_SHOTS=$(SHOTS) $(PY) -m pytest -m screenshots tests/e2e/test_screenshots.py
	@echo "Screenshots: $(SHOTS)/index.html"

$(VENV)/.bench: $(VENV)/.test
	$(PY) -m pip install --quiet -e '.[test,bench]'
	@touch $@

# wrk, the load generator of bench/bench_web.py; installed only when missing.
bench-packages:
	@if ! command -v wrk >/dev/null; then $(APT_INSTALL) wrk >/dev/null; fi

bench: $(VENV)/.bench bench-packages
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/static
