"""The summary workbook of a round (`gxsheet collect -o 汇总.xlsx`): who submitted what, every
problem, and tables 二, 三 and 四 summed over the units that passed.

Unlike the fill-in workbook it holds no formulas and no protection: it is a report for the
office. Everything that came from a submitted workbook (unit names, file names, messages
quoting what staff typed) is written with write_string, and with a quote prefix when it starts
like a formula, so a text such as =HYPERLINK(...) stays text in every spreadsheet program, even
re-entered or saved as CSV.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .atomic import atomic_path
from .collect import DUPLICATE, FAILED, MISSING, PASSED, UNREADABLE, Collection, Submission, shown_path
from .inert import Quoted
from .schema import SCHEMA, Kind, Severity, Table
from .schema.grid import Grid, grid, positions
from .status import BLANK, NOT_APPLICABLE

STATUS_SHEET = "提交情况"
PROBLEM_SHEET = "问题清单"
TOTALS_SHEET = "汇总表"
STATUS_HEADERS = ("序号", "单位", "文件", "年度", "模板版本", "状态", "错误数", "提醒数", "主要问题")
STATUS_WIDTHS = (6, 26, 30, 8, 10, 10, 8, 8, 70)
STATUS_TOP = 2  # title, summary line, then the header row
PROBLEM_HEADERS = ("单位", "文件", "表格", "行", "列", "单元格", "规则", "类别", "说明")
PROBLEM_WIDTHS = (24, 26, 12, 30, 14, 18, 18, 6, 70)
TOTALS_TOP = 3  # title, the units summed, a blank row
TOTALS_WIDTHS = {0: 16, 1: 14, 2: 34}  # other columns 10: 表三's three label columns, then values
UNKNOWN = "（未知单位）"
FONT = "宋体"
COLOURS = {  # status word -> (background, font)
    PASSED: ("#C6EFCE", "#006100"),
    FAILED: ("#FF4D4D", "#FFFFFF"),
    UNREADABLE: ("#C00000", "#FFFFFF"),
    MISSING: ("#FFC000", "#000000"),
    DUPLICATE: ("#F4B084", "#000000"),
    Severity.ERROR.zh: ("#FF4D4D", "#FFFFFF"),
    Severity.WARNING.zh: ("#FFC000", "#000000"),
    BLANK: ("#EDEDED", "#7F7F7F"),
    NOT_APPLICABLE: ("#EDEDED", "#7F7F7F"),
}


@lru_cache(maxsize=1)
def totals_layout() -> tuple[tuple[tuple[Table, Grid, int], ...], dict[str, tuple[int, int]], int]:
    """Where the tables sit on 汇总表: (table, grid, title row) each, each cell key's (row, col), the next free row."""
    row = TOTALS_TOP
    placed: list[tuple[Table, Grid, int]] = []
    where: dict[str, tuple[int, int]] = {}
    for table in SCHEMA.tables:
        g = grid(table)
        placed.append((table, g, row))
        where |= {key: (row + 1 + r, c) for key, (r, c) in positions(g).items()}
        row += 1 + g.rows + 1
    return tuple(placed), where, row


def totals_positions() -> dict[str, tuple[int, int]]:
    """Each table cell key's zero-based (row, column) on the 汇总表 sheet."""
    return totals_layout()[1]


class _Styles:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base: dict[str, Any] = {"font_name": FONT, "font_size": 11, "valign": "vcenter"}
        box = {**base, "border": 1, "text_wrap": True}
        self.quoted = Quoted(wb)
        self.title = wb.add_format({**base, "bold": True, "font_size": 14})
        self.line = wb.add_format({**base, "bold": True})
        self.note = wb.add_format({**base, "text_wrap": True, "font_color": "#595959"})
        self.header = wb.add_format({**box, "bold": True, "align": "center", "bg_color": "#DDEBF7"})
        self.label = wb.add_format({**box, "bg_color": "#F2F2F2"})
        self.cell = wb.add_format(box)
        self.centre = wb.add_format({**box, "align": "center"})
        self.count = wb.add_format({**box, "align": "center", "num_format": "0"})
        self.amount = wb.add_format({**box, "align": "center", "num_format": "General"})
        self.status = {word: wb.add_format({**box, "align": "center", "bold": True, "bg_color": bg, "font_color": fg})
                       for word, (bg, fg) in COLOURS.items()}

    def of(self, word: str) -> Format:
        return self.status.get(word, self.centre)


