# Two commands set everything up on a machine that has only python3 and make:
#   make run    the app on the bundled demo session
#   make test   the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/trd-tui --demo

# setup_browser.sh installs Debian's chromium for the browser test if it is missing; it never fails.
test: $(STAMP)
	sh tests/setup_browser.sh
	$(BIN)/python -m pytest -n auto -q

# Speed and memory against budgets (never part of the test suite, which must not fail on a slow machine).
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) build dist .pytest_cache
