# The two commands: `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# pytest-xdist workers for `make test`: one per core, at most 4 (each worker loads the
# geography into its own test database first, about 30 s of one core).
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n < 4 ? n : 4 )))

.PHONY: run test services stop status deps venv migrate messages demo lint audit fuzz format bench bench-micro clean help

help:
	@echo "make run       set up everything, load the demo and serve http://127.0.0.1:8000"
	@echo "make test      set up everything and run the whole test suite (TEST_WORKERS=N processes)"
	@echo "make services  start the project-local PostgreSQL/PostGIS and Redis; make stop stops them"
	@echo "make lint      ruff check, ruff format --check, the import layers (lint-imports)"
	@echo "make audit     bandit and pip-audit (part of make test)"
	@echo "make fuzz      the long importer fuzz run (not part of make test)"
	@echo "make bench     the force-scale benchmark against its budgets (BENCH_SCALE=small: quick)"

deps:
	@scripts/system-deps.sh

$(BIN)/.installed: pyproject.toml
	@command -v $(PY) >/dev/null || { echo "$(PY) is required"; exit 1; }
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

venv: $(BIN)/.installed

services: deps
	@scripts/services.sh start

stop:
	@scripts/services.sh stop

status:
	@scripts/services.sh status

migrate: venv services messages
	$(MANAGE) migrate --noinput

# Compiled translations (locale/*/LC_MESSAGES/django.mo) from the .po files; needs msgfmt.
messages: deps venv
	$(MANAGE) compilemessages --ignore=.venv --ignore=.local --ignore=node_modules

demo: migrate
	$(MANAGE) load_demo

run: demo
	@scripts/run.sh

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Supply chain: bandit (high severity fails) and pip-audit where its data can be reached.
audit: venv
	@scripts/supply-chain.sh

test: deps venv services lint audit messages
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest -n $(TEST_WORKERS) --durations=25 $(PYTEST_ARGS)

# The importers fuzzed with at least 2,000 generated files each (make test runs a few hundred).
fuzz: venv services messages
	FUZZ_EXAMPLES=2000 $(BIN)/pytest tests/fuzz -p no:randomly $(PYTEST_ARGS)

# Issue 13's budgets at force scale (BENCH_SCALE=small for a quick run), in a database of
# its own; prints a table, writes benchmarks/results.json, fails when a budget is missed.
bench: venv services messages
	$(BIN)/python -m benchmarks.run

# The micro-benchmarks (pytest-benchmark) of single imports and the dispatch.
bench-micro: venv services
	$(BIN)/pytest benchmarks --benchmark-only $(PYTEST_ARGS)

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean: stop
	rm -rf .local .env staticfiles