def write_summary(collection: Collection, target: Path) -> None:
    """Write the summary workbook atomically (the caller decides whether target may be replaced)."""
    with atomic_path(target) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False,
                                            "strings_to_urls": False, "in_memory": True})  # no temp files to leak
        styles = _Styles(wb)
        _status_sheet(wb.add_worksheet(STATUS_SHEET), styles, collection)
        _problem_sheet(wb.add_worksheet(PROBLEM_SHEET), styles, collection)
        _totals_sheet(wb.add_worksheet(TOTALS_SHEET), styles, collection)
        year = f"{collection.year}年" if collection.year else ""
        wb.set_properties({"title": f"{year}政府信息公开工作年度报告汇总", "author": "gxsheet",
                           "subject": "政府信息公开工作年度报告"})
        wb.close()


def _file(collection: Collection, s: Submission) -> str:
    return shown_path(s.path, collection.folder)


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text needs in a column this wide (CJK glyphs take two width units)."""
    return sum(max(1, -(-len(part) * 2 // max(int(width), 1))) for part in text.split("\n"))


def _print(ws: Worksheet, repeat: int) -> None:
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.repeat_rows(repeat)


def _status_sheet(ws: Worksheet, st: _Styles, c: Collection) -> None:
    for col, width in enumerate(STATUS_WIDTHS):
        ws.set_column(col, col, width)
    year = f"{c.year}年" if c.year else ""
    ws.write_string(0, 0, f"{year}政府信息公开工作年度报告提交情况", st.title)
    st.quoted.write(ws, 1, 0, c.headline(), st.line)
    for col, name in enumerate(STATUS_HEADERS):
        ws.write_string(STATUS_TOP, col, name, st.header)
    row = STATUS_TOP
    for n, s in enumerate(c.submissions, 1):
        row = STATUS_TOP + n
        ws.write_number(row, 0, n, st.centre)
        st.quoted.write(ws, row, 1, s.unit or UNKNOWN, st.cell)
        st.quoted.write(ws, row, 2, _file(c, s), st.cell)
        if s.year is not None:
            ws.write_number(row, 3, s.year, st.centre)
        else:
            ws.write_blank(row, 3, None, st.centre)
        ws.write_string(row, 4, s.schema, st.centre)
        ws.write_string(row, 5, s.status, st.of(s.status))
        ws.write_number(row, 6, s.errors, st.centre)
        ws.write_number(row, 7, s.warnings, st.centre)
        text = "\n".join(s.first)
        st.quoted.write(ws, row, 8, text, st.cell)
        lines = max(_lines(text, STATUS_WIDTHS[8]), _lines(s.unit, STATUS_WIDTHS[1]),
                    _lines(_file(c, s), STATUS_WIDTHS[2]))
        if lines > 1:
            ws.set_row(row, 15 * lines)
    ws.freeze_panes(STATUS_TOP + 1, 0)
    ws.autofilter(STATUS_TOP, 0, row, len(STATUS_HEADERS) - 1)
    _print(ws, STATUS_TOP)


def _problem_sheet(ws: Worksheet, st: _Styles, c: Collection) -> None:
    for col, width in enumerate(PROBLEM_WIDTHS):
        ws.set_column(col, col, width)
    for col, name in enumerate(PROBLEM_HEADERS):
        ws.write_string(0, col, name, st.header)
    row = 0
    for s in c.submissions:
        for p in s.problems:
            row += 1
            place = f"{p.sheet}!{p.cell}" if p.cell else ""
            texts = (s.unit or UNKNOWN, _file(c, s), p.group, p.row, p.column, place, p.rule or p.code)
            for col, text in enumerate(texts):
                st.quoted.write(ws, row, col, text, st.cell)
            ws.write_string(row, 7, p.severity.zh, st.of(p.severity.zh))
            st.quoted.write(ws, row, 8, p.message, st.cell)
            lines = max(_lines(p.message, PROBLEM_WIDTHS[8]), _lines(p.row, PROBLEM_WIDTHS[3]))
            if lines > 1:
                ws.set_row(row, 15 * lines)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(row, 1), len(PROBLEM_HEADERS) - 1)
    _print(ws, 0)


def _merge(ws: Worksheet, row: int, col: int, rowspan: int, colspan: int, fmt: Format) -> None:
    if rowspan > 1 or colspan > 1:
        ws.merge_range(row, col, row + rowspan - 1, col + colspan - 1, "", fmt)


def _totals_sheet(ws: Worksheet, st: _Styles, c: Collection) -> None:
    placed, where, bottom = totals_layout()
    width = max(g.cols for _, g, _ in placed)
    widths = {col: TOTALS_WIDTHS.get(col, 10) for col in range(width)}
    for col, w in widths.items():
        ws.set_column(col, col, w)
    year = f"{c.year}年" if c.year else ""
    ws.write_string(0, 0, f"{year}政府信息公开工作年度报告汇总表（表二、表三、表四）", st.title)
    if c.counted:
        counted = (f"计入汇总的单位：{c.counted}个。只汇总通过校验的单位；有错误、无法读取、未提交、重复提交、"
                   "年度不符和名单外的不计入。")
    else:
        counted = "计入汇总的单位：0个。没有通过校验的单位，下列表格未汇总。"
    _merge(ws, 1, 0, 1, width, st.note)
    ws.write_string(1, 0, counted, st.note)
    ws.set_row(1, 15 * _lines(counted, sum(widths.values())))
    heights: dict[int, int] = {}
    for table, g, top in placed:
        _merge(ws, top, 0, 1, g.cols, st.line)
        ws.write_string(top, 0, table.title, st.line)
        for cell in g.cells:
            row, col = top + 1 + cell.row, cell.col
            if cell.key:
                fmt = st.amount if SCHEMA.cells[cell.key].kind is Kind.AMOUNT else st.count
                _merge(ws, row, col, 1, cell.colspan, fmt)
                n = c.summed_numbers.get(cell.key)
                if n is None:
                    ws.write_blank(row, col, None, fmt)
                else:
                    ws.write_number(row, col, int(n) if n == n.to_integral_value() else float(n), fmt)
                continue
            fmt = st.header if cell.header else st.label
            _merge(ws, row, col, cell.rowspan, cell.colspan, fmt)
            ws.write_string(row, col, cell.text, fmt)
            if cell.rowspan == 1:
                span = sum(widths[k] for k in range(col, col + cell.colspan))
                heights[row] = max(heights.get(row, 1), _lines(cell.text, span))
    for row, lines in heights.items():
        if lines > 1:
            ws.set_row(row, 15 * lines)
    _rules(ws, st, c, bottom, width)
    _print(ws, 0)
    ws.fit_to_pages(1, 0)


RULE_HEADERS = ((0, 1, "编号"), (1, 1, "表格"), (2, 1, "位置"), (3, 6, "规则"), (9, 1, "状态"))


def _rules(ws: Worksheet, st: _Styles, c: Collection, top: int, width: int) -> None:
    """Every table rule's status on the sums (the same rules each unit's workbook passed)."""
    rules = c.total_rules()
    broken = [(i, r) for i, r, status in rules if status in (Severity.ERROR.zh, Severity.WARNING.zh)]
    if not c.counted:
        verdict = "汇总数据校验：未汇总，不校验"
    elif broken:
        verdict = f"汇总数据校验：有{len(broken)}处不符——" + "；".join(f"{i.id} {r.title}（{i.where}）"
                                                                   for i, r in broken)
    else:
        verdict = "汇总数据校验：全部通过（与各单位工作簿相同的规则）"
    _merge(ws, top, 0, 1, width, st.line)
    ws.write_string(top, 0, verdict, st.line)
    row = top + 1
    for col, span, name in RULE_HEADERS:
        _merge(ws, row, col, 1, span, st.header)
        ws.write_string(row, col, name, st.header)
    for inst, rule, status in rules:
        row += 1
        texts = (inst.id, rule.group, inst.where, rule.title)
        lines = 1
        for (col, span, _), text in zip(RULE_HEADERS, texts, strict=False):
            _merge(ws, row, col, 1, span, st.cell)
            ws.write_string(row, col, text, st.cell)
            lines = max(lines, _lines(text, sum(TOTALS_WIDTHS.get(k, 10) for k in range(col, col + span))))
        ws.write_string(row, 9, status, st.of(status))
        if lines > 1:
            ws.set_row(row, 15 * lines)
