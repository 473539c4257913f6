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
# Python keeps its compiled files (__pycache__/, ignored by git) even where the environment says not to: without them
# every test worker and every `python -m pipeline` a test starts compiles the code and rewrites the tests again (~5 s).
export PYTHONDONTWRITEBYTECODE :=
PORT ?= 8000

# Installs are from the lock files (requirements/*.txt, made by `make lock` from pyproject.toml): every machine
# gets the versions the tests passed with. The package itself is installed on top, without its dependencies.
$(BASE_STAMP): pyproject.toml requirements/base.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Cài đặt môi trường (.venv)..."
	@$(PY) -m pip install --quiet -r requirements/base.txt
	@$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

$(TEST_STAMP): $(BASE_STAMP) requirements/test.txt
	@$(PY) -m pip install --quiet -r requirements/test.txt
	@touch $@

$(WEB_STAMP): $(BASE_STAMP) requirements/web.txt
	@$(PY) -m pip install --quiet -r requirements/web.txt
	@touch $@

$(MUTATE_STAMP): $(TEST_STAMP)
	@$(PY) -m pip install --quiet -e '.[test,mutate]'
	@touch $@

.PHONY: help setup report test test-all lint template demo check bench notebooks lab mutate clean serve links lock

help: ## Liệt kê các lệnh || List the targets
	@echo "Các lệnh (tiếng Việt, tiếng Anh trong ngoặc) / Targets (Vietnamese, English in brackets):"
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /\1\t/' | \
		awk -F'\t' '{split($$2, t, " [|][|] "); printf "  make %-10s %s\n  %-15s (%s)\n", $$1, t[1], "", t[2]}'

setup: $(BASE_STAMP) ## Tạo môi trường .venv (các lệnh khác tự làm việc này) || Create .venv from pyproject.toml (done automatically by the other targets)

report: $(BASE_STAMP) ## Tổng hợp toàn bộ báo cáo trong inputs/ (chưa có báo cáo thì chạy trên dữ liệu mẫu) || Run the whole pipeline on inputs/ (or on the demo returns when inputs/ has no workbook)
	@$(PY) -m pipeline report

# The fast suite leaves out the tests marked office (LibreOffice), browser (Chromium, notebooks) and slow.
FAST := not slow and not office and not browser

test: $(TEST_STAMP) ## Chạy bộ kiểm thử nhanh (khoảng 2 phút) || Run the fast test suite on every core (about 2 minutes)
	@$(PY) -m pytest -q -n auto --dist worksteal -m "$(FAST)"

test-all: $(TEST_STAMP) ## Chạy toàn bộ kiểm thử, cả LibreOffice và trình duyệt || Run every test: the office suite, the browser, the notebooks, the slow runs
	@$(PY) -m pytest -q -n auto --dist worksteal

lint: $(TEST_STAMP) ## Kiểm tra mã nguồn bằng ruff || Lint the code with ruff (rules in pyproject.toml)
	@$(VENV)/bin/ruff check .

template: $(BASE_STAMP) ## Tạo mẫu báo cáo trống trong outputs/template/ || Write the blank template to outputs/template/
	@$(PY) -m pipeline template

demo: $(BASE_STAMP) ## Tạo báo cáo mẫu của mọi đơn vị trong outputs/demo/ || Write realistic demo returns for every unit to outputs/demo/
	@$(PY) -m pipeline demo

check: $(BASE_STAMP) ## Kiểm tra một tệp báo cáo: make check FILE=duong_dan/bao_cao.xlsx || Check one workbook: make check FILE=path/to/file.xlsx
	@$(PY) -m pipeline check "$(FILE)"

bench: $(TEST_STAMP) ## Đo tốc độ đọc và kiểm tra báo cáo || Benchmark reading and validation against a calamine-only baseline
	@$(PY) -m pipeline bench $(if $(N),--returns $(N))

notebooks: $(TEST_STAMP) ## Chạy lại mọi notebook trên dữ liệu mẫu || Execute every notebook on a fresh demo run (fails if a cell errors)
	@$(PY) -m pytest -q tests/test_notebooks.py

lab: $(TEST_STAMP) ## Mở các notebook bằng JupyterLab || Open the notebooks in JupyterLab (installs the notebook extra once)
	@$(PY) -m pip install --quiet -e '.[test,notebook]'
	@$(VENV)/bin/jupyter lab notebooks/

serve: $(WEB_STAMP) ## Trang web để đơn vị kiểm tra, gửi báo cáo và bảng theo dõi của cơ quan (HOST=0.0.0.0 để dùng trong mạng nội bộ) || Web pages for units to check and send returns, and the office board (HOST=0.0.0.0 to share)
	@HOST=$(HOST) PORT=$(PORT) $(PY) -m pipeline.web serve

links: $(WEB_STAMP) ## Tạo đường dẫn gửi báo cáo riêng cho từng đơn vị (tệp CSV) || Write the units' upload links to a CSV (ROTATE=all|office|unit_code to issue new ones)
	@PORT=$(PORT) $(PY) -m pipeline.web links $(if $(ROTATE),--rotate "$(ROTATE)") $(if $(BASE_URL),--base-url "$(BASE_URL)")

mutate: $(MUTATE_STAMP) ## Đo chất lượng bộ kiểm thử bằng đột biến mã (rất lâu) || Mutation score of the core stages (mutmut; each mutant runs the fast tests reaching it; hours; not CI); PATHS=pipeline/check/values.py
	@rm -rf mutants
	@JOBS=1 $(VENV)/bin/mutmut run $(if $(JOBS),--max-children $(JOBS)) $(foreach p,$(PATHS),'$(subst /,.,$(p:.py=)).*')
	@$(PY) scripts/mutation_report.py $(if $(PATHS),--paths $(PATHS))

lock: ## Cập nhật các tệp khóa phiên bản thư viện (requirements/*.txt) từ pyproject.toml || Refresh the lock files requirements/*.txt from pyproject.toml (uv pip compile)
	@$(PYTHON) -m venv .venv-lock && .venv-lock/bin/python -m pip install --quiet uv
	@for extra in base test web; do \
		.venv-lock/bin/uv pip compile pyproject.toml --python-version 3.11 --quiet --upgrade \
			$$( [ $$extra = base ] || echo "--extra $$extra" ) -o requirements/$$extra.txt || exit 1; \
	done
	@rm -rf .venv-lock
	@echo "Đã cập nhật requirements/base.txt, test.txt, web.txt; chạy make test trước khi commit."

clean: ## Xóa nội dung outputs/ (không động đến inputs/) || Empty outputs/ (never touches inputs/)
	@find outputs -mindepth 1 -not -name .gitkeep -delete
	@echo "Đã xóa nội dung thư mục outputs/."
