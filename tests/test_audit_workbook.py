"""`gxsheet audit DIR -o 审查结果.xlsx`: one row per report and every finding, as `audit --json` says them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from ooxml import schema_errors
from pages import extracted_text
from terminal import stderr_on_terminal

from gxsheet.audit_summary import GROUP_HEADER, PROBLEM_SHEET, READING_HEADER, RESULT_SHEET
from gxsheet.document.compose import compose
from gxsheet.document.html_writer import render_html
from gxsheet.outcome import READING_GROUP as READING
from gxsheet.outcome import Status
from gxsheet.published.html import parse as parse_html
from gxsheet.summary import PROBLEM_HEADERS, STATUS_HEADERS, STATUS_TOP
from gxsheet.workbook.meta import Meta
from gxsheet.workbook.reader import read_workbook
from gxsheet.workbook.writer import write_workbook

UNIT = "甲镇人民政府"


def gx(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "gxsheet.cli", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, sample_workbook: Path) -> Path:
    """A clean report, one with findings (a blank workbook's report), a broken .docx, and a lock file."""
    work = tmp_path_factory.mktemp("audit")
    reports = work / "报告"
    (reports / "乡镇").mkdir(parents=True)
    (reports / "柴胡店镇.html").write_text(render_html(compose(read_workbook(sample_workbook))), encoding="utf-8")
    blank = work / "空白.xlsx"
    write_workbook(blank, Meta(UNIT, 2024))
    (reports / "乡镇" / "甲镇.html").write_text(render_html(compose(read_workbook(blank))), encoding="utf-8")
    (reports / "坏.docx").write_bytes(b"PK\x03\x04 not a whole zip")
    (reports / "~$坏.docx").write_bytes(b"lock file")  # Word's lock file: not a report
    return reports


@pytest.fixture(scope="module")
def audited(folder: Path) -> dict[str, Any]:
    out = folder.parent / "审查结果.xlsx"
    done = gx("audit", folder, "-o", out)
    as_json = json.loads(gx("audit", folder, "--json").stdout)
    return {"done": done, "out": out, "json": as_json}


def sheet_rows(path: Path, sheet: str, headers: tuple[str, ...], top: int) -> list[dict[str, Any]]:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book[sheet].iter_rows(min_row=top, values_only=True))
    book.close()
    return [dict(zip(headers, r, strict=False)) for r in rows if r and r[0] is not None]


def result_rows(path: Path) -> list[dict[str, Any]]:
    return sheet_rows(path, RESULT_SHEET, (*STATUS_HEADERS[:4], "表格格式", *STATUS_HEADERS[5:]), STATUS_TOP + 2)


def finding_rows(path: Path) -> list[dict[str, Any]]:
    return sheet_rows(path, PROBLEM_SHEET, PROBLEM_HEADERS, 2)


def test_one_row_per_report_as_json_says(audited: dict[str, Any]) -> None:
    done, out, reports = audited["done"], audited["out"], audited["json"]["reports"]
    assert done.returncode == 2, done.stdout + done.stderr  # the broken .docx
    assert "审查结果工作簿" in done.stdout and "Traceback" not in done.stderr
    rows = result_rows(out)
    assert len(rows) == len(reports) == 3
    for row, report in zip(rows, reports, strict=True):
        assert Path(report["file"]).name in row["文件"]
        assert row["状态"] == report["status_zh"] == Status(report["status"]).zh
        assert (row["错误数"], row["提醒数"]) == (report["errors"], report["warnings"])
        assert row["单位"] == (report["unit"] or "（未知单位）") and row["年度"] == report["year"]
        if report["status"] != "unreadable":
            assert row["表格格式"] == "2021"
    assert Counter(r["status"] for r in reports) == {"ok": 1, "findings": 1, "unreadable": 1}


def test_every_finding_with_its_sentence_and_cells(audited: dict[str, Any]) -> None:
    rows = finding_rows(audited["out"])
    expected = [(Path(r["file"]).name, p["message"], p["group"], "、".join(p["keys"] or [p["key"]] * bool(p["key"])))
                for r in audited["json"]["reports"] for p in r["problems"]]
    got = [(Path(r["文件"]).name, r["说明"], r[PROBLEM_HEADERS[2]] or "", r["单元格"] or "") for r in rows]
    assert sorted(got) == sorted(expected) and len(got) > 20  # the blank report alone has many
    assert any(cells for _, _, _, cells in got)


def test_findings_of_a_report_stay_together_by_group(audited: dict[str, Any]) -> None:
    book = openpyxl.load_workbook(audited["out"], read_only=True)
    header = next(book[PROBLEM_SHEET].iter_rows(max_row=1, values_only=True))
    book.close()
    assert header[2] == GROUP_HEADER
    runs: list[tuple[str, str]] = []
    for r in finding_rows(audited["out"]):
        here = (r["文件"], r[PROBLEM_HEADERS[2]])
        if not runs or runs[-1] != here:
            runs.append(here)
    assert len(runs) == len(set(runs))  # no file's group comes back after another group


def test_the_workbook_is_valid_ooxml(audited: dict[str, Any]) -> None:
    assert schema_errors(audited["out"]) == []


