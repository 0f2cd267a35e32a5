"""How the reader understands what staff typed: lenient parsing, exact refusals, exact places."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fill import Formula, Shared, fill, overwrite
from hypothesis import given
from hypothesis import strategies as st

from gxsheet.schema import SCHEMA, Kind
from gxsheet.values import FORMULA, MAX_COUNT, parse, parse_cell, unit_of
from gxsheet.workbook.layout import LAYOUT

ROOT = Path(__file__).resolve().parent.parent
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
SPACES = ("", " ", "\u3000", "\u00a0", "\t", " \u3000")


def cell_of(key: str) -> tuple[str, str]:
    """(sheet, A1) of a key, worked out here rather than with the library's own a1()."""
    sheet, row, col = LAYOUT.where[key]
    letters, col = "", col + 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return sheet, f"{letters}{row + 1}"


# --- parse: what is accepted ---------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("３", 3),
    ("１２０", 120),
    ("  7  ", 7),
    ("\u30007\u3000", 7),
    ("\u00a07\u00a0", 7),
    ("3件", 3),
    ("３ 件", 3),
    ("12", 12),
    ("1,234", 1234),
    (3.0, 3),
    (0.0, 0),
    (25, 25),
])
def test_count_accepts_what_people_type(raw: object, expected: int) -> None:
    """Full-width digits, padding, a unit, text numbers and whole floats all read as the count."""
    entry = parse(Kind.COUNT, raw)
    assert (entry.value, entry.problem) == (Decimal(expected), "")
    assert str(entry.value) == str(expected)  # normalised: 3.0 is shown as 3, not 3.0


@pytest.mark.parametrize(("raw", "unit", "expected"), [
    ("1.5万元", "", "1.5"),
    ("1.5万元", "万元", "1.5"),
    ("12.50元", "元", "12.5"),
    (" ２.５ ", "万元", "2.5"),
    (0.1, "元", "0.1"),
    ("300", "元", "300"),
])
def test_amount_accepts_decimals_and_its_own_unit(raw: object, unit: str, expected: str) -> None:
    """An amount keeps its decimals exactly and may carry the cell's own money unit."""
    entry = parse(Kind.AMOUNT, raw, unit=unit)
    assert (entry.value, entry.problem) == (Decimal(expected), "")


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", "\u00a0 \t"])
def test_blank_stays_blank(raw: object) -> None:
    """An empty or space-only cell is blank with no value and no problem, never 0."""
    entry = parse(Kind.COUNT, raw)
    assert (entry.blank, entry.value, entry.problem) == (True, None, "")


def _decorations(n: int) -> st.SearchStrategy[object]:
    text = st.sampled_from([str(n), str(n).translate(FULL_WIDTH), f"{n}件", f"{n:,}",
                            f"{n}".translate(FULL_WIDTH) + "件"])
    padded = st.tuples(st.sampled_from(SPACES), text, st.sampled_from(SPACES)).map("".join)
    numbers: list[object] = [n, Decimal(n)]
    if n < 2**53:
        numbers.append(float(n))
    return st.one_of(padded, st.sampled_from(numbers))


@given(st.integers(min_value=0, max_value=MAX_COUNT - 1).flatmap(lambda n: st.tuples(st.just(n), _decorations(n))))
def test_count_round_trips_through_any_decoration(case: tuple[int, object]) -> None:
    """For any count under the bound, every accepted way of typing it parses back to it, without a problem."""
    n, raw = case
    entry = parse(Kind.COUNT, raw)
    assert entry.problem == ""
    assert entry.value == n


@given(st.integers(min_value=MAX_COUNT).flatmap(lambda n: st.tuples(st.just(n), _decorations(n))))
def test_count_past_the_bound_is_refused_in_chinese(case: tuple[int, object]) -> None:
    """A count of 10^9 or more, however typed, has no value and says it is too large."""
    _, raw = case
    entry = parse(Kind.COUNT, raw)
    assert entry.value is None
    assert "过大" in entry.problem and "10亿" in entry.problem


@given(st.one_of(st.text(), st.floats(), st.integers(), st.booleans(),
                 st.decimals(allow_nan=False, allow_infinity=False)))
def test_parse_never_raises_and_a_clean_count_is_a_whole_number(raw: object) -> None:
    """Whatever a cell holds, every kind parses it without raising, and a clean count is a whole number >= 0."""
    for kind in Kind:
        assert parse(kind, raw, unit="元").raw is raw
    entry = parse(Kind.COUNT, raw)
    if entry.problem:
        assert entry.problem.startswith("填写了")
    elif not entry.blank:
        assert isinstance(entry.value, Decimal)
        assert entry.value >= 0 and entry.value == entry.value.to_integral_value()


