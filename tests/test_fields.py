"""Text fields checked alike in the workbook and by `check`: postcode, phone, e-mail, date, lengths."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from engine import convert
from fill import fill
from openpyxl import load_workbook

from gxsheet.check import FIELD_VALUE, check
from gxsheet.report import Report
from gxsheet.schema import SCHEMA, VERSION, Kind
from gxsheet.values import _EMAIL, _PHONE, Entry, parse_cell, parse_key
from gxsheet.workbook.layout import LAYOUT
from gxsheet.workbook.validation import email_formula, phone_formula

ROOT = Path(__file__).resolve().parent.parent
BAD_PHONE = "填写了“{}”，不是有效的电话号码（如0632-2205128、13812345678）"
BAD_EMAIL = "填写了“{}”，不是有效的电子邮箱地址（如gongkai@tengzhou.gov.cn）"

PHONES_OK = ["0632-1234567", "(0632)1234567", "13812345678", "0632-1234567转8001", "0632-2205128",
             "2205128", "0632 2205128", "（0632）2205128", "+86 13812345678", "0632-12345678-8001"]
PHONES_BAD = ["12345", "0632-123", "abc", "0632-2205128转", "1381234567a", "0632—2205128", "138123456789",
              "0632-2205128、13812345678", "1.5e10"]
EMAILS_OK = ["gongkai@tengzhou.gov.cn", "a@b.cn", "tzgk_2024@163.com", "a.b@c.d.e"]
EMAILS_BAD = ["a@b", "a b@c.cn", "a@@b.cn", "a@b..cn", "@b.cn", "a@.cn", "a@b.cn.", "ab.cn", "a@b@c.cn"]


def test_the_schema_declares_each_field_kind() -> None:
    """联系电话 and 电子邮箱 are their own kinds, read from the one declaration by both sides."""
    kinds = {key: SCHEMA.kind(key) for key in ("postcode", "phone", "email", "published")}
    assert kinds == {"postcode": Kind.POSTCODE, "phone": Kind.PHONE, "email": Kind.EMAIL, "published": Kind.DATE}
    assert (SCHEMA.field_map["phone"].limit, SCHEMA.field_map["email"].limit) == (40, 80)


@pytest.mark.parametrize("raw", PHONES_OK)
def test_phone_accepted(raw: str) -> None:
    assert parse_key("phone", raw) == Entry(raw, raw)


@pytest.mark.parametrize("raw", PHONES_BAD)
def test_phone_refused_in_chinese(raw: str) -> None:
    assert parse_key("phone", raw).problem == BAD_PHONE.format(raw)


def test_phone_over_its_limit_names_the_limit() -> None:
    raw = "0632-2205128" * 4
    assert parse_key("phone", raw).problem == "共48字，超过40字的上限"


def test_full_width_phone_is_read_from_a_file_but_corrected_in_a_workbook_cell() -> None:
    raw = "０６３２-２２０５１２８"
    assert parse_key("phone", raw).problem == ""
    assert parse_cell("phone", raw).problem == f"填写了“{raw}”（全角数字），请改为 0632-2205128"


@pytest.mark.parametrize("raw", EMAILS_OK)
def test_email_accepted(raw: str) -> None:
    assert parse_key("email", raw) == Entry(raw, raw)


@pytest.mark.parametrize("raw", EMAILS_BAD)
def test_email_refused_in_chinese(raw: str) -> None:
    assert parse_key("email", raw).problem == BAD_EMAIL.format(raw)


@pytest.mark.parametrize(("raw", "why"), [
    ("277500", ""), ("２７７５００", ""), (277500.0, ""),
    ("27750", "填写了“27750”，邮政编码应为6位数字"), ("27750a", "填写了“27750a”，邮政编码应为6位数字"),
])
def test_postcode(raw: object, why: str) -> None:
    assert parse_key("postcode", raw).problem == why


def test_patterns_are_linear() -> None:
    """Long hostile text is refused at once, not after exponential backtracking."""
    start = time.perf_counter()
    for text in ("a@" + "b." * 50_000 + " ", "0" * 100_000, "(0632)" * 20_000, "a@" + "b" * 100_000):
        assert not _EMAIL.fullmatch(text) and not _PHONE.fullmatch(text)
    assert time.perf_counter() - start < 1


def _report(year: int, **raw: object) -> Report:
    report = Report("测试镇人民政府", year, VERSION)
    for key, value in raw.items():
        report.entries[key] = parse_key(key, value)
    return report


@pytest.mark.parametrize(("published", "why"), [
    (dt.date(2024, 1, 1), ""), (dt.date(2025, 12, 31), ""), (dt.date(2025, 1, 20), ""),
    (dt.date(2023, 12, 31), "发布日期 填写了2023年12月31日，应为2024年或2025年的日期"),
    (dt.date(2026, 1, 1), "发布日期 填写了2026年1月1日，应为2024年或2025年的日期"),
    ("2025年13月1日", "发布日期 填写了“2025年13月1日”，不是有效日期（如2025年1月20日）"),
])
def test_published_date_in_the_reports_year_or_the_next(published: object, why: str) -> None:
    problems = [p for p in check(_report(2024, published=published)).problems if p.rule == FIELD_VALUE]
    assert [p.message for p in problems] == ([why] if why else [])


def test_overlong_narrative_names_the_field_and_the_limit() -> None:
    problems = [p for p in check(_report(2024, **{"overview.active": "字" * 5001})).problems if p.rule == FIELD_VALUE]
    assert [(p.message, p.severity.value, p.key) for p in problems] == [
        ("（一）主动公开 共5001字，超过5000字的上限", "error", "overview.active")]


def _cell(key: str) -> tuple[str, str]:
    sheet, row, col = LAYOUT.where[key]
    return sheet, f"{chr(ord('A') + col)}{row + 1}"


BAD_FIELDS: list[tuple[str, object, str]] = [
    ("postcode", "2775", "填写了“2775”，邮政编码应为6位数字"),
    ("phone", "12345", BAD_PHONE.format("12345")),
    ("email", "gongkai@tengzhou", BAD_EMAIL.format("gongkai@tengzhou")),
    ("published", dt.date(2030, 1, 5), "填写了2030年1月5日，应为2024年或2025年的日期"),
    ("address", "址" * 101, "共101字，超过100字的上限"),
    ("overview.active", "字" * 5001, "共5001字，超过5000字的上限"),
]


def test_each_bad_field_in_a_workbook_is_an_error_at_its_cell(tmp_path: Path, sample_workbook: Path) -> None:
    """The sample with one bad value in each field: `check` names every field, its sheet and cell."""
    path = tmp_path / "bad.xlsx"
    fill(sample_workbook, path, {key: raw for key, raw, _ in BAD_FIELDS})
    done = subprocess.run([sys.executable, "-m", "gxsheet", "check", "--json", str(path)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 1, done.stderr
    (entry,) = json.loads(done.stdout)["files"]
    found: dict[str, dict[str, Any]] = {p["key"]: p for p in entry["problems"] if p["code"] == FIELD_VALUE}
    assert sorted(found) == sorted(key for key, _, _ in BAD_FIELDS)
    for key, _, why in BAD_FIELDS:
        sheet, cell = _cell(key)
        p = found[key]
        assert p["message"] == f"{SCHEMA.field_map[key].label}（{sheet}!{cell}） {why}", key
        assert (p["sheet"], p["cell"], p["severity"], p["row"]) == (sheet, cell, "error", SCHEMA.field_map[key].label)


def test_the_sample_passes_every_field() -> None:
    """The sample's real phone, e-mail, postcode and date are accepted."""
    from gxsheet.workbook.reader import read_workbook

    report = read_workbook(ROOT / "samples" / "柴胡店镇人民政府2024.xlsx")
    assert [p.message for p in check(report).problems if p.rule == FIELD_VALUE] == []
    assert all(report.entry(k).value for k in ("postcode", "phone", "email", "published"))


