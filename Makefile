# The README's commands. `make run` serves Nora's data; `make test` runs the suite.
VENV := .venv
PY := $(VENV)/bin/python
# Django 6 needs Python 3.12 or newer: take the first suitable interpreter we can find.
FIND_PYTHON = for p in python3.13 python3.12 python3 \
	$$(ls -d $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 2>/dev/null); do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$p; break; }; done
BASE_PYTHON ?= $(shell $(FIND_PYTHON))

.PHONY: run test e2e lint format bench messages check-tree upgrade-check clean

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
	$(PY) manage.py send_reminders --schedule
	@# The task worker makes the PDF reports in the background; it stops with the web server.
	$(PY) manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver 127.0.0.1:8000

# The browser tests (tests/e2e) need Chromium: they run with `make e2e`, not here.
test: $(VENV)/.installed node_modules/.installed
	$(PY) -m pytest --ignore=tests/e2e

# End-to-end walks in Debian's Chromium with axe-core (failure screenshots in test-results/e2e/).
e2e: $(VENV)/.installed-e2e node_modules/.installed
	command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)
	$(PY) -m pytest tests/e2e -p no:cacheprovider

$(VENV)/.installed-e2e: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev,e2e]'
	touch $@

$(VENV)/.installed-bench: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	touch $@

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Speed figures (goal tree, then gunicorn under a loopback load) written to docs/performance.md.
bench: $(VENV)/.installed-bench
	$(PY) -m tests.bench

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l sv --ignore=.venv --ignore=node_modules
	$(PY) manage.py compilemessages -l sv --ignore=.venv --ignore=node_modules

# Today's migrations on a database made by the release in .ci/previous-release (docs/operations.md).
upgrade-check: $(VENV)/.installed node_modules/.installed
	.ci/upgrade

check-tree: $(VENV)/.installed
	$(PY) manage.py check_goal_tree

clean:
	rm -rf $(VENV) node_modules db.sqlite3 db.sqlite3-wal db.sqlite3-shm
