"""Data validation of each input, with Chinese prompts and error messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..schema import SCHEMA, Kind
from .meta import note_targets_ref

RULES_ZH = {
    Kind.COUNT: "请填写不小于0的整数，没有的填0。",
    Kind.AMOUNT: "请填写不小于0的数，可以有小数。",
    Kind.POSTCODE: "请填写6位数字的邮政编码。",
    Kind.DATE: "请填写日期，如2025年1月20日或2025-1-20。",
    Kind.CHOICE: "请从下拉列表中选择。",
}


def _title(text: str) -> str:
    return text if len(text) <= 32 else text[:31] + "…"


def _message(text: str) -> str:
    return text if len(text) <= 255 else text[:254] + "…"


def validation(key: str, kind: Kind) -> dict[str, Any]:
    """The xlsxwriter data_validation options for one input."""
    label = SCHEMA.label(key)
    field = SCHEMA.field_map.get(key)
    unit = SCHEMA.cells[key].block.unit if key in SCHEMA.cells else (field.unit if field else "")
    rule = RULES_ZH.get(kind) or f"最多{field.limit if field else 200}字。"
    if unit and kind.numeric:
        rule = f"单位：{unit}。" + rule
    prompt = field.prompt if field and field.prompt else ""
    opts: dict[str, Any] = {
        "input_title": _title(label.split("·", 1)[-1]),
        "input_message": _message(f"{label}\n{rule}{prompt}"),
        "error_title": "填写有误",
        "error_message": _message(f"{label}：{rule}"),
        "error_type": "stop",
        "ignore_blank": True,
    }
    if kind is Kind.COUNT:
        opts.update(validate="integer", criteria="between", minimum=0, maximum=999999999)
    elif kind is Kind.AMOUNT:
        opts.update(validate="decimal", criteria="between", minimum=0, maximum=999999999)
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
