"""Compose the report document from a Report: staff text joined with sentences built from figures."""

from __future__ import annotations

import datetime as dt

from ..check import Result
from ..report import Report
from ..schema import FORMAT_NOTICE, SCHEMA, Field, Table
from ..schema import fields as F
from ..templates import render_lines
from ..values import plain
from .figures import Figures
from .model import Block, Document, Heading, Paragraph, TableBlock, signature_indents

NUMERALS = "一二三四五六七八九十"
TITLE = F.REPORT_TITLE
TITLE_LINE = 20  # characters of 22 pt type across the 156 mm text block


def compose(report: Report, result: Result | None = None) -> Document:
    """The whole report. With a result that has errors, the document says it is unchecked."""
    f = Figures(report)
    opening = _render("opening", f, report)
    blocks: list[Block] = [Paragraph(line, "opening" if n == 0 else "contact") for n, line in enumerate(opening)]
    blocks += _part_one(report, f)
    for table in SCHEMA.tables:
        blocks.append(Heading(1, table.title))
        blocks.append(_table(report, table))
    blocks += _part_five(report)
    blocks += _part_six(report, f)
    date = _date(report)
    unit_right, date_right = signature_indents(report.unit, date)
    blocks += [Paragraph(report.unit, "closing", unit_right), Paragraph(date, "closing", date_right)]
    unchecked = ""
    if result is not None and result.errors:
        unchecked = f"【未通过校验：有{len(result.errors)}处错误，本稿仅供核对，不得发布】"
    title = f"{report.unit}{report.year}{TITLE}"
    lines = (report.unit, f"{report.year}{TITLE}") if len(title) > TITLE_LINE else (title,)
    return Document(report.unit, report.year, lines, tuple(blocks), unchecked,
                    {"title": title, "subject": "政府信息公开工作年度报告"})


def sentences(name: str, report: Report) -> list[str]:
    """The lines template/narrative/<name>.j2 writes for a report (import recognises them by these)."""
    return _render(name, Figures(report), report)


def _render(name: str, f: Figures, report: Report) -> list[str]:
    return render_lines(f"narrative/{name}.j2", {"f": f, "info": _info(report), "notice": FORMAT_NOTICE})


def _text(report: Report, key: str) -> list[str]:
    """Staff text as paragraphs: data, never template source."""
    value = report.entry(key).value
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def _info(report: Report) -> dict[str, object]:
    get = {k: str(report.entry(k).value or "") for k in ("address", "postcode", "phone", "email", "website")}
    parts = [f"{label}：{get[k]}" for k, label in (("address", "地址"), ("postcode", "邮编"),
                                                 ("phone", "联系电话"), ("email", "电子邮箱")) if get[k]]
    return {"website": get["website"], "contact": parts}


def _date(report: Report) -> str:
    d = report.entry("published").value
    if isinstance(d, dt.date):
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{report.year + 1}年1月　日"


def _part_one(report: Report, f: Figures) -> list[Block]:
    out: list[Block] = [Heading(1, F.PART_1)]
    out += [Paragraph(t) for t in _text(report, "overview.summary")]
    generated = {"overview.active": "active", "overview.requests": "requests"}
    for field in F.OVERVIEW_FIELDS[1:]:
        out.append(Heading(2, field.label))
        out += [Paragraph(t) for t in _text(report, field.key)]
        if field.key in generated:
            out += [Paragraph(t) for t in _render(generated[field.key], f, report)]
    return out


def _table(report: Report, table: Table) -> TableBlock:
    values = {c.key: plain(report.number(c.key)) for c in table.cells}
    notes = tuple(f"注：{SCHEMA.cells[k].label}：{text}" for k, text in report.notes.items()
                  if SCHEMA.cells[k].table is table)
    return TableBlock(table, values, notes)


def _part_five(report: Report) -> list[Block]:
    return [Heading(1, F.PART_5), *_numbered(report, F.PROBLEM_FIELDS, {})]


def _part_six(report: Report, f: Figures) -> list[Block]:
    return [Heading(1, F.PART_6), *_numbered(report, F.OTHER_FIELDS, {"others.fee": _render("fee", f, report)})]


def _numbered(report: Report, fields: tuple[Field, ...], generated: dict[str, list[str]]) -> list[Block]:
    """Each field that says something under its own "（一）" sub-heading, numbered in order."""
    out: list[Block] = []
    present = [(f, generated.get(f.key) or _text(report, f.key)) for f in fields]
    for n, (field, lines) in enumerate([(f, lines) for f, lines in present if lines]):
        out.append(Heading(2, f"（{NUMERALS[n]}）{field.title}"))
        out += [Paragraph(t) for t in lines]
    return out


def compose_rollup(report: Report, name: str, units: int) -> Document:
    """The roll-up of a round: the summed tables 二, 三, 四 and the sentences built from them."""
    f = Figures(report)
    blocks: list[Block] = [Paragraph(f"本汇总合计{units}个单位经校验通过的{report.year}年政府信息公开工作年度报告数据，"
                                     f"统计期限自{report.year}年1月1日起至{report.year}年12月31日止。", "opening")]
    blocks.append(Heading(1, F.PART_1))
    blocks += [Paragraph(t) for t in _render("requests", f, report)]
    for table in SCHEMA.tables:
        blocks.append(Heading(1, table.title))
        blocks.append(_table(report, table))
    title = f"{name}{report.year}{TITLE}{F.ROLLUP_MARK}"
    return Document(name, report.year, (name, f"{report.year}{TITLE}{F.ROLLUP_MARK}"), tuple(blocks), "",
                    {"title": title, "subject": "政府信息公开工作年度报告汇总"})

