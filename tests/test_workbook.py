"""Properties of the workbook `gxsheet new` writes: labels, merges, locking, formulas, printing, identity."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from dump import NS, dv_operator, sheet_parts
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from shared import shared

from gxsheet.schema import SCHEMA, VERSION, Kind, Table
from gxsheet.values import unit_of
from gxsheet.workbook.layout import CHECKS, INSTRUCTIONS, LAYOUT, META
from gxsheet.workbook.meta import digest, layout_fingerprint
from gxsheet.workbook.validation import MAX_FORMULA, PHONE_SEPARATORS, email_formula, phone_formula

UNIT, YEAR = "柴胡店镇人民政府", 2024
T2, T3, T4 = (t.sheet for t in SCHEMA.tables)

# Copied by hand from official-format.md §3 (not from the schema), with the sheet each belongs on.
TRICKY_LABELS = [
    (T2, "二、主动公开政府信息情况"),
    (T2, "第二十条第（一）项"),
    (T2, "第二十条第（五）项"),
    (T2, "第二十条第（六）项"),
    (T2, "第二十条第（八）项"),
    (T2, "本年制发件数"),
    (T2, "现行有效件数"),
    (T2, "行政规范性文件"),
    (T2, "本年处理决定数量"),
    (T2, "行政事业性收费"),
    (T2, "本年收费金额（单位：万元）"),
    (T3, "三、收到和处理政府信息公开申请情况"),
    (T3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
    (T3, "法人或其他组织"),
    (T3, "社会公益组织"),
    (T3, "一、本年新收政府信息公开申请数量"),
    (T3, "二、上年结转政府信息公开申请数量"),
    (T3, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    (T3, "2.其他法律行政法规禁止公开"),
    (T3, "3.危及“三安全一稳定”"),
    (T3, "5.要求行政机关确认或重新出具已获取信息"),
    (T3, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    (T3, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    (T3, "四、结转下年度继续办理"),
    (T4, "四、政府信息公开行政复议、行政诉讼情况"),
    (T4, "未经复议直接起诉"),
    (T4, "复议后起诉"),
    (T4, "尚未审结"),
]

CJK = re.compile(r"[\u4e00-\u9fff]")
REF = re.compile(r"(?:'(?:[^']|'')+'!|[^\s'!(),=<>&\"]+!)?\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?")
STRING_LITERAL = re.compile(r'"(?:[^"]|"")*"')


# --- fixtures and helpers --------------------------------------------------------------

@pytest.fixture(scope="module")
def book(blank_workbook: Path) -> Workbook:
    return load_workbook(blank_workbook, data_only=False)


@pytest.fixture(scope="module")
def package(blank_workbook: Path) -> dict[str, ET.Element]:
    """Raw XML roots: "workbook" and every sheet by name."""
    with zipfile.ZipFile(blank_workbook) as z:
        roots = {name: ET.fromstring(z.read(part)) for name, _, part in sheet_parts(z)}
        roots["workbook"] = ET.fromstring(z.read("xl/workbook.xml"))
    return roots


def cell_at(book: Workbook, key: str):  # type: ignore[no-untyped-def]
    sheet, row, col = LAYOUT.where[key]
    return book[sheet].cell(row + 1, col + 1)


def all_keys() -> list[str]:
    return [*SCHEMA.cells, *SCHEMA.field_map]


def editable_inputs() -> list[str]:
    return [k for k in all_keys() if SCHEMA.is_input(k) and not (k in SCHEMA.field_map and SCHEMA.field_map[k].locked)]


def strings(ws: Worksheet) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.data_type == "s"]


def find(ws: Worksheet, text: str) -> list[tuple[int, int]]:
    return [(c.row, c.column) for row in ws.iter_rows() for c in row if c.value == text and c.data_type == "s"]


def span(ws: Worksheet, row: int, col: int) -> tuple[int, int]:
    """(rows, columns) the cell at row, col covers: its merged range, or 1×1."""
    for m in ws.merged_cells.ranges:
        if (m.min_row, m.min_col) == (row, col):
            return m.max_row - m.min_row + 1, m.max_col - m.min_col + 1
    return 1, 1


def spans(ws: Worksheet, text: str) -> list[tuple[int, int]]:
    return [span(ws, r, c) for r, c in find(ws, text)]


def table_labels(table: Table) -> set[str]:
    """Every printed label of a table, read from its declaration: title, block titles, corners, headers, rows."""
    found = {table.title}
    for b in table.blocks:
        found |= {b.title, b.corner}
        found |= {part for c in b.columns for part in c.path}
        found |= {part for r in b.rows for part in r.path}
    return found - {""}


def cells_of(ref: str, home: str) -> Iterator[tuple[str, str]]:
    """(sheet, A1) of every cell a reference such as 'x'!$A$1:$B$2 covers."""
    sheet, _, rng = ref.rpartition("!")
    sheet = sheet.strip("'").replace("''", "'") if sheet else home
    c0, r0, c1, r1 = range_boundaries(rng.replace("$", ""))
    for r in range(r0, r1 + 1):
        for c in range(c0, c1 + 1):
            yield sheet, f"{get_column_letter(c)}{r}"


def referenced(formula: str, home: str) -> set[tuple[str, str]]:
    bare = STRING_LITERAL.sub('""', formula)
    return {cell for ref in REF.findall(bare) for cell in cells_of(ref, home)}


def year_cell() -> str:
    """The absolute address of the locked 报告年度 cell, on the sheet 发布日期 shares."""
    sheet, row, col = LAYOUT.where["year"]
    assert sheet == LAYOUT.where["published"][0]
    return f"${get_column_letter(col + 1)}${row + 1}"


def validations_at(ws: Worksheet, coord: str) -> list:  # type: ignore[type-arg]
    return [dv for dv in ws.data_validations.dataValidation if coord in dv.sqref]


# --- labels ----------------------------------------------------------------------------

@pytest.mark.parametrize("table", SCHEMA.tables, ids=[t.name for t in SCHEMA.tables])
def test_every_schema_label_is_on_its_table_sheet(book: Workbook, table: Table) -> None:
    """Every title, header and row label declared for a table is a cell value, verbatim, on that table's sheet."""
    labels = table_labels(table)
    assert len(labels) == {"t2": 17, "t3": 41, "t4": 10}[table.key]
    present = set(strings(book[table.sheet]))
    assert sorted(labels - present) == []


