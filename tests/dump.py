"""Turn a generated .xlsx into reviewable, deterministic text for golden comparison.

Cells, validations and conditional formats come from openpyxl (data_only=False, so
formulas verbatim); what openpyxl hides or normalises (sheet state, protection flags,
page setup, column and row sizes, defined names, workbook protection, custom
properties) is read from the package XML. Volatile parts are left out: creation and
modification dates, and the generator version string.

    python tests/dump.py some.xlsx      # print the dump
"""

from __future__ import annotations

import re
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from gxsheet import __version__

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "core": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
}
R_ID = f"{{{NS['r']}}}id"
GENERATOR = f"gxsheet {__version__}"
VOLATILE_CORE = {"created", "modified"}  # dcterms dates: the moment of writing
NUMERIC = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")


# --- raw package ---------------------------------------------------------------------

def _xml(z: zipfile.ZipFile, name: str) -> ET.Element | None:
    try:
        return ET.fromstring(z.read(name))
    except KeyError:
        return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def sheet_parts(z: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """(name, state, part path) of every sheet, in workbook order."""
    book = _xml(z, "xl/workbook.xml")
    rels = _xml(z, "xl/_rels/workbook.xml.rels")
    assert book is not None and rels is not None
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", NS)}
    out = []
    for s in book.findall("m:sheets/m:sheet", NS):
        target = targets[s.get(R_ID)]
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out.append((s.get("name", ""), s.get("state", "visible"), part))
    return out


def _attrs(el: ET.Element | None, defaults: dict[str, str] | None = None) -> str:
    """Attributes as sorted key=value pairs, defaults filled in where absent."""
    found = dict(defaults or {})
    if el is not None:
        found.update({_local(k): v for k, v in el.attrib.items()})
    return " ".join(f"{k}={v}" for k, v in sorted(found.items())) or "-"


# --- values --------------------------------------------------------------------------

def text(value: object) -> str:
    """A value on one line: newlines and tabs escaped, the version string neutralised."""
    s = str(value).replace(GENERATOR, "gxsheet <version>")
    return s.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


def show(cell: object) -> str:
    """A cell's content as Excel shows it in the formula bar: formulas verbatim, text marked
    with a leading ' when it could be mistaken for a number or formula."""
    value = getattr(cell, "value", None)
    kind = getattr(cell, "data_type", "")
    if value is None:
        return ""
    if kind == "f":
        return text(value)
    if isinstance(value, str):
        if value.startswith(("=", "'")) or NUMERIC.match(value) or value != value.strip():
            return "'" + text(value)
        return text(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return text(value)


# --- one sheet -----------------------------------------------------------------------

def _sheet_xml(root: ET.Element) -> Iterator[str]:
    prot = root.find("m:sheetProtection", NS)
    yield f"protection: {'protected' if prot is not None and prot.get('sheet') in ('1', 'true') else 'NONE'}"
    if prot is not None:
        yield f"  options: {_attrs(prot)}"
    view = root.find("m:sheetViews/m:sheetView", NS)
    grid = view.get("showGridLines", "1") if view is not None else "1"
    pane = view.find("m:pane", NS) if view is not None else None
    freeze = "-"
    if pane is not None and pane.get("state") in ("frozen", "frozenSplit"):
        freeze = pane.get("topLeftCell", "-")
    yield f"view: freeze={freeze} gridlines={grid}"
    setup = root.find("m:pageSetup", NS)
    fit = root.find("m:sheetPr/m:pageSetUpPr", NS)
    defaults = {"paperSize": "1", "orientation": "default", "fitToWidth": "1", "fitToHeight": "1"}
    fit_to_page = fit.get("fitToPage", "0") if fit is not None else "0"
    yield f"print: {_attrs(setup, defaults)} fitToPage={fit_to_page}"
    margins = root.find("m:pageMargins", NS)
    if margins is not None:
        yield f"  margins: {_attrs(margins)}"
    options = root.find("m:printOptions", NS)
    if options is not None:
        yield f"  options: {_attrs(options)}"
    cols = root.findall("m:cols/m:col", NS)
    for c in cols:
        extra = " hidden" if c.get("hidden") in ("1", "true") else ""
        yield f"col {c.get('min')}-{c.get('max')}: width={c.get('width')}{extra}"
    for row in root.findall("m:sheetData/m:row", NS):
        if row.get("customHeight") in ("1", "true") or row.get("hidden") in ("1", "true"):
            extra = " hidden" if row.get("hidden") in ("1", "true") else ""
            yield f"row {row.get('r')}: height={row.get('ht')}{extra}"


def _cells(ws: Worksheet) -> Iterator[str]:
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell, MergedCell):
                continue
            locked = cell.protection.locked
            if cell.value is None and locked:
                continue
            lock = "locked" if locked else "unlocked"
            yield f"{cell.coordinate} | {show(cell)} | {lock} | {cell.number_format}"


def dv_operator(dv: object) -> str:
    """The validation operator in effect: absent means "between" (ECMA-376 default) where one applies."""
    kind = getattr(dv, "type", None)
    if kind in (None, "none", "list", "custom"):
        return "-"
    return getattr(dv, "operator", None) or "between"


def _validations(ws: Worksheet) -> Iterator[str]:
    for dv in ws.data_validations.dataValidation:
        f2 = "-" if dv.formula2 is None else text(dv.formula2)
        yield (f"dv {dv.sqref} | type={dv.type} operator={dv_operator(dv)} "
               f"formula1={text(dv.formula1)} formula2={f2} allowBlank={dv.allow_blank} "
               f"errorStyle={dv.errorStyle or 'stop'} showInput={dv.showInputMessage} "
               f"showError={dv.showErrorMessage}")
        yield f"  prompt: [{text(dv.promptTitle)}] {text(dv.prompt)}"
        yield f"  error: [{text(dv.errorTitle)}] {text(dv.error)}"


def _dxf(rule: object) -> str:
    dxf = getattr(rule, "dxf", None)
    if dxf is None:
        return ""
    parts = []
    fill = getattr(dxf, "fill", None)
    if fill is not None:
        colour = fill.bgColor.rgb if fill.bgColor is not None else None
        if fill.fgColor is not None and fill.fgColor.rgb not in (None, "00000000"):
            colour = colour if colour not in (None, "00000000") else fill.fgColor.rgb
        parts.append(f"fill={colour}")
    font = getattr(dxf, "font", None)
    if font is not None:
        parts.append(f"font={font.color.rgb if font.color is not None else None}{' bold' if font.b else ''}")
    return " " + " ".join(parts) if parts else ""


def _conditional(ws: Worksheet) -> Iterator[str]:
    found = []
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            found.append((rule.priority or 0, str(cf.sqref), rule))
    for priority, sqref, rule in sorted(found, key=lambda f: (f[0], f[1])):
        formula = " ; ".join(text(f) for f in rule.formula or [])
        extra = f" text={text(rule.text)}" if rule.text is not None else ""
        yield (f"cf {sqref} | priority={priority} type={rule.type} operator={rule.operator}"
               f" formula={formula or '-'}{extra}{_dxf(rule)}")


def dump_sheet(ws: Worksheet, state: str, root: ET.Element) -> Iterator[str]:
    yield f"=== sheet {ws.title} [{state}]"
    yield from _sheet_xml(root)
    merged = sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col, r.max_row, r.max_col))
    for m in merged:
        yield f"merge {m.coord} ({m.max_row - m.min_row + 1}x{m.max_col - m.min_col + 1})"
    yield from _cells(ws)
    yield from _validations(ws)
    yield from _conditional(ws)