@pytest.mark.engine
def test_validation_formulas_agree_with_python_in_libreoffice(tmp_path: Path) -> None:
    """Evaluated by LibreOffice, the workbook's phone and e-mail guards accept what `check` accepts
    and refuse what it refuses, for every example above."""
    cases = [("phone", v) for v in PHONES_OK + PHONES_BAD if not v.startswith(("（", "+"))]
    cases += [("email", v) for v in EMAILS_OK + EMAILS_BAD]
    src = tmp_path / "guards.xlsx"
    wb = xlsxwriter.Workbook(str(src))
    ws = wb.add_worksheet()
    for i, (kind, value) in enumerate(cases):
        ws.write_string(i, 0, value)
        formula = phone_formula(f"A{i + 1}", 40) if kind == "phone" else email_formula(f"A{i + 1}", 80)
        ws.write_formula(i, 1, "=" + formula, None, "")
    wb.close()
    (out,) = convert([src], tmp_path / "out")
    got = [row[1] for row in load_workbook(out, data_only=True).active.iter_rows(values_only=True)]
    want = [not parse_key(kind, value).problem for kind, value in cases]
    # Python reads the number's shape; the workbook's guard only that it is 7 to 20 digits.
    loose = {"0632-123", "0632-2205128转", "138123456789", "a@b..cn"}
    assert [(c, g) for c, g, w in zip(cases, got, want, strict=True) if g != w and c[1] not in loose] == []
