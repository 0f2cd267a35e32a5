"""Read a filled workbook by the schema's coordinates, never trusting cached formula results."""

from __future__ import annotations

from pathlib import Path

from ..problems import Problem, about
from ..report import Report
from ..schema import SCHEMA, VERSION, Kind, Severity
from ..values import Entry, parse_cell, shown
from ..xlsx import RawCell, ReadError, Xlsx, a1
from .guards import sheet_guards, structure_guard
from .layout import CHECKS, INSTRUCTIONS, LAYOUT, META, SheetLayout
from .meta import FORMAT, PROPERTY, Meta, digest, layout_fingerprint, note_targets

ERROR = Severity.ERROR
MAX_LABEL_PROBLEMS = 3  # per sheet: one moved row shifts every label below it


def read_workbook(path: Path) -> Report:
    """Read one workbook. Raises ReadError when it cannot be read as a gxsheet workbook."""
    with Xlsx(path) as book:
        meta = _identity(book)
        report = Report(meta.unit, meta.year, meta.schema, source=str(path), locate=_locate)
        for sheet in LAYOUT.sheets:
            if sheet.name in (INSTRUCTIONS, CHECKS, META):
                continue
            if sheet.name not in book.sheets:
                raise ReadError(f"缺少工作表“{sheet.name}”，工作簿结构被改动", "TAMPER-SHEET")
            _read_sheet(report, sheet, book.cells(sheet.name))
            report.problems += sheet_guards(sheet, book.guards[sheet.name])
        report.problems += structure_guard(book.structure_locked())
        _identity_cells(report, meta)
        return report


def _locate(key: str) -> tuple[str, str]:
    sheet, row, col = LAYOUT.where[key]
    return sheet, a1(row, col)


def _identity(book: Xlsx) -> Meta:
    props = book.custom_properties()
    rows: dict[str, str] = {}
    if META in book.sheets:
        cells = book.cells(META)
        for (r, c), cell in cells.items():
            if c == 0 and isinstance(cell.value, str):
                rows[cell.value] = shown(cells.get((r, 1), RawCell("")).value)
    if rows.get("format") != FORMAT and props.get(PROPERTY["format"]) != FORMAT:
        raise ReadError("不是 gxsheet 生成的填报工作簿（缺少模板标识），请使用 gxsheet new 生成的工作簿填写",
                        "NOT-GXSHEET")
    found = {name: rows.get(name) or props.get(prop, "") for name, prop in PROPERTY.items()}
    if found["schema"] != VERSION:
        raise ReadError(f"工作簿模板版本为“{found['schema'] or '未知'}”，本程序读取“{VERSION}”版，"
                        "请用新模板重新填写", "OLD-TEMPLATE")
    if found["layout"] != layout_fingerprint():
        raise ReadError("工作簿模板的版式与本程序不一致（可能来自其他版本的 gxsheet），请用新模板重新填写",
                        "OLD-TEMPLATE")
    try:
        year = int(found["year"])
    except ValueError:
        raise ReadError("工作簿标识中的年度无效，模板被改动", "TAMPER-META") from None
    if found["digest"] != digest(found["schema"], found["unit"], year, found["layout"]):
        raise ReadError("工作簿标识（单位、年度）被改动，与生成时不符", "TAMPER-META")
    return Meta(found["unit"], year, found["schema"], found["layout"])


def _read_sheet(report: Report, sheet: SheetLayout, cells: dict[tuple[int, int], RawCell]) -> None:
    _check_labels(report, sheet, cells)
    for key, (row, col) in sheet.values.items():
        raw = cells.get((row, col), RawCell(None))
        if not SCHEMA.is_input(key):
            if not raw.formula:
                report.problems.append(_overwritten(key, sheet.name, a1(row, col), raw))
            continue
        if key.startswith("note."):
            continue
        report.entries[key] = parse_cell(key, raw.value, raw.formula)
    if any(k.startswith("note.") for k in sheet.values):
        _read_notes(report, sheet, cells)


def _check_labels(report: Report, sheet: SheetLayout, cells: dict[tuple[int, int], RawCell]) -> None:
    wrong = []
    for t in sheet.texts:
        found = cells.get((t.row, t.col), RawCell(None)).value
        if _squash(found) != _squash(t.text):
            wrong.append((t, found))
    for t, found in wrong[:MAX_LABEL_PROBLEMS]:
        now = f"现为“{shown(found)}”" if found not in (None, "") else "现为空白"
        more = f"（本表共{len(wrong)}处标签不符，可能插入或删除了行列）" if len(wrong) > 1 else ""
        report.problems.append(Problem(
            "TAMPER-LABEL", ERROR, f"{sheet.name}!{a1(t.row, t.col)} 的标签应为“{t.text}”，{now}{more}",
            group=sheet.name, sheet=sheet.name, cell=a1(t.row, t.col), rule="TAMPER-LABEL"))


def _squash(value: object) -> str:
    return "".join(shown(value).split()) if value is not None else ""


def _overwritten(key: str, sheet: str, cell: str, raw: RawCell) -> Problem:
    what = f"填入了“{shown(raw.value)}”" if raw.value not in (None, "") else "被清空"
    return Problem("TAMPER-FORMULA", ERROR, f"{SCHEMA.label(key)}（{sheet}!{cell}）应由公式自动计算，却{what}",
                   sheet=sheet, cell=cell, rule="TAMPER-FORMULA", **about(key))


def _read_notes(report: Report, sheet: SheetLayout, cells: dict[tuple[int, int], RawCell]) -> None:
    by_label = {label: c.key for label, c in zip(note_targets(), SCHEMA.table_inputs, strict=True)}
    slots = sorted({k.rsplit(".", 1)[0] for k in sheet.values if k.startswith("note.")})
    for slot in slots:
        target = cells.get(sheet.values[f"{slot}.cell"], RawCell(None)).value
        text = cells.get(sheet.values[f"{slot}.text"], RawCell(None)).value
        if target in (None, "") and text in (None, ""):
            continue
        row, col = sheet.values[f"{slot}.cell"]
        key = by_label.get(_squash(target) and shown(target).strip(), "")
        if not key or text in (None, ""):
            why = "所指单元格不在下拉列表中" if not key else "只选了单元格，没有填写备注内容"
            report.problems.append(Problem(
                "NOTE", Severity.WARNING, f"{sheet.name}!{a1(row, col)}：{why}，此条备注被忽略",
                group=sheet.name, sheet=sheet.name, cell=a1(row, col), rule="NOTE"))
            continue
        report.notes[key] = shown(text).strip()


def _identity_cells(report: Report, meta: Meta) -> None:
    """The unit and year shown on 基本信息 must be the ones the workbook was made for."""
    unit, year = report.entry("unit"), report.entry("year")
    if unit.value != meta.unit or year.number != meta.year:
        sheet, cell = _locate("unit")
        report.problems.append(Problem(
            "TAMPER-META", ERROR, f"{sheet}中的机关全称或报告年度与工作簿生成时（{meta.unit}，{meta.year}年）不符",
            group=sheet, sheet=sheet, cell=cell, rule="TAMPER-META"))
    report.entries.pop("unit", None)
    report.entries.pop("year", None)


__all__ = ["read_workbook", "ReadError", "Entry", "Kind"]
