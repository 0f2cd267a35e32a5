"""What people read about outcomes: Chinese lines for check, audit and build (JSON is Outcome.as_dict)."""

from __future__ import annotations

from collections import defaultdict

from .names import readable
from .outcome import READING_GROUP, Outcome, Status
from .problems import Problem
from .schema import Severity

SHOW_PER_GROUP = 12  # a blank table would otherwise print 144 lines


def _name(o: Outcome) -> str:
    return readable(o.path) if o.path else ""


def unreadable_line(o: Outcome, what: str = "无法读取") -> str:
    return f"{_name(o)}：{what}——{o.error.message if o.error else ''}"


def check_lines(o: Outcome) -> list[str]:
    """One checked workbook: its verdict, then its problems by group."""
    if o.status is Status.UNREADABLE:
        return [unreadable_line(o)]
    verdict = "通过" if o.status is Status.OK else "未通过"
    head = f"{_name(o)}：{o.unit}{o.year}年 — {verdict}（错误{o.errors}处，提醒{o.warnings}处）"
    return [head, *grouped(o.problems, "  ", tagged=True)]


def check_summary(outcomes: list[Outcome]) -> list[str]:
    """A last line when more than one file was checked."""
    if len(outcomes) < 2:
        return []
    n = {s: sum(o.status is s for o in outcomes) for s in Status}
    return [f"共{len(outcomes)}个文件：通过{n[Status.OK]}个，有错误{n[Status.ERRORS]}个，"
            f"无法读取{n[Status.UNREADABLE]}个"]


def formats(o: Outcome) -> str:
    """The tables' format versions of an audited report: 表二2021、表三2021、表四2021."""
    return "、".join(f"{t}{shown_format(v)}" for t, v in (o.formats or {}).items())


def shown_format(version: str) -> str:
    """A table's format as people read it: 2021, 2019, or 未识别 (JSON says "unknown")."""
    return "未识别" if version == "unknown" else version


def audit_verdict(o: Outcome) -> str:
    """未发现问题 or the counts of the report's own findings; what could not be read said apart."""
    if o.status is Status.UNREADABLE:
        return Status.UNREADABLE.zh
    verdict = "未发现问题" if o.status is Status.OK else f"错误{o.errors}处，提醒{o.warnings}处"
    return verdict + (f"（另有{READING_GROUP}{o.reading}处，所涉内容未作核对）" if o.reading else "")


def audit_lines(o: Outcome) -> list[str]:
    """One audited report: errors first, then warnings, each grouped by where they are; then what
    could not be read, under its own heading (it is the reader's problem, not the report's)."""
    if o.status is Status.UNREADABLE:
        return [unreadable_line(o)]
    out = [f"{_name(o)}：{o.unit}{o.year}年（表格格式：{formats(o)}）— {audit_verdict(o)}"]
    own = [p for p in o.problems if p.group != READING_GROUP]
    for severity in (Severity.ERROR, Severity.WARNING):
        items = [p for p in own if p.severity is severity]
        if items:
            out.append(f"  【{severity.zh}】")
            out += grouped(items, "    ", tagged=False)
    reading = [p for p in o.problems if p.group == READING_GROUP]
    if reading:
        out.append(f"  【{READING_GROUP}】")
        out += grouped(reading, "  ", tagged=False)[1:]  # the heading above names the group
    return out


def build_lines(o: Outcome) -> list[str]:
    """One workbook of `build`: the report written (marked when forced), or why not."""
    if o.output is not None:
        note = "（未通过校验，已标注“仅供核对”）" if o.status is Status.ERRORS else ""
        return [f"已生成 {readable(o.output)}{note}"]
    if o.status is Status.ERRORS:
        head, *rest = check_lines(o)
        return [head + "，未生成报告", *rest]
    return [unreadable_line(o, "无法生成")]


def grouped(problems: list[Problem], indent: str, tagged: bool) -> list[str]:
    """Problems under their group (表三, 基本信息 …), at most SHOW_PER_GROUP lines each."""
    groups: dict[str, list[str]] = defaultdict(list)
    for p in problems:
        tag = f"[{p.severity.zh}] " if tagged else ""
        groups[p.group or "其他"].append(f"{indent}  {tag}{p.message}")
    out: list[str] = []
    for group, lines in groups.items():
        out.append(f"{indent}{group}")
        out += lines[:SHOW_PER_GROUP]
        if len(lines) > SHOW_PER_GROUP:
            out.append(f"{indent}  ……另有{len(lines) - SHOW_PER_GROUP}处（--json 可列出全部）")
    return out