@pytest.mark.parametrize(("sheet", "label"), TRICKY_LABELS, ids=[label for _, label in TRICKY_LABELS])
def test_official_label_verbatim(book: Workbook, sheet: str, label: str) -> None:
    """A label copied by hand from the official format is a cell value, character for character, on its sheet."""
    assert label in strings(book[sheet])


def test_hand_copied_labels_match_the_reference() -> None:
    """The hand-copied labels above occur verbatim in §3 of official-format.md (guards against typos in this file)."""
    text = shared("reference", "official-format.md").read_text(encoding="utf-8")
    section = text[text.index("## 3. The tables"):text.index("## 4.")]
    missing = [label for _, label in TRICKY_LABELS if label not in section]
    assert missing == []


# --- merged headers --------------------------------------------------------------------

def test_table_3_header_merges(book: Workbook) -> None:
    """表三's header and row groups span as on the printed form."""
    ws = book[T3]
    corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert find(ws, corner) == [(3, 1)] and spans(ws, corner) == [(3, 3)]
    assert find(ws, "申请人情况") == [(3, 4)] and spans(ws, "申请人情况") == [(1, 7)]
    assert find(ws, "自然人") == [(4, 4)] and spans(ws, "自然人") == [(2, 1)]
    assert find(ws, "法人或其他组织") == [(4, 5)] and spans(ws, "法人或其他组织") == [(1, 5)]
    assert find(ws, "总计") == [(4, 10)] and spans(ws, "总计") == [(2, 1)]
    for i, label in enumerate(("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")):
        assert find(ws, label) == [(5, 5 + i)] and spans(ws, label) == [(1, 1)]
    assert spans(ws, "三、本年度办理结果") == [(22, 1)]
    assert spans(ws, "（三）不予公开") == [(8, 1)]
    assert spans(ws, "（四）无法提供") == [(3, 1)]
    assert spans(ws, "（五）不予处理") == [(5, 1)]
    assert spans(ws, "（六）其他处理") == [(3, 1)]
    for label in ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "四、结转下年度继续办理"):
        assert spans(ws, label) == [(1, 3)]
    for label in ("（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（七）总计"):
        assert spans(ws, label) == [(1, 2)]
    assert spans(ws, "3.危及“三安全一稳定”") == [(1, 1)]


