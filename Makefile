# One Makefile for people and CI. `make run` serves the demo; `make test` runs the suite
# against real PostgreSQL and Redis; `make lint` checks style, templates, migrations, import
# boundaries and types; `make serve` runs the production processes (docs/deploy.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# What mypy checks: service and selector modules, found by name so they can move between
# packages. Widen it here.
TYPED = $(shell find providers referrals outcomes talkingmoves -path '*/migrations' -prune -o \
	\( -name services.py -o -name selectors.py -o -name '*_services.py' -o -name '*_selectors.py' \
	-o -path '*/services/*.py' -o -path '*/selectors/*.py' \) -print | sort)

# `make lock` pins pyproject.toml's dependency groups, with hashes, for Python 3.11 on every
# platform; it keeps the current pins unless UPGRADE=1.
LOCK = $(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 \
	--generate-hashes --no-strip-extras --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)

.PHONY: install run serve serve-env test test-fast lint typecheck format bench bench-load lock audit \
	clean

# Exactly what the lock file says, each download checked against its hash.
$(VENV)/.installed: requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
		-r requirements/dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/vendor/.built: node_modules/.installed scripts/copy-frontend.mjs
	npm run --silent build
	touch $@

install: $(VENV)/.installed static/vendor/.built

# Links in the demo's messages point at the port it serves on, unless SITE_URL is given.
DEMO_SITE_URL = $(or $(SITE_URL),http://127.0.0.1:$(PORT))

run: install
	$(BIN)/python manage.py migrate --noinput
	SITE_URL=$(DEMO_SITE_URL) $(BIN)/python manage.py seed_demo
	@$(BIN)/python scripts/print_demo_logins.py $(PORT)
	SITE_URL=$(DEMO_SITE_URL) $(BIN)/honcho --procfile Procfile.dev start --port $(PORT)

# The production processes on this machine, as a platform runs them (Procfile): the release
# step, then web, both worker groups and beat under production settings, on 127.0.0.1:$(PORT).
serve: serve-env install
	DJANGO_SETTINGS_MODULE=talkingmoves.settings.production scripts/release
	DJANGO_SETTINGS_MODULE=talkingmoves.settings.production WEB_HOST=127.0.0.1 \
		$(BIN)/honcho --procfile Procfile start --port $(PORT) web worker worker_messages beat

# Before installing anything: say what serve needs.
serve-env:
	@if [ -z "$$DATABASE_URL" ] || [ -z "$$CELERY_BROKER_URL" ]; then \
		echo "make serve runs the production settings against your PostgreSQL and Redis:" >&2; \
		echo "set DATABASE_URL and CELERY_BROKER_URL (and the rest of docs/deploy.md's" >&2; \
		echo "'Try it on one machine') first." >&2; \
		exit 1; \
	fi

test: install
	$(BIN)/python scripts/check_services.py
	@scripts/ensure-chromium
	$(BIN)/python -m pytest -n auto

# Skips the browser journeys, for a quicker loop while developing.
test-fast: install
	$(BIN)/python scripts/check_services.py
	$(BIN)/python -m pytest -n auto -m "not e2e"

# Lint needs only the Python tools, not the npm build.
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates/ --lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports --no-logo
	$(MAKE) --no-print-directory typecheck

typecheck: $(VENV)/.installed
	$(BIN)/mypy $(TYPED)

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Every main page of every role, one line each: page median and p95 beside the time of that
# request's own SQL replayed (bench/__main__.py). BENCH_RUNS=N runs per page (default 30);
# BENCH_SIZE=large seeds and times 110,000 activities and 1,000,000 service users in a
# database of its own (bench/size.py); DATABASE_URL points it at an already seeded copy.
bench: install
	$(BIN)/python scripts/check_services.py
	$(BIN)/python -m bench
	$(BIN)/python -m bench.imports
	$(BIN)/python -m bench.nudges

# The production stack (release, gunicorn) under a paced signed-in load, and runserver beside
# it; each page's cost first. LOAD_RATE and LOAD_SECONDS change the load (bench/load.py).
bench-load: install
	$(BIN)/python scripts/check_services.py
	$(BIN)/python -m bench.load

# Re-pin after editing pyproject.toml's dependency groups: dev (everything; make install, CI)
# first, then app (the container image) within the same versions.
lock:
	@test -x $(BIN)/uv || { echo "Run make install first (it installs uv)." >&2; exit 1; }
	$(LOCK) --group app --group dev -o requirements/dev.txt
	$(LOCK) --group app --constraint requirements/dev.txt -o requirements/app.txt

# Known vulnerabilities in the pinned Python packages and the npm packages. Needs the internet
# (PyPI's advisory database and the npm registry), so it is not part of CI.
audit: $(VENV)/.installed
	$(BIN)/pip-audit --require-hashes --disable-pip -r requirements/dev.txt
	npm audit

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles .data
