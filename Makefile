# metodservice — the newcomer's commands.
#
#   make run     create .venv if needed, install the runtime lock (requirements.lock), migrate, load the demo
#                college, print the demo accounts and serve on http://127.0.0.1:8000 (another port: PORT=8080)
#   make test    the whole test suite (SQLite; PostgreSQL when DATABASE_URL is set); extra args: PYTEST_ARGS="-k x"
#   make test-dates  the tests marked `dated` (not the browser ones) with today set to each of TEST_DATES, all at once
#   make lint    ruff check + ruff format --check + the import layers (lint-imports) + types (mypy)
#   make messages            update locale/ru/LC_MESSAGES/django.po from the code and compile django.mo
#   make check-translations  fail on untranslated or fuzzy entries, msgids missing from the .po, a stale .mo
#   make lock    write requirements.lock and requirements-dev.lock again from pyproject.toml (after a change there)
#   make upgrade PACKAGE=name    move one package (and only what it needs) to its newest release in both locks
#   make bench   the performance benchmark on PostgreSQL (BENCH_PG, BENCH_ARGS="--reuse"; bench/README.md)
#
# The venv is made with Python >= 3.12: $(PYTHON) if given, else pyenv's version from .python-version,
# else python3.12, else python3.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PIP_VERSION := 26.3
# The runtime set (production, `make run`) and the runtime + development set (tests, linters, CI, `make lock`); both
# written by `make lock` from pyproject.toml, with hashes; the dev lock pins the runtime packages as the runtime lock.
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
BUILD_CONSTRAINTS := build-constraints.txt
# What is installed: the locks' checksum, pip's version and which set; a lock that changes installs again.
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

.PHONY: help venv venv-dev run test test-dates lint messages check-translations lock upgrade bench

help:
	@sed -n '3,12p' Makefile | sed 's/^# \{0,1\}//'

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

# Creates the venv if it is missing and checks its Python.
define make_venv
	if [ ! -x $(PY) ]; then \
	  $(find_python); \
	  echo "==> creating $(VENV) with $$candidate ($$("$$candidate" -c 'import platform; print(platform.python_version())'))"; \
	  "$$candidate" -m venv $(VENV); \
	fi; \
	if ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	  echo "make: $(VENV) was made with Python $$($(PY) -c 'import platform; print(platform.python_version())'); 3.12 or newer is needed. Remove it (rm -rf $(VENV)) and run make again." >&2; \
	  exit 1; \
	fi
endef

# Installs the lock $(1) exactly: pip $(PIP_VERSION), then every package at its pinned version, checked against the lock's
# hashes, without resolving anything (--no-deps: the lock is complete); then removes what neither lock names (a
# package dropped from pyproject.toml). Development tools stay when the runtime lock is installed over the dev one.
define install_lock
	if [ "$$($(PY) -m pip --version 2>/dev/null | cut -d' ' -f2)" != "$(PIP_VERSION)" ]; then \
	  echo "==> pip $(PIP_VERSION)"; \
	  $(PY) -m pip install --quiet --disable-pip-version-check "pip==$(PIP_VERSION)"; \
	fi; \
	echo "==> installing $(1)"; \
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
	  --build-constraint $(BUILD_CONSTRAINTS) -r $(1); \
	normalize() { tr 'A-Z_.' 'a-z--' | sort -u; }; \
	stray="$$(comm -23 \
	  <($(PY) -m pip list --disable-pip-version-check --format=freeze --exclude pip | cut -d= -f1 | normalize) \
	  <(cat $(LOCK) $(DEV_LOCK) | grep -E '^[A-Za-z0-9]' | cut -d= -f1 | normalize))"; \
	if [ -n "$$stray" ]; then \
	  echo "==> removing what no lock names:" $$stray; \
	  $(PY) -m pip uninstall --quiet --disable-pip-version-check --yes $$stray; \
	fi
endef

# The venv with the runtime set (requirements.lock), installed again only when a lock or the build constraints
# change. A venv that holds the current dev set already has it, and keeps it.
venv:
	@$(make_venv)
	@runtime="$$(cat $(LOCK) $(BUILD_CONSTRAINTS) | sha256sum | cut -d' ' -f1) pip==$(PIP_VERSION)"; \
	dev="$$(cat $(LOCK) $(DEV_LOCK) $(BUILD_CONSTRAINTS) | sha256sum | cut -d' ' -f1) pip==$(PIP_VERSION) dev"; \
	have="$$(cat $(STAMP) 2>/dev/null || true)"; \
	if [ "$$have" != "$$runtime" ] && [ "$$have" != "$$dev" ]; then \
	  rm -f $(STAMP); \
	  $(call install_lock,$(LOCK)); \
	  echo "$$runtime" > $(STAMP); \
	fi

# The venv with the runtime and the development set (requirements-dev.lock): tests, linters, CI, the lock tool.
venv-dev:
	@$(make_venv)
	@dev="$$(cat $(LOCK) $(DEV_LOCK) $(BUILD_CONSTRAINTS) | sha256sum | cut -d' ' -f1) pip==$(PIP_VERSION) dev"; \
	if [ "$$(cat $(STAMP) 2>/dev/null || true)" != "$$dev" ]; then \
	  rm -f $(STAMP); \
	  $(call install_lock,$(DEV_LOCK)); \
	  echo "$$dev" > $(STAMP); \
	fi