@pytest.mark.parametrize("raw", [1e30, "1" * 40, 2**80, "9" * 401, 10**5000, Decimal("1E+400"), float("1e308")],
                         ids=["1e30", "40-digits", "2**80", "401-digits", "5000-digit-int", "1E+400", "1e308"])
def test_count_beyond_any_real_count_is_refused_not_crashed(raw: object) -> None:
    """A number of 30 to 5,000 digits is refused with a short Chinese reason, never parsed into a crash."""
    entry = parse(Kind.COUNT, raw, unit="件")
    assert entry.value is None
    assert entry.problem.startswith("填写了") and "数字过大，应小于10亿件" in entry.problem
    assert len(entry.problem) < 60


@pytest.mark.parametrize(("raw", "unit", "ok"), [(99999999.99, "万元", True), (10**8, "万元", False),
                                                 (10**12 - 1, "元", True), (10**12, "元", False)])
def test_amount_bound_follows_the_unit(raw: object, unit: str, ok: bool) -> None:
    """Amounts stay under 1亿万元 (the same as 1万亿元); at the bound they are refused."""
    entry = parse(Kind.AMOUNT, raw, unit=unit)
    assert (entry.problem == "") is ok


# --- parse: what is refused -----------------------------------------------------------------

@pytest.mark.parametrize(("raw", "value", "problem"), [
    ("无", None, "填写了“无”，应为非负整数"),
    ("/", None, "填写了“/”，应为非负整数"),
    ("—", None, "填写了“—”，应为非负整数"),
    ("三", None, "填写了“三”，应为非负整数"),
    (True, None, "填写了“TRUE”，应为非负整数"),
    ("#DIV/0!", None, "填写了“#DIV/0!”，应为非负整数"),
    ("3.5", Decimal("3.5"), "填写了3.5，应为整数"),
    (3.5, Decimal("3.5"), "填写了3.5，应为整数"),
    ("-1", Decimal(-1), "填写了-1，不能为负数"),
    (-1.0, Decimal(-1), "填写了-1，不能为负数"),
    ("－２件", Decimal(-2), "填写了－２件，不能为负数"),
])
def test_count_refuses_with_the_value_quoted(raw: object, value: Decimal | None, problem: str) -> None:
    """Text is refused with no value; a negative or fractional number is refused but kept for the sums."""
    entry = parse(Kind.COUNT, raw)
    assert (entry.value, entry.problem) == (value, problem)


@pytest.mark.parametrize(("raw", "unit", "problem"), [
    ("1.5万元", "元", "填写了“1.5万元”，本格单位为元，请换算后只填数字"),
    ("300元", "万元", "填写了“300元”，本格单位为万元，请换算后只填数字"),
    ("-0.5", "元", "填写了-0.5，不能为负数"),
    ("免费", "元", "填写了“免费”，应为不小于0的数"),
])
def test_amount_refuses_the_other_money_unit_and_negatives(raw: object, unit: str, problem: str) -> None:
    """An amount in the other money unit (10000-fold off) or below 0 is refused with the reason."""
    assert parse(Kind.AMOUNT, raw, unit=unit).problem == problem


# --- end to end: typed into a real workbook, found by `gxsheet check --json` -----------------

def gxsheet(*args: object) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "gxsheet.cli", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def checked(path: Path) -> dict[str, Any]:
    """The one file entry of `gxsheet check --json`, after asserting it ran cleanly with errors found."""
    done = gxsheet("check", "--json", path)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr
    (entry,) = json.loads(done.stdout)["files"]
    assert entry["status"] == "errors"
    return entry


def about(entry: dict[str, Any], key: str = "", code: str = "") -> list[dict[str, str]]:
    return [p for p in entry["problems"] if (not key or p["key"] == key) and (not code or p["code"] == code)]


