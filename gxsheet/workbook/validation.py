"""Data validation of each input, with Chinese prompts and error messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..schema import SCHEMA, Kind
from ..values import limit
from .meta import note_targets_ref


def _title(key: str) -> str:
    """At most 32 characters (Excel's limit); a long row label gives way, never the column."""
    if key not in SCHEMA.cells:
        return SCHEMA.field_map[key].label[:32]
    cell = SCHEMA.cells[key]
    row, col = cell.row_name, cell.column_name
    room = 32 - len(col) - 1
    if len(row) > room:
        row = row[: room - 1] + "…"
    return f"{row}·{col}" if row else col


def _message(text: str) -> str:
    return text if len(text) <= 255 else text[:254] + "…"


def validation(key: str, kind: Kind) -> dict[str, Any]:
    """The xlsxwriter data_validation options for one input."""
    label = SCHEMA.label(key)
    field = SCHEMA.field_map.get(key)
    unit = SCHEMA.cells[key].block.unit if key in SCHEMA.cells else (field.unit if field else "")
    rule = kind.rule_zh or f"最多{field.limit if field else 200}字。"
    if unit and kind.numeric:
        rule = f"单位：{unit}。" + rule
    prompt = field.prompt if field and field.prompt else ""
    opts: dict[str, Any] = {
        "input_title": _title(key),
        "input_message": _message(f"{label}\n{rule}{prompt}"),
        "error_title": "填写有误",
        "error_message": _message(f"{label}：{rule}"),
        "error_type": "stop",
        "ignore_blank": True,
    }
    if kind is Kind.COUNT:
        opts.update(validate="integer", criteria="between", minimum=0, maximum=limit(True, unit) - 1)
    elif kind is Kind.AMOUNT:  # a cent under the bound the reader enforces
        opts.update(validate="decimal", criteria="between", minimum=0, maximum=limit(False, unit) - 0.01)
    elif kind is Kind.DATE:
        opts.update(validate="date", criteria="between", minimum=dt.date(2000, 1, 1),
                    maximum=dt.date(2100, 12, 31))
    elif kind is Kind.POSTCODE:
        opts.update(validate="length", criteria="==", value=6)
    elif kind is Kind.CHOICE:
        opts.update(validate="list", source=note_targets_ref())
    else:
        opts.update(validate="length", criteria="<=", value=field.limit if field else 200)
    return opts
