# One Makefile for people and CI. `make run` serves the demo; `make test` runs the suite
# against real PostgreSQL and Redis; `make lint` checks style, templates, migrations, import
# boundaries and types.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# What mypy checks: service and selector modules, found by name so they can move between
# packages. Widen it here.
TYPED = $(shell find providers referrals outcomes talkingmoves -path '*/migrations' -prune -o \
	\( -name services.py -o -name selectors.py -o -name '*_services.py' -o -name '*_selectors.py' \
	-o -path '*/services/*.py' -o -path '*/selectors/*.py' \) -print | sort)

.PHONY: install run test test-fast lint typecheck format bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --group app --group dev
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/vendor/.built: node_modules/.installed scripts/copy-frontend.mjs
	npm run --silent build
	touch $@

install: $(VENV)/.installed static/vendor/.built

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@$(BIN)/python scripts/print_demo_logins.py $(PORT)
	$(BIN)/honcho --procfile Procfile.dev start --port $(PORT)

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

bench: install
	$(BIN)/python scripts/check_services.py
	$(BIN)/python -m bench
	$(BIN)/python -m bench.imports
	$(BIN)/python -m bench.nudges

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles .data