def test_text_in_a_count_cell_is_reported_at_its_cell(tmp_path: Path, blank_workbook: Path) -> None:
    """Typing 无 into 表三 部分公开/商业企业 gives one error naming the cell, the sheet and E9."""
    path = tmp_path / "无.xlsx"
    fill(blank_workbook, path, {"t3.partial.commercial": "无"})
    (problem,) = about(checked(path), "t3.partial.commercial")
    assert problem["message"] == "表三·（二）部分公开·商业企业（三、依申请公开!E9） 填写了“无”，应为非负整数"
    assert (problem["severity"], problem["sheet"], problem["cell"]) == ("error", "三、依申请公开", "E9")
    assert (problem["group"], problem["row"], problem["column"]) == ("表三", "（二）部分公开", "商业企业")
    assert cell_of("t3.partial.commercial") == ("三、依申请公开", "E9")


@pytest.mark.parametrize(("key", "raw", "why"), [
    ("t3.new.natural", "3.5", "填写了3.5，应为整数"),
    ("t4.review.upheld", -1, "填写了-1，不能为负数"),
    ("t2.licensing.decisions", "/", "填写了“/”，应为非负整数"),
    ("pub.channel.1.count", "—", "填写了“—”，应为非负整数"),
    ("others.fee", "1.5万元", "填写了“1.5万元”，本格单位为元，请换算后只填数字"),
    ("t2.fees.amount", "-2", "填写了-2，不能为负数"),
])
def test_each_bad_value_is_reported_at_exactly_its_cell(tmp_path: Path, blank_workbook: Path, key: str,
                                                         raw: object, why: str) -> None:
    """A bad value anywhere is one error whose message, sheet and A1 cell are where it was typed."""
    path = tmp_path / "bad.xlsx"
    fill(blank_workbook, path, {key: raw})
    sheet, cell = cell_of(key)
    (problem,) = about(checked(path), key)
    assert problem["message"] == f"{SCHEMA.label(key)}（{sheet}!{cell}） {why}"
    assert (problem["sheet"], problem["cell"], problem["severity"]) == (sheet, cell, "error")


TYPED_TEXT = [
    ("t3.new.natural", "１５", "填写了“１５”（全角数字），请改为 15"),
    ("t3.new.research", "3件", "填写了“3件”，请只填数字 3"),
    ("t3.new.nonprofit", " 5 ", "填写了“ 5 ”（含空格），请改为 5"),
    ("t3.new.legal", "5", "填写了“5”（文本格式），请重新输入数字 5"),
    ("t3.new.other_org", Shared("0"), "填写了“0”（文本格式），请重新输入数字 0"),
    ("t3.new.commercial", "\u3000１２ 件\u00a0", "填写了“\u3000１２ 件\u00a0”，请只填数字 12"),
    ("t4.review.upheld", " \u3000", "只填了空格，请删除或填写数字"),
    ("t2.fees.amount", "１.５万元", "填写了“１.５万元”，请只填数字 1.5"),
    ("others.fee", " 12.50元 ", "填写了“ 12.50元 ”，请只填数字 12.5"),
    ("others.fee", "1.5万元", "填写了“1.5万元”，本格单位为元，请换算后只填数字"),
    ("t3.granted.natural", "3.5", "填写了3.5，应为整数"),
    ("t3.granted.legal", "－１", "填写了－１，不能为负数"),
    ("pub.channel.1.count", "1,234", "填写了“1,234”（文本格式），请重新输入数字 1234"),
    ("pub.channel.2.count", Formula("1+2"), FORMULA),
    ("t4.review.corrected", Formula('"3"'), FORMULA),
]


@pytest.mark.parametrize(("key", "raw", "why"), TYPED_TEXT)
def test_a_workbook_cell_holding_text_is_not_a_number(key: str, raw: object, why: str) -> None:
    """In a workbook only a typed number is a number: the message says what was typed and what to type."""
    entry = parse_cell(key, None if isinstance(raw, Formula) else str(raw), formula=isinstance(raw, Formula))
    assert (entry.value, entry.problem, entry.blank) == (None, why, False)
    suggested = re.search(r"(?:请改为|请只填数字|请重新输入数字) (\S+)$", why)
    if suggested:  # the number the message suggests is the one a data file's lenient reading takes
        assert parse(SCHEMA.kind(key), str(raw), unit=unit_of(key)).value == Decimal(suggested[1])


@pytest.mark.parametrize(("raw", "blank"), [(None, True), ("", True), (" ", False), ("\u3000", False), (0.0, False)])
def test_a_workbook_cell_is_blank_only_when_empty(raw: object, blank: bool) -> None:
    """As COUNTBLANK sees it: a cell holding spaces is filled (with something that is not a number)."""
    assert parse_cell("t3.new.natural", raw).blank is blank
    assert parse_cell("address", raw).blank is blank
    assert parse(Kind.COUNT, raw).blank is (raw in (None, "") or isinstance(raw, str))  # data files: spaces are blank


