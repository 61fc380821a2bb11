# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck unit bench examples clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "assess needs Python 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/assess db upgrade
	$(BIN)/assess questionnaire publish questionnaires/*.yaml
	$(BIN)/assess serve

test: $(VENV)/.installed-test lint typecheck unit

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

unit: $(VENV)/.installed-test
	$(BIN)/pytest

bench: $(VENV)/.installed
	$(BIN)/python bench/scoring.py
	$(BIN)/python bench/report.py

# The demo report in both languages, from the demo answers, as a newcomer will get it.
examples: $(VENV)/.installed
	for lang in de en; do \
	  $(BIN)/assess report -q cx-maturity -a examples/answers-demo.csv --lang $$lang \
	    --organisation "Muster GmbH" --assessment "CX-Check" --wave 2026 \
	    --out examples/report-demo-$$lang.pdf; \
	done

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
