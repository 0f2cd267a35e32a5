"""Data validation of each input, with Chinese prompts and error messages."""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from ..schema import SCHEMA, Kind
from ..values import limit
from .layout import LAYOUT
from .meta import note_targets_ref

# Separators a telephone number may hold between its digits (as values.parse_phone reads it).
# The full-width brackets parse_phone also reads are left out: Excel caps the formula at 255 characters.
PHONE_SEPARATORS = ("-", "(", ")", "转", " ")
MAX_FORMULA = 255  # characters of a data validation formula Excel accepts


def _cell(key: str, absolute: bool = False) -> str:
    _, row, col = LAYOUT.where[key]
    return str(xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True) if absolute else xl_rowcol_to_cell(row, col))


def phone_formula(x: str, most: int) -> str:
    """Within the field's length, 7 to 20 characters once the separators are taken out, all digits:
    with ".5" after them they read as a number (a point, an exponent or a letter would not).

    Only a guard against typing: `check` reads the number's shape (values.parse_phone)."""
    digits = x
    for sep in PHONE_SEPARATORS:
        digits = f'SUBSTITUTE({digits},"{sep}","")'
    return f'AND(LEN({x})<={most},ABS(LEN({digits})-13.5)<7,ISNUMBER(-({digits}&".5")))'


def email_formula(x: str, most: int) -> str:
    """One @ not first, a dot at least a character after it and not last, no spaces."""
    return (f'AND(LEN({x})<={most},ISERROR(FIND(" ",{x})),LEN({x})-LEN(SUBSTITUTE({x},"@",""))=1,'
            f'LEFT({x})<>"@",ISNUMBER(FIND(".",{x},IFERROR(FIND("@",{x}),LEN({x}))+2)),RIGHT({x})<>".")')


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


def _checked(formula: str) -> str:
    if len(formula) > MAX_FORMULA:
        raise ValueError(f"data validation formula over {MAX_FORMULA} characters: {formula}")
    return "=" + formula


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
    elif kind is Kind.DATE:  # the report's year (the locked 报告年度 cell) or the next
        year = _cell("year", absolute=True)
        opts.update(validate="date", criteria="between", minimum=f"=DATE({year},1,1)",
                    maximum=f"=DATE({year}+1,12,31)")
    elif kind is Kind.PHONE:
        opts.update(validate="custom", value=_checked(phone_formula(_cell(key), field.limit if field else 40)))
    elif kind is Kind.EMAIL:
        opts.update(validate="custom", value=_checked(email_formula(_cell(key), field.limit if field else 80)))
    elif kind is Kind.POSTCODE:
        opts.update(validate="length", criteria="==", value=6)
    elif kind is Kind.CHOICE:
        opts.update(validate="list", source=note_targets_ref())
    else:
        opts.update(validate="length", criteria="<=", value=field.limit if field else 200)
    return opts
