"""Write the locked fill-in workbook from the schema and its layout (`gxsheet new`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from ..atomic import atomic_path
from ..schema import SCHEMA
from ..schema.receipt import NOTE_AUTHOR
from ..status import BLANK, PASS
from ..templates import render_lines
from . import formulas
from .layout import (
    CHECK_HEADERS,
    CHECK_TOP,
    CHECK_WIDTHS,
    CHECKS,
    INSTRUCTIONS,
    LAYOUT,
    META,
    SheetLayout,
    Text,
    wrapped_lines,
)
from .meta import Meta, note_targets
from .names import defined_names
from .receipt import Receipt
from .styles import FONT_PT, TITLE_PT, Styles
from .validation import validation

Value = str | int | Decimal | dt.date


class _Workbook(xlsxwriter.Workbook):  # type: ignore[misc]
    """xlsxwriter cannot lock the workbook structure; this writes <workbookProtection>."""

    structure_password: str | None = None

    def _write_book_views(self) -> None:
        if self.structure_password is not None:
            attrs: list[tuple[str, Any]] = []
            if self.structure_password:
                attrs.append(("workbookPassword", _legacy_hash(self.structure_password)))
            attrs.append(("lockStructure", 1))
            self._xml_empty_tag("workbookProtection", attrs)
        super()._write_book_views()


def _legacy_hash(password: str) -> str:
    # ECMA-376 Part 4 §14.7.1: the 16-bit hash Excel, WPS and LibreOffice all accept.
    digest = 0
    for char in password[::-1]:
        digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
        digest ^= ord(char)
    digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
    digest ^= len(password) ^ 0xCE4B
    return f"{digest:X}"


def write_workbook(path: Path, meta: Meta, values: Mapping[str, object] | None = None,
                   password: str = "", locked: frozenset[str] = frozenset(),
                   marks: Mapping[str, str] | None = None, receipt: Receipt | None = None) -> None:
    """Write a new workbook for one unit and year, optionally prefilled, atomically.

    Keys in locked (二、上年结转 taken from last year) are written as prefilled and cannot be edited.
    marks (key → note) outline those cells in red with the note attached, and receipt adds a
    first sheet listing the problems: the marked copy of `gxsheet check --mark`.
    """
    with atomic_path(path) as tmp:
        wb = _Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_formulas": False,
                                  "strings_to_urls": False, "in_memory": True})  # no temp files to leak
        wb.structure_password = password
        styles = Styles(wb)
        filled = dict(values or {})
        filled.setdefault("unit", meta.unit)
        filled.setdefault("year", meta.year)
        marked = dict(marks or {})
        if receipt is not None:
            receipt.write(wb, styles, password)
        for sheet in LAYOUT.sheets:
            ws = wb.add_worksheet(sheet.name)
            if sheet.name == INSTRUCTIONS:
                _instructions(ws, styles, meta)
            elif sheet.name == CHECKS:
                _checks(ws, styles)
            elif sheet.name == META:
                _meta(ws, styles, meta)
            else:
                _content(ws, styles, sheet, filled, locked, marked)
            _protect(ws, sheet, password)
        for name, ref in defined_names().items():
            wb.define_name(name, "=" + ref)
        meta.write_properties(wb)
        first = receipt.name if receipt is not None else LAYOUT.sheets[1].name
        wb.get_worksheet_by_name(first).activate()
        wb.close()


def _protect(ws: Worksheet, sheet: SheetLayout, password: str) -> None:
    ws.protect(password, {"format_rows": True, "format_columns": True})
    if sheet.name == META:
        ws.very_hidden()


def _texts(ws: Worksheet, styles: Styles, texts: list[Text]) -> None:
    for t in texts:
        fmt = styles.text(t.style)
        if t.rowspan > 1 or t.colspan > 1:
            ws.merge_range(t.row, t.col, t.row + t.rowspan - 1, t.col + t.colspan - 1, t.text, fmt)
        else:
            ws.write_string(t.row, t.col, t.text, fmt)


def _content(ws: Worksheet, styles: Styles, sheet: SheetLayout, values: Mapping[str, object],
             locked: frozenset[str], marks: Mapping[str, str]) -> None:
    for col, width in sheet.widths.items():
        ws.set_column(col, col, width)
    for row, height in sheet.heights.items():
        ws.set_row(row, height)
    _texts(ws, styles, sheet.texts)
    for key, (row, col) in sheet.values.items():
        span = sheet.value_spans.get(key, 1)
        if SCHEMA.is_input(key):
            _input(ws, styles, key, row, col, span, values.get(key), key in locked, key in marks)
        else:
            fmt = styles.marked_computed if key in marks else styles.computed
            if span > 1:
                ws.merge_range(row, col, row, col + span - 1, "", fmt)
            ws.write_formula(row, col, formulas.computed(key), fmt, "")
    for iid, (row, col, span) in sheet.checks.items():
        inst = next(i for i in SCHEMA.instances if i.id == iid)
        if span > 1:
            ws.merge_range(row, col, row, col + span - 1, "", styles.check)
        ws.write_formula(row, col, formulas.check_cell(inst), styles.check, "")
    for row, col, _ in sheet.checks.values():
        styles.status_colours(ws, row, col)
    _blank_inputs(ws, styles, sheet)
    for key, (row, col) in sheet.values.items():
        if key in marks:
            ws.write_comment(row, col, marks[key], {"author": NOTE_AUTHOR, "x_scale": 2.5, "y_scale": 2})
    _print(ws, sheet)


EXACT = 10**15  # a spreadsheet number holds 15 digits; a number past them is prefilled as text


def _input(ws: Worksheet, styles: Styles, key: str, row: int, col: int, span: int,
           value: object, prefilled: bool, marked: bool = False) -> None:
    kind = SCHEMA.kind(key)
    field = SCHEMA.field_map.get(key)
    locked = bool(field and field.locked) or prefilled
    fmt = styles.input(kind, locked, marked)
    if span > 1:
        ws.merge_range(row, col, row, col + span - 1, "", fmt)
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt)
    elif isinstance(value, (int, Decimal)):
        _number(ws, row, col, value, fmt)
    else:
        styles.quoted.write(ws, row, col, str(value), fmt)
    if not locked:
        ws.data_validation(row, col, row, col + span - 1, validation(key, kind))


def _number(ws: Worksheet, row: int, col: int, value: int | Decimal, fmt: Format) -> None:
    if -EXACT < value < EXACT:
        ws.write_number(row, col, value if isinstance(value, int) else float(value), fmt)
    else:  # kept as typed, so the check names it (as a float it would be inf)
        ws.write_string(row, col, format(Decimal(value), "f"), fmt)


def _blank_inputs(ws: Worksheet, styles: Styles, sheet: SheetLayout) -> None:
    """Blank table and figure inputs are tinted until filled, so nothing is left out."""
    for key, (row, col) in sheet.values.items():
        if SCHEMA.is_input(key) and key in SCHEMA.cells:
            span = sheet.value_spans.get(key, 1)
            ws.conditional_format(row, col, row, col + span - 1,
                                  {"type": "blanks", "format": styles.blank_cf})


def _print(ws: Worksheet, sheet: SheetLayout) -> None:
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.center_horizontally()
    if sheet.landscape:
        ws.set_landscape()
    if sheet.repeat_rows:
        ws.repeat_rows(*sheet.repeat_rows)
    if sheet.freeze:
        ws.freeze_panes(*sheet.freeze)
    ws.hide_gridlines(2)


def _instructions(ws: Worksheet, styles: Styles, meta: Meta) -> None:
    """One instruction a row, wrapped in a column that prints whole on A4 at full size."""
    sheet = LAYOUT.by_name[INSTRUCTIONS]
    width = sheet.widths[0]
    ws.set_column(0, 0, width)
    for row, line in enumerate(render_lines("workbook/填表说明.txt", meta.template_vars())):
        style = "title" if row == 0 else ("header" if line[:2] in ("一、", "二、", "三、") else "note")
        ws.write_string(row, 0, line, styles.text(style))
        # A little room to spare: a line must not lose its last glyph to a narrower font.
        if row == 0:
            ws.set_row(row, 24 * wrapped_lines(line, (width - 4) * FONT_PT / TITLE_PT))
        else:
            ws.set_row(row, 15 * wrapped_lines(line, width - 4))
    _print(ws, sheet)


def _checks(ws: Worksheet, styles: Styles) -> None:
    first, last = formulas.status_range()
    for col, width in enumerate(CHECK_WIDTHS):
        ws.set_column(col, col, width)
    ws.merge_range(0, 0, 0, 5, "校验结果（随填写自动更新）", styles.text("title"))
    ws.write_string(1, 0, "总体状态", styles.text("header"))
    ws.set_row(1, 27)  # the overall status is 14 pt bold
    ws.merge_range(1, 1, 1, 5, "", styles.overall)
    ws.write_formula(1, 1, formulas.overall(first, last), styles.overall, "")
    ws.merge_range(2, 0, 2, 5, f"状态说明：{PASS}＝符合规则；{BLANK}＝相关格尚未填完，暂不能判断；"
                   "错误＝必须改正；提醒＝请核实。", styles.text("hint"))
    for col, name in enumerate(CHECK_HEADERS):
        ws.write_string(CHECK_TOP - 1, col, name, styles.text("header"))
    for inst in SCHEMA.instances:
        rule = SCHEMA.rule_of[inst.id]
        row = LAYOUT.check_rows[inst.id]
        sheet = LAYOUT.where[inst.relation.keys[0]][0]
        texts = (inst.id, sheet, inst.where, rule.title, rule.severity.zh)
        for col, text in enumerate(texts):
            ws.write_string(row, col, text, styles.text("label"))
        lines = max(wrapped_lines(text, CHECK_WIDTHS[col]) for col, text in enumerate(texts))
        if lines > 1:
            ws.set_row(row, 14.5 * lines)
        ws.write_formula(row, 5, formulas.status(inst), styles.check, "")
    styles.status_colours(ws, first, 5, last)
    styles.overall_colours(ws, 1, 1)
    _print(ws, LAYOUT.by_name[CHECKS])


def _meta(ws: Worksheet, styles: Styles, meta: Meta) -> None:
    for row, (name, value) in enumerate(meta.rows()):
        ws.write_string(row, 0, name)
        styles.quoted.write(ws, row, 1, value)
    for row, label in enumerate(note_targets()):
        ws.write_string(row, 3, label)
