# Two commands for a user: `make report` and `make test`. Everything else is optional.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BASE_STAMP := $(VENV)/.stamp-base
TEST_STAMP := $(VENV)/.stamp-test
MUTATE_STAMP := $(VENV)/.stamp-mutate
WEB_STAMP := $(VENV)/.stamp-web
HOST ?= 127.0.0.1
PORT ?= 8000

$(BASE_STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Cài đặt môi trường (.venv)..."
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -e .
	@touch $@

$(TEST_STAMP): $(BASE_STAMP)
	@$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

$(WEB_STAMP): $(BASE_STAMP)
	@$(PY) -m pip install --quiet -e '.[web]'
	@touch $@

$(MUTATE_STAMP): $(TEST_STAMP)
	@$(PY) -m pip install --quiet -e '.[test,mutate]'
	@touch $@

.PHONY: help setup report test template demo check bench notebooks lab mutate clean serve links

help: ## List the targets
	@grep -hE '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: $(BASE_STAMP) ## Create .venv from pyproject.toml (done automatically by the other targets)

report: $(BASE_STAMP) ## Run the whole pipeline on inputs/ (or on the demo returns when inputs/ has no workbook)
	@$(PY) -m pipeline report

test: $(TEST_STAMP) ## Run the test suite
	@$(PY) -m pytest -q

template: $(BASE_STAMP) ## Write the blank template to outputs/template/
	@$(PY) -m pipeline template

demo: $(BASE_STAMP) ## Write realistic demo returns for every unit to outputs/demo/
	@$(PY) -m pipeline demo

check: $(BASE_STAMP) ## Check one workbook: make check FILE=path/to/file.xlsx
	@$(PY) -m pipeline check "$(FILE)"

bench: $(TEST_STAMP) ## Benchmark reading and validation against a calamine-only baseline
	@$(PY) -m pipeline bench $(if $(N),--returns $(N))

notebooks: $(TEST_STAMP) ## Execute every notebook on a fresh demo run (fails if a cell errors)
	@$(PY) -m pytest -q tests/test_notebooks.py

lab: $(TEST_STAMP) ## Open the notebooks in JupyterLab (installs the notebook extra once)
	@$(PY) -m pip install --quiet -e '.[test,notebook]'
	@$(VENV)/bin/jupyter lab notebooks/

serve: $(WEB_STAMP) ## Web pages for units to check and send returns, and the office board (HOST=0.0.0.0 to share)
	@HOST=$(HOST) PORT=$(PORT) $(PY) -m pipeline.web serve

links: $(WEB_STAMP) ## Write the units' upload links to a CSV (ROTATE=all|office|unit_code to issue new ones)
	@PORT=$(PORT) $(PY) -m pipeline.web links $(if $(ROTATE),--rotate "$(ROTATE)") $(if $(BASE_URL),--base-url "$(BASE_URL)")

mutate: $(MUTATE_STAMP) ## Mutation score of the core stages (mutmut; each mutant runs the fast tests reaching it; hours; not CI); PATHS=pipeline/check/values.py
	@rm -rf mutants
	@JOBS=1 $(VENV)/bin/mutmut run $(if $(JOBS),--max-children $(JOBS)) $(foreach p,$(PATHS),'$(subst /,.,$(p:.py=)).*')
	@$(PY) scripts/mutation_report.py $(if $(PATHS),--paths $(PATHS))

clean: ## Empty outputs/ (never touches inputs/)
	@find outputs -mindepth 1 -not -name .gitkeep -delete
	@echo "Đã xóa nội dung thư mục outputs/."
