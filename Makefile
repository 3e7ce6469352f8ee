# bpo-kit: the verbs a consultant needs. Only python3 and make are assumed; everything else lands in .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.bpo-kit-installed
CLIENT ?= data/clients/demo

.PHONY: help setup report test lab notebooks bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP)  ## create .venv and install the kit into it

report: $(STAMP)  ## run the demo client's full assessment into reports/demo/ (CLIENT=path for another)
	$(BIN)/bpo-kit run $(CLIENT)

test: $(STAMP)  ## run the whole test suite, notebooks (nbval) included
	$(BIN)/python -m pytest

lab: $(STAMP)  ## open the notebooks in JupyterLab on the demo client
	$(BIN)/jupyter lab notebooks/

notebooks: $(STAMP)  ## re-execute notebooks/ on the demo client and store their outputs (after a deliberate change)
	$(BIN)/python -m bpo_kit.report.refresh notebooks/

clean:  ## remove generated reports (keeps .venv)
	find reports -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
