# One Makefile for people and CI. `make run` serves the demo; `make test` runs the suite
# against real PostgreSQL and Redis; `make lint` checks style and migrations.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: install run test test-fast lint format bench clean

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
	$(BIN)/python -m pytest

# Skips the browser journeys, for a quicker loop while developing.
test-fast: install
	$(BIN)/python scripts/check_services.py
	$(BIN)/python -m pytest -m "not e2e"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

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
