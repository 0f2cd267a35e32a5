"""Locks someone took off: sheet protection, the workbook structure lock, data validation.

None of them changes a figure, so each is a 提醒 (warning), not an error: the figures are read
and checked as usual, but whoever receives the workbook learns that the template's guards were
removed and formats, formulas or typed values may not be what gxsheet wrote.

LibreOffice and WPS keep all three when they save an .xlsx; Excel moves list validations that
point at another sheet into its extension list, which xlsx.Guards reads as well.
"""

from __future__ import annotations

from ..problems import Problem
from ..schema import SCHEMA, Severity
from ..xlsx import Guards
from .layout import SheetLayout

GROUP = "文件"
THIN = 0.5  # under half of a sheet's inputs still validated: the validation was removed


def validated_inputs(sheet: SheetLayout) -> list[tuple[int, int]]:
    """The cells of a sheet the writer puts data validation on (inputs no field locks)."""
    out = []
    for key, where in sheet.values.items():
        field = SCHEMA.field_map.get(key)
        if SCHEMA.is_input(key) and not (field and field.locked):
            out.append(where)
    return out


def sheet_guards(sheet: SheetLayout, guards: Guards) -> list[Problem]:
    """The 提醒 for one content sheet whose protection or validation is gone."""
    found = []
    if not guards.protected:
        found.append(_warn("TAMPER-PROTECTION", f"工作表“{sheet.name}”的保护已被取消（可能有人改动过格式或公式）",
                           sheet.name))
    expected = validated_inputs(sheet)
    # Inputs prefilled from last year are written locked, without validation: hence a share, not all.
    if expected and sum(guards.covers(r, c) for r, c in expected) < THIN * len(expected):
        found.append(_warn("TAMPER-VALIDATION",
                           f"工作表“{sheet.name}”的数据有效性（输入限制）已被删除，填写的内容未经输入检查", sheet.name))
    return found


def structure_guard(locked: bool) -> list[Problem]:
    if locked:
        return []
    return [_warn("TAMPER-STRUCTURE", "工作簿结构锁定已被取消（可能有人增删、改名或移动过工作表）", "")]


def _warn(code: str, message: str, sheet: str) -> Problem:
    return Problem(code, Severity.WARNING, message, group=GROUP, sheet=sheet, rule=code)
