# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck unit browser chromium bench examples clean

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
	$(BIN)/lint-imports

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

unit: $(VENV)/.installed-test browser
	$(BIN)/pytest

# What the browser tests need besides Python packages: Debian's chromium (never a browser
# that a test tool downloads) and axe-core from the npm registry, put into the virtualenv.
# Neither may stop `make test`: without them the browser tests skip and say why (CI sets
# ASSESS_REQUIRE_BROWSER=1, which turns those skips into failures).
AXE_VERSION := 4.14.1
AXE := $(VENV)/axe-core/axe-$(AXE_VERSION).min.js

browser: chromium $(AXE)

chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends chromium >/dev/null; } \
	  || echo "chromium could not be installed: the browser tests will skip"; \
	else \
	  echo "No /usr/bin/chromium, and no apt-get as root to install it: the browser tests will skip"; \
	fi

$(AXE): | $(BIN)/python
	@echo "Fetching axe-core $(AXE_VERSION) for the browser tests"
	@pack=$$(mktemp -d) && \
	if (cd $$pack && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null) \
	   && tar -xzf $$pack/axe-core-$(AXE_VERSION).tgz -C $$pack package/axe.min.js; then \
	  mkdir -p $(@D) && rm -f $(@D)/axe-*.min.js && mv $$pack/package/axe.min.js $@; \
	else \
	  echo "axe-core $(AXE_VERSION) could not be fetched with npm: the browser tests will skip"; \
	fi; \
	rm -rf $$pack

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
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .import_linter_cache .grimp_cache
