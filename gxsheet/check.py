"""Run every rule of the schema in Python over a report: statuses and problems."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .crossyear import repeat_problems
from .involved import common_naming, describe
from .problems import Problem, about
from .report import Report
from .schema import SCHEMA, Instance, Kind, Rule, Severity
from .schema.relations import Filled, Total, Valid
from .status import BLANK, NOT_APPLICABLE, PASS
from .values import date_in_year, plain


@dataclass
class Result:
    """The verdict on one report: a status per rule instance and the problems found."""

    report: Report
    statuses: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors


def check(report: Report) -> Result:
    """Judge every rule instance; problems come in schema order after reading problems.

    With last year's report attached (report.previous), cross-year rules use it, and
    narratives copied from it are flagged (XY-REPEAT).
    """
    result = Result(report, problems=list(report.problems))
    numbers: dict[str, Decimal | None] = {}  # each key's number worked out once: totals recur in many rules
    for rule in SCHEMA.rules:
        for inst in rule.instances:
            status, found = _judge(report, rule, inst, numbers)
            result.statuses[inst.id] = status
            result.problems += found
    result.problems += field_problems(report)
    if report.previous is not None:
        result.problems += repeat_problems(report, report.previous)
    return result


FIELD_VALUE = "VALUE-FIELD"


def field_problems(report: Report) -> list[Problem]:
    """VALUE-FIELD: each text, date, postcode, phone or e-mail field that is not what its kind and
    limit allow, and a 发布日期 outside the report's year and the next. Judged here only: the
    workbook's data validation stops such typing, its 校验 sheet does not count them."""
    found: list[Problem] = []
    for item in SCHEMA.fields:
        entry = report.entries.get(item.key)
        if entry is None or item.kind.numeric or entry.blank:
            continue
        why = entry.problem
        if not why and item.kind is Kind.DATE and isinstance(entry.value, dt.date):
            why = date_in_year(entry.value, report.year)
        if why:
            sheet, cell = report.place(item.key)
            at = f"（{sheet}!{cell}）" if cell else ""
            found.append(Problem(FIELD_VALUE, Severity.ERROR, f"{item.label}{at} {why}",
                                 sheet=sheet, cell=cell, rule=FIELD_VALUE, **about(item.key)))
    return found


_NEEDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _needs(inst: Instance) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The inputs a rule instance needs, and last year's among them: worked out once, the schema is fixed
    (a folder of reports asked it 70 times a report, a tenth of an audit's time)."""
    if inst.id not in _NEEDS:
        _NEEDS[inst.id] = (SCHEMA.needs(inst.relation), SCHEMA.previous(inst.relation))
    return _NEEDS[inst.id]


def _judge(report: Report, rule: Rule, inst: Instance,
           numbers: dict[str, Decimal | None]) -> tuple[str, list[Problem]]:
    rel = inst.relation
    if isinstance(rel, (Filled, Valid)):
        return _count(report, rule, inst)
    needed, previous = _needs(inst)

    def number(key: str) -> Decimal | None:
        if key not in numbers:
            numbers[key] = report.number(key)
        return numbers[key]

    if any(number(k) is None for k in previous):
        return NOT_APPLICABLE, []
    if any(number(k) is None for k in needed):
        return BLANK, []
    get = lambda k: number(k) or Decimal(0)  # noqa: E731 - blanks are 0 only where allowed
    if rel.holds(get):
        return PASS, []
    a, b = rel.sides(get)
    message = rule.message.format(where=f"{rule.group}·{inst.where}", a=plain(a), b=plain(b))
    message += f"；{describe(report, rel)}"
    if isinstance(rel, Total):  # a total is one cell: the one that disagrees with its parts
        sheet, cell = report.place(rel.target)
        naming = about(rel.target)
    else:  # two sums: no one cell is to blame
        sheets = {report.place(k)[0] for k in rel.keys}
        sheet, cell = (sheets.pop() if len(sheets) == 1 else ""), ""
        naming = common_naming(rel)
    naming["group"] = rule.group
    return rule.severity.zh, [Problem(inst.id, rule.severity, message, sheet=sheet, cell=cell,
                                      rule=rule.code, keys=rel.keys, **naming)]


def _count(report: Report, rule: Rule, inst: Instance) -> tuple[str, list[Problem]]:
    inputs = [k for k in inst.relation.keys if SCHEMA.is_input(k)]
    if isinstance(inst.relation, Filled):
        bad = [k for k in inputs if report.entry(k).blank]
    else:
        bad = [k for k in inputs if report.entry(k).problem]
    found = []
    for key in bad:
        entry = report.entry(key)
        why = entry.problem or ("未填写，没有的应填0" if key in SCHEMA.cells else "未填写")
        sheet, cell = report.place(key)
        at = f"（{sheet}!{cell}）" if cell else ""
        found.append(Problem(inst.id, rule.severity, f"{SCHEMA.label(key)}{at} {why}", sheet=sheet,
                             cell=cell, rule=rule.code, **about(key)))
    if not bad:
        return PASS, found
    # Blanks are problems of a submitted report, yet a form being filled in only shows 未填.
    return (BLANK if isinstance(inst.relation, Filled) else rule.severity.zh), found