def test_overwriting_is_refused_without_overwrite(audited: dict[str, Any], folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "审查结果.xlsx"
    out.write_bytes(b"earlier")
    refused = gx("audit", folder, "-o", out)
    assert refused.returncode == 2 and "已存在" in refused.stderr and "--overwrite" in refused.stderr
    assert out.read_bytes() == b"earlier"
    assert gx("audit", folder, "-o", out, "--overwrite").returncode == 2  # the broken .docx, as before
    assert len(result_rows(out)) == 3 and sorted(p.name for p in tmp_path.iterdir()) == ["审查结果.xlsx"]
    wrong = gx("audit", folder, "-o", tmp_path / "审查结果.csv")
    assert wrong.returncode == 2 and ".xlsx" in wrong.stderr and not (tmp_path / "审查结果.csv").exists()


def test_progress_shows_on_a_terminal(folder: Path, tmp_path: Path) -> None:
    """On a terminal stderr shows "已读取 n/N" in characters a GBK console can print; never in a pipe."""
    text = stderr_on_terminal(["audit", str(folder), "-o", str(tmp_path / "a.xlsx")])
    assert "\r已读取 3/3" in text
    text.encode("gbk")
    assert "已读取" not in gx("audit", folder, "-o", tmp_path / "b.xlsx").stderr


# --- reading problems apart -------------------------------------------------------------------------
def _extracted(html: str, short: bool) -> str:
    return extracted_text(parse_html(html, "页.html"), short)


@pytest.fixture(scope="module")
def partly(tmp_path_factory: pytest.TempPathFactory, sample_workbook: Path) -> dict[str, Any]:
    """A folder of one report with findings (a blank workbook's) and one right report whose text lost
    trailing blank cells: its only problems are tables that could not be read."""
    work = tmp_path_factory.mktemp("reading")
    reports = work / "报告"
    reports.mkdir()
    html = render_html(compose(read_workbook(sample_workbook)))
    (reports / "柴胡店镇.txt").write_text(_extracted(html, short=True), encoding="utf-8")
    blank = work / "空白.xlsx"
    write_workbook(blank, Meta(UNIT, 2024))
    (reports / "甲镇.html").write_text(render_html(compose(read_workbook(blank))), encoding="utf-8")
    out = work / "审查结果.xlsx"
    return {"done": gx("audit", reports, "-o", out), "out": out, "text": gx("audit", reports),
            "json": json.loads(gx("audit", reports, "--json").stdout)}


def _by_name(partly: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {Path(r["file"]).name: r for r in partly["json"]["reports"]}


def test_reading_problems_alone_are_no_finding_of_the_report(partly: dict[str, Any]) -> None:
    right = _by_name(partly)["柴胡店镇.txt"]
    reading = [p for p in right["problems"] if p["group"] == READING]
    assert reading and all(p["code"] == "READ-TABLE" for p in reading)
    assert right["reading"] == len(reading) == len(right["problems"])
    assert (right["status"], right["errors"], right["warnings"]) == ("ok", 0, 0)
    blank = _by_name(partly)["甲镇.html"]
    assert blank["status"] == "findings" and blank["reading"] == 0
    assert blank["errors"] + blank["warnings"] == len(blank["problems"])
    assert partly["done"].returncode == 1  # the blank report's findings; nothing unreadable
    assert f"其中1份有{READING}" in partly["done"].stdout


def test_reading_problems_under_their_own_heading(partly: dict[str, Any]) -> None:
    text = partly["text"].stdout
    assert partly["text"].returncode == 1 and "Traceback" not in partly["text"].stderr
    reports: dict[str, list[str]] = {}  # each report's lines: its head line, then indented ones
    for line in text.splitlines():
        if line.startswith(" ") and reports:
            reports[list(reports)[-1]].append(line)
        else:
            reports[line] = [line]
    part = "\n".join(next(lines for head, lines in reports.items() if "柴胡店镇.txt" in head))
    other = "\n".join(next(lines for head, lines in reports.items() if "甲镇.html" in head))
    reading = _by_name(partly)["柴胡店镇.txt"]["reading"]
    assert f"未发现问题（另有{READING}{reading}处" in part
    assert f"【{READING}】" in part and "【错误】" not in part and "【提醒】" not in part
    assert part.count("无法读取：") == reading
    assert f"【{READING}】" not in other and "【错误】" in other


def test_the_workbook_counts_reading_problems_apart(partly: dict[str, Any]) -> None:
    out, by_name = partly["out"], _by_name(partly)
    headers = (*STATUS_HEADERS[:4], "表格格式", *STATUS_HEADERS[5:], READING_HEADER)
    rows = {Path(r["文件"]).name: r for r in sheet_rows(out, RESULT_SHEET, headers, STATUS_TOP + 2)}
    book = openpyxl.load_workbook(out, read_only=True)
    assert next(book[RESULT_SHEET].iter_rows(min_row=STATUS_TOP + 1, max_row=STATUS_TOP + 1,
                                             values_only=True))[len(headers) - 1] == READING_HEADER
    book.close()
    for name, report in by_name.items():
        assert (rows[name]["错误数"], rows[name]["提醒数"], rows[name][READING_HEADER]) == (
            report["errors"], report["warnings"], report["reading"])
    kinds = [(Path(r["文件"]).name, r["类别"], r[PROBLEM_HEADERS[2]]) for r in finding_rows(out)]
    assert [k for k in kinds if k[0] == "柴胡店镇.txt"] == [("柴胡店镇.txt", READING, READING)] * 2
    assert {k for _, k, g in kinds if g != READING} <= {"错误", "提醒"}
    assert schema_errors(out) == []
