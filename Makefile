# One place for set-up and checks. `make run` and `make test` work on a fresh Debian machine with Python 3.11+:
# they install what they need (Java and Chromium through apt-get; Python packages into .venv).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench install system-deps store clean

PORT ?= 8501

run: $(STAMP)
	$(BIN)/streamlit run ui/app.py --server.address 127.0.0.1 --server.port $(PORT)

test: $(STAMP) system-deps
	$(BIN)/ruff check engine tests ui benchmarks
	$(BIN)/ruff format --check engine tests ui benchmarks
	$(BIN)/mypy
	$(BIN)/xwalk catalogs --check
	$(BIN)/xwalk infer --check
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check engine tests ui benchmarks
	$(BIN)/ruff format --check engine tests ui benchmarks
	$(BIN)/mypy

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[ui]' --group dev
	touch $@

# Java runs HermiT (the OWL reasoner); Debian's Chromium runs the explorer's browser test (Playwright drives it and
# downloads no browser of its own); Virtuoso is the second, independent SPARQL server of the store compliance suite.
system-deps:
	@missing=""; \
	command -v java >/dev/null || missing="default-jre-headless"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v virtuoso-t >/dev/null || missing="$$missing virtuoso-opensource"; \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

# Side-by-side measurements (about 4 minutes); results go into benchmarks/README.md.
bench: $(STAMP)
	$(BIN)/python -m benchmarks

store: $(STAMP)
	$(BIN)/xwalk build --store var/store

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