def test_table_4_header_merges(book: Workbook) -> None:
    """表四's two header groups span 5 and 10 columns, the litigation sub-groups 5 each, review outcomes 2 rows."""
    ws = book[T4]
    assert find(ws, "行政复议") == [(3, 1)] and spans(ws, "行政复议") == [(1, 5)]
    assert find(ws, "行政诉讼") == [(3, 6)] and spans(ws, "行政诉讼") == [(1, 10)]
    assert find(ws, "未经复议直接起诉") == [(4, 6)] and spans(ws, "未经复议直接起诉") == [(1, 5)]
    assert find(ws, "复议后起诉") == [(4, 11)] and spans(ws, "复议后起诉") == [(1, 5)]
    for i, label in enumerate(("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")):
        assert find(ws, label) == [(4, 1 + i), (5, 6 + i), (5, 11 + i)]
        assert spans(ws, label) == [(2, 1), (1, 1), (1, 1)]


def test_table_2_header_merges(book: Workbook) -> None:
    """表二's block titles span all 4 columns and single-column headers and inputs stretch across 3."""
    ws = book[T2]
    for label, row in (("第二十条第（一）项", 3), ("第二十条第（五）项", 7), ("第二十条第（六）项", 10),
                       ("第二十条第（八）项", 14)):
        assert find(ws, label) == [(row, 1)] and spans(ws, label) == [(1, 4)]
    assert spans(ws, "本年处理决定数量") == [(1, 3), (1, 3)]
    assert spans(ws, "本年收费金额（单位：万元）") == [(1, 3)]
    assert spans(ws, "信息内容") == [(1, 1)] * 4
    for label in ("本年制发件数", "本年废止件数", "现行有效件数"):
        assert spans(ws, label) == [(1, 1)]
    for key in ("t2.licensing.decisions", "t2.penalty.decisions", "t2.coercion.decisions", "t2.fees.amount"):
        c = cell_at(book, key)
        assert span(ws, c.row, c.column) == (1, 3)


# --- locking and validation ------------------------------------------------------------

def test_every_input_is_unlocked_and_validated(book: Workbook) -> None:
    """Every editable input is unlocked and covered by exactly one stop validation of its kind with a Chinese prompt."""
    inputs = editable_inputs()
    assert len(inputs) == 10 + 144 + 12 + 80
    for key in inputs:
        c = cell_at(book, key)
        ws = c.parent
        assert c.protection.locked is False, key
        found = validations_at(ws, c.coordinate)
        assert len(found) == 1, key
        dv = found[0]
        kind = SCHEMA.kind(key)
        op = dv_operator(dv)
        if kind is Kind.COUNT:
            assert (dv.type, op, dv.formula1, dv.formula2) == ("whole", "between", "0", "999999999"), key
        elif kind is Kind.AMOUNT:
            top = "99999999.99" if unit_of(key) == "万元" else "999999999999.99"  # under the reader's bound
            assert (dv.type, op, dv.formula1, dv.formula2) == ("decimal", "between", "0", top), key
        elif kind is Kind.DATE:  # the report's year or the next, from the locked 报告年度 cell
            year = year_cell()
            assert (dv.type, op, dv.formula1, dv.formula2) == (
                "date", "between", f"DATE({year},1,1)", f"DATE({year}+1,12,31)"), key
        elif kind is Kind.PHONE:
            assert (dv.type, dv.formula1) == ("custom", phone_formula(c.coordinate, 40)), key
            assert dv.formula1.startswith(f"AND(LEN({c.coordinate})<=40,"), key
            assert dv.formula1.count("SUBSTITUTE") == 2 * len(PHONE_SEPARATORS), key
            assert len(dv.formula1) <= MAX_FORMULA, key
        elif kind is Kind.EMAIL:
            assert (dv.type, dv.formula1) == ("custom", email_formula(c.coordinate, 80)), key
            assert 'FIND("@"' in dv.formula1 and 'FIND(" "' in dv.formula1, key
        elif kind is Kind.POSTCODE:
            assert (dv.type, op, dv.formula1) == ("textLength", "equal", "6"), key
        elif kind is Kind.CHOICE:
            assert (dv.type, dv.formula1) == ("list", f"'{META}'!$D$1:$D$166"), key
        else:
            limit = SCHEMA.field_map[key].limit
            assert (dv.type, op, dv.formula1) == ("textLength", "lessThanOrEqual", str(limit)), key
        assert dv.errorStyle in (None, "stop") and dv.showErrorMessage and dv.showInputMessage, key
        assert dv.allow_blank is True, key
        assert dv.prompt.startswith(SCHEMA.label(key) + "\n"), key
        assert CJK.search(dv.promptTitle) and CJK.search(dv.prompt) and CJK.search(dv.error), key
        assert len(dv.promptTitle) <= 32 and len(dv.prompt) <= 255, key


