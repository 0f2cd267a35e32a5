"""`gxsheet audit` and `gxsheet import` end to end: round trips through our own outputs, real pages."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pages import TABLE_2_2019, published, rows, zeros
from shared import shared
from strategies import table_2, table_3, table_4

from gxsheet.document.compose import compose
from gxsheet.document.docx_writer import write_docx
from gxsheet.document.html_writer import render_html
from gxsheet.document.model import Paragraph, TableBlock
from gxsheet.jsonio import from_data
from gxsheet.published.audit import audit
from gxsheet.published.importer import import_report
from gxsheet.published.reader import read_published
from gxsheet.schema import SCHEMA
from gxsheet.schema.tables import TABLE_3, TABLE_4
from gxsheet.workbook.reader import read_workbook

UNIT = "甲镇人民政府"
FIELDS = {"overview.active": "本镇依法做好主动公开。", "overview.requests": "本镇规范办理依申请公开。",
          "problems.current": "公开形式还比较单一。", "problems.measures": "2025年，本镇将丰富公开形式。",
          "address": "甲镇驻地", "postcode": "277500", "phone": "0632-1234567", "website": "中国甲镇网"}


def gx(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gxsheet.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=120)


def written(doc: object, folder: Path) -> list[Path]:
    html, docx = folder / "r.html", folder / "r.docx"
    html.write_text(render_html(doc), encoding="utf-8")  # type: ignore[arg-type]
    write_docx(doc, docx)  # type: ignore[arg-type]
    return [html, docx]


tables = st.builds(lambda a, b, c: a | b | c, table_2(), table_3(), table_4())


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(tables)
def test_build_then_audit_and_import_round_trip(tmp_path_factory, values) -> None:
    """A report gxsheet built (docx and html) audits without errors and imports back to the same figures."""
    source = from_data({"unit": UNIT, "year": 2024, "tables": values, "fields": FIELDS})
    folder = tmp_path_factory.mktemp("rt")
    for path in written(compose(source), folder):
        result = audit(read_published(path))
        assert result.errors == [], (path.suffix, [p.message for p in result.errors])
        for key in SCHEMA.cells:
            assert result.report.number(key) == source.number(key), (path.suffix, key)
        book = folder / f"{path.suffix[1:]}.xlsx"
        import_report(read_published(path), book)
        back = read_workbook(book)
        assert (back.unit, back.year) == (UNIT, 2024)
        assert {k: back.number(k) for k in SCHEMA.cells} == {k: source.number(k) for k in SCHEMA.cells}
        assert back.entry("postcode").value == "277500"


def test_planted_contradiction_and_table_error_are_named(tmp_path: Path) -> None:
    """A sentence quoting the wrong count and a broken table total are each named, with both numbers."""
    values = {c.key: 0 for c in SCHEMA.table_inputs} | {"t3.new.natural": 4, "t3.granted.natural": 4}
    doc = compose(from_data({"unit": UNIT, "year": 2024, "tables": values, "fields": FIELDS}))
    blocks = []
    for b in doc.blocks:
        if isinstance(b, Paragraph) and "新收政府信息公开申请4件" in b.text:
            b = Paragraph(b.text.replace("新收政府信息公开申请4件", "新收政府信息公开申请9件"), b.style)
        if isinstance(b, TableBlock) and b.table is TABLE_4:
            b = TableBlock(b.table, b.values | {"t4.review.total": "3"}, b.notes)
        blocks.append(b)
    broken = dataclasses.replace(doc, blocks=tuple(blocks))
    for path in written(broken, tmp_path):
        done = gx("audit", "--json", path)
        assert done.returncode == 1
        problems = json.loads(done.stdout)["reports"][0]["problems"]
        prose = [p["message"] for p in problems if p["group"] == "正文" and p["severity"] == "error"]
        assert any("9" in m and "4" in m and "新收" in m for m in prose), prose
        sums = [p for p in problems if p["rule"] == "T4-SUM"]
        assert [p["message"] for p in sums] == [
            "表四·行政复议：总计为3，各项结果之和为0；涉及总计与结果维持＋结果纠正＋其他结果＋尚未审结"]


def test_real_consecutive_years_pass_the_cross_year_rules(tmp_path: Path) -> None:
    """平潭 2022 against 2021 (page or imported workbook) satisfies XY-CARRY; a changed carry-over fails."""
    y21, y22 = shared("reports", "pingtan_2021.html"), shared("reports", "pingtan_2022.html")
    book = tmp_path / "2021.xlsx"
    assert gx("import", y21, "-o", book).returncode == 0
    for previous in (y21, book):
        done = gx("audit", "--json", y22, "--previous", previous)
        statuses = json.loads(done.stdout)["reports"][0]["statuses"]
        assert {v for k, v in statuses.items() if k.startswith("XY-CARRY")} == {"通过"}, previous
    page = y22.read_bytes().decode("utf-8", "replace")
    assert page.count("上年结转政府信息公开申请数量") == 1
    changed = tmp_path / "2022.html"
    changed.write_text(_change_first_carry_over(page), encoding="utf-8")
    done = gx("audit", "--json", changed, "--previous", book)
    carry = [p["message"] for p in json.loads(done.stdout)["reports"][0]["problems"] if p["rule"] == "XY-CARRY"]
    assert carry and carry[0].startswith("表三·自然人列：本年上年结转")


def _change_first_carry_over(page: str) -> str:
    """Set the first number after the 上年结转 row label to 7 (it is 1 on the page)."""
    at = page.index("上年结转政府信息公开申请数量")
    head, tail = page[:at], page[at:]
    return head + re.sub(r">\s*1\s*<", ">7<", tail, count=1)


def test_import_refuses_a_2019_table_2_and_says_so(tmp_path: Path) -> None:
    """A 2019-format 表二 is left out of the imported workbook with the reason; 表三 and 表四 come in."""
    v = zeros()
    pub = published(v, tables=[TABLE_2_2019, rows(TABLE_3, v), rows(TABLE_4, v)])
    done = import_report(pub, tmp_path / "old.xlsx")
    assert done.tables == ["表三", "表四"]
    assert done.refused == ["表二为2019年试行格式，栏目与2021年格式不能对应，未导入，请在工作簿中按2021年格式补填"]
    back = read_workbook(tmp_path / "old.xlsx")
    assert back.entry("t2.normative.issued").value is None
    assert back.number("t3.new.total") == 0


def test_unreadable_inputs_exit_2_with_one_chinese_line(tmp_path: Path) -> None:
    """A .docx that is not a zip exits 2 for audit and import, naming the file; nothing is written."""
    bad = tmp_path / "坏.docx"
    bad.write_text("这不是Word文件", encoding="utf-8")
    audited = gx("audit", bad)
    imported = gx("import", bad, "-o", tmp_path / "x.xlsx")
    assert audited.returncode == 2 and audited.stdout.startswith(f"{bad}：无法读取——")
    assert imported.returncode == 2 and imported.stderr.startswith(f"错误：{bad}：")
    assert "Traceback" not in audited.stdout + audited.stderr + imported.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_a_folder_of_real_reports_is_audited_one_by_one() -> None:
    """Pointed at the folder of real pages, audit reports each file with its unit, year and findings."""
    done = gx("audit", "--json", shared("reports"))
    found = {Path(r["file"]).name: r for r in json.loads(done.stdout)["reports"]}
    assert sorted(found) == ["pingtan_2021.html", "pingtan_2022.html", "shuyang_fgj_2023.html"]
    assert {(r["unit"], r["year"]) for r in found.values()} == {
        ("平潭综合实验区", 2021), ("平潭综合实验区", 2022), ("沭阳县发展和改革局", 2023)}
    old = found["shuyang_fgj_2023.html"]
    direct = audit(read_published(shared("reports", "shuyang_fgj_2023.html")))
    assert [(p["code"], p["message"]) for p in old["problems"]] == [(p.code, p.message) for p in direct.problems]
    assert old["errors"] == len(direct.errors) == sum(p["severity"] == "error" for p in old["problems"]) > 0
    assert any(p["code"] == "FORMAT-2019" for p in old["problems"])
    assert done.returncode == 1
