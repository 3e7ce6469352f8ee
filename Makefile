# bpo-kit: the verbs a consultant needs. Only python3 and make are assumed; everything else lands in .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.bpo-kit-installed
CLIENT ?= data/clients/demo

SUDO   := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: help setup report test test-fast lint format lab notebooks bench clean browser office

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lab,cluster]'
	@touch $(STAMP)

setup: $(STAMP)  ## create .venv and install the kit into it

report: $(STAMP)  ## run the demo client's full assessment into reports/demo/ (CLIENT=path for another)
	$(BIN)/bpo-kit run $(CLIENT)

test: $(STAMP) browser office lint  ## run the whole test suite (lint, notebooks with nbval, the browser and office tests included)
	$(BIN)/python -m pytest

test-fast: $(STAMP)  ## the unit tests only: no end-to-end runs, no browser, no nbval, on every core (under a minute)
	$(BIN)/python -m pytest tests -m "not e2e" -p no:nbval -o addopts="-ra -p no:cacheprovider" -q -n auto

lint: $(STAMP)  ## ruff (lint and format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

browser:  ## install Debian's chromium (browser test, --pdf) and poppler-utils (the PDF's text), where missing
	@{ command -v chromium && command -v pdftotext; } >/dev/null 2>&1 || { echo "installing Debian's chromium and poppler-utils (browser test, --pdf)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium poppler-utils >/dev/null; }

office:  ## install Debian's LibreOffice (Impress, Calc) where missing: the tests open the deck and recalculate the workbook
	@dpkg -s libreoffice-impress libreoffice-calc >/dev/null 2>&1 || { echo "installing Debian's LibreOffice (deck and workbook tests)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	  libreoffice-impress libreoffice-calc >/dev/null; }

lab: $(STAMP)  ## open the notebooks in JupyterLab on the demo client
	$(BIN)/jupyter lab notebooks/

notebooks: $(STAMP)  ## re-execute notebooks/ on the demo client and store their outputs (after a deliberate change)
	$(BIN)/python -m bpo_kit.report.refresh notebooks/

bench: $(STAMP)  ## measure speed, CPU and memory into benchmarks/RESULTS.md (about 20 minutes: it times the naive loop too)
	$(BIN)/python benchmarks/bench.py

clean:  ## remove generated reports (keeps .venv)
	find reports -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
