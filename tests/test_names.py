"""Every keyed cell of a new workbook has a defined name: gx_ and its key with dots as underscores."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from openpyxl import load_workbook

from gxsheet.schema import SCHEMA
from gxsheet.workbook.layout import LAYOUT
from gxsheet.xlsx import a1

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# What Excel reads as a reference (A1, XFD1048576, R1C1, R, C) cannot be a name.
LOOKS_LIKE_REF = re.compile(r"(?i)^(?:[a-z]{1,3}\d+|r\d*c\d*|r|c)$")


@pytest.fixture(scope="module")
def names(blank_workbook: Path) -> dict[str, str]:
    with zipfile.ZipFile(blank_workbook) as z:
        book = ET.fromstring(z.read("xl/workbook.xml"))
    return {d.get("name", ""): d.text or "" for d in book.iter(f"{MAIN}definedName")
            if not d.get("name", "").startswith("_xlnm.")}


def test_every_key_has_its_name(names: dict[str, str]) -> None:
    assert len(names) == len(LAYOUT.where)
    for key, (sheet, row, col) in LAYOUT.where.items():
        name = "gx_" + key.replace(".", "_")
        assert names.get(name) == "'" + sheet + "'!" + re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", a1(row, col)), key


def test_names_are_valid_excel_names(names: dict[str, str]) -> None:
    for name in names:
        assert re.fullmatch(r"gx_[a-z0-9_]+", name), name
        assert not LOOKS_LIKE_REF.match(name), name
        assert len(name) <= 255


@pytest.mark.parametrize(("name", "row_text", "column_text"), [
    ("gx_t3_partial_commercial", "部分公开", "商业企业"),
    ("gx_t3_new_natural", "本年新收", "自然人"),
    ("gx_t4_review_upheld", "", "结果维持"),
    ("gx_t4_direct_corrected", "", "结果纠正"),
])
def test_names_point_at_the_cells_their_labels_say(blank_workbook: Path, names: dict[str, str],
                                                   name: str, row_text: str, column_text: str) -> None:
    """Read by the sheet's own labels, not by the layout: the row and column headings match."""
    sheet, ref = names[name].rsplit("!", 1)
    ws = load_workbook(blank_workbook)[sheet.strip("'")]
    cell = ws[ref.replace("$", "")]
    assert cell.protection.locked is False
    row_labels = "".join(str(c.value or "") for c in ws[cell.row][: cell.column - 1])
    heading = "".join(str(ws.cell(r, cell.column).value or "") for r in range(1, cell.row))
    assert row_text in row_labels and column_text in heading, (row_labels, heading)


def test_every_input_name_is_an_unlocked_cell(blank_workbook: Path, names: dict[str, str]) -> None:
    book = load_workbook(blank_workbook)
    for key in SCHEMA.cells:
        if not SCHEMA.is_input(key):
            continue
        sheet, ref = names["gx_" + key.replace(".", "_")].rsplit("!", 1)
        assert book[sheet.strip("'")][ref.replace("$", "")].protection.locked is False, key
