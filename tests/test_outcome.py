"""One outcome type: one status vocabulary (the documented one), one exit-code rule, one JSON shape."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

from gxsheet.check import check
from gxsheet.outcome import READING_GROUP, Outcome, Status, exit_code, listing
from gxsheet.problems import Problem
from gxsheet.schema import Severity
from gxsheet.summary import COLOURS
from gxsheet.workbook.reader import read_workbook


def documented_statuses() -> dict[str, str]:
    """The status table of docs/json.md: `status` → `status_zh`."""
    text = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\s*\| `(\w+)` \| ([^`\s|]+) \|", text, flags=re.M))


def test_the_vocabulary_is_the_documented_one() -> None:
    assert documented_statuses() == {s.value: s.zh for s in Status}
    assert all(s.zh in COLOURS for s in Status)  # every status has its colour in the summary workbooks


@given(st.lists(st.sampled_from(list(Status))))
def test_the_worst_status_decides_the_exit_code(statuses: list[Status]) -> None:
    code = exit_code(statuses)
    if Status.UNREADABLE in statuses:
        assert code == 2
    elif any(s is not Status.OK for s in statuses):
        assert code == 1
    else:
        assert code == 0


def test_a_checked_workbook_and_an_unreadable_file(blank_workbook: Path, sample_workbook: Path) -> None:
    blank = Outcome.checked(blank_workbook, check(read_workbook(blank_workbook)))
    sample = Outcome.checked(sample_workbook, check(read_workbook(sample_workbook)), keep=True)
    bad = Outcome.unreadable(Path("坏.xlsx"), "XLS", "这是旧版 .xls 格式", "无法读取：这是旧版 .xls 格式")
    assert (blank.status, sample.status, bad.status) == (Status.ERRORS, Status.OK, Status.UNREADABLE)
    assert blank.errors == sum(p.severity is Severity.ERROR for p in blank.problems) > 0
    assert blank.result is None and sample.result is not None  # kept only when asked (check --mark)
    assert [(p.code, p.group, p.message) for p in bad.problems] == [("XLS", "文件", "无法读取：这是旧版 .xls 格式")]
    d = bad.as_dict()
    assert d["error"] == {"code": "XLS", "message": "这是旧版 .xls 格式"} and d["unit"] is None and d["errors"] == 1
    assert set(blank.as_dict()) - {"statuses"} == set(d) - {"error"}  # an unreadable file has no rule statuses
    document = json.loads(json.dumps(listing([sample, blank, bad], "files", Status)))
    assert document["summary"] == {"files": 3, "ok": 1, "errors": 1, "findings": 0, "unreadable": 1, "missing": 0,
                                   "duplicate": 0}
    assert [f["status"] for f in document["files"]] == ["ok", "errors", "unreadable"]


def test_an_outcome_travels_between_processes_without_its_report(blank_workbook: Path) -> None:
    """What a worker sends back is small: the problems, never the report or the checker's result."""
    outcome = Outcome.checked(blank_workbook, check(read_workbook(blank_workbook)), keep=True)
    back = pickle.loads(pickle.dumps(dataclass_without_result(outcome)))
    assert back == outcome and back.as_dict() == outcome.as_dict()


def dataclass_without_result(o: Outcome) -> Outcome:
    return Outcome(o.path, o.status, o.unit, o.year, o.schema, list(o.problems), o.statuses, o.error)


def test_first_messages_put_errors_before_warnings() -> None:
    problems = [Problem("W", Severity.WARNING, "提醒一"), Problem("E", Severity.ERROR, "错误一"),
                Problem("E", Severity.ERROR, "错误二")]
    assert Outcome(None, Status.ERRORS, problems=problems).first(2) == ["错误一", "错误二"]


_GROUPS = st.sampled_from(["表三", "正文", "结构", "读取问题", "文件"])


@given(st.lists(st.tuples(_GROUPS, st.sampled_from([Severity.ERROR, Severity.WARNING])), max_size=12))
def test_an_audited_report_is_judged_on_its_own_problems(found: list[tuple[str, Severity]]) -> None:
    """Reading problems are counted apart and never make a report one with findings."""
    problems = [Problem("X", severity, f"{group}{severity.zh}", group=group) for group, severity in found]
    o = Outcome.audited(None, "甲镇人民政府", 2024, problems, {}, {})
    own = [p for p in problems if p.group != READING_GROUP]
    assert o.reading == len(problems) - len(own)
    assert (o.errors, o.warnings) == (sum(p.severity is Severity.ERROR for p in own),
                                      sum(p.severity is Severity.WARNING for p in own))
    assert o.status is (Status.FINDINGS if own else Status.OK)
    assert o.as_dict()["reading"] == o.reading
    listed = o.first(len(problems))
    reading_at = [i for i, m in enumerate(listed) if m.startswith(READING_GROUP)]
    assert reading_at == list(range(len(own), len(problems)))  # the report's own come first