def test_typed_text_is_refused_at_its_cell_and_exported_as_typed(tmp_path: Path, blank_workbook: Path) -> None:
    """Each typed-text mistake is one VALUE error at its cell, none a BLANK one; export keeps what was typed."""
    typed = {key: raw for key, raw, _ in TYPED_TEXT if key != "others.fee" or raw == "1.5万元"}
    path = tmp_path / "文本.xlsx"
    fill(blank_workbook, path, typed)
    entry = checked(path)
    for key, raw, why in TYPED_TEXT:
        if typed.get(key) != raw:
            continue
        sheet, cell = cell_of(key)
        (problem,) = about(entry, key)
        assert problem["message"] == f"{SCHEMA.label(key)}（{sheet}!{cell}） {why}"
        assert problem["code"].startswith("VALUE-"), problem
    done = gxsheet("export", path)
    data = json.loads(done.stdout)
    got = (data["tables"] | data["fields"])["t3.new.natural"]
    assert (got["value"], got["raw"], got["problem"]) == (None, "１５", "填写了“１５”（全角数字），请改为 15")
    assert data["tables"]["t3.new.total"]["value"] is None  # 未填, as the workbook shows it


def test_number_over_a_total_is_a_formula_tamper(tmp_path: Path, blank_workbook: Path) -> None:
    """A number typed over the computed 表三 本年新收 总计 is a TAMPER-FORMULA error naming that cell."""
    path = tmp_path / "改总计.xlsx"
    overwrite(blank_workbook, path, {"t3.new.total": 7})
    sheet, cell = cell_of("t3.new.total")
    (problem,) = about(checked(path), "t3.new.total", "TAMPER-FORMULA")
    assert problem["message"] == (f"表三·一、本年新收政府信息公开申请数量·总计（{sheet}!{cell}）"
                                  "应由公式自动计算，却填入了“7”")
    assert (problem["sheet"], problem["cell"], problem["rule"]) == ("三、依申请公开", cell, "TAMPER-FORMULA")


def test_cleared_total_is_a_formula_tamper(tmp_path: Path, blank_workbook: Path) -> None:
    """A computed cell emptied of its formula is reported as cleared (被清空)."""
    path = tmp_path / "清空.xlsx"
    overwrite(blank_workbook, path, {"pub.channel.total": None})
    sheet, cell = cell_of("pub.channel.total")
    (problem,) = about(checked(path), "pub.channel.total", "TAMPER-FORMULA")
    assert problem["message"] == f"主动公开发布·共发布政务信息（{sheet}!{cell}）应由公式自动计算，却被清空"


def test_changed_label_is_a_label_tamper(tmp_path: Path, blank_workbook: Path) -> None:
    """A label cell overwritten with other text is a TAMPER-LABEL error quoting the expected and found text."""
    path = tmp_path / "改标签.xlsx"
    fill(blank_workbook, path, {"三、依申请公开!A7": "改过的标签"})
    (problem,) = about(checked(path), code="TAMPER-LABEL")
    assert problem["message"] == "三、依申请公开!A7 的标签应为“二、上年结转政府信息公开申请数量”，现为“改过的标签”"
    assert (problem["sheet"], problem["cell"], problem["severity"]) == ("三、依申请公开", "A7", "error")


def test_fill_refuses_to_type_over_a_formula(tmp_path: Path, blank_workbook: Path) -> None:
    """The fill helper will not silently replace a computed cell; overwrite() is the explicit way."""
    with pytest.raises(ValueError, match="formula"):
        fill(blank_workbook, tmp_path / "x.xlsx", {"t3.new.total": 1})


def test_fill_changes_only_the_sheet_it_touches(tmp_path: Path, blank_workbook: Path) -> None:
    """Every package part except the edited sheet is copied byte for byte."""
    import zipfile

    path = tmp_path / "one.xlsx"
    fill(blank_workbook, path, {"t3.partial.commercial": "<&>"})
    with zipfile.ZipFile(blank_workbook) as a, zipfile.ZipFile(path) as b:
        assert a.namelist() == b.namelist()
        changed = [n for n in a.namelist() if a.read(n) != b.read(n)]
    assert changed == ["xl/worksheets/sheet6.xml"]
    (problem,) = about(checked(path), "t3.partial.commercial")
    assert problem["message"].endswith("填写了“<&>”，应为非负整数")
