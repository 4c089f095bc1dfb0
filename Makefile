# Two commands set everything up on a machine that has only python3 and make:
#   make run    the app on the bundled demo session
#   make test   the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The package is installed editable, so nothing compiles its bytecode at install time as pip
# does for an installed wheel; with PYTHONDONTWRITEBYTECODE set (as here), every start would
# compile all of trd_tui from source (~30 ms). compileall writes only what changed.
COMPILE := $(BIN)/python -m compileall -q trd_tui benchmarks

run: $(STAMP)
	$(COMPILE)
	$(BIN)/trd-tui --demo

# setup_browser.sh installs Debian's chromium for the browser test if it is missing; it never fails.
test: $(STAMP)
	sh tests/setup_browser.sh
	$(BIN)/python -m pytest -n auto -q

# The quick loop while editing: everything but pilot/snapshot (ui), process/browser (e2e) and fuzz tests.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n auto -q -m "not ui and not e2e and not fuzz"

# Speed and memory against budgets (never part of the test suite, which must not fail on a slow machine).
bench: $(STAMP)
	$(COMPILE)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) build dist .pytest_cache
