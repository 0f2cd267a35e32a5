"""Two files of one unit: `collect` says which stands for the unit, why, and where they differ;
`build` on a folder writes one report per unit and names the file it skipped."""

from __future__ import annotations

import os
from pathlib import Path

from fill import fill, where

from gxsheet.collect import collect
from gxsheet.document.build import plan
from gxsheet.outcome import Status
from gxsheet.schema import SCHEMA
from gxsheet.workbook.meta import Meta
from gxsheet.workbook.writer import write_workbook

UNIT, OTHER = "甲镇人民政府", "乙镇人民政府"
ZEROS: dict[str, object] = {c.key: 0 for c in SCHEMA.table_inputs}


def _workbook(tmp: Path, target: Path, unit: str, values: dict[str, object], mtime: int) -> Path:
    blank = tmp / f"blank-{unit}.xlsx"
    if not blank.exists():
        write_workbook(blank, Meta(unit, 2025))
    target.parent.mkdir(parents=True, exist_ok=True)
    fill(blank, target, ZEROS | values)
    os.utime(target, (mtime, mtime))
    return target


def _round(tmp: Path, first: dict[str, object], second: dict[str, object]) -> tuple[Path, Path, Path]:
    folder = tmp / "收回"
    older = _workbook(tmp, folder / f"{UNIT}.xlsx", UNIT, first, 1_700_000_000)
    newer = _workbook(tmp, folder / f"{UNIT}（改）.xlsx", UNIT, second, 1_700_086_400)
    _workbook(tmp, folder / f"{OTHER}.xlsx", OTHER, {"t3.new.natural": 1, "t3.granted.natural": 1}, 1_700_000_000)
    return folder, older, newer


def test_newer_file_stands_for_the_unit_and_the_differences_are_listed(tmp_path: Path) -> None:
    folder, older, newer = _round(tmp_path, {"t3.new.natural": 2, "t3.granted.natural": 2},
                                  {"t3.new.natural": 5, "t3.granted.natural": 5})
    done = collect(folder)
    mine = {s.path: s for s in done.submissions if s.unit == UNIT}
    assert mine[newer].status is Status.OK and mine[newer].counted
    assert mine[older].status is Status.DUPLICATE and not mine[older].counted
    message = mine[older].problems[0].message
    assert "修改时间较晚" in message and f"以{newer.name}为准" in message
    assert "不同之处共2处" in message
    sheet, cell = where("t3.new.natural")
    assert f"{SCHEMA.label('t3.new.natural')}（{sheet}!{cell}）：{newer.name}为“5”，{older.name}为“2”" in message
    assert mine[newer].problems[0].message.endswith(message.split("，", 2)[2])  # the same explanation on both
    assert done.sums["t3.new.natural"] == 5 + 1  # the newer file's figures, and the other unit's


def test_passing_file_stands_for_the_unit_over_a_newer_failing_one(tmp_path: Path) -> None:
    folder, older, newer = _round(tmp_path, {"t3.new.natural": 2, "t3.granted.natural": 2},
                                  {"t3.new.natural": 5, "t3.granted.natural": 4})  # 一＋二 ≠ （七）＋四
    done = collect(folder)
    mine = {s.path: s for s in done.submissions if s.unit == UNIT}
    assert mine[older].counted and mine[newer].status is Status.DUPLICATE
    assert f"{older.name}通过校验，{newer.name}有错误" in mine[newer].problems[0].message
    assert done.sums["t3.new.natural"] == 2 + 1


def test_identical_files_say_so(tmp_path: Path) -> None:
    same = {"t3.new.natural": 3, "t3.granted.natural": 3}
    folder, _, newer = _round(tmp_path, same, same)
    done = collect(folder)
    kept = next(s for s in done.submissions if s.path == newer)
    assert "两个文件填写的内容完全相同" in kept.problems[0].message


def test_build_on_a_folder_writes_one_report_per_unit(tmp_path: Path) -> None:
    folder, older, newer = _round(tmp_path, {"t3.new.natural": 2, "t3.granted.natural": 2},
                                  {"t3.new.natural": 5, "t3.granted.natural": 5})
    planned = plan([folder], tmp_path / "报告", "html")
    assert sorted(p.name for p in planned.sources) == sorted([newer.name, f"{OTHER}.xlsx"])
    assert list(planned.skipped) == [older]
    why = planned.skipped[older]
    assert str(older) in why and newer.name in why and "修改时间较晚" in why and SCHEMA.label("t3.new.natural") in why
    single = plan([older, newer], tmp_path / "报告", "html")  # files named one by one: each is built
    assert single.sources == [older, newer] and not single.skipped
