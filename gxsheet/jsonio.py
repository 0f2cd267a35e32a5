"""Report data as JSON keyed by the stable cell keys (`gxsheet export`), and back (`new --data`).

The shape is documented in docs/json.md. Blank stays null, distinct from 0; numbers keep
their decimals exactly; a value that is not valid keeps what was typed under "raw".
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from .report import Report
from .schema import SCHEMA, VERSION
from .values import parse_key
from .xlsx import ReadError

FORMAT = "gxsheet-data"
FORMAT_VERSION = 1


def plain(n: Decimal) -> int | float:
    """A number as JSON (and a spreadsheet) holds it: an integer when whole."""
    return int(n) if n == n.to_integral_value() else float(n)


def _plain(value: object) -> Any:
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _item(key: str, report: Report) -> dict[str, Any]:
    entry = report.entries.get(key)
    value = report.number(key) if not SCHEMA.is_input(key) else (entry.value if entry else None)
    item: dict[str, Any] = {"value": _plain(value)}
    if entry is not None and entry.problem:
        item["raw"] = entry.raw if isinstance(entry.raw, str) else _plain(entry.raw)
        item["problem"] = entry.problem
    if not SCHEMA.is_input(key):
        item["computed"] = True
    return item


def to_data(report: Report) -> dict[str, Any]:
    """Every value of a report, each with the labels that name it."""
    fields = {}
    for f in SCHEMA.fields:
        if f.key in ("unit", "year") or f.key.startswith("note."):
            continue
        fields[f.key] = {"sheet": f.sheet, "label": f.label, **_item(f.key, report)}
    tables = {}
    for key, c in SCHEMA.cells.items():
        tables[key] = {"table": c.table.name, "row": c.row_name, "column": c.column_name,
                       **_item(key, report), "note": report.notes.get(key)}
    return {"format": FORMAT, "version": FORMAT_VERSION, "schema": report.schema,
            "unit": report.unit, "year": report.year, "fields": fields, "tables": tables}


def dumps(report: Report) -> str:
    return json.dumps(to_data(report), ensure_ascii=False, indent=2) + "\n"


def load(path: Path) -> Report:
    """Read a data file (export JSON, or TOML of the same shape with bare values)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
        if path.suffix.lower() == ".toml":
            data = tomllib.loads(text)
        else:
            data = json.loads(text, parse_float=Decimal)
    except FileNotFoundError:
        raise ReadError(f"数据文件 {path} 不存在") from None
    except (UnicodeDecodeError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise ReadError(f"数据文件 {path} 无法解析：{exc}") from None
    if not isinstance(data, dict):
        raise ReadError(f"数据文件 {path} 的内容应为一个对象")
    try:  # JSON may spell a lone surrogate ("\\ud800"), which no workbook or report can hold
        json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError:
        raise ReadError(f"数据文件 {path} 中含有无效的字符（孤立的代理项）") from None
    return from_data(data, str(path))


def from_data(data: dict[str, Any], source: str = "") -> Report:
    schema = str(data.get("schema", VERSION))
    if schema != VERSION:
        raise ReadError(f"数据文件的模板版本为“{schema}”，本程序使用“{VERSION}”")
    try:
        year = int(data.get("year", 0))
    except (TypeError, ValueError):
        raise ReadError("数据文件中的 year 不是年份") from None
    report = Report(str(data.get("unit", "")), year, schema, source=source)
    for section in ("fields", "tables"):
        items = data.get(section, {}) or {}
        if not isinstance(items, dict):
            raise ReadError(f"数据文件的 {section} 应为对象")
        for key, item in items.items():
            _take(report, key, item)
    return report


def _take(report: Report, key: str, item: Any) -> None:
    known = key in SCHEMA.cells or key in SCHEMA.field_map
    if not known:
        raise ReadError(f"数据文件中的“{key}”不是已知的单元格或字段")
    if isinstance(item, dict):
        note = item.get("note")
        if note:
            report.notes[key] = str(note)
        raw = item.get("raw", item.get("value"))
    else:
        raw = item
    if not SCHEMA.is_input(key) or key in ("unit", "year"):
        return  # computed cells are recomputed; identity comes from the top level
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raw = Decimal(str(raw))
    report.entries[key] = parse_key(key, raw)
