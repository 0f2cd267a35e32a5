"""A small, safe reader of .xlsx files: sheet cells as stored, formulas flagged, nothing evaluated.

It parses XML with defusedxml, refuses files that are not what they claim before reading
them, and reads only the sheets asked for. openpyxl is not used here because it is slow
for the county's hundreds of files and hides whether a cell held a formula.
"""

from __future__ import annotations

import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as ET

from . import xmlcap

MAX_FILE = 30 * 1024 * 1024  # a filled workbook is about 60 KB
MAX_UNPACKED = 150 * 1024 * 1024
# One XML part, unpacked: the largest of a filled workbook is a sheet of about 150 KB and
# 2,100 elements. Parts are parsed streaming and given up at these caps, so that a small
# file holding megabytes of empty rows costs a fraction of a second, not a minute.
MAX_PART = 8 * 1024 * 1024
MAX_ELEMENTS = 100_000
MAX_MEMBERS = 2_000  # a workbook has about 25 parts
MAX_INDEX_DIGITS = 9  # a shared-string index; more digits cannot name one of MAX_ELEMENTS strings
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Windows raises PermissionError both for a file Excel or WPS holds open and for a missing right.
HELD_OPEN = "文件被其他程序占用或没有读取权限（可能正在 Excel 或 WPS 中打开），请关闭后重试"


class ReadError(Exception):
    """The file cannot be read at all; the message is one Chinese sentence for the user."""

    def __init__(self, message: str, code: str = "FILE") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Guards:
    """What locks a sheet: its protection, and the cell ranges under data validation (capped)."""

    protected: bool
    validated: tuple[tuple[int, int, int, int], ...]  # zero-based (first row, first col, last row, last col)

    def covers(self, row: int, col: int) -> bool:
        return any(r1 <= row <= r2 and c1 <= col <= c2 for r1, c1, r2, c2 in self.validated)


@dataclass(frozen=True)
class RawCell:
    value: str | float | bool | None
    formula: bool = False


def _too_big(size: int) -> str:
    return f"文件过大（{size / 1024 / 1024:.1f} MB），不像是填报工作簿"


def _sniff(path: Path) -> None:
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise ReadError("文件不存在") from None
    except IsADirectoryError:
        raise ReadError("这是一个文件夹，不是工作簿文件") from None
    except PermissionError:  # Windows also says this for a folder, or a file Excel holds open
        if path.is_dir():
            raise ReadError("这是一个文件夹，不是工作簿文件") from None
        raise ReadError(HELD_OPEN) from None
    except OSError as exc:
        raise ReadError(f"无法打开文件（{exc.strerror}）") from None
    if size == 0:
        raise ReadError("文件是空的（0字节）")
    if size > MAX_FILE:
        raise ReadError(_too_big(size))
    if head == CFB_MAGIC:
        with path.open("rb") as fh:
            blob = fh.read(min(size, 1 << 20))
        if "EncryptionInfo".encode("utf-16-le") in blob:
            raise ReadError("文件设置了打开密码（已加密），请取消打开密码后再提交", "ENCRYPTED")
        raise ReadError("这是旧版 .xls 格式（或其他 Office 格式），请用工作簿原来的 .xlsx 格式保存", "XLS")
    if not head.startswith(b"PK"):
        raise ReadError("不是 Excel 工作簿（.xlsx）文件")
    if _members(path, size) > MAX_MEMBERS:
        raise ReadError("文件异常：压缩包中的部件过多，不像是填报工作簿，拒绝读取")


def _members(path: Path, size: int) -> int:
    """The member count the zip's end record claims (0 if not found): checked before zipfile lists
    them all, which for 200,000 empty members in an 18 MB file takes seconds and 250 MB."""
    with path.open("rb") as fh:
        fh.seek(max(0, size - 65_557))  # the end record (22 bytes) and the longest comment
        tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return 0
    entries, directory = struct.unpack("<HI", tail[at + 10:at + 16])
    return int(entries) if entries != 0xFFFF else int(directory) // 46  # zip64: a central header is at least 46 bytes


