"""Defined names of the workbook: every keyed cell is reachable by its stable key.

A key such as `t3.partial.commercial` becomes `gx_t3_partial_commercial`: dots (and anything
else Excel does not allow in a name) become underscores, and the `gx_` prefix keeps every
name clear of what Excel and LibreOffice read as a cell reference (`T3`, `R1C1`, `AB12_x`).
"""

from __future__ import annotations

import re

from xlsxwriter.utility import xl_rowcol_to_cell

from .layout import LAYOUT

PREFIX = "gx_"


def defined_name(key: str) -> str:
    """The Excel name of a key's cell: gx_ and the key with dots as underscores."""
    return PREFIX + re.sub(r"[^A-Za-z0-9_]", "_", key)


def defined_names() -> dict[str, str]:
    """Name → absolute reference (`'三、依申请公开'!$E$12`) of every keyed cell, inputs and totals."""
    out: dict[str, str] = {}
    for key, (sheet, row, col) in LAYOUT.where.items():
        name = defined_name(key)
        if name in out:
            raise ValueError(f"two keys give the defined name {name}")
        quoted = "'" + sheet.replace("'", "''") + "'"
        out[name] = f"{quoted}!{xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)}"
    return out
