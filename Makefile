# gxsheet — every target installs what it needs first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
GX := $(VENV)/bin/gxsheet
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SAMPLE_SRC := samples/source/柴胡店镇人民政府2024.toml
SAMPLE := samples/柴胡店镇人民政府2024.xlsx
export SOURCE_DATE_EPOCH ?= 1735689600

.PHONY: install engine demo samples test fuzz golden lint bench clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

# LibreOffice (headless) for the tests that recalculate workbooks on a real engine.
engine:
	@if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null || ! fc-list | grep -q "Noto Serif CJK"; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    --no-install-recommends libreoffice-calc-nogui libreoffice-writer-nogui fonts-noto-cjk poppler-utils >/dev/null; \
	fi

samples: install
	$(GX) new --data $(SAMPLE_SRC) -o $(SAMPLE) --overwrite
	$(GX) export $(SAMPLE) -o samples/柴胡店镇人民政府2024.json --overwrite
	$(GX) build $(SAMPLE) --format docx --overwrite
	$(GX) build $(SAMPLE) --format html --overwrite

demo: samples
	$(GX) check $(SAMPLE)
	@echo "报告：samples/柴胡店镇人民政府2024.docx、samples/柴胡店镇人民政府2024.html"

test: install engine lint
	$(PY) -m pytest -q

# Thousands of seeded hostile inputs (workbooks, pages, folders) with counts by outcome; see tools/fuzz.py.
FUZZ_CASES ?= 5000
fuzz: install
	$(PY) tools/fuzz.py --cases $(FUZZ_CASES) --keep fuzz-failures

golden: install
	$(PY) -m pytest -q tests/test_golden.py --update-golden

lint: install
	$(VENV)/bin/ruff check gxsheet tests
	$(VENV)/bin/mypy --strict gxsheet

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis fuzz-failures
