"""Text that looks like a formula is written with a quote prefix in every workbook gxsheet writes."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from gxsheet.collect import collect
from gxsheet.inert import needs_quote
from gxsheet.summary import write_summary
from gxsheet.workbook.layout import LAYOUT
from gxsheet.workbook.meta import Meta
from gxsheet.workbook.receipt import Receipt
from gxsheet.workbook.writer import write_workbook
from gxsheet.xlsx import a1

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
LIVE = {"overview.active": '=HYPERLINK("http://x","点此")', "address": "+86 驻地大街1号", "phone": "-1",
        "email": "\t@SUM(A1)", "note.1.text": "=1+1 是备注"}
PLAIN = {"overview.summary": "本单位依法公开政府信息。", "website": "www.example.gov.cn"}


@pytest.mark.parametrize(("text", "live"), [
    ("=1+1", True), ("+86", True), ("-1", True), ("@A1", True), ("\t=x", True), ("\r\n -x", True),
    (" \t", False), ("", False), ("a=1", False), ("＝1", False), ("电话-1", False),
])
def test_needs_quote(text: str, live: bool) -> None:
    assert needs_quote(text) is live


def cells(path: Path, sheet_name: str) -> dict[str, tuple[str, bool, bool]]:
    """Each cell of a sheet: (its text or value, stored as a formula, its format's quotePrefix)."""
    with zipfile.ZipFile(path) as z:
        book = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        styles = ET.fromstring(z.read("xl/styles.xml"))
        strings = ([ "".join(t.text or "" for t in si.iter(f"{NS}t")) for si in
                    ET.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{NS}si")]
                   if "xl/sharedStrings.xml" in z.namelist() else [])
        rid = next(s.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
                   for s in book.iter(f"{NS}sheet") if s.get("name") == sheet_name)
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        sheet = ET.fromstring(z.read("xl/" + target.lstrip("/").removeprefix("xl/")))
    xfs = list(styles.find(f"{NS}cellXfs") or [])
    out = {}
    for c in sheet.iter(f"{NS}c"):
        v = c.find(f"{NS}v")
        text = strings[int(v.text or 0)] if c.get("t") == "s" and v is not None else (v.text if v is not None else "")
        quoted = xfs[int(c.get("s", "0"))].get("quotePrefix") == "1"
        out[c.get("r", "")] = (text or "", c.find(f"{NS}f") is not None, quoted)
    return out


def where(key: str) -> tuple[str, str]:
    sheet, row, col = LAYOUT.where[key]
    return sheet, a1(row, col)


def test_fill_in_workbook_quotes_live_text(tmp_path: Path) -> None:
    path = tmp_path / "w.xlsx"
    write_workbook(path, Meta("=测试镇人民政府", 2025), LIVE | PLAIN)
    for key, text in (LIVE | PLAIN).items():
        sheet, ref = where(key)
        found, formula, quoted = cells(path, sheet)[ref]
        assert (found, formula, quoted) == (text, False, key in LIVE), key


def test_marked_copy_receipt_quotes_live_text(tmp_path: Path) -> None:
    path = tmp_path / "w.xlsx"
    receipt = Receipt("=测试镇", 2025, (("基本信息", "B3", "错误", "=SUM(1)不是数字"),
                                         ("基本信息", "B4", "提醒", "普通说明")), 1, 1, name="问题回执")
    write_workbook(path, Meta("=测试镇", 2025), receipt=receipt)
    found = cells(path, "问题回执")
    assert found["E4"] == ("=SUM(1)不是数字", False, True)
    assert found["E5"] == ("普通说明", False, False)
    assert found["A1"][2]  # the title starts with the unit's name


def test_summary_quotes_unit_and_file_names(tmp_path: Path) -> None:
    folder = tmp_path / "收回"
    folder.mkdir()
    write_workbook(folder / "=HYPERLINK(1).xlsx", Meta("=HYPERLINK(1)", 2025), LIVE)
    write_workbook(folder / "普通镇.xlsx", Meta("普通镇", 2025), PLAIN)
    out = tmp_path / "汇总.xlsx"
    write_summary(collect(folder), out)
    status = cells(out, "提交情况")
    rows = {status[f"B{r}"][0]: r for r in range(4, 6)}
    live, plain = rows["=HYPERLINK(1)"], rows["普通镇"]
    assert status[f"B{live}"][1:] == (False, True) and status[f"C{live}"] == ("=HYPERLINK(1).xlsx", False, True)
    assert status[f"B{plain}"][1:] == (False, False) and not status[f"C{plain}"][2]
    problems = cells(out, "问题清单")
    named = [ref for ref, (text, _, _) in problems.items() if re.fullmatch(r"A\d+", ref) and text == "=HYPERLINK(1)"]
    assert named and all(problems[ref][1:] == (False, True) for ref in named)
