# taper: two commands on a fresh machine with Python 3.11+ and make.
#   make run    set everything up and open the app on a bundled example case
#   make test   set everything up and run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint types imports bench catalogues clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "taper needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# Byte-compile the installed libraries too: where PYTHONDONTWRITEBYTECODE is set, nothing else
	@# does, and every start of taper would compile pydantic and textual from source.
	$(BIN)/python -m compileall -q $(VENV)/lib > /dev/null
	$(BIN)/python -m compileall -q regimens interactions taper tui
	@touch $(STAMP)

run: $(STAMP)
	@$(BIN)/python -m compileall -q regimens interactions taper tui
	$(BIN)/taper demo

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check regimens interactions taper tui tests benchmarks

types: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)
	$(BIN)/lint-imports

check: lint types imports test

bench: $(STAMP)
	$(BIN)/python -m compileall -q regimens interactions taper tui
	$(BIN)/python benchmarks/bench.py

# Message catalogues: extract the printed messages, add new ones to each language, compile the .mo files.
catalogues: $(STAMP)
	$(BIN)/python -m taper.catalogue_build

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
