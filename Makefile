# metodservice — the newcomer's commands.
#
#   make run     create .venv if needed, install the pinned requirements, migrate, load the demo college,
#                print the demo accounts and serve on http://127.0.0.1:8000
#   make test    the whole test suite (SQLite; PostgreSQL when DATABASE_URL is set); extra args: PYTEST_ARGS="-k x"
#   make test-dates  the tests marked `dated` (not the browser ones) with today set to each of TEST_DATES in turn
#   make lint    ruff check + ruff format --check
#   make messages            update locale/ru/LC_MESSAGES/django.po from the code and compile django.mo
#   make check-translations  fail on untranslated or fuzzy entries, msgids missing from the .po, a stale .mo
#
# The venv is made with Python >= 3.12: $(PYTHON) if given, else pyenv's version from .python-version,
# else python3.12, else python3.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PIP_VERSION := 26.3
LOCK := requirements.lock
BUILD_CONSTRAINTS := build-constraints.txt
STAMP := $(VENV)/.requirements-installed
HOST := 127.0.0.1
PORT := 8000
PYTEST_ARGS ?=
# pytest-xdist workers for `make test` (each with its own test database); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
PYTHON ?=
# Keep in step with IGNORE in scripts/check_translations.py.
MAKEMESSAGES_FLAGS := -l ru --no-obsolete --add-location=file \
	'--ignore=tests/*' '--ignore=bench/*' '--ignore=staticfiles/*' '--ignore=media/*' '--ignore=node_modules/*'

.PHONY: help venv run test test-dates lint messages check-translations

help:
	@sed -n '3,9p' Makefile | sed 's/^# \{0,1\}//'

# Finds a Python >= 3.12 to build the venv with, or explains what is missing.
define find_python
	if [ -n "$(PYTHON)" ]; then candidate="$(PYTHON)"; \
	else \
	  candidate=""; \
	  if [ -f .python-version ]; then \
	    want="$$(head -n1 .python-version | tr -d '[:space:]')"; \
	    if command -v pyenv >/dev/null 2>&1; then root="$$(pyenv root)"; else root="$${PYENV_ROOT:-$$HOME/.pyenv}"; fi; \
	    if [ -x "$$root/versions/$$want/bin/python3" ]; then candidate="$$root/versions/$$want/bin/python3"; fi; \
	  fi; \
	  if [ -z "$$candidate" ]; then \
	    if command -v python3.12 >/dev/null 2>&1 && python3.12 -c '' >/dev/null 2>&1; then candidate=python3.12; \
	    else candidate=python3; fi; \
	  fi; \
	fi; \
	if ! command -v "$$candidate" >/dev/null 2>&1; then \
	  echo "make: no Python found ($$candidate). Install Python 3.12 or newer, or run: make PYTHON=/path/to/python3.12 ..." >&2; \
	  exit 1; \
	fi; \
	if ! "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	  echo "make: $$candidate is Python $$("$$candidate" -c 'import platform; print(platform.python_version())'); metodservice needs Python 3.12 or newer." >&2; \
	  echo "      Install Python 3.12 or newer (with pyenv: pyenv install 3.12) or run: make PYTHON=/path/to/python3.12 ..." >&2; \
	  exit 1; \
	fi
endef

# The venv, with the pinned requirements installed again only when the lock or the build constraints change.
venv:
	@if [ ! -x $(PY) ]; then \
	  $(find_python); \
	  echo "==> creating $(VENV) with $$candidate ($$("$$candidate" -c 'import platform; print(platform.python_version())'))"; \
	  "$$candidate" -m venv $(VENV); \
	fi
	@if ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	  echo "make: $(VENV) was made with Python $$($(PY) -c 'import platform; print(platform.python_version())'); 3.12 or newer is needed. Remove it (rm -rf $(VENV)) and run make again." >&2; \
	  exit 1; \
	fi
	@want="$$(cat $(LOCK) $(BUILD_CONSTRAINTS) | sha256sum | cut -d' ' -f1) pip==$(PIP_VERSION)"; \
	if [ "$$(cat $(STAMP) 2>/dev/null)" != "$$want" ]; then \
	  if [ "$$($(PY) -m pip --version 2>/dev/null | cut -d' ' -f2)" != "$(PIP_VERSION)" ]; then \
	    echo "==> pip $(PIP_VERSION)"; \
	    $(PY) -m pip install --quiet --disable-pip-version-check "pip==$(PIP_VERSION)"; \
	  fi; \
	  echo "==> installing $(LOCK)"; \
	  $(PY) -m pip install --quiet --disable-pip-version-check --build-constraint $(BUILD_CONSTRAINTS) -r $(LOCK); \
	  echo "$$want" > $(STAMP); \
	fi

# A database that already holds other data makes seed_demo refuse; the server then starts on that data as it is.
run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo || echo "make run: no demo data loaded (see the message above); serving the database as it is."
	$(PY) manage.py runserver $(HOST):$(PORT)

# pytest's exit code 5 means "no tests collected": for this project that is a failure, as any non-zero code is.
test: venv
	@if [ -n "$${DATABASE_URL:-}" ]; then echo "==> pytest on DATABASE_URL ($${DATABASE_URL%%:*})"; else echo "==> pytest on SQLite"; fi
	@rc=0; $(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests — that is a failure here." >&2; fi; \
	exit $$rc

# The tests run on a fixed day (tests/conftest.py) unless METOD_TEST_TODAY names another. These are the days where
# date arithmetic breaks: the last and the first day of an academic year, the last Monday of a month, New Year's
# Eve, 29 February and a Sunday. One pytest run per day; every day runs, and the days that failed are named.
TEST_DATES := 2026-08-31 2026-09-01 2026-11-30 2026-12-31 2028-02-29 2026-10-18
test-dates: venv
	@failed=""; \
	for day in $(TEST_DATES); do \
	  echo "==> the dated tests with today = $$day"; \
	  rc=0; METOD_TEST_TODAY=$$day $(VENV)/bin/pytest -q -p no:cacheprovider -m "dated and not browser" \
	    --ignore=tests/browser $(PYTEST_ARGS) || rc=$$?; \
	  if [ $$rc -ne 0 ]; then \
	    echo "make test-dates: the dated tests fail with today = $$day (pytest exit $$rc)" >&2; failed="$$failed $$day"; \
	  fi; \
	done; \
	if [ -n "$$failed" ]; then echo "make test-dates: failed with today =$$failed" >&2; exit 1; fi

lint: venv
	@rc=0; \
	$(VENV)/bin/ruff check . || rc=1; \
	$(VENV)/bin/ruff format --check --output-format concise . || rc=1; \
	exit $$rc

messages: venv
	$(PY) manage.py makemessages $(MAKEMESSAGES_FLAGS)
	$(PY) manage.py compilemessages -l ru --ignore=$(VENV) --ignore=node_modules
	@echo "Now translate the empty and fuzzy entries in locale/ru/LC_MESSAGES/django.po and run make messages again."

check-translations: venv
	$(PY) scripts/check_translations.py