def test_table_input_units_in_prompts(book: Workbook) -> None:
    """Table prompts name the unit: 件 for counts, 万元 for the 表二 fee amount."""
    fee = validations_at(book[T2], cell_at(book, "t2.fees.amount").coordinate)[0]
    assert fee.prompt == "表二·行政事业性收费·本年收费金额\n单位：万元。请填写不小于0的数，可以有小数。"
    count = validations_at(book[T3], cell_at(book, "t3.partial.commercial").coordinate)[0]
    assert count.promptTitle == "（二）部分公开·商业企业"
    assert count.prompt == "表三·（二）部分公开·商业企业\n单位：件。请填写不小于0的整数，没有的填0。"


def test_identity_fields_are_locked_and_filled(book: Workbook) -> None:
    """机关全称 and 报告年度 are written by the generator into locked cells without a validation."""
    unit, year = cell_at(book, "unit"), cell_at(book, "year")
    assert (unit.value, year.value) == (UNIT, YEAR)
    assert unit.protection.locked is True and year.protection.locked is True
    assert validations_at(unit.parent, unit.coordinate) == []
    assert validations_at(year.parent, year.coordinate) == []


def test_everything_else_is_locked(book: Workbook) -> None:
    """Every cell with a value or formula that is not an editable input is locked, and no other cell is unlocked."""
    inputs = {(LAYOUT.where[k][0], LAYOUT.where[k][1] + 1, LAYOUT.where[k][2] + 1) for k in editable_inputs()}
    unlocked, filled = set(), 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c, MergedCell):
                    continue
                if (ws.title, c.row, c.column) in inputs:
                    continue
                if c.value is not None:
                    filled += 1
                    assert c.protection.locked is True, f"{ws.title}!{c.coordinate}"
                if not c.protection.locked:
                    unlocked.add(f"{ws.title}!{c.coordinate}")
    assert filled > 800  # labels, formulas and identity cells on every sheet were all seen
    assert sorted(unlocked) == []


def test_every_sheet_is_protected(book: Workbook, package: dict[str, ET.Element]) -> None:
    """Every sheet is protected, allowing only row and column resizing beyond the default."""
    assert book.sheetnames == [s.name for s in LAYOUT.sheets]
    for ws in book.worksheets:
        assert ws.protection.sheet is True, ws.title
        prot = package[ws.title].find("m:sheetProtection", NS)
        assert prot is not None, ws.title
        assert dict(prot.attrib) == {"sheet": "1", "objects": "1", "scenarios": "1",
                                     "formatColumns": "0", "formatRows": "0"}, ws.title


def test_workbook_structure_is_locked(package: dict[str, ET.Element]) -> None:
    """workbook.xml locks the structure, so sheets cannot be added, removed, renamed or unhidden."""
    prot = package["workbook"].find("m:workbookProtection", NS)
    assert prot is not None
    assert dict(prot.attrib) == {"lockStructure": "1"}


def test_sheet_states(package: dict[str, ET.Element]) -> None:
    """_gxsheet is very hidden and every other sheet is visible."""
    states = {s.get("name"): s.get("state", "visible") for s in package["workbook"].findall("m:sheets/m:sheet", NS)}
    assert states == {s.name: ("veryHidden" if s.name == META else "visible") for s in LAYOUT.sheets}


# --- formulas --------------------------------------------------------------------------

def test_computed_cells_sum_exactly_their_inputs(book: Workbook) -> None:
    """Every computed cell is a formula referencing exactly the input cells it is the total of."""
    assert len(SCHEMA.definitions) == 25 + 6 + 3 + 2  # 表三 rows, （七） columns, 表四, 发布合计
    for key, rel in SCHEMA.definitions.items():
        c = cell_at(book, key)
        assert c.data_type == "f" and c.value.startswith("="), key
        home = LAYOUT.where[key][0]
        leaves = {(LAYOUT.where[k][0], cell_at(book, k).coordinate) for k in SCHEMA.leaves(key)}
        assert referenced(c.value, home) == leaves, key
        if rel.blank_as_zero:
            assert c.value.startswith("=SUM("), key
        else:
            assert c.value.startswith("=IF(COUNT(") and f'<{len(leaves)},"未填",SUM(' in c.value, key
        assert c.protection.locked is True, key


