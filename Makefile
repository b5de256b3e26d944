# The README's commands. `make run` serves Nora's data; `make test` runs the suite.
VENV := .venv
PY := $(VENV)/bin/python
# Django 6 needs Python 3.12 or newer: take the first suitable interpreter we can find.
FIND_PYTHON = for p in python3.13 python3.12 python3 \
	$$(ls -d $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 2>/dev/null); do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$p; break; }; done
BASE_PYTHON ?= $(shell $(FIND_PYTHON))

.PHONY: run test lint format bench messages check-tree clean

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(BASE_PYTHON)" ]; then \
		echo "Noramål needs Python 3.12 or newer (Django 6). Install it, or run: make BASE_PYTHON=/path/to/python3.13 ..."; \
		exit 1; fi
	test -x $(PY) || $(BASE_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_goals fixtures/nora.json --skip-if-present
	$(PY) manage.py create_demo_users
	$(PY) manage.py seed_demo --skip-if-present
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(VENV)/.installed
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(VENV)/.installed
	$(PY) -m tests.bench

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l sv --ignore=.venv --ignore=node_modules
	$(PY) manage.py compilemessages -l sv --ignore=.venv --ignore=node_modules

check-tree: $(VENV)/.installed
	$(PY) manage.py check_goal_tree

clean:
	rm -rf $(VENV) node_modules db.sqlite3 db.sqlite3-wal db.sqlite3-shm
