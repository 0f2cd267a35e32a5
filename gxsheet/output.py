"""`gxsheet check` over many files: outcomes, Chinese lines for people, a stable JSON shape."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .check import Result, check
from .crash import working_on
from .folders import under
from .names import readable
from .problems import Problem
from .xlsx import ReadError

JSON_VERSION = 1
SHOW_PER_GROUP = 12  # a blank table would otherwise print 144 lines


@dataclass
class FileOutcome:
    path: Path
    result: Result | None = None
    error: ReadError | None = None

    @property
    def status(self) -> str:
        if self.error is not None:
            return "unreadable"
        assert self.result is not None
        return "ok" if self.result.ok else "errors"

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"file": readable(self.path), "status": self.status}
        if self.error is not None:
            d["error"] = {"code": self.error.code, "message": self.error.message}
            return d
        assert self.result is not None
        r = self.result
        d.update(unit=r.report.unit, year=r.report.year, schema=r.report.schema,
                 errors=len(r.errors), warnings=len(r.warnings),
                 problems=[p.as_dict() for p in r.problems], statuses=r.statuses)
        return d

    def lines(self) -> list[str]:
        if self.error is not None:
            return [f"{readable(self.path)}：无法读取——{self.error.message}"]
        assert self.result is not None
        r = self.result
        verdict = "通过" if r.ok else "未通过"
        head = (f"{readable(self.path)}：{r.report.unit}{r.report.year}年 — {verdict}"
                f"（错误{len(r.errors)}处，提醒{len(r.warnings)}处）")
        return [head, *grouped(r.problems, "  ", tagged=True)]


@dataclass
class Outcome:
    files: list[FileOutcome] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if any(f.status == "unreadable" for f in self.files):
            return 2
        return 1 if any(f.status == "errors" for f in self.files) else 0

    def as_dict(self) -> dict[str, Any]:
        counts = {s: sum(f.status == s for f in self.files) for s in ("ok", "errors", "unreadable")}
        return {"version": JSON_VERSION, "files": [f.as_dict() for f in self.files],
                "summary": {"files": len(self.files), **counts}}

    def lines(self) -> list[str]:
        out = [line for f in self.files for line in f.lines()]
        if len(self.files) > 1:
            d = self.as_dict()["summary"]
            out.append(f"共{d['files']}个文件：通过{d['ok']}个，有错误{d['errors']}个，无法读取{d['unreadable']}个")
        return out


def check_files(paths: list[Path], previous: Path | None = None) -> Outcome:
    """Check each file; with previous (last year's workbook or folder), cross-year rules too."""
    from .crossyear import attach, load_previous, unit_key
    from .workbook.reader import read_workbook

    last = load_previous(previous) if previous is not None else None
    outcome = Outcome()
    for path in _workbooks(paths):
        with working_on(path):
            try:
                report = read_workbook(path)
            except ReadError as exc:
                outcome.files.append(FileOutcome(path, error=exc))
                continue
            if last is not None:
                report.problems += attach(report, last.get(unit_key(report.unit)))
            outcome.files.append(FileOutcome(path, result=check(report)))
    return outcome


def _workbooks(paths: list[Path]) -> list[Path]:
    """Files as given and the workbooks in each folder; a folder without any stands as itself, unreadable."""
    found: list[Path] = []
    for path in paths:
        inside = under(path, (".xlsx",)) if path.is_dir() else [path]
        found += inside or [path]
    return found


def audit_dict(path: Path, audited: Any) -> dict[str, Any]:
    """One audited published report, in the stable JSON shape of `gxsheet audit --json`."""
    report = audited.report
    return {"file": readable(path), "status": "ok" if not audited.problems else "findings",
            "unit": report.unit, "year": report.year, "formats": dict(audited.mapped.versions),
            "errors": len(audited.errors), "warnings": len(audited.warnings),
            "problems": [p.as_dict() for p in audited.problems], "statuses": audited.result.statuses}


def audit_lines(path: Path, audited: Any) -> list[str]:
    """Chinese lines for people: errors first, then warnings, each grouped by where they are."""
    report = audited.report
    formats = "、".join(f"{t}{v}" for t, v in audited.mapped.versions.items())
    verdict = "未发现问题" if not audited.problems else f"错误{len(audited.errors)}处，提醒{len(audited.warnings)}处"
    out = [f"{readable(path)}：{report.unit}{report.year}年（表格格式：{formats}）— {verdict}"]
    for title, items in (("错误", audited.errors), ("提醒", audited.warnings)):
        if not items:
            continue
        out.append(f"  【{title}】")
        out += grouped(items, "    ", tagged=False)
    return out


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
