# gxsheet — every target installs what it needs first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
GX := $(VENV)/bin/gxsheet
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SAMPLE_SRC := samples/source/柴胡店镇人民政府2024.toml
SAMPLE := samples/柴胡店镇人民政府2024.xlsx
export SOURCE_DATE_EPOCH ?= 1735689600

.PHONY: install engine demo samples test check fuzz golden lint bench wheelhouse clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

# LibreOffice (headless) and Gnumeric (ssconvert): two engines recalculate the workbooks in the tests;
# Carlito has Calibri's metrics, so LibreOffice sizes columns (and prints) as Excel does; Chromium
# prints the real report pages to PDF for the PDF reader's tests.
engine:
	@if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null || ! command -v ssconvert >/dev/null \
	  || ! command -v chromium >/dev/null || ! fc-list | grep -q "Noto Serif CJK" || ! fc-list | grep -q Carlito; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    --no-install-recommends libreoffice-calc-nogui libreoffice-writer-nogui gnumeric fonts-noto-cjk \
	    fonts-crosextra-carlito poppler-utils chromium >/dev/null; \
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

# Everyday work: lint and every test that needs neither LibreOffice nor PyPI (under two minutes).
check: install lint
	$(PY) -m pytest -q -m "not engine and not install and not network"

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

# Offline installer for Windows x64 (Python 3.11-3.13): dist/wheelhouse/ with 安装.bat and 使用说明.txt.
wheelhouse: install
	$(PY) tools/wheelhouse.py dist/wheelhouse

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis dist/wheelhouse fuzz-failures
