"""The 问题回执 sheet of a marked copy: every problem of the report, one a row, first in the workbook."""

from __future__ import annotations

from dataclasses import dataclass

import xlsxwriter

from ..schema.receipt import RECEIPT_HEADERS, RECEIPT_SHEET, RECEIPT_WIDTHS, receipt_summary, receipt_title
from .layout import wrapped_lines
from .styles import Styles


@dataclass(frozen=True)
class Receipt:
    """What the sheet lists: (sheet, cell, severity in Chinese, message) per problem."""

    unit: str
    year: int
    rows: tuple[tuple[str, str, str, str], ...]
    errors: int
    warnings: int
    name: str = RECEIPT_SHEET

    def write(self, wb: xlsxwriter.Workbook, styles: Styles, password: str) -> None:
        ws = wb.add_worksheet(self.name)
        last = len(RECEIPT_HEADERS) - 1
        for col, width in enumerate(RECEIPT_WIDTHS):
            ws.set_column(col, col, width)
        title = receipt_title(self.unit, self.year)
        ws.merge_range(0, 0, 0, last, "", styles.text("title"))
        styles.quoted.write(ws, 0, 0, title, styles.text("title"))
        ws.set_row(0, 24)
        summary = receipt_summary(self.errors, self.warnings)
        ws.merge_range(1, 0, 1, last, summary, styles.text("note"))
        ws.set_row(1, 15 * wrapped_lines(summary, sum(RECEIPT_WIDTHS) - 4))
        for col, text in enumerate(RECEIPT_HEADERS):
            ws.write_string(2, col, text, styles.text("header"))
        for n, (sheet, cell, severity, message) in enumerate(self.rows, 1):
            row = 2 + n
            ws.write_number(row, 0, n, styles.text("label"))
            for col, text in enumerate((sheet, cell, severity, message), 1):
                styles.quoted.write(ws, row, col, text, styles.text("label"))
            lines = max(wrapped_lines(t, RECEIPT_WIDTHS[c] - 2) for c, t in enumerate((sheet, cell, severity,
                                                                                      message), 1))
            if lines > 1:
                ws.set_row(row, 15 * lines)
        ws.repeat_rows(2)
        ws.freeze_panes(3, 0)
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.center_horizontally()
        ws.hide_gridlines(2)
        ws.protect(password, {"format_rows": True, "format_columns": True})
