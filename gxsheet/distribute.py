"""`gxsheet new --units`: one workbook per unit, prefilled with what last year determines."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from .crossyear import unit_key
from .report import Report
from .schema.fields import PREVIOUS, PREVIOUS_FIELDS
from .values import shown
from .workbook.meta import Meta
from .xlsx import HELD_OPEN, ReadError, Xlsx

HEADERS = {"单位", "单位名称", "机关全称", "名称", "单位全称"}
CARRIED = [f.key[len(PREVIOUS):] for f in PREVIOUS_FIELDS]  # e.g. t3.carried_forward.natural
CONTACT = ("address", "postcode", "phone", "email", "website")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def read_units(path: Path) -> list[str]:
    """Unit names from a text file (one a line), or the first column of a .csv or .xlsx."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ReadError(f"单位名单 {path} 不存在")
    if suffix == ".xlsx":
        names = _xlsx_column(path)
    else:
        try:
            blob = path.read_bytes()
        except PermissionError:  # on Windows also a list Excel or WPS holds open
            raise ReadError(f"单位名单 {path}：{HELD_OPEN}") from None
        except OSError as exc:
            raise ReadError(f"单位名单 {path} 无法打开（{exc.strerror}）") from None
        text = _decode(blob, path)
        rows = csv.reader(io.StringIO(text)) if suffix == ".csv" else ([line] for line in text.splitlines())
        names = [row[0] if row else "" for row in rows]
    names = [n.strip() for n in names if n and n.strip()]
    if names and names[0] in HEADERS:
        names = names[1:]
    seen: dict[str, None] = {}
    for n in names:
        seen.setdefault(n)
    if not seen:
        raise ReadError(f"单位名单 {path} 中没有单位名称")
    return list(seen)


def _decode(blob: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves .txt/.csv as GBK
        try:
            return blob.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(f"单位名单 {path} 的编码无法识别，请另存为 UTF-8")


def _xlsx_column(path: Path) -> list[str]:
    """The first column of the first sheet, read with gxsheet's own reader (no formula is trusted or run)."""
    try:
        with Xlsx(path) as book:
            first = next(iter(book.sheets), None)
            cells = book.cells(first) if first is not None else {}
    except ReadError as exc:
        raise ReadError(f"单位名单 {path} 不是可读取的 .xlsx 文件（{exc.message}）") from None
    column = sorted((row, cell.value) for (row, col), cell in cells.items() if col == 0)
    return [shown(value) for _, value in column if value is not None]


def write_forms(targets: Mapping[str, Path], year: int, values: Mapping[str, object], password: str,
                last: Mapping[str, Report]) -> Iterator[tuple[str, Path, bool]]:
    """Write each unit's workbook (prefilled with values, and with what last year's report of the
    unit determines); (unit, file, whether last year's report was found) as each is written."""
    from .workbook.writer import write_workbook  # start-up: xlsxwriter, not for a command that only reads units

    for name, target in targets.items():
        prior = last.get(unit_key(name))
        carried, locked = from_previous(prior) if prior is not None else ({}, set())
        write_workbook(target, Meta(name, year), dict(values) | carried, password, frozenset(locked))
        yield name, target, prior is not None


def filename(unit: str) -> str:
    """A file name for a unit's workbook, safe on Windows."""
    return _UNSAFE.sub("_", unit).strip(". ") + ".xlsx"


def from_previous(previous: Report) -> tuple[dict[str, object], set[str]]:
    """Values and locked keys a new workbook takes from last year's report.

    二、上年结转 is last year's 四、结转下年度继续办理 (locked); last year's 现行有效 and
    carry-forward are kept beside this year's; contact details are carried over, editable.
    """
    values: dict[str, object] = {}
    locked: set[str] = set()
    for key in CARRIED:
        n = previous.number(key)
        if n is None:
            continue
        values[PREVIOUS + key] = n
        if key.startswith("t3.carried_forward."):
            this = key.replace("carried_forward", "carried_over")
            values[this] = n
            locked.add(this)
    for key in CONTACT:
        entry = previous.entry(key)
        if entry.value and not entry.problem:
            values[key] = entry.value
    return values, locked
