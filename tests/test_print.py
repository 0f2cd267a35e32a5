"""The blank workbook as LibreOffice prints it: every instruction whole, every text at least 10.5 pt.

LibreOffice stands in for Excel's printer with Carlito, Calibri's metric twin, measuring the
columns (see gxsheet/workbook/paper.py); `pdftotext -bbox` gives each word's box on the page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from engine import convert, excel_metrics

from gxsheet.schema import SCHEMA
from gxsheet.schema.receipt import RECEIPT_WIDTHS
from gxsheet.templates import render_lines
from gxsheet.workbook.layout import LAYOUT
from gxsheet.workbook.meta import Meta
from gxsheet.workbook.paper import FONT_PT, MIN_PRINTED_PT, scale

CJK = re.compile(r"[\u4e00-\u9fff]")
# Noto Sans CJK, which renders 宋体 here: a word's box is 1.3 times its font size (ascent + descent).
BOX_PER_PT = 1.3


@pytest.fixture(scope="module")
def pdf(blank_workbook: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    excel_metrics()
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed; run `make engine`")
    return convert([blank_workbook], tmp_path_factory.mktemp("print"), to="pdf")[0]


def pages(pdf: Path) -> list[list[tuple[str, float]]]:
    """Each page's words with the font size they print at."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    root = ET.fromstring(out.replace(' xmlns="http://www.w3.org/1999/xhtml"', ""))
    return [[(w.text or "", (float(w.get("yMax", 0)) - float(w.get("yMin", 0))) / BOX_PER_PT)
             for w in page.iter("word")] for page in root.iter("page")]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.engine
def test_every_instruction_prints_whole(pdf: Path) -> None:
    text = squeeze(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    lines = render_lines("workbook/填表说明.txt", Meta("柴胡店镇人民政府", 2024).template_vars())
    missing = [line for line in lines if squeeze(line) not in text]
    assert not missing


@pytest.mark.engine
def test_printed_text_is_at_least_10_5_pt(pdf: Path) -> None:
    found = pages(pdf)
    assert len(found) >= len([s for s in LAYOUT.sheets if s.values or s.widths])
    small = [(n, word, round(size, 2)) for n, words in enumerate(found, 1) for word, size in words
             if CJK.search(word) and size < MIN_PRINTED_PT - 0.05]
    assert not small, small[:10]


def test_every_sheet_fits_its_page_at_full_size() -> None:
    """The model the layout is drawn to: columns fit A4 at 100 %, so 11 pt prints as 11 pt."""
    for sheet in LAYOUT.sheets:
        assert scale(sheet.widths, sheet.landscape) * FONT_PT >= MIN_PRINTED_PT, sheet.name
    assert scale(dict(enumerate(RECEIPT_WIDTHS)), False) == 1  # the 问题回执 of a marked copy
    assert SCHEMA.tables  # the tables are among them


@pytest.mark.engine
def test_every_check_label_prints_whole(pdf: Path) -> None:
    """The 校验：… labels beside and below the tables are neither cut nor clipped."""
    text = squeeze(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    labels = [t.text for s in LAYOUT.sheets for t in s.texts if t.style == "check_label"]
    assert labels
    assert not [label for label in labels if squeeze(label) not in text]
