"""Where things stand on the sheets: last year's column, the overall status row."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from gxsheet.schema import SCHEMA
from gxsheet.workbook.layout import CHECKS


def _find(ws, text: str):  # type: ignore[no-untyped-def]
    return next(c for row in ws.iter_rows() for c in row if c.value == text)


def test_last_years_stock_stands_next_to_this_years(blank_workbook: Path) -> None:
    ws = load_workbook(blank_workbook)[SCHEMA.tables[0].sheet]
    this, last, check = _find(ws, "现行有效件数"), _find(ws, "上年现行有效件数"), _find(ws, "校验")
    assert last.column == this.column + 1
    assert check.column > last.column


def test_overall_status_row_is_tall_enough(blank_workbook: Path) -> None:
    ws = load_workbook(blank_workbook)[CHECKS]
    cell = ws["B2"]
    assert cell.font.sz == 14
    assert (ws.row_dimensions[2].height or 15) >= 14 * 1.3 + 4
