"""The workbook of an audited folder (`gxsheet audit DIR -o 审查结果.xlsx`): one row per report
(unit, year, table formats, verdict, counts) and every finding with its sentence and cells.

Written with collect's summary pieces (summary.py), so both read alike and both keep whatever
a report printed as inert text.
"""

from __future__ import annotations

import os
from pathlib import Path

from .collect import shown_path
from .outcome import Outcome, Status
from .problems import Problem
from .summary import Styles, outcome_sheet, problem_sheet, workbook

RESULT_SHEET = "审查结果"
PROBLEM_SHEET = "问题清单"
FORMAT_HEADER = "表格格式"
GROUP_HEADER = "部分"  # 结构, 表二/三/四, 正文, 上年报告 … rather than one table


def headline(outcomes: list[Outcome]) -> str:
    n = {s: sum(o.status is s for o in outcomes) for s in Status}
    return (f"共{len(outcomes)}份报告：{Status.OK.zh}（未发现问题）{n[Status.OK]}份，{Status.FINDINGS.zh}"
            f"{n[Status.FINDINGS]}份，{Status.UNREADABLE.zh}{n[Status.UNREADABLE]}份")


def formats(o: Outcome) -> str:
    """The tables' format: 2021 when all three agree, else each table's (表二2021、表三2019 …)."""
    versions = o.formats or {}
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
    """A report's findings kept together by group (reading problems apart from the report's own),
    the groups in the order they first occur and each in the audit's order."""
    first: dict[str, int] = {}
    for p in problems:
        first.setdefault(p.group, len(first))
    return sorted(problems, key=lambda p: first[p.group])


def write_audit_summary(outcomes: list[Outcome], target: Path) -> None:
    """Write the audit's workbook atomically (the caller decides whether target may be replaced)."""
    base = folder(outcomes)
    grouped = [(o, by_group(o.problems)) for o in outcomes]
    shown = [Outcome(o.path, o.status, o.unit, o.year, o.schema, problems, formats=o.formats)
             for o, problems in grouped]
    with workbook(target) as wb:
        st = Styles(wb)
        outcome_sheet(wb.add_worksheet(RESULT_SHEET), st, "政府信息公开工作年度报告审查结果", headline(shown),
                      shown, lambda o: _file(o, base), (FORMAT_HEADER, formats))
        problem_sheet(wb.add_worksheet(PROBLEM_SHEET), st, [(o, _file(o, base)) for o in shown], GROUP_HEADER)
        wb.set_properties({"title": "政府信息公开工作年度报告审查结果", "author": "gxsheet",
                           "subject": "政府信息公开工作年度报告"})