def test_table_3_closed_row_totals(book: Workbook) -> None:
    """表三 （七）总计 of 自然人 adds all 21 result rows of its column."""
    typed = "IFERROR(SUMPRODUCT(_xlfn.ISFORMULA({0})*ISNUMBER({0})),0)"  # a formula's result is not typed
    assert cell_at(book, "t3.closed.natural").value == (
        f'=IF(COUNT($D$8:$D$28)-{typed.format("$D$8:$D$28")}<21,"未填",SUM($D$8:$D$28))')
    assert cell_at(book, "t3.new.total").value == (
        f'=IF(COUNT($D$6:$I$6)-{typed.format("$D$6:$I$6")}<6,"未填",SUM($D$6:$I$6))')


def test_formula_cells_have_no_cached_value(package: dict[str, ET.Element]) -> None:
    """No formula cell carries a cached result (no <v>0</v>), so every spreadsheet recalculates on open."""
    formulas = 0
    for name in [s.name for s in LAYOUT.sheets]:
        for c in package[name].iter(f"{{{NS['m']}}}c"):
            if c.find("m:f", NS) is None:
                continue
            formulas += 1
            v = c.find("m:v", NS)
            assert v is None or not (v.text or ""), f"{name}!{c.get('r')} caches {v.text!r}"
            assert c.get("t") is None, f"{name}!{c.get('r')} has cached type {c.get('t')}"
    # computed cells, one status per rule instance on 校验 and one beside its cells, the overall status
    assert formulas == len(SCHEMA.definitions) + 2 * len(SCHEMA.instances) + 1


def test_full_calculation_on_load(package: dict[str, ET.Element]) -> None:
    """calcPr asks for a full recalculation when the workbook is opened."""
    calc = package["workbook"].find("m:calcPr", NS)
    assert calc is not None and calc.get("fullCalcOnLoad") == "1"


# --- printing --------------------------------------------------------------------------

VISIBLE = [s.name for s in LAYOUT.sheets if s.name != META]


@pytest.mark.parametrize("name", VISIBLE)
def test_print_a4_one_page_wide(package: dict[str, ET.Element], name: str) -> None:
    """Every visible sheet prints on A4, scaled to one page wide and as many pages tall as needed."""
    root = package[name]
    setup = root.find("m:pageSetup", NS)
    fit = root.find("m:sheetPr/m:pageSetUpPr", NS)
    assert setup is not None and fit is not None
    assert setup.get("paperSize") == "9"
    assert fit.get("fitToPage") == "1"
    assert setup.get("fitToWidth", "1") == "1" and setup.get("fitToHeight") == "0"
    wide = name in (T3, T4, CHECKS)  # the 校验 list too: one line a rule at full size
    assert setup.get("orientation") == ("landscape" if wide else "portrait")


def test_table_sheets_repeat_their_headers(package: dict[str, ET.Element]) -> None:
    """Tables 三 and 四 repeat and freeze their headers (三 its row labels too); 表二's blocks have their own."""
    names = [s.name for s in LAYOUT.sheets]
    titles = {names[int(d.get("localSheetId", "-1"))]: d.text
              for d in package["workbook"].findall("m:definedNames/m:definedName", NS)
              if d.get("name") == "_xlnm.Print_Titles"}
    assert titles == {T3: f"'{T3}'!$1:$5", T4: f"'{T4}'!$1:$5", CHECKS: f"{CHECKS}!$5:$5"}
    for name, top in ((T3, "D6"), (T4, "A6"), (CHECKS, "A6")):
        pane = package[name].find("m:sheetViews/m:sheetView/m:pane", NS)
        assert pane is not None and pane.get("state") == "frozen" and pane.get("topLeftCell") == top, name
    assert package[T2].find("m:sheetViews/m:sheetView/m:pane", NS) is None
    assert INSTRUCTIONS not in titles


# --- identity --------------------------------------------------------------------------

def test_identity_in_properties_and_meta_sheet(book: Workbook) -> None:
    """The custom properties and the _gxsheet sheet carry the same format, schema, unit, year, layout and digest."""
    props = {p.name: p.value for p in book.custom_doc_props.props}
    layout = layout_fingerprint()
    expected = {"format": "gxsheet", "schema": VERSION, "unit": UNIT, "year": str(YEAR), "layout": layout,
                "digest": digest(VERSION, UNIT, YEAR, layout)}
    assert VERSION == "2021.1"
    assert props == {f"gxsheet.{k}": v for k, v in expected.items()}
    ws = book[META]
    rows = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
    assert rows.pop("generator").startswith("gxsheet ")
    assert rows == expected
