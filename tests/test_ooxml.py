"""Every .xlsx and .docx gxsheet writes passes an OOXML schema validator (Office 2010 profile)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from fill import fill
from ooxml import schema_errors

from gxsheet.check import check
from gxsheet.collect import collect
from gxsheet.document.compose import compose, compose_rollup
from gxsheet.document.docx_writer import write_docx
from gxsheet.mark import write_marked
from gxsheet.summary import write_summary
from gxsheet.workbook.reader import read_workbook


def test_the_validator_can_fail(blank_workbook: Path, tmp_path: Path) -> None:
    """A sheet with an element Excel does not know is rejected, so a pass below means something."""
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(blank_workbook) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"<sheetData>", b"<bogus/><sheetData>", 1)
            zout.writestr(info, data)
    assert any("bogus" in e for e in schema_errors(bad))


def test_blank_workbook_is_valid(blank_workbook: Path) -> None:
    assert schema_errors(blank_workbook) == []


def test_sample_workbook_is_valid(sample_workbook: Path) -> None:
    assert schema_errors(sample_workbook) == []


def test_docx_report_is_valid(sample_workbook: Path, tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    write_docx(compose(read_workbook(sample_workbook)), path)
    assert schema_errors(path) == []


def test_collect_summary_and_rollup_are_valid(blank_workbook: Path, sample_workbook: Path, tmp_path: Path) -> None:
    """A round with a passing unit and one with a broken table: every summary sheet is written."""
    folder = tmp_path / "收回"
    folder.mkdir()
    shutil.copyfile(sample_workbook, folder / sample_workbook.name)
    fill(blank_workbook, folder / "乙.xlsx", {"t3.new.natural": 3, "t4.review.upheld": "无"})
    out = tmp_path / "汇总.xlsx"
    collection = collect(folder, workers=1)
    write_summary(collection, out)
    assert schema_errors(out) == []
    rollup = tmp_path / "汇总报告.docx"
    write_docx(compose_rollup(collection.summed(), "本地区", collection.counted), rollup)
    assert schema_errors(rollup) == []


@pytest.mark.parametrize("name", ["柴胡店镇人民政府2024.docx"])
def test_bundled_sample_report_is_valid(name: str) -> None:
    path = Path(__file__).resolve().parent.parent / "samples" / name
    assert schema_errors(path) == []


def test_marked_copy_is_valid(blank_workbook: Path, tmp_path: Path) -> None:
    """The copy `check --mark` writes: red outlines, notes (VML and comments parts), the receipt sheet."""
    filled = tmp_path / "甲镇.xlsx"
    fill(blank_workbook, filled, {"t3.new.natural": 3, "t4.review.upheld": "无"})
    out = tmp_path / "标注.xlsx"
    write_marked(check(read_workbook(filled)), out)
    with zipfile.ZipFile(out) as z:
        assert any(n.startswith("xl/comments") for n in z.namelist())
    assert schema_errors(out) == []
