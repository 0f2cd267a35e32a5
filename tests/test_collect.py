"""`gxsheet collect`: a round of returned workbooks judged unit by unit, summed, and written safely."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from engine import convert
from fill import fill
from hypothesis import Phase, find, settings
from strategies import table_2, table_3, table_4
from terminal import stderr_on_terminal

from gxsheet.collect import collect
from gxsheet.distribute import filename
from gxsheet.schema import SCHEMA, Kind
from gxsheet.schema.grid import grid
from gxsheet.schema.rules import T3_PARTS
from gxsheet.schema.tables import TABLE_3
from gxsheet.summary import PROBLEM_HEADERS, STATUS_HEADERS, STATUS_TOP
from gxsheet.workbook.layout import LAYOUT
from gxsheet.workbook.meta import Meta
from gxsheet.workbook.writer import write_workbook
from gxsheet.xlsx import a1

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2025
UNITS = [f"第{i:02d}镇人民政府" for i in range(40)]
BROKEN = {3: "balance", 7: "text", 11: "blank"}  # planted errors
CORRUPT, DUPLICATED, MISSING = 15, 20, 39
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
TEXT = "本单位坚持以公开为常态、不公开为例外，及时发布政策文件和解读材料，切实保障人民群众的知情权、参与权和监督权。"
FILLED = {Kind.TEXT: "驻地大街1号", Kind.POSTCODE: "277500", Kind.DATE: dt.date(2025, 1, 20),  # 2024 or 2025
          Kind.PHONE: "0632-2205128", Kind.EMAIL: "gongkai@tengzhou.gov.cn",
          Kind.LONGTEXT: TEXT, Kind.AMOUNT: 0, Kind.COUNT: 0}
DRAW = settings(phases=[Phase.generate], database=None, max_examples=1000, deadline=None)


def gx(*args: object, **kw: object) -> subprocess.CompletedProcess[str]:
    """`python -m gxsheet.cli ARGS` in a fresh process; stdout and stderr are pipes (not terminals)."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "gxsheet.cli", *map(str, args)], cwd=kw.get("cwd", ROOT), env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def draw_tables(seed: int) -> dict[str, object]:
    """Consistent tables 二, 三 and 四 from tests/strategies.py, the same for the same seed."""
    rnd = random.Random(seed)
    values: dict[str, object] = {}
    for strategy in (table_2(), table_3(), table_4()):
        values |= find(strategy, lambda v: sum(Decimal(str(n)) for n in v.values()) > 3, settings=DRAW,
                       random=rnd)
    return values


def texts() -> dict[str, object]:
    """Every required field outside the tables filled, so a unit passes without warnings about blanks."""
    return {f.key: FILLED[f.kind] for f in SCHEMA.fields if f.required and not f.locked and f.key not in SCHEMA.cells}


def status_rows(path: Path) -> list[dict[str, object]]:
    """The unit rows of the 提交情况 sheet, by header."""
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book["提交情况"].iter_rows(min_row=STATUS_TOP + 2, values_only=True))
    book.close()
    return [dict(zip(STATUS_HEADERS, r, strict=False)) for r in rows if r and r[0] is not None]


def problem_rows(path: Path) -> list[dict[str, object]]:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book["问题清单"].iter_rows(min_row=2, values_only=True))
    book.close()
    return [dict(zip(PROBLEM_HEADERS, r, strict=False)) for r in rows if r and r[0] is not None]