class Xlsx:
    """An opened .xlsx package. Use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        _sniff(path)
        try:
            self.zip = zipfile.ZipFile(path)
            infos = self.zip.infolist()
        except Exception:  # zipfile also raises NotImplementedError, EOFError, struct.error on hostile headers
            raise ReadError("文件已损坏，无法解压（不是完整的 .xlsx 文件）") from None
        try:  # a refused file is closed at once: on Windows an open handle locks it
            self._check(infos)
            self._strings: list[str] | None = None
            self.guards: dict[str, Guards] = {}  # per sheet, noted as cells() reads it
            self.sheets = self._sheet_index()
        except BaseException:
            self.zip.close()
            raise

    def _check(self, infos: list[zipfile.ZipInfo]) -> None:
        if sum(i.file_size for i in infos) > MAX_UNPACKED:
            raise ReadError("文件解压后过大，拒绝读取")
        self.names = {i.filename for i in infos}
        if len(self.names) != len(infos):
            # Python reads the last of two same-named parts, Excel the first: what we check is not what is seen.
            raise ReadError("文件已损坏：压缩包中有重名的部件，无法确定内容")
        if "xl/workbook.xml" not in self.names:
            raise ReadError("不是 Excel 工作簿：压缩包中没有 xl/workbook.xml")

    def __enter__(self) -> Xlsx:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    def _open(self, name: str) -> IO[bytes]:
        try:
            return self.zip.open(name)
        except Exception:  # KeyError, BadZipFile, NotImplementedError (unknown method), RuntimeError (encrypted)
            raise ReadError(f"文件已损坏：无法读取其中的 {name}") from None

    def _parse(self, name: str) -> ET.Element:
        with self._open(name) as fh:
            return parse_capped(fh, name)

    def _sheet_index(self) -> dict[str, tuple[str, str]]:
        """Sheet name -> (part path, state)."""
        root = self._parse("xl/workbook.xml")
        rels: dict[str, str] = {}
        if "xl/_rels/workbook.xml.rels" in self.names:
            for rel in self._parse("xl/_rels/workbook.xml.rels").iter(f"{PKG_REL}Relationship"):
                target = rel.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
                rels[rel.get("Id", "")] = path
        out: dict[str, tuple[str, str]] = {}
        for sheet in root.iter(f"{NS}sheet"):
            rid = sheet.get(f"{REL}id", "")
            out[sheet.get("name", "")] = (rels.get(rid, ""), sheet.get("state", "visible"))
        return out

    def structure_locked(self) -> bool:
        """Whether <workbookProtection> is there and does not unlock the structure.

        LibreOffice saves a locked workbook with a bare <workbookProtection/>: it loses the
        lockStructure attribute, though nobody took the lock off, so a bare element counts as locked.
        """
        root = self._parse("xl/workbook.xml")
        prot = root.find(f"{NS}workbookProtection")
        return prot is not None and prot.get("lockStructure", "1") in ("1", "true")

    def custom_properties(self) -> dict[str, str]:
        if "docProps/custom.xml" not in self.names:
            return {}
        root = self._parse("docProps/custom.xml")
        out: dict[str, str] = {}
        for prop in root.iter(f"{CUSTOM}property"):
            out[prop.get("name", "")] = "".join(child.text or "" for child in prop)
        return out

    def strings(self) -> list[str]:
        if self._strings is None:
            self._strings = []
            if "xl/sharedStrings.xml" in self.names:
                for si in self._parse("xl/sharedStrings.xml").iter(f"{NS}si"):
                    self._strings.append(_text(si))
        return self._strings

    def cells(self, sheet: str) -> dict[tuple[int, int], RawCell]:
        """Every stored cell of a sheet, keyed by zero-based (row, column)."""
        part, _ = self.sheets[sheet]
        if part not in self.names:
            raise ReadError(f"文件已损坏：找不到工作表“{sheet}”的内容")
        root = self._parse(part)
        self.guards[sheet] = _guards(root)
        out: dict[tuple[int, int], RawCell] = {}
        for c in root.iter(f"{NS}c"):
            pos = _address(c.get("r", ""))
            if pos is None:
                continue
            out[pos] = self._cell(c)
        return out

    def _cell(self, c: ET.Element) -> RawCell:
        kind = c.get("t", "n")
        formula = c.find(f"{NS}f") is not None
        v = c.find(f"{NS}v")
        text = v.text if v is not None else None
        if kind == "inlineStr":
            node = c.find(f"{NS}is")
            return RawCell(_text(node) if node is not None else "", formula)
        if text is None:
            return RawCell(None, formula)
        if kind == "s":
            strings = self.strings()
            idx = _index(text)
            return RawCell(strings[idx] if 0 <= idx < len(strings) else "", formula)
        if kind in ("str", "e"):
            return RawCell(text, formula)
        if kind == "b":
            return RawCell(text == "1", formula)
        try:
            return RawCell(float(text), formula)
        except ValueError:
            return RawCell(text, formula)


MAX_RANGES = 4000  # validated ranges kept per sheet; gxsheet writes a few hundred


def _guards(root: ET.Element) -> Guards:
    """The sheet's protection and validated ranges, from the tree cells() parses anyway.

    Validations Excel moves into the extension list (x14:dataValidation with an xm:sqref child,
    for lists on another sheet) count as well.
    """
    prot = root.find(f"{NS}sheetProtection")
    protected = prot is not None and prot.get("sheet") in ("1", "true")
    ranges: list[tuple[int, int, int, int]] = []
    for node in root.iter():
        if not isinstance(node.tag, str) or not node.tag.endswith("}dataValidation"):
            continue
        refs = node.get("sqref") or "".join(c.text or "" for c in node if str(c.tag).endswith("}sqref"))
        for ref in refs.split()[: MAX_RANGES - len(ranges)]:
            first, _, last = ref.partition(":")
            a, b = _address(first), _address(last or first)
            if a is not None and b is not None:
                ranges.append((a[0], a[1], b[0], b[1]))
    return Guards(protected, tuple(ranges))


_INDEX = re.compile(rf"[0-9]{{1,{MAX_INDEX_DIGITS}}}")


def _index(text: str) -> int:
    """A shared-string index, or -1: str.isdigit() takes "²" and int() refuses 5,000 digits."""
    text = text.strip()
    return int(text) if _INDEX.fullmatch(text) else -1


def parse_capped(fh: IO[bytes], name: str, max_bytes: int = MAX_PART, max_elements: int = MAX_ELEMENTS) -> Element:
    """Parse one XML part streaming, refusing it past max_bytes or max_elements (before the tree is whole)."""
    try:
        return xmlcap.parse(fh, max_bytes, max_elements)
    except xmlcap.TooBig:
        raise ReadError(f"文件异常：{name} 的内容过多（超过 {max_bytes // 1024 // 1024} MB 或 {max_elements} 个元素），"
                        "不像是填报工作簿，拒绝读取") from None
    except xmlcap.Broken:
        raise ReadError(f"文件已损坏：{name} 不是有效的 XML") from None


def _text(node: ET.Element) -> str:
    # Rich text keeps runs in <r><t>; phonetic runs (<rPh>) are not part of the value.
    parts = []
    for child in node:
        if child.tag == f"{NS}t":
            parts.append(child.text or "")
        elif child.tag == f"{NS}r":
            parts += [t.text or "" for t in child.iter(f"{NS}t")]
    return "".join(parts)


_ADDR = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")


def _address(ref: str) -> tuple[int, int] | None:
    m = _ADDR.match(ref)
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def a1(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"
