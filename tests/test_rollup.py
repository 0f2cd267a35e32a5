"""`collect --rollup`: the round's roll-up report, built from the summed tables of the units that passed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fill import fill
from html_page import html_tables

from gxsheet.schema import SCHEMA
from gxsheet.schema.grid import grid, positions
from gxsheet.schema.tables import TABLE_3
from gxsheet.workbook.meta import Meta
from gxsheet.workbook.writer import write_workbook


def test_rollup_report_sums_the_units_that_passed(tmp_path: Path) -> None:
    """Three passing units and one broken one: the roll-up's 表三 and prose carry the three units' sums only."""
    folder = tmp_path / "in"
    folder.mkdir()
    zeros = {c.key: 0 for c in SCHEMA.table_inputs}
    for i, unit in enumerate(("甲镇人民政府", "乙镇人民政府", "丙镇人民政府", "丁镇人民政府"), 1):
        blank = tmp_path / f"blank{i}.xlsx"
        write_workbook(blank, Meta(unit, 2025))
        broken = {"t3.carried_forward.natural": 50} if i == 4 else {}
        fill(blank, folder / f"{unit}.xlsx", zeros | {"t3.new.natural": i, "t3.granted.natural": i} | broken)
    out = tmp_path / "汇总.html"
    done = subprocess.run([sys.executable, "-m", "gxsheet.cli", "collect", folder, "-o", tmp_path / "s.xlsx",
                           "--rollup", out, "--name", "某县"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr  # 丁镇 has an error
    assert f"汇总报告：{out}" in done.stdout
    page = out.read_text(encoding="utf-8")
    assert "某县" in page and "2025年政府信息公开工作年度报告（汇总）" in page
    assert "本汇总合计3个单位" in page and "新收政府信息公开申请6件" in page
    t3 = html_tables(page)[1]
    where = positions(grid(TABLE_3))
    assert t3[where["t3.new.natural"]][0] == "6"
    assert t3[where["t3.granted.total"]][0] == "6"
    assert t3[where["t3.carried_forward.natural"]][0] == "0"
