"""Problems are data: what rule, how bad, where (table, row, column, sheet, cell) and why."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TypedDict

from .schema import SCHEMA, Severity


@dataclass(frozen=True)
class Problem:
    """One finding. `message` is a complete Chinese sentence naming the place."""

    code: str  # rule instance id (T3-BALANCE-02), or VALUE, BLANK, TAMPER-LABEL, TAMPER-FORMULA ...
    severity: Severity
    message: str
    group: str = ""  # 表三, 基本信息, 文件 — how problems are grouped for people
    key: str = ""  # the stable cell key, when the problem is about one cell
    row: str = ""
    column: str = ""
    sheet: str = ""
    cell: str = ""  # A1 address on that sheet
    rule: str = ""  # the rule code without the instance number (T3-BALANCE)
    keys: tuple[str, ...] = ()  # every cell a failed relation involves (both sums), when about several

    def as_dict(self) -> dict[str, str]:
        # Flat fields only: dataclasses.asdict's recursive deep copy was most of a large round's --json time.
        d = {f.name: getattr(self, f.name) for f in _FIELDS}
        d["severity"] = self.severity.value
        d["keys"] = list(self.keys)
        return d


class Naming(TypedDict, total=False):
    """The naming fields of a problem, as keyword arguments of Problem."""

    group: str
    key: str
    row: str
    column: str


def about(key: str) -> Naming:
    """The naming fields of a problem about one schema cell or field."""
    if key in SCHEMA.cells:
        c = SCHEMA.cells[key]
        return {"group": c.table.name, "key": key, "row": c.row_name, "column": c.column_name}
    f = SCHEMA.field_map[key]
    return {"group": f.sheet, "key": key, "row": f.label, "column": ""}


_FIELDS = fields(Problem)