# --- the workbook --------------------------------------------------------------------

def _workbook_xml(z: zipfile.ZipFile, names: list[str]) -> Iterator[str]:
    book = _xml(z, "xl/workbook.xml")
    assert book is not None
    yield "=== workbook"
    prot = book.find("m:workbookProtection", NS)
    yield f"workbookProtection: {_attrs(prot) if prot is not None else 'NONE'}"
    view = book.find("m:bookViews/m:workbookView", NS)
    active = int(view.get("activeTab", "0")) if view is not None else 0
    yield f"active sheet: {names[active]}"
    calc = book.find("m:calcPr", NS)
    yield f"calcPr: {_attrs(calc)}"
    for dn in book.findall("m:definedNames/m:definedName", NS):
        scope = dn.get("localSheetId")
        where = names[int(scope)] if scope is not None else "(workbook)"
        hidden = " hidden" if dn.get("hidden") in ("1", "true") else ""
        yield f"name {dn.get('name')} @ {where}{hidden} = {dn.text}"


def _properties(z: zipfile.ZipFile) -> Iterator[str]:
    core = _xml(z, "docProps/core.xml")
    if core is not None:
        for el in core:
            name = _local(el.tag)
            if name not in VOLATILE_CORE:
                yield f"core {name} = {text(el.text or '')}"
    custom = _xml(z, "docProps/custom.xml")
    if custom is not None:
        for prop in custom.findall("cp:property", NS):
            value = next(iter(prop), None)
            if value is None or _local(value.tag) == "filetime" or GENERATOR in (value.text or ""):
                continue  # dates and the generator version change from run to run
            yield f"custom {prop.get('name')} = {text(value.text or '')} ({_local(value.tag)})"


def dump_lines(path: Path) -> list[str]:
    wb = load_workbook(path, data_only=False)
    lines: list[str] = []
    with zipfile.ZipFile(path) as z:
        parts = sheet_parts(z)
        names = [n for n, _, _ in parts]
        assert names == wb.sheetnames, (names, wb.sheetnames)
        for name, state, part in parts:
            root = _xml(z, part)
            assert root is not None, part
            lines += dump_sheet(wb[name], state, root)
        lines += _workbook_xml(z, names)
        lines += _properties(z)
    return lines


def dump(path: Path) -> str:
    """The whole dump as text, one trailing newline."""
    return "\n".join(dump_lines(path)) + "\n"


if __name__ == "__main__":
    sys.stdout.write(dump(Path(sys.argv[1])))
