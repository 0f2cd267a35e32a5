"""What became of one file, whatever the command (check, collect, build, audit): one type.

A file is read or not; when read, it is judged, and its problems are data. The status words,
the counts, the JSON shape (docs/json.md) and the exit code are decided here once, so that
every command says the same thing the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .names import readable
from .problems import Problem
from .schema import Severity

if TYPE_CHECKING:  # only a type: check.py is not imported by a worker that never checks
    from .check import Result

JSON_VERSION = 1  # of every `--json` shape but export's (jsonio.FORMAT_VERSION)
UNREADABLE_GROUP = "文件"  # the group of the one problem an unreadable file has
# audit: what the reader could not read (published/reading.py), apart from what the report gets wrong
READING_GROUP = "读取问题"


class Status(StrEnum):
    """One vocabulary for every command; the values are the documented `--json` strings."""

    OK = "ok"  # no errors (check, collect, build) or no findings of the report's own (audit: reading problems allowed)
    ERRORS = "errors"  # a workbook with errors
    FINDINGS = "findings"  # a published report with findings of its own, errors or warnings
    UNREADABLE = "unreadable"  # could not be read (or its output could not be written)
    MISSING = "missing"  # collect: an expected unit no file came from
    DUPLICATE = "duplicate"  # collect: another file stands for the same unit

    @property
    def zh(self) -> str:
        return _ZH[self]

    @property
    def exit(self) -> int:
        """0 ok, 1 findings, 2 unreadable (3, an internal error, is crash.py's)."""
        return 0 if self is Status.OK else 2 if self is Status.UNREADABLE else 1


_ZH = {Status.OK: "通过", Status.ERRORS: "有错误", Status.FINDINGS: "有问题", Status.UNREADABLE: "无法读取",
       Status.MISSING: "未提交", Status.DUPLICATE: "重复提交"}


def exit_code(statuses: Iterable[Status]) -> int:
    """The worst status decides: 2 when anything could not be read, else 1 when anything was found."""
    return max((s.exit for s in statuses), default=0)


@dataclass(frozen=True)
class Unreadable:
    """Why a file could not be read (or written): a code (docs/json.md) and one Chinese sentence."""

    code: str
    message: str


@dataclass
class Outcome:
    """One file's result. Small and picklable: a worker process sends it back; never a whole report.

    formats (audit), output (build), listed and counted (collect) are None where they mean nothing.
    result is the checker's verdict, kept in this process only for `check --mark`.
    """

    path: Path | None
    status: Status
    unit: str = ""
    year: int | None = None
    schema: str = ""
    problems: list[Problem] = field(default_factory=list)
    statuses: dict[str, str] | None = None  # every rule instance's status word; collect keeps none
    error: Unreadable | None = None
    formats: dict[str, str] | None = None
    output: Path | None = None
    listed: bool | None = None
    counted: bool | None = None
    result: Result | None = field(default=None, repr=False, compare=False)

    @classmethod
    def checked(cls, path: Path | None, result: Result, keep: bool = False) -> Outcome:
        """A workbook's verdict: errors fail it, warnings do not. keep: hold on to the result (check --mark)."""
        r = result.report
        return cls(path, Status.OK if result.ok else Status.ERRORS, r.unit, r.year, r.schema,
                   list(result.problems), dict(result.statuses), result=result if keep else None)

    @classmethod
    def audited(cls, path: Path | None, unit: str, year: int | None, problems: list[Problem],
                statuses: dict[str, str], formats: dict[str, str]) -> Outcome:
        """A published report's verdict: findings when the report itself gets something wrong. Reading
        problems alone (a table the reader could not read) are no finding of the report: it is ok,
        and its `reading` count says what was not checked."""
        o = cls(path, Status.OK, unit, year, "", problems, statuses, formats=formats)
        o.status = Status.FINDINGS if o.errors or o.warnings else Status.OK
        return o

    @classmethod
    def unreadable(cls, path: Path | None, code: str, message: str, text: str = "", *, unit: str = "",
                   year: int | None = None, schema: str = "") -> Outcome:
        """A file that could not be read: one problem (text, else the message) and what it claims to be."""
        problem = Problem(code, Severity.ERROR, text or message, group=UNREADABLE_GROUP, rule=code)
        return cls(path, Status.UNREADABLE, unit, year, schema, [problem], error=Unreadable(code, message))

    @property
    def errors(self) -> int:
        """The file's own errors (reading problems are counted apart)."""
        return sum(p.severity is Severity.ERROR and p.group != READING_GROUP for p in self.problems)

    @property
    def warnings(self) -> int:
        """The file's own warnings (reading problems are counted apart)."""
        return sum(p.severity is Severity.WARNING and p.group != READING_GROUP for p in self.problems)

    @property
    def reading(self) -> int:
        """Problems of the reader, not of the file (audit: a table that could not be read)."""
        return sum(p.group == READING_GROUP for p in self.problems)

    def first(self, n: int) -> list[str]:
        """The first n problems' messages, errors before warnings, reading problems last."""
        ranked = sorted(self.problems, key=lambda p: (p.group == READING_GROUP, p.severity is not Severity.ERROR))
        return [p.message for p in ranked[:n]]

    def as_dict(self) -> dict[str, Any]:
        """The stable JSON shape of one file (docs/json.md), the same for every command."""
        d: dict[str, Any] = {
            "file": readable(self.path) if self.path else None, "status": self.status.value,
            "status_zh": self.status.zh, "unit": self.unit or None, "year": self.year,
            "schema": self.schema or None, "errors": self.errors, "warnings": self.warnings,
            "reading": self.reading, "problems": [p.as_dict() for p in self.problems],
        }
        if self.statuses is not None:
            d["statuses"] = self.statuses
        if self.formats is not None:
            d["formats"] = self.formats
        if self.listed is not None:
            d |= {"listed": self.listed, "counted": bool(self.counted)}
        if self.output is not None:
            d["output"] = readable(self.output)
        if self.error is not None:
            d["error"] = {"code": self.error.code, "message": self.error.message}
        return d


def counts(outcomes: Iterable[Outcome], shown: Iterable[Status]) -> dict[str, int]:
    """How many files, and how many of each status shown."""
    found = [o.status for o in outcomes]
    return {"files": len(found), **{s.value: sum(x is s for x in found) for s in shown}}


def listing(outcomes: list[Outcome], key: str, shown: Iterable[Status]) -> dict[str, Any]:
    """The `--json` document of a command over many files: each file's outcome and the counts."""
    return {"version": JSON_VERSION, key: [o.as_dict() for o in outcomes], "summary": counts(outcomes, shown)}
