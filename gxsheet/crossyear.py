"""Cross-year checks that need last year's report: matching it, and XY-REPEAT (copied narratives).

XY-CARRY and XY-STOCK are schema rules (they also live in the workbook); XY-REPEAT compares
texts, which only Python can do.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .folders import under
from .problems import Problem, about
from .report import Report
from .schema import SCHEMA, Kind, Severity
from .workbook.reader import read_workbook
from .xlsx import ReadError

GRAM = 8  # characters per shingle: long enough that stock phrases alone do not match
REPEAT_SHARE = 0.5  # one assessment deducts points above 50 % repetition
MIN_CHARS = 60  # shorter texts are too short to judge
_NOISE = re.compile(r"[\s\d，。、；：“”‘’（）《》〈〉〔〕,.;:()\"'\-—…]+")


def unit_key(name: str) -> str:
    """How unit names are matched across years and folders: width and spaces do not matter."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


def _grams(text: str) -> set[str]:
    t = _NOISE.sub("", unicodedata.normalize("NFKC", text))
    return {t[i:i + GRAM] for i in range(max(0, len(t) - GRAM + 1))}


def repeated_share(this: str, last: str) -> float:
    """The share of this year's text (in 8-character shingles) that already stood in last year's."""
    mine = _grams(this)
    return len(mine & _grams(last)) / len(mine) if mine else 0.0


def narrative_keys() -> list[str]:
    return [f.key for f in SCHEMA.fields if f.kind is Kind.LONGTEXT]


def repeat_problems(report: Report, previous: Report) -> list[Problem]:
    """XY-REPEAT: each narrative largely identical to last year's, with its share."""
    found: list[Problem] = []
    for key in narrative_keys():
        this, last = str(report.entry(key).value or ""), str(previous.entry(key).value or "")
        if len(this) < MIN_CHARS or not last:
            continue
        share = repeated_share(this, last)
        if share > REPEAT_SHARE:
            sheet, cell = report.place(key)
            field = SCHEMA.field_map[key]
            found.append(Problem(
                "XY-REPEAT", Severity.WARNING,
                f"{field.sheet}·{field.label}：约{share:.0%}的文字与{previous.year}年报告相同，"
                "请按本年实际情况撰写（内容雷同可能被问责）",
                sheet=sheet, cell=cell, rule="XY-REPEAT", **about(key)))
    return found


def attach(report: Report, previous: Report | None) -> list[Problem]:
    """Link last year's report; problems if it is missing or not last year's report of the same unit."""
    def match(severity: Severity, message: str) -> list[Problem]:
        return [Problem("XY-MATCH", severity, message, group="上年报告", rule="XY-MATCH")]

    if previous is None:
        return match(Severity.WARNING, f"上年报告中没有“{report.unit}”，未作跨年度比对")
    if unit_key(previous.unit) != unit_key(report.unit):
        return match(Severity.ERROR, f"上年报告的单位为“{previous.unit}”，与本年“{report.unit}”不同，未作跨年度比对")
    if previous.year != report.year - 1:
        return match(Severity.ERROR, f"上年报告的年度为{previous.year}年，不是{report.year - 1}年，未作跨年度比对")
    report.previous = previous
    return []


def load_previous(source: Path) -> dict[str, Report]:
    """Last year's reports by unit: one workbook, or every workbook in a folder (unreadable ones skipped)."""
    files = under(source, (".xlsx",)) if source.is_dir() else [source]
    found: dict[str, Report] = {}
    for path in files:
        try:
            report = read_workbook(path)
        except ReadError:
            if not source.is_dir():
                raise
            continue
        found[unit_key(report.unit)] = report
    return found
