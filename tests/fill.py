"""Type values into a generated workbook the way a spreadsheet program would, without openpyxl.

openpyxl would rewrite the whole package (styles, validations, protection); these helpers
change only the `<c>` elements asked for, inside the sheet XML, and copy every other part
byte for byte.

    fill(src, dst, {"t3.partial.commercial": "无", "t3.new.natural": 5})
    overwrite(src, dst, {"t3.new.total": 7})

Keys are schema keys (`gxsheet.workbook.layout.LAYOUT.where`), or a cell written as
"sheet!A1" (e.g. "三、依申请公开!A7") to reach a cell that has no key, such as a label.
Values: int, float or Decimal become numbers; bool a boolean; str an inline string
(XML-escaped); `Shared("…")` a shared string, as Excel saves typed text; `Formula("1+2")` a
formula without a cached result, as a program that does not calculate writes it;
datetime.date an Excel date serial; None empties the cell.
`fill` refuses a cell that holds a formula; `overwrite` replaces any cell, formula or not,
which is how a tampered total (a number typed over a computed cell) is made.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

from gxsheet.workbook.layout import LAYOUT
from gxsheet.xlsx import a1

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
OFFICE_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
EXCEL_EPOCH = dt.date(1899, 12, 30)
SHARED = "xl/sharedStrings.xml"


class Shared(str):
    """Text stored in the shared string table (how Excel and WPS save what was typed)."""


class Formula(str):
    """A formula typed into a cell, without its leading "=" (e.g. Formula("1+2"))."""


def fill(src: Path, dst: Path, values: Mapping[str, object]) -> None:
    """Write dst: src with each value typed into its input cell (never over a formula)."""
    _rewrite(src, dst, values, formulas=False)


def overwrite(src: Path, dst: Path, values: Mapping[str, object]) -> None:
    """Write dst: src with each cell's whole element, formula included, replaced by the value."""
    _rewrite(src, dst, values, formulas=True)


def where(key: str) -> tuple[str, str]:
    """(sheet name, A1 address) of a schema key or of a "sheet!A1" reference."""
    if key in LAYOUT.where:
        sheet, row, col = LAYOUT.where[key]
        return sheet, a1(row, col)
    sheet, sep, ref = key.rpartition("!")
    if not sep or not re.fullmatch(r"[A-Z]{1,3}[1-9]\d*", ref):
        raise KeyError(f"{key!r} is neither a schema key nor a 'sheet!A1' reference")
    return sheet, ref


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> part name inside the package, from xl/workbook.xml and its rels."""
    rels = {}
    for rel in ET.fromstring(zf.read("xl/_rels/workbook.xml.rels")).iter(f"{PKG_REL}Relationship"):
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        rels[rel.get("Id")] = part
    book = ET.fromstring(zf.read("xl/workbook.xml"))
    return {s.get("name", ""): rels[s.get(f"{OFFICE_REL}id")] for s in book.iter(f"{MAIN}sheet")}


@dataclass
class _Strings:
    """Shared strings added to a package: their indexes follow the base existing ones."""

    base: int
    added: list[str] = field(default_factory=list)

    def index(self, text: str) -> int:
        self.added.append(text)
        return self.base + len(self.added) - 1


def _cell_xml(ref: str, style: str, value: object, shared: _Strings) -> str:
    s = f' s="{style}"' if style else ""
    if value is None:
        return f'<c r="{ref}"{s}/>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}"{s}><v>{(value - EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, (int, float, Decimal)):
        number = format(value, "f") if isinstance(value, Decimal) else repr(value)
        return f'<c r="{ref}"{s}><v>{number}</v></c>'
    if isinstance(value, Formula):
        return f'<c r="{ref}"{s}><f>{escape(value)}</f></c>'
    if isinstance(value, Shared):
        return f'<c r="{ref}"{s} t="s"><v>{shared.index(str(value))}</v></c>'
    if isinstance(value, str):
        return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
    raise TypeError(f"cannot type a {type(value).__name__} into a cell")


def _add_shared(xml: str, texts: list[str]) -> str:
    """The shared string table with texts appended (its counts dropped: they are optional)."""
    items = "".join(f'<si><t xml:space="preserve">{escape(t)}</t></si>' for t in texts)
    xml = re.sub(r'\s(count|uniqueCount)="\d+"', "", xml, count=2)
    return xml.replace("</sst>", items + "</sst>")


def _replace_cell(xml: str, ref: str, value: object, formulas: bool, shared: _Strings) -> str:
    # xlsxwriter writes every input cell, blank ones as <c r="E12" s="7"/>; no <c> nests.
    pattern = re.compile(rf'<c r="{ref}"(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</c>)', re.S)
    found = pattern.findall(xml)
    if len(found) != 1:
        raise KeyError(f"cell {ref} occurs {len(found)} times in the sheet XML, expected once")
    m = pattern.search(xml)
    assert m is not None
    if not formulas and "<f" in (m["body"] or ""):
        raise ValueError(f"cell {ref} holds a formula; use overwrite() to replace it")
    style = re.search(r'\bs="(\d+)"', m["attrs"])
    return xml[: m.start()] + _cell_xml(ref, style[1] if style else "", value, shared) + xml[m.end():]


def _rewrite(src: Path, dst: Path, values: Mapping[str, object], formulas: bool) -> None:
    with zipfile.ZipFile(src) as zin:
        parts = sheet_parts(zin)
        edits: dict[str, dict[str, object]] = {}
        for key, value in values.items():
            sheet, ref = where(key)
            if sheet not in parts:
                raise KeyError(f"no sheet named {sheet!r}")
            edits.setdefault(parts[sheet], {})[ref] = value
        table = zin.read(SHARED).decode("utf-8") if SHARED in zin.namelist() else "<sst></sst>"
        shared = _Strings(table.count("<si>") + table.count("<si "))
        changed: dict[str, bytes] = {}
        for part, cells in edits.items():
            xml = zin.read(part).decode("utf-8")
            for ref, value in cells.items():
                xml = _replace_cell(xml, ref, value, formulas, shared)
            changed[part] = xml.encode("utf-8")
        if shared.added:
            assert SHARED in zin.namelist(), "the workbook has no shared string table to add to"
            changed[SHARED] = _add_shared(table, shared.added).encode("utf-8")
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                zout.writestr(info, changed.get(info.filename) or zin.read(info))
