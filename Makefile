# One place for set-up and checks. `make run` and `make test` work on a fresh Debian machine with Python 3.11+:
# they install what they need (Java through apt-get for the OWL reasoner; Python packages into .venv).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install system-deps store clean

run: $(STAMP)
	$(BIN)/xwalk stats

test: $(STAMP) system-deps
	$(BIN)/ruff check engine tests
	$(BIN)/ruff format --check engine tests
	$(BIN)/xwalk catalogs --check
	$(BIN)/xwalk infer --check
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check engine tests
	$(BIN)/ruff format --check engine tests

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e . --group dev
	touch $@

# Java runs HermiT (the OWL reasoner) in `xwalk validate` and in the tests.
system-deps:
	@command -v java >/dev/null || { apt-get update -qq && apt-get install -y -qq default-jre-headless; }

store: $(STAMP)
	$(BIN)/xwalk build --store var/store

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
