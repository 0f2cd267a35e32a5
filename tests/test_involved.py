"""A relation that fails names every cell it involves, not one arbitrary member (issue 10, part 4)."""

from __future__ import annotations

from pathlib import Path

from fill import fill, where

from gxsheet.check import check
from gxsheet.report import Report
from gxsheet.schema import SCHEMA, VERSION
from gxsheet.values import parse_key
from gxsheet.workbook.reader import read_workbook

ZEROS: dict[str, object] = {c.key: 0 for c in SCHEMA.table_inputs}
BALANCE = ("t3.new.natural", "t3.carried_over.natural", "t3.closed.natural", "t3.carried_forward.natural")


def test_a_balance_names_both_sums_and_every_cell(blank_workbook: Path, tmp_path: Path) -> None:
    """一＋二 ≠ （七）＋四: the message gives both sums and the four cells with their addresses;
    the problem is about no single cell and carries all four keys."""
    filled = tmp_path / "f.xlsx"
    fill(blank_workbook, filled, ZEROS | {"t3.new.natural": 5, "t3.granted.natural": 4})
    problem = next(p for p in check(read_workbook(filled)).problems if p.code == "T3-BALANCE-01")
    assert problem.keys == BALANCE
    assert problem.key == "" and problem.cell == "" and problem.column == SCHEMA.cells[BALANCE[0]].column_name
    assert "一＋二＝5" in problem.message and "（七）总计＋四＝4" in problem.message
    for key in BALANCE:
        sheet, cell = where(key)
        assert f"{SCHEMA.cells[key].row_name}（{cell}）" in problem.message
        assert problem.sheet == sheet
    assert problem.as_dict()["keys"] == list(BALANCE)


def test_a_wrong_total_is_still_about_the_total() -> None:
    """A printed total that disagrees with its parts (T3-ROW) is one cell: the problem points at it."""
    values = ZEROS | {"t3.new.natural": 2, "t3.granted.natural": 2, "t3.new.total": 7}
    report = Report("甲镇人民政府", 2025, VERSION, {k: parse_key(k, v) for k, v in values.items()}, locate=where)
    found = [p for p in check(report).problems if p.rule == "T3-ROW"]
    assert [p.key for p in found] == ["t3.new.total"]
    sheet, cell = where("t3.new.total")
    assert found[0].cell == cell and found[0].sheet == sheet and found[0].keys[0] == "t3.new.total"
    assert f"总计（{cell}）" in found[0].message and "总计为7，各类申请人之和为2" in found[0].message
