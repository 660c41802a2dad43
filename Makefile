# Two entry points that work on a fresh machine with only python3 and pip:
#   make report   set up .venv and render the reports of every shipped scenario into reports/
#   make test     set up .venv with the dev extras and run lint, types and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The shipped scenarios, and one whose incidents, traces and latency come from exports (it sits in
# data_samples/ so that both scenarios/ and exports/ are inside its folder tree).
SCENARIOS := $(wildcard data_samples/scenarios/*.yaml) data_samples/northwind-from-exports.yaml

.PHONY: report test lint typecheck pytest bench format clean

$(VENV)/.installed-report: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[report]"
	touch $@

$(VENV)/.installed-dev: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@ $(VENV)/.installed-report

report: $(VENV)/.installed-report
	$(BIN)/roi report $(SCENARIOS) --out reports

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

pytest: $(VENV)/.installed-dev
	$(BIN)/pytest

test: lint typecheck pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench_evaluate.py

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