@pytest.fixture(scope="module")
def blanks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One blank workbook per unit of the round, made once."""
    folder = tmp_path_factory.mktemp("blank")
    made = {}
    for unit in UNITS:
        made[unit] = folder / filename(unit)
        write_workbook(made[unit], Meta(unit, YEAR))
    return made


@pytest.fixture(scope="module")
def round_(tmp_path_factory: pytest.TempPathFactory, blanks: dict[str, Path]) -> dict[str, object]:
    """A round of 40 units: 3 with planted errors, 1 corrupt, 1 sent twice, 1 missing; collected by the CLI."""
    work = tmp_path_factory.mktemp("round")
    folder = work / "2025年收回"
    (folder / "乡镇").mkdir(parents=True)
    filled: dict[str, dict[str, object]] = {}
    for i, unit in enumerate(UNITS):
        if i == MISSING:
            continue
        values = draw_tables(i) | texts()
        how = BROKEN.get(i)
        if how == "balance":
            values["t3.new.natural"] = int(str(values["t3.new.natural"])) + 1
        elif how == "text":
            values["t4.review.upheld"] = "无"
        elif how == "blank":
            del values["t2.penalty.decisions"]
        target = folder / ("乡镇" if i % 2 else "") / filename(unit)
        fill(blanks[unit], target, values)
        filled[unit] = values
        if i == CORRUPT:
            data = target.read_bytes()
            target.write_bytes(data[: len(data) // 2])
        if i == DUPLICATED:
            copy = target.with_name(f"{target.stem}（重发）.xlsx")
            shutil.copyfile(target, copy)
            os.utime(copy, (target.stat().st_mtime + 60,) * 2)  # sent again later: the copy stands for the unit
    (folder / "~$第01镇人民政府.xlsx").write_bytes(b"lock file")  # Excel's lock file: not a submission
    (work / "单位名单.txt").write_text("单位名称\n" + "\n".join(UNITS) + "\n", encoding="utf-8")
    out = work / "汇总.xlsx"
    done = gx("collect", folder, "--expect", work / "单位名单.txt", "-o", out, "--json")
    return {"work": work, "folder": folder, "filled": filled, "out": out, "done": done}


def expected_status(i: int) -> str:
    if i == MISSING:
        return "未提交"
    if i == CORRUPT:
        return "无法读取"
    return "有错误" if i in BROKEN else "通过"


def test_round_reports_each_unit_as_it_is(round_: dict[str, object]) -> None:
    """Every unit gets exactly its status: 通过, 有错误 for planted errors, 无法读取, 未提交; the copy is 重复提交."""
    done = round_["done"]
    assert isinstance(done, subprocess.CompletedProcess)
    assert done.returncode == 1, done.stderr
    rows = status_rows(Path(str(round_["out"])))
    got = Counter((r["单位"], r["状态"]) for r in rows)
    want = Counter((u, expected_status(i)) for i, u in enumerate(UNITS))
    want[(UNITS[DUPLICATED], "重复提交")] += 1
    assert got == want
    assert [r["序号"] for r in rows] == list(range(1, len(rows) + 1))
    order = ["未提交", "无法读取", "有错误", "重复提交", "通过"]
    assert [order.index(str(r["状态"])) for r in rows] == sorted(order.index(str(r["状态"])) for r in rows)
    dup = [r for r in rows if r["单位"] == UNITS[DUPLICATED]]
    kept = next(r for r in dup if r["状态"] == "通过")
    other = next(r for r in dup if r["状态"] == "重复提交")
    assert other["文件"] == filename(UNITS[DUPLICATED]) and "（重发）" in str(kept["文件"])
    assert "（重发）" in str(kept["主要问题"]) and str(kept["文件"]) in str(other["主要问题"])
    assert "修改时间较晚" in str(other["主要问题"]) and "完全相同" in str(other["主要问题"])
    corrupt = next(r for r in rows if r["单位"] == UNITS[CORRUPT])
    assert "无法读取" in str(corrupt["主要问题"]) and corrupt["错误数"] == 1
    broken = {str(r["单位"]): str(r["主要问题"]) for r in rows if r["状态"] == "有错误"}
    assert "T3" not in broken[UNITS[3]] and "一＋二" in broken[UNITS[3]]  # the balance message
    assert "无" in broken[UNITS[7]] and "未填写" in broken[UNITS[11]]
    head = openpyxl.load_workbook(Path(str(round_["out"])), read_only=True)["提交情况"]["A2"].value
    assert head == "共40个单位：通过35，有错误3，无法读取1，未提交1（另有重复提交1个文件）"


def test_totals_equal_the_sums_of_what_was_filled(round_: dict[str, object]) -> None:
    """Every cell of 汇总表 equals the sum, over the units that passed (the copy once), of the values typed in."""
    filled = round_["filled"]
    assert isinstance(filled, dict)
    passed = [u for i, u in enumerate(UNITS) if expected_status(i) == "通过"]
    sums = {c.key: sum((Decimal(str(filled[u][c.key])) for u in passed), Decimal(0)) for c in SCHEMA.table_inputs}
    for key in SCHEMA.definitions:
        if key in SCHEMA.cells:
            sums[key] = sum((sums[leaf] for leaf in SCHEMA.leaves(key)), Decimal(0))
    assert len(sums) == len(SCHEMA.cells)
    ws = openpyxl.load_workbook(Path(str(round_["out"])))["汇总表"]
    assert f"{len(passed)}个" in str(ws["A2"].value)
    titles = {str(ws.cell(r, 1).value): r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
    for table in SCHEMA.tables:
        g, top = grid(table), titles[table.title]  # the table's title row, then its printed grid
        for cell in g.cells:
            found = ws.cell(top + 1 + cell.row, cell.col + 1).value
            if cell.key:
                assert Decimal(str(found)) == sums[cell.key], cell.key
            else:
                assert found == cell.text
    text = "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v)
    assert "汇总数据校验：" in text and "T3-BALANCE-01" in text


def test_json_structure_and_exit_codes(round_: dict[str, object], tmp_path: Path) -> None:
    """--json gives the documented shape; exit 0 only when every listed unit passed, 2 for a bad folder or output."""
    done = round_["done"]
    assert isinstance(done, subprocess.CompletedProcess)
    data = json.loads(done.stdout)
    assert set(data) == {"version", "folder", "year", "output", "exit_code", "summary", "units", "totals"}
    assert data["version"] == 1 and data["year"] == YEAR and data["exit_code"] == 1
    assert data["summary"] == {"units": 40, "ok": 35, "errors": 3, "unreadable": 1, "missing": 1,
                               "duplicate": 1, "unlisted": 0, "counted": 35}
    first = data["units"][0]
    assert set(first) >= {"unit", "file", "status", "status_zh", "year", "schema", "listed", "counted",
                          "errors", "warnings", "problems"}
    assert first["status"] == "missing" and first["file"] is None and first["unit"] == UNITS[MISSING]
    bad = next(u for u in data["units"] if u["status"] == "unreadable")
    assert bad["unit"] == UNITS[CORRUPT] and bad["error"]["code"] == "FILE"
    assert sum(u["counted"] for u in data["units"]) == 35
    assert data["totals"]["units"] == 35 and len(data["totals"]["values"]) == len(SCHEMA.cells)
    assert set(data["totals"]["rules"].values()) <= {"通过", "错误", "提醒"}
    assert done.stderr == ""  # not a terminal: no progress bar

    # Only the passing units, listed: exit 0.
    folder, work = Path(str(round_["folder"])), tmp_path
    clean = work / "clean"
    clean.mkdir()
    ok = [u for i, u in enumerate(UNITS) if expected_status(i) == "通过"][:4]
    for unit in ok:
        shutil.copyfile(next(folder.rglob(filename(unit))), clean / filename(unit))
    (work / "list.txt").write_text("\n".join(ok), encoding="utf-8")
    out = work / "out.xlsx"
    passed = gx("collect", clean, "--expect", work / "list.txt", "-o", out)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert passed.stderr == "" and f"汇总工作簿：{out}" in passed.stdout and "共4个单位：通过4" in passed.stdout
    refused = gx("collect", clean, "-o", out)
    assert refused.returncode == 2 and "--overwrite" in refused.stderr
    assert gx("collect", clean, "-o", out, "--overwrite").returncode == 0
    assert gx("collect", work / "没有这个文件夹", "-o", work / "x.xlsx").returncode == 2
    assert not (work / "x.xlsx").exists()


def test_progress_shows_on_a_terminal_in_plain_characters(round_: dict[str, object], tmp_path: Path) -> None:
    """On a terminal stderr shows "已读取 n/N", in characters a GBK console can print."""
    text = stderr_on_terminal(["collect", str(round_["folder"]), "-o", str(tmp_path / "s.xlsx")], cwd=ROOT)
    assert "\r已读取 40/40" in text
    text.encode("gbk")  # no glyph a Chinese Windows console cannot show


def test_pool_and_one_process_agree(round_: dict[str, object]) -> None:
    """Reading on two processes gives exactly what reading one file after another gives."""
    folder = Path(str(round_["folder"]))
    names = list(UNITS)
    assert collect(folder, names, workers=2).as_dict() == collect(folder, names, workers=1).as_dict()


INJECTIONS = ['=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "=1+2"]


def test_text_from_workbooks_stays_inert_text(tmp_path: Path) -> None:
    """Unit names, file names and messages quoting typed formulas are string cells: no <f>, t="s" or inlineStr."""
    folder = tmp_path / "in"
    folder.mkdir()
    t3 = LAYOUT.by_name[TABLE_3.sheet]
    label = next(t for t in t3.texts if t.text == "一、本年新收政府信息公开申请数量")
    for unit, name, typed in ((INJECTIONS[0], "=1+2.xlsx", INJECTIONS[1]), ("@SUM(A1)", "@SUM(1).xlsx", INJECTIONS[0])):
        blank = tmp_path / "blank.xlsx"
        write_workbook(blank, Meta(unit, YEAR))
        fill(blank, folder / name, draw_tables(1) | texts() | {
            "t3.new.natural": typed, "address": INJECTIONS[2], "overview.active": INJECTIONS[0],
            f"{TABLE_3.sheet}!{a1(label.row, label.col)}": INJECTIONS[3]})
    (tmp_path / "list.txt").write_text(f"{INJECTIONS[4]}\n@SUM(A1)\n", encoding="utf-8")
    out = tmp_path / "汇总.xlsx"
    done = gx("collect", folder, "--expect", tmp_path / "list.txt", "-o", out)
    assert done.returncode == 1, done.stderr
    with zipfile.ZipFile(out) as z:
        shared = [("".join(t.text or "" for t in si.iter(f"{NS}t")))
                  for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{NS}si")]
        seen: set[str] = set()
        for part in (n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)):
            root = ET.fromstring(z.read(part))
            assert root.find(f".//{NS}f") is None, part
            for c in root.iter(f"{NS}c"):
                kind = c.get("t", "n")
                assert kind in ("n", "s", "inlineStr"), (part, c.get("r"), kind)
                if kind == "s":
                    seen.add(shared[int(c.findtext(f"{NS}v") or "-1")])
                elif kind == "inlineStr":
                    seen.add("".join(t.text or "" for t in c.iter(f"{NS}t")))
    for payload in ("=1+2.xlsx", "@SUM(1).xlsx", INJECTIONS[0], INJECTIONS[4], "@SUM(A1)"):
        assert payload in seen, payload  # written whole, as its own string cell
    quoted = [s for s in seen if INJECTIONS[1] in s or INJECTIONS[3] in s]
    assert quoted, "the messages quoting what was typed are in the workbook"
    book = openpyxl.load_workbook(out)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and any(p in cell.value for p in INJECTIONS):
                    assert cell.data_type == "s", (ws.title, cell.coordinate)


@pytest.mark.engine
def test_summary_opens_in_libreoffice_and_survives_recalculation(round_: dict[str, object], tmp_path: Path) -> None:
    """LibreOffice opens the summary and saves it again with every sheet's values unchanged."""
    out = Path(str(round_["out"]))
    again = convert([out], tmp_path / "lo")[0]
    before = openpyxl.load_workbook(out, data_only=True)
    after = openpyxl.load_workbook(again, data_only=True)
    assert after.sheetnames == before.sheetnames == ["提交情况", "问题清单", "汇总表"]
    for ws in before.worksheets:
        other = after[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                theirs = other[cell.coordinate].value
                mine = cell.value
                assert (mine if mine != "" else None) == (theirs if theirs != "" else None), (ws.title, cell.coordinate)


def test_round_level_findings(round_: dict[str, object], blanks: dict[str, Path], tmp_path: Path) -> None:
    """Another year's file is 有错误, an old template 无法读取 (模板版本过旧), a unit off the list is not summed."""
    folder = tmp_path / "in"
    folder.mkdir()
    source = Path(str(round_["folder"]))
    for unit in UNITS[:3]:
        shutil.copyfile(next(source.rglob(filename(unit))), folder / filename(unit))
    last_year = tmp_path / "old.xlsx"
    write_workbook(last_year, Meta("往年镇人民政府", 2024))
    fill(last_year, folder / "往年镇人民政府.xlsx", draw_tables(5) | texts())
    old = folder / "旧模板.xlsx"
    with zipfile.ZipFile(folder / filename(UNITS[1])) as zin, zipfile.ZipFile(old, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in ("xl/sharedStrings.xml", "docProps/custom.xml"):
                data = data.replace(b">2021.1<", b">2019.1<")
            zout.writestr(info, data)
    (folder / filename(UNITS[1])).unlink()
    result = collect(folder, [*UNITS[:2], "往年镇人民政府"])
    by_unit = {s.unit: s for s in result.submissions}
    assert result.year == YEAR
    assert by_unit["往年镇人民政府"].status.zh == "有错误"
    assert "2024年" in by_unit["往年镇人民政府"].first(1)[0] and not by_unit["往年镇人民政府"].counted
    stale = by_unit[UNITS[1]]  # found by the identity the file claims
    assert stale.status.zh == "无法读取" and stale.schema == "2019.1" and stale.first(1)[0].startswith("模板版本过旧")
    outsider = by_unit[UNITS[2]]
    assert not outsider.listed and not outsider.counted and outsider.status.zh == "通过"
    assert "不在单位名单中" in outsider.first(1)[0]
    assert result.counted == 1 and result.exit_code == 1
    forced = collect(folder, None, year=2024)
    assert forced.year == 2024 and [s.unit for s in forced.submissions if s.counted] == ["往年镇人民政府"]


def test_previous_year_carry_over_is_checked(tmp_path: Path) -> None:
    """With --previous, 二、上年结转 unlike last year's 结转下年度 is an XY-CARRY error naming its column (问题清单)."""
    last, this = tmp_path / "2024", tmp_path / "2025"
    last.mkdir()
    this.mkdir()
    units = ("甲镇人民政府", "乙镇人民政府")
    for n, unit in enumerate(units):
        now = draw_tables(10 + n) | texts()
        before = draw_tables(20 + n) | texts()
        for col in T3_PARTS:
            before[f"t3.carried_forward.{col}"] = now[f"t3.carried_over.{col}"]
        if n == 0:
            before["t3.carried_forward.natural"] = int(str(now["t3.carried_over.natural"])) + 2
        for year, values, folder in ((2024, before, last), (YEAR, now, this)):
            blank = tmp_path / f"blank{year}.xlsx"
            write_workbook(blank, Meta(unit, year))
            fill(blank, folder / filename(unit), values)
    out = tmp_path / "汇总.xlsx"
    done = gx("collect", this, "--previous", last, "-o", out)
    assert done.returncode == 1, done.stdout + done.stderr
    carry = [p for p in problem_rows(out) if p["规则"] == "XY-CARRY"]
    assert len(carry) == 1
    assert carry[0]["单位"] == units[0] and carry[0]["列"] == "自然人" and carry[0]["类别"] == "错误"
    assert "自然人列" in str(carry[0]["说明"]) and carry[0]["表格"] == "表三"
    statuses = {r["单位"]: r["状态"] for r in status_rows(out)}
    assert statuses == {units[0]: "有错误", units[1]: "通过"}
