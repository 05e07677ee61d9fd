# hipmap — the two quick-start commands are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench assess clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Set up (first time) and open the desktop app on its embedded defaults.
run: $(STAMP)
	$(BIN)/hipmap

## Set up (first time) and run the linters and the whole test suite (offscreen).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

## Assess the bundled sciatica example on the command line.
assess: $(STAMP)
	$(BIN)/hipmap assess examples/sciatica.hipmap.json

## Speed measurements (medians and ratios against a baseline in the same run).
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
