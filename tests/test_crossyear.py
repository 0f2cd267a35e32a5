"""Across years: distribute prefilled workbooks, check carry-over and stock, flag copied narratives."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from fill import fill
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import table_2, table_3, table_4

from gxsheet.crossyear import repeated_share
from gxsheet.distribute import read_units
from gxsheet.document.compose import compose
from gxsheet.document.model import Paragraph
from gxsheet.jsonio import from_data
from gxsheet.schema import SCHEMA
from gxsheet.schema.rules import T3_PARTS
from gxsheet.workbook.layout import LAYOUT
from gxsheet.workbook.meta import Meta
from gxsheet.workbook.reader import read_workbook
from gxsheet.workbook.writer import write_workbook
from gxsheet.xlsx import ReadError

UNIT = "甲镇人民政府"
TEXT = ("本镇坚持以公开为常态、不公开为例外，围绕群众关切，持续推进决策、执行、管理、服务、结果公开，"
        "及时发布政策文件和解读材料，不断提升政务公开的质量和实效，切实保障人民群众的知情权、参与权和监督权。")


def gx(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gxsheet.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=120)


@pytest.fixture(scope="module")
def blank_2024(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("y2024") / "blank.xlsx"
    write_workbook(path, Meta(UNIT, 2024))
    return path


tables = st.builds(lambda a, b, c: a | b | c, table_2(), table_3(), table_4())


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(tables)
def test_new_round_is_prefilled_from_last_year(tmp_path_factory, blank_2024, last) -> None:
    """二、上年结转 equals last year's 四 (locked), and last year's 现行有效 stands beside this year's."""
    work = tmp_path_factory.mktemp("round")
    (work / "2024").mkdir()
    fill(blank_2024, work / "2024" / "甲镇.xlsx", last | {"address": "甲镇驻地", "phone": "0632-1234567"})
    (work / "units.txt").write_text(f"{UNIT}\n", encoding="utf-8")
    done = gx("new", "--units", work / "units.txt", "--year", 2025, "--previous", work / "2024", "-o", work / "2025")
    assert done.returncode == 0, done.stderr
    made = work / "2025" / f"{UNIT}.xlsx"
    report = read_workbook(made)
    assert report.year == 2025
    for col in T3_PARTS:
        assert report.number(f"t3.carried_over.{col}") == last[f"t3.carried_forward.{col}"]
        assert report.number(f"prev.t3.carried_forward.{col}") == last[f"t3.carried_forward.{col}"]
    for row in ("regulation", "normative"):
        assert report.number(f"prev.t2.{row}.in_force") == last[f"t2.{row}.in_force"]
    assert report.entry("address").value == "甲镇驻地"
    sheet, row, col = LAYOUT.where["t3.carried_over.natural"]
    ws = openpyxl.load_workbook(made)[sheet]
    assert ws.cell(row + 1, col + 1).protection.locked
    new_row = LAYOUT.where["t3.new.natural"]
    assert not ws.cell(new_row[1] + 1, new_row[2] + 1).protection.locked


def test_broken_carry_over_is_an_error_naming_the_column(tmp_path: Path, blank_2024: Path) -> None:
    """With --previous, this year's 上年结转 different from last year's 结转下年度 is XY-CARRY, per column."""
    zeros = {c.key: 0 for c in SCHEMA.table_inputs}
    fill(blank_2024, tmp_path / "last.xlsx", zeros | {"t3.carried_forward.commercial": 2, "t3.new.commercial": 2})
    this_blank = tmp_path / "blank25.xlsx"
    write_workbook(this_blank, Meta(UNIT, 2025))
    fill(this_blank, tmp_path / "this.xlsx", zeros)
    done = gx("check", "--json", tmp_path / "this.xlsx", "--previous", tmp_path / "last.xlsx")
    problems = json.loads(done.stdout)["files"][0]["problems"]
    carry = [p for p in problems if p["rule"] == "XY-CARRY"]
    assert done.returncode == 1
    assert len(carry) == 1
    assert carry[0]["message"].startswith("表三·商业企业列：本年上年结转0件，上年结转下年度2件，两者应相等；涉及")
    assert carry[0]["keys"] == ["t3.carried_over.commercial", "prev.t3.carried_forward.commercial"]
    assert carry[0]["severity"] == "error"


