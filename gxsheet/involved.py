"""The cells a failed relation involves, named for people: labels, and addresses where the report has them.

A balance that fails (一＋二 ≠ （七）＋四) is not about the 新收 cell more than any other: the
message names both sums and every cell in them, and the problem carries all their keys.
"""

from __future__ import annotations

import re

from .problems import Naming
from .report import Report
from .schema import SCHEMA
from .schema.relations import Relation, Total

_A1 = re.compile(r"^(?P<col>[A-Z]{1,3})(?P<row>\d+)$")
NAMED = 4  # a side with more cells than this is shown as address ranges


def sides(rel: Relation) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The keys of a relation's two sides (a total: the total, then its parts)."""
    if isinstance(rel, Total):
        return (rel.target,), rel.parts
    left, right = getattr(rel, "left", rel.keys), getattr(rel, "right", ())
    return tuple(left), tuple(right)


def _common(keys: tuple[str, ...], what: str) -> str:
    """The row or column name every table cell among keys shares ("" if none)."""
    names = {str(getattr(SCHEMA.cells[k], what)) for k in keys if k in SCHEMA.cells}
    return names.pop() if len(names) == 1 else ""


def _name(key: str, row: str, column: str, prefix: str) -> str:
    """A cell's label, without the row, column or label prefix every cell of the relation shares."""
    c = SCHEMA.cells.get(key)
    if c is None:
        return SCHEMA.label(key)
    if column and c.column_name == column:
        return c.row_name
    if row and c.row_name == row:
        return c.column_name
    return c.label[len(prefix):] if prefix and c.label.startswith(prefix) else c.label


def _prefix(keys: tuple[str, ...]) -> str:
    """The leading "表四·行政复议·" all table cells' labels share."""
    labels = [SCHEMA.cells[k].label.split("·") for k in keys if k in SCHEMA.cells]
    shared: list[str] = []
    for parts in zip(*labels, strict=False):
        if len(set(parts)) != 1:
            break
        shared.append(parts[0])
    shortest = min((len(x) for x in labels), default=0)
    return "·".join(shared[:shortest - 1]) + "·" if shared and shortest > 1 else ""


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _runs(cells: list[tuple[str, int]], step: tuple[int, int]) -> list[list[tuple[str, int]]]:
    runs: list[list[tuple[str, int]]] = []
    for col, row in cells:
        last = runs[-1][-1] if runs else None
        if last is not None and (_col(col) - _col(last[0]), row - last[1]) == step:
            runs[-1].append((col, row))
        else:
            runs.append([(col, row)])
    return runs


def _ranges(cells: list[str]) -> str:
    """A1 addresses joined, runs down a column or along a row compressed ("D8:D29", "D6:I6")."""
    parsed = [(m["col"], int(m["row"])) for c in cells if (m := _A1.match(c))]
    if len(parsed) != len(cells):
        return "、".join(cells)
    runs = min((_runs(parsed, (0, 1)), _runs(parsed, (1, 0))), key=len)
    return "、".join(f"{r[0][0]}{r[0][1]}" + (f":{r[-1][0]}{r[-1][1]}" if len(r) > 1 else "") for r in runs)


def _side(report: Report, keys: tuple[str, ...], shared: tuple[str, str, str]) -> str:
    places = [report.place(k)[1] for k in keys]
    if len(keys) > NAMED:
        return _ranges(places) if all(places) else f"{_name(keys[0], *shared)}等{len(keys)}格"
    return "＋".join(_name(k, *shared) + (f"（{p}）" if p else "") for k, p in zip(keys, places, strict=True))


def describe(report: Report, rel: Relation) -> str:
    """"涉及…（D6）＋…（D7）与…（D30）＋…（D31）" — every cell of both sides, and the sheet."""
    left, right = sides(rel)
    keys = (*left, *right)
    shared = (_common(keys, "row_name"), _common(keys, "column_name"), _prefix(keys))
    text = _side(report, left, shared) + (f"与{_side(report, right, shared)}" if right else "")
    sheets = {report.place(k)[0] for k in keys} - {""}
    where = f"（工作表“{sheets.pop()}”）" if len(sheets) == 1 else ""
    return f"涉及{text}{where}"


def common_naming(rel: Relation) -> Naming:
    """The problem's naming fields: its table, and the row or column all its cells share."""
    keys = rel.keys
    tables = {SCHEMA.cells[k].table.name for k in keys if k in SCHEMA.cells}
    return {"group": tables.pop() if len(tables) == 1 else "", "key": "",
            "row": _common(keys, "row_name"), "column": _common(keys, "column_name")}
