"""A workbook whose sheet protection, structure lock or data validation was removed gets a 提醒 each."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from engine import convert, soffice

from gxsheet.check import check
from gxsheet.schema import SCHEMA, Severity
from gxsheet.workbook.guards import validated_inputs
from gxsheet.workbook.layout import LAYOUT
from gxsheet.workbook.meta import Meta
from gxsheet.workbook.reader import read_workbook
from gxsheet.workbook.writer import write_workbook
from gxsheet.xlsx import Xlsx

CODES = ("TAMPER-PROTECTION", "TAMPER-STRUCTURE", "TAMPER-VALIDATION")


def parts(path: Path) -> dict[str, str]:
    """Sheet name → its part, by the reader's own index."""
    with Xlsx(path) as book:
        return {name: part for name, (part, _) in book.sheets.items()}


def rewrite(source: Path, target: Path, edits: dict[str, tuple[str, str]]) -> None:
    """Copy an .xlsx, replacing the first match of pattern with text in the named parts (each must match)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename in edits:
                pattern, text = edits[info.filename]
                new, n = re.subn(pattern, text, data.decode("utf-8"), count=1, flags=re.S)
                assert n, (info.filename, pattern)
                data = new.encode("utf-8")
            zout.writestr(info, data)


def guard_problems(path: Path) -> list[tuple[str, str, str]]:
    result = check(read_workbook(path))
    return [(p.code, p.sheet, p.severity.value) for p in result.problems if p.code in CODES]


def content_sheets() -> list[str]:
    return [s.name for s in LAYOUT.sheets if s.values]


def test_untouched_sample_has_no_guard_warnings(sample_workbook: Path) -> None:
    assert guard_problems(sample_workbook) == []


def test_every_removed_guard_is_named(sample_workbook: Path, tmp_path: Path) -> None:
    protected, validated = content_sheets()[1], content_sheets()[-1]
    where = parts(sample_workbook)
    target = tmp_path / "stripped.xlsx"
    rewrite(sample_workbook, target, {
        where[protected]: (r"<sheetProtection[^>]*/>", ""),
        where[validated]: (r"<dataValidations.*?</dataValidations>", ""),
        "xl/workbook.xml": (r"<workbookProtection[^>]*/>", ""),
    })
    warning = Severity.WARNING.value
    assert sorted(guard_problems(target)) == sorted([("TAMPER-PROTECTION", protected, warning),
                                                     ("TAMPER-VALIDATION", validated, warning),
                                                     ("TAMPER-STRUCTURE", "", warning)])
    result = check(read_workbook(target))
    assert result.ok and not result.errors
    messages = [p.message for p in result.problems if p.code in CODES]
    assert any(protected in m and "保护已被取消" in m for m in messages)
    assert any(validated in m and "数据有效性" in m for m in messages)
    assert any("结构锁定已被取消" in m for m in messages)


def test_a_few_validations_lost_is_not_a_removal(sample_workbook: Path, tmp_path: Path) -> None:
    """One validation gone (an edit, a paste) is no warning; all but a few gone is."""
    sheet = max(LAYOUT.sheets, key=lambda s: len(validated_inputs(s)))
    where = parts(sample_workbook)
    few, most = tmp_path / "few.xlsx", tmp_path / "most.xlsx"
    rewrite(sample_workbook, few, {where[sheet.name]: (r"<dataValidation [^>]*>.*?</dataValidation>", "")})
    assert guard_problems(few) == []
    with zipfile.ZipFile(sample_workbook) as z:
        xml = z.read(where[sheet.name]).decode("utf-8")
    kept = re.findall(r"<dataValidation [^>]*>.*?</dataValidation>", xml, flags=re.S)[:3]
    rewrite(sample_workbook, most, {where[sheet.name]: (r"(<dataValidations)[^>]*>.*?</dataValidations>",
                                                        r'\1 count="3">' + "".join(kept) + "</dataValidations>")})
    assert guard_problems(most) == [("TAMPER-VALIDATION", sheet.name, Severity.WARNING.value)]


@pytest.mark.engine
def test_libreoffice_resave_keeps_every_guard(sample_workbook: Path, tmp_path: Path) -> None:
    """LibreOffice keeps sheet protection and validation; of the structure lock it writes a bare
    <workbookProtection/> (without lockStructure), which counts as kept: nobody took it off."""
    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    (saved,) = convert([sample_workbook], tmp_path / "lo")
    assert guard_problems(saved) == []


def test_inputs_prefilled_from_last_year_are_no_removal(tmp_path: Path) -> None:
    """二、上年结转 taken from last year is written locked, without validation: not a warning."""
    carried = frozenset(k for k in SCHEMA.cells if k.startswith("t3.carried_over.") and SCHEMA.is_input(k))
    assert carried
    path = tmp_path / "carried.xlsx"
    write_workbook(path, Meta("测试镇人民政府", 2025), {k: 1 for k in carried}, locked=carried)
    assert guard_problems(path) == []


def test_a_marked_copy_keeps_every_guard(tmp_path: Path) -> None:
    path = tmp_path / "marked.xlsx"
    write_workbook(path, Meta("测试镇人民政府", 2025), {"phone": "x"}, marks={"phone": "电话号码无效"})
    assert guard_problems(path) == []
