"""The workbook of an audited folder (`gxsheet audit DIR -o 审查结果.xlsx`): one row per report
(unit, year, table formats, verdict, counts) and every finding with its sentence and cells.

Written with collect's summary pieces (summary.py), so both read alike and both keep whatever
a report printed as inert text.
"""

from __future__ import annotations

import os
from pathlib import Path

from xlsxwriter.worksheet import Worksheet

from .collect import shown_path
from .outcome import READING_GROUP, Outcome, Status
from .output import shown_format
from .problems import Problem
from .summary import STATUS_HEADERS, STATUS_TOP, Styles, outcome_sheet, problem_sheet, workbook

RESULT_SHEET = "审查结果"
PROBLEM_SHEET = "问题清单"
FORMAT_HEADER = "表格格式"
GROUP_HEADER = "部分"  # 结构, 表二/三/四, 正文, 上年报告 … rather than one table
READING_HEADER = "读取问题数"  # apart from 错误数/提醒数: what the reader could not read is no finding
READING_COLUMN = len(STATUS_HEADERS)  # after the first findings: collect's columns stay where they are


def headline(outcomes: list[Outcome]) -> str:
    n = {s: sum(o.status is s for o in outcomes) for s in Status}
    partly = sum(o.reading > 0 for o in outcomes if o.status is not Status.UNREADABLE)
    return (f"共{len(outcomes)}份报告：{Status.OK.zh}（未发现问题）{n[Status.OK]}份，{Status.FINDINGS.zh}"
            f"{n[Status.FINDINGS]}份，{Status.UNREADABLE.zh}{n[Status.UNREADABLE]}份"
            + (f"；其中{partly}份有{READING_GROUP}（所涉表格未作核对）" if partly else ""))


def formats(o: Outcome) -> str:
    """The tables' format: 2021 when all three agree, else each table's (表二2021、表三2019 …)."""
    versions = {t: shown_format(v) for t, v in (o.formats or {}).items()}
    if len(set(versions.values())) == 1:
        return next(iter(versions.values()))
    return "、".join(f"{t}{v}" for t, v in versions.items())


def folder(outcomes: list[Outcome]) -> Path:
    """The folder every report is in, so that each is shown by its path inside it."""
    parents = [str(o.path.parent.absolute()) for o in outcomes if o.path is not None]
    return Path(os.path.commonpath(parents)) if parents else Path()


def _file(o: Outcome, base: Path) -> str:
    return shown_path(o.path.absolute(), base) if o.path else ""


def by_group(problems: list[Problem]) -> list[Problem]:
    """A report's findings kept together by group, the groups in the order they first occur and each
    in the audit's order; reading problems last, apart from the report's own."""
    first: dict[str, int] = {}
    for p in problems:
        first.setdefault(p.group, len(first))
    return sorted(problems, key=lambda p: (p.group == READING_GROUP, first[p.group]))


def kind(p: Problem) -> str:
    """The 类别 column: 错误/提醒 of the report, or 读取问题 (the reader's, not the report's)."""
    return READING_GROUP if p.group == READING_GROUP else p.severity.zh


def write_audit_summary(outcomes: list[Outcome], target: Path) -> None:
    """Write the audit's workbook atomically (the caller decides whether target may be replaced)."""
    base = folder(outcomes)
    grouped = [(o, by_group(o.problems)) for o in outcomes]
    shown = [Outcome(o.path, o.status, o.unit, o.year, o.schema, problems, formats=o.formats)
             for o, problems in grouped]
    with workbook(target) as wb:
        st = Styles(wb)
        results = wb.add_worksheet(RESULT_SHEET)
        outcome_sheet(results, st, "政府信息公开工作年度报告审查结果", headline(shown),
                      shown, lambda o: _file(o, base), (FORMAT_HEADER, formats))
        _reading_column(results, st, shown)
        problems = wb.add_worksheet(PROBLEM_SHEET)
        problem_sheet(problems, st, [(o, _file(o, base)) for o in shown], GROUP_HEADER, kind)
        problems.set_column(7, 7, 10)  # 读取问题 in the 类别 column
        wb.set_properties({"title": "政府信息公开工作年度报告审查结果", "author": "gxsheet",
                           "subject": "政府信息公开工作年度报告"})


def _reading_column(ws: Worksheet, st: Styles, outcomes: list[Outcome]) -> None:
    """读取问题数 after the row's first findings (blank for a file that could not be read at all)."""
    ws.set_column(READING_COLUMN, READING_COLUMN, 10)
    ws.write_string(STATUS_TOP, READING_COLUMN, READING_HEADER, st.header)
    for n, o in enumerate(outcomes, 1):
        if o.status is Status.UNREADABLE:
            ws.write_blank(STATUS_TOP + n, READING_COLUMN, None, st.centre)
        else:
            ws.write_number(STATUS_TOP + n, READING_COLUMN, o.reading, st.centre)
    ws.autofilter(STATUS_TOP, 0, STATUS_TOP + max(len(outcomes), 1), READING_COLUMN)