# The locks, from pyproject.toml, by uv (from the dev set): universal (any OS, CPython 3.12 and newer), every
# distribution's sha256, the versions already in a lock kept unless pyproject.toml asks otherwise or UV_ARGS
# (e.g. --upgrade-package NAME, --upgrade) says so. The dev lock is constrained by the runtime lock, so the two
# agree on every runtime package. uv reads no pip.conf: the locks name PyPI's files, never a local index.
UV_ARGS ?=
UV_COMPILE = UV_PYTHON_DOWNLOADS=never $(VENV)/bin/uv pip compile pyproject.toml --quiet --universal \
	--python $(PY) --python-version 3.12 --generate-hashes --build-constraints $(BUILD_CONSTRAINTS) \
	--custom-compile-command 'make lock' $(UV_ARGS)
lock: venv-dev
	@echo "==> $(LOCK)"
	@$(UV_COMPILE) --output-file $(LOCK)
	@echo "==> $(DEV_LOCK)"
	@$(UV_COMPILE) --group dev --constraints $(LOCK) --output-file $(DEV_LOCK)
	@ruff="$$(grep -E '^ruff==' $(DEV_LOCK) | cut -d= -f3 | cut -d' ' -f1)"; \
	if ! grep -q "rev: v$$ruff\$$" .pre-commit-config.yaml; then \
	  echo "make lock: the lock has ruff $$ruff; set rev: v$$ruff in .pre-commit-config.yaml" >&2; exit 1; \
	fi
	@echo "Now run make venv-dev (or make test) to install them, and commit pyproject.toml with both locks."

# One package to its newest release that pyproject.toml allows, with what it needs, in both locks.
PACKAGE ?=
upgrade:
	@if [ -z "$(PACKAGE)" ]; then echo "make upgrade: name the package, e.g. make upgrade PACKAGE=django" >&2; exit 1; fi
	@$(MAKE) --no-print-directory lock UV_ARGS="--upgrade-package $(PACKAGE)"

# A database that already holds other data makes seed_demo refuse; the server then starts on that data as it is.
run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --address $(HOST) --port $(PORT) || echo "make run: no demo data loaded (see the message above); serving the database as it is."
	PORTAL_URL="$${PORTAL_URL:-http://127.0.0.1:$(PORT)}" $(PY) manage.py runserver $(HOST):$(PORT)

# pytest's exit code 5 means "no tests collected": for this project that is a failure, as any non-zero code is.
test: venv-dev
	@# The HTML validator of the site crawl (package-lock.json), when npm is here and it is not installed yet.
	@if [ ! -d node_modules/vnu-jar ] && command -v npm >/dev/null 2>&1; then \
	  echo "==> npm ci (the HTML validator, package-lock.json)"; npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	fi
	@if [ -n "$${DATABASE_URL:-}" ]; then echo "==> pytest on DATABASE_URL ($${DATABASE_URL%%:*})"; else echo "==> pytest on SQLite"; fi
	@rc=0; $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests — that is a failure here." >&2; fi; \
	exit $$rc

# The tests run on a fixed day (tests/conftest.py) unless METOD_TEST_TODAY names another. These are the days where
# date arithmetic breaks: the last and the first day of an academic year, the last Monday of a month, New Year's
# Eve, 29 February and a Sunday. One pytest session with one pytest-xdist worker per day (its own METOD_TEST_TODAY
# and test database), each running every dated test (--dist each): every day runs, and the days that failed are
# named (a failure's report says its day; the summary lists the days).
TEST_DATES := 2026-08-31 2026-09-01 2026-11-30 2026-12-31 2028-02-29 2026-10-18
test-dates: venv-dev
	@echo "==> the dated tests with today = $(TEST_DATES), one pytest-xdist worker per day"
	@rc=0; $(VENV)/bin/pytest -q -p no:cacheprovider -m "dated and not browser" --ignore=tests/browser \
	  --dist each $(foreach day,$(TEST_DATES),--tx popen//env:METOD_TEST_TODAY=$(day)) $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -ne 0 ]; then echo "make test-dates: the dated tests failed (pytest exit $$rc); the days are named above" >&2; fi; \
	exit $$rc

# The benchmark of issue 13 (bench/README.md): for each scale a PostgreSQL database on BENCH_PG (bench_college,
# bench_region: dropped, created, migrated, filled by bench.generate), every main page of every role timed in
# process against the floor view, the exports and the documents, then a load run (gunicorn and locust on 127.0.0.1);
# writes bench/results/latest.md and latest.json. The role in BENCH_PG creates databases. BENCH_ARGS shortens it,
# e.g. BENCH_ARGS="--scales college --reuse --skip-load" (python -m bench.run --help lists the options).
BENCH_PG ?= postgres://metodservice@127.0.0.1:5432
BENCH_ARGS ?=
bench: venv-dev
	BENCH_PG="$(BENCH_PG)" $(PY) -m bench.run $(BENCH_ARGS)

lint: venv-dev
	@rc=0; \
	$(VENV)/bin/ruff check . || rc=1; \
	$(VENV)/bin/ruff format --check --output-format concise . || rc=1; \
	$(VENV)/bin/lint-imports --no-cache || rc=1; \
	$(VENV)/bin/mypy || rc=1; \
	exit $$rc

messages: venv-dev
	$(PY) manage.py makemessages $(MAKEMESSAGES_FLAGS)
	$(PY) manage.py compilemessages -l ru --ignore=$(VENV) --ignore=node_modules
	@echo "Now translate the empty and fuzzy entries in locale/ru/LC_MESSAGES/django.po and run make messages again."

check-translations: venv-dev
	$(PY) scripts/check_translations.py
