"""The summary workbook of a round (`gxsheet collect -o 汇总.xlsx`): who submitted what, every
problem, and tables 二, 三 and 四 summed over the units that passed.

Unlike the fill-in workbook it holds no formulas and no protection: it is a report for the
office. Everything that came from a submitted workbook (unit names, file names, messages
quoting what staff typed) is written with write_string, and with a quote prefix when it starts
like a formula, so a text such as =HYPERLINK(...) stays text in every spreadsheet program, even
re-entered or saved as CSV.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .atomic import atomic_path
from .collect import FIRST, Collection, shown_path
from .inert import Quoted
from .jsonio import plain
from .outcome import Outcome, Status
from .problems import Problem
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
PROBLEM_WIDTHS = (24, 26, 12, 30, 14, 26, 18, 6, 70)
TOTALS_TOP = 3  # title, the units summed, a blank row
TOTALS_WIDTHS = {0: 16, 1: 14, 2: 34}  # other columns 10: 表三's three label columns, then values
UNKNOWN = "（未知单位）"
LINE = 16  # points a wrapped line takes: CJK fonts stand taller than 11 points
FONT = "宋体"
COLOURS = {  # status word -> (background, font)
    Status.OK.zh: ("#C6EFCE", "#006100"),
    Status.ERRORS.zh: ("#FF4D4D", "#FFFFFF"),
    Status.FINDINGS.zh: ("#FFC000", "#000000"),
    Status.UNREADABLE.zh: ("#C00000", "#FFFFFF"),
    Status.MISSING.zh: ("#FFC000", "#000000"),
    Status.DUPLICATE.zh: ("#F4B084", "#000000"),
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


class Styles:
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


@contextmanager
def workbook(target: Path) -> Iterator[xlsxwriter.Workbook]:
    """A workbook written atomically to target (the caller decides whether it may be replaced);
    text stays text: nothing a file held is read as a formula, a number or a link."""
    with atomic_path(target) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False,
                                            "strings_to_urls": False, "in_memory": True})  # no temp files to leak
        yield wb
        wb.close()


def write_summary(collection: Collection, target: Path) -> None:
    """Write the summary workbook atomically (the caller decides whether target may be replaced)."""
    with workbook(target) as wb:
        styles = Styles(wb)
        _status_sheet(wb.add_worksheet(STATUS_SHEET), styles, collection)
        _problem_sheet(wb.add_worksheet(PROBLEM_SHEET), styles, collection)
        _totals_sheet(wb.add_worksheet(TOTALS_SHEET), styles, collection)
        year = f"{collection.year}年" if collection.year else ""
        wb.set_properties({"title": f"{year}政府信息公开工作年度报告汇总", "author": "gxsheet",
                           "subject": "政府信息公开工作年度报告"})


def _file(collection: Collection, s: Outcome) -> str:
    return shown_path(s.path, collection.folder)


def wrapped(text: str, width: float) -> int:
    """Lines a wrapped text needs in a column this wide (CJK glyphs take two width units)."""
    return sum(max(1, -(-len(part) * 2 // max(int(width), 1))) for part in text.split("\n"))


def print_setup(ws: Worksheet, repeat: int) -> None:
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.repeat_rows(repeat)


def _status_sheet(ws: Worksheet, st: Styles, c: Collection) -> None:
    year = f"{c.year}年" if c.year else ""
    outcome_sheet(ws, st, f"{year}政府信息公开工作年度报告提交情况", c.headline(), c.submissions,
                  lambda s: _file(c, s), (STATUS_HEADERS[4], lambda s: s.schema))


def outcome_sheet(ws: Worksheet, st: Styles, title: str, headline: str, outcomes: list[Outcome],
                  file: Callable[[Outcome], str], column: tuple[str, Callable[[Outcome], str]]) -> None:
    """One row per file: unit, file, year, the command's own column (template, format), status, counts,
    the first problems. collect's 提交情况 and audit's 审查结果 alike."""
    for col, width in enumerate(STATUS_WIDTHS):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, title, st.title)
    st.quoted.write(ws, 1, 0, headline, st.line)
    for col, name in enumerate((*STATUS_HEADERS[:4], column[0], *STATUS_HEADERS[5:])):
        ws.write_string(STATUS_TOP, col, name, st.header)
    row = STATUS_TOP
    for n, s in enumerate(outcomes, 1):
        row = STATUS_TOP + n
        ws.write_number(row, 0, n, st.centre)
        st.quoted.write(ws, row, 1, s.unit or UNKNOWN, st.cell)
        st.quoted.write(ws, row, 2, file(s), st.cell)
        if s.year is not None:
            ws.write_number(row, 3, s.year, st.centre)
        else:
            ws.write_blank(row, 3, None, st.centre)
        st.quoted.write(ws, row, 4, column[1](s), st.centre)
        ws.write_string(row, 5, s.status.zh, st.of(s.status.zh))
        ws.write_number(row, 6, s.errors, st.centre)
        ws.write_number(row, 7, s.warnings, st.centre)
        text = "\n".join(s.first(FIRST))
        st.quoted.write(ws, row, 8, text, st.cell)
        lines = max(wrapped(text, STATUS_WIDTHS[8]), wrapped(s.unit, STATUS_WIDTHS[1]),
                    wrapped(file(s), STATUS_WIDTHS[2]), wrapped(column[1](s), STATUS_WIDTHS[4]))
        if lines > 1:
            ws.set_row(row, LINE * lines)
    ws.freeze_panes(STATUS_TOP + 1, 0)
    ws.autofilter(STATUS_TOP, 0, row, len(STATUS_HEADERS) - 1)
    print_setup(ws, STATUS_TOP)


def _problem_sheet(ws: Worksheet, st: Styles, c: Collection) -> None:
    problem_sheet(ws, st, [(s, _file(c, s)) for s in c.submissions])


def cells(p: Problem) -> str:
    """Where a problem is: its cell on its sheet, else the keys of the cells it is about."""
    if p.cell:
        return f"{p.sheet}!{p.cell}"
    return "、".join(p.keys or ((p.key,) if p.key else ()))


def problem_sheet(ws: Worksheet, st: Styles, files: list[tuple[Outcome, str]], where: str = "",
                  kind: Callable[[Problem], str] | None = None) -> None:
    """Every problem of every file, one a row (where: the third column's name, 表格 by default; kind:
    the 类别 word, the severity by default)."""
    for col, width in enumerate(PROBLEM_WIDTHS):
        ws.set_column(col, col, width)
    for col, name in enumerate(PROBLEM_HEADERS):
        ws.write_string(0, col, where if col == 2 and where else name, st.header)
    row = 0
    for s, file in files:
        for p in s.problems:
            row += 1
            texts = (s.unit or UNKNOWN, file, p.group, p.row, p.column, cells(p), p.rule or p.code)
            for col, text in enumerate(texts):
                st.quoted.write(ws, row, col, text, st.cell)
            word = kind(p) if kind else p.severity.zh
            ws.write_string(row, 7, word, st.of(word))
            st.quoted.write(ws, row, 8, p.message, st.cell)
            lines = max(wrapped(p.message, PROBLEM_WIDTHS[8]), wrapped(p.row, PROBLEM_WIDTHS[3]),
                        wrapped(texts[5], PROBLEM_WIDTHS[5]))
            if lines > 1:
                ws.set_row(row, LINE * lines)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(row, 1), len(PROBLEM_HEADERS) - 1)
    print_setup(ws, 0)


def _merge(ws: Worksheet, row: int, col: int, rowspan: int, colspan: int, fmt: Format) -> None:
    if rowspan > 1 or colspan > 1:
        ws.merge_range(row, col, row + rowspan - 1, col + colspan - 1, "", fmt)


def _totals_sheet(ws: Worksheet, st: Styles, c: Collection) -> None:
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
    ws.set_row(1, LINE * wrapped(counted, sum(widths.values())))
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
                    ws.write_number(row, col, plain(n), fmt)
                continue
            fmt = st.header if cell.header else st.label
            _merge(ws, row, col, cell.rowspan, cell.colspan, fmt)
            ws.write_string(row, col, cell.text, fmt)
            if cell.rowspan == 1:
                span = sum(widths[k] for k in range(col, col + cell.colspan))
                heights[row] = max(heights.get(row, 1), wrapped(cell.text, span))
    for row, lines in heights.items():
        if lines > 1:
            ws.set_row(row, LINE * lines)
    _rules(ws, st, c, bottom, width)
    print_setup(ws, 0)
    ws.fit_to_pages(1, 0)


RULE_HEADERS = ((0, 1, "编号"), (1, 1, "表格"), (2, 1, "位置"), (3, 6, "规则"), (9, 1, "状态"))


def _rules(ws: Worksheet, st: Styles, c: Collection, top: int, width: int) -> None:
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
            lines = max(lines, wrapped(text, sum(TOTALS_WIDTHS.get(k, 10) for k in range(col, col + span))))
        ws.write_string(row, 9, status, st.of(status))
        if lines > 1:
            ws.set_row(row, LINE * lines)
