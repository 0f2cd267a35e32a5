"""openpyxl is for the tests only: no module of gxsheet imports it, the unit list is read by gxsheet's own reader."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest
import xlsxwriter

import gxsheet
from gxsheet.distribute import read_units
from gxsheet.xlsx import ReadError

PACKAGE = Path(gxsheet.__file__).resolve().parent
TEST_ONLY = {"openpyxl"}


def imported(path: Path) -> set[str]:
    """The top-level packages a module imports, wherever the import stands (also inside functions)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_of_gxsheet_imports_a_test_only_package() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 20  # the installed package, not an empty folder
    offenders = {p.relative_to(PACKAGE).as_posix(): imported(p) & TEST_ONLY for p in modules}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_openpyxl_is_a_test_extra_not_a_runtime_dependency() -> None:
    project = Path(__file__).resolve().parent.parent / "pyproject.toml"
    if not project.exists():
        pytest.skip("pyproject.toml is not beside the tests (an installed sdist)")
    meta = tomllib.loads(project.read_text(encoding="utf-8"))["project"]
    assert not [d for d in meta["dependencies"] if d.startswith("openpyxl")]
    assert [d for d in meta["optional-dependencies"]["test"] if d.startswith("openpyxl")]


def test_unit_list_workbook_is_read_in_sheet_and_row_order(tmp_path: Path) -> None:
    """The first column of the first sheet, in row order: shared strings, inline numbers, gaps and a header."""
    path = tmp_path / "名单.xlsx"
    book = xlsxwriter.Workbook(str(path))
    first, other = book.add_worksheet("名单"), book.add_worksheet("其他")
    column = {0: "单位名称", 1: "甲镇人民政府", 3: "乙镇人民政府", 4: 2024, 6: "甲镇人民政府", 7: "  丙局 "}
    for row, value in sorted(column.items(), reverse=True):  # written bottom-up: order comes from the rows
        first.write(row, 0, value)
        first.write(row, 1, "联系人")
    other.write(0, 0, "不在第一个工作表")
    book.close()
    assert read_units(path) == ["甲镇人民政府", "乙镇人民政府", "2024", "丙局"]


def test_a_broken_unit_list_workbook_is_one_chinese_sentence(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    path.write_bytes(b"PK\x03\x04 not a whole zip")
    with pytest.raises(ReadError, match=r"单位名单 .*名单\.xlsx 不是可读取的 \.xlsx 文件（.+）"):
        read_units(path)
