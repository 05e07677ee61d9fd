# hipmap — the two quick-start commands are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

BUILD_VENV ?= .venv-build
CORE_VENV  ?= .venv-core
CORE_STAMP := $(CORE_VENV)/.installed

.PHONY: run test test-core mutation lint bench eval assess bundle bench-package clean pot po mo pseudo

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

## The Qt-free tests in a venv WITHOUT PySide6 and pyqtgraph: hipmap installed with --no-deps
## plus its non-Qt dependencies (tools/core_requirements.py); tests that need Qt are marked gui.
$(CORE_STAMP): pyproject.toml tools/core_requirements.py
	test -x $(CORE_VENV)/bin/python || $(PYTHON) -m venv $(CORE_VENV)
	$(CORE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CORE_VENV)/bin/python tools/core_requirements.py > $(CORE_VENV)/requirements.txt
	$(CORE_VENV)/bin/python -m pip install --quiet -r $(CORE_VENV)/requirements.txt
	$(CORE_VENV)/bin/python -m pip install --quiet --no-deps -e .
	touch $(CORE_STAMP)

test-core: $(CORE_STAMP)
	$(CORE_VENV)/bin/python tools/core_requirements.py --check-no-qt
	$(CORE_VENV)/bin/python -m pytest -m "not gui" --ignore=tests/gui -p no:cacheprovider

## Mutation testing of the Qt-free core (mutmut; README "Mutation testing"). Slow: its own
## target, never part of make test. Survivors: .venv/bin/mutmut results / mutmut show NAME.
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,mutation]'
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(or $(JOBS),2) > /dev/null || true
	$(BIN)/python tools/mutation_score.py

## Accuracy, calibration and safety over the labelled cases (tests/cases/literature + seed).
eval: $(STAMP)
	$(BIN)/python tools/eval.py

## Assess the bundled sciatica example on the command line.
assess: $(STAMP)
	$(BIN)/hipmap assess examples/sciatica.hipmap.json

## Speed measurements (medians and ratios against a baseline in the same run).
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

## Translations (Babel, tools/i18n.py): extract the template, update each language's .po
## from it, compile the .mo files that ship (committed); `make pot po mo` after changing texts.
pot: $(STAMP)
	$(BIN)/python tools/i18n.py pot
po: $(STAMP)
	$(BIN)/python tools/i18n.py po
mo: $(STAMP)
	$(BIN)/python tools/i18n.py mo
## The pseudo-locale (accented, ~35 % longer) in build/locale, to look for untranslated or
## clipped texts: HIPMAP_LOCALE_DIR=build/locale .venv/bin/hipmap --lang en_XA
pseudo: $(STAMP)
	$(BIN)/python tools/i18n.py pseudo --folder build/locale

## Build the desktop bundle and this OS's installer/tarball into dist/ (in its own venv).
bundle:
	test -x $(BUILD_VENV)/bin/python || $(PYTHON) -m venv $(BUILD_VENV)
	$(BUILD_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BUILD_VENV)/bin/python -m pip install --quiet '.[package]'
	$(BUILD_VENV)/bin/python packaging/build.py

## Bundle size, compressed size and frozen start-up vs the venv.
bench-package: bundle
	$(BUILD_VENV)/bin/python benchmarks/bench_package.py

clean:
	rm -rf $(VENV) $(BUILD_VENV) $(CORE_VENV) mutants build dist *.egg-info .pytest_cache .ruff_cache