def test_stock_mismatch_is_a_warning(tmp_path: Path, blank_2024: Path) -> None:
    """Last year's 现行有效 + 制发 − 废止 different from this year's 现行有效 is an XY-STOCK warning."""
    last = from_data({"unit": UNIT, "year": 2024, "tables": {"t2.normative.in_force": 30}})
    this = from_data({"unit": UNIT, "year": 2025, "tables": {"t2.normative.in_force": 20, "t2.normative.issued": 3,
                                                              "t2.normative.repealed": 1}})
    this.previous = last
    from gxsheet.check import check

    result = check(this)
    assert result.statuses["XY-STOCK-02"] == "提醒"
    stock = [p for p in result.problems if p.rule == "XY-STOCK"]
    assert [p.message.partition("；")[0] for p in stock] == [
        "表二·行政规范性文件行：上年现行有效加本年制发为33件，本年废止加现行有效为21件，请核实（清理后重新统计的可保留）"]
    assert stock[0].keys == ("prev.t2.normative.in_force", "t2.normative.issued", "t2.normative.repealed",
                             "t2.normative.in_force")
    assert stock[0].severity.value == "warning"
    this.previous = None
    assert check(this).statuses["XY-STOCK-02"] == "不适用"


def test_copied_narrative_is_flagged_with_its_share() -> None:
    """A narrative copied from last year is an XY-REPEAT warning; a rewritten one is not."""
    last = from_data({"unit": UNIT, "year": 2024, "fields": {"overview.active": TEXT}})
    same = from_data({"unit": UNIT, "year": 2025, "fields": {"overview.active": TEXT.replace("2024", "2025")}})
    fresh = from_data({"unit": UNIT, "year": 2025, "fields": {"overview.active": TEXT[::-1]}})
    from gxsheet.check import check

    same.previous = last
    fresh.previous = last
    repeats = [p for p in check(same).problems if p.rule == "XY-REPEAT"]
    assert len(repeats) == 1 and "约100%的文字与2024年报告相同" in repeats[0].message
    assert not [p for p in check(fresh).problems if p.rule == "XY-REPEAT"]
    assert repeated_share(TEXT, TEXT[:40]) < 0.5


@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 500), st.integers(0, 500))
def test_year_on_year_sentences(this_new, last_new, this_pub, last_pub) -> None:
    """With last year known, the prose says 较上年增加/减少N or 与上年持平, with N the difference."""
    def report(year: int, new: int, pub: int):  # type: ignore[no-untyped-def]
        tables = {f"t3.{r}.{c}": 0 for r in ("new", "carried_over", "granted", "carried_forward") for c in T3_PARTS}
        tables |= {"t3.new.natural": new, "t3.granted.natural": new}
        return from_data({"unit": UNIT, "year": year, "tables": tables,
                          "fields": {"pub.channel.1.name": "网站", "pub.channel.1.count": pub}})

    this, last = report(2025, this_new, this_pub), report(2024, last_new, last_pub)
    this.previous = last
    text = "\n".join(b.text for b in compose(this).blocks if isinstance(b, Paragraph))

    def phrase(a: int, b: int, unit: str) -> str:
        return "，与上年持平" if a == b else f"，较上年{'增加' if a > b else '减少'}{abs(a - b)}{unit}"

    assert f"共发布政务信息{this_pub}条{phrase(this_pub, last_pub, '条')}" in text
    if this_new:
        assert f"新收政府信息公开申请{this_new}件{phrase(this_new, last_new, '件')}" in text
    this.previous = None
    assert "较上年" not in "\n".join(b.text for b in compose(this).blocks if isinstance(b, Paragraph))


def test_unit_lists_in_three_forms(tmp_path: Path) -> None:
    """Unit lists come as UTF-8 or GBK text, CSV with a header, or an .xlsx column; duplicates and blanks drop."""
    (tmp_path / "a.txt").write_text("甲镇人民政府\n\n乙镇人民政府\n甲镇人民政府\n", encoding="utf-8")
    (tmp_path / "b.csv").write_bytes("单位名称,联系人\n甲镇人民政府,张三\n乙镇人民政府,李四\n".encode("gbk"))
    book = openpyxl.Workbook()
    for name in ("单位", "甲镇人民政府", "乙镇人民政府"):
        book.active.append([name])
    book.save(tmp_path / "c.xlsx")
    for name in ("a.txt", "b.csv", "c.xlsx"):
        assert read_units(tmp_path / name) == ["甲镇人民政府", "乙镇人民政府"], name
    (tmp_path / "empty.txt").write_text("\n", encoding="utf-8")
    with pytest.raises(ReadError, match="没有单位名称"):
        read_units(tmp_path / "empty.txt")
