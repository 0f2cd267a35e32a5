"""Excel formulas rendered from the schema: computed cells, rule statuses, the overall status."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from xlsxwriter.utility import xl_rowcol_to_cell

from ..schema import SCHEMA, Instance, Severity
from ..schema.relations import Filled, Total, Valid
from ..status import BLANK, NOT_APPLICABLE, PASS
from .layout import CHECK_TOP, CHECKS, LAYOUT


def quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _a1(row: int, col: int) -> str:
    return str(xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True))


class Ref:
    """Key → cell reference, written relative to the sheet the formula lives on."""

    def __init__(self, home: str) -> None:
        self.home = home

    def _prefix(self, sheet: str) -> str:
        return "" if sheet == self.home else quote(sheet) + "!"

    def cell(self, key: str) -> str:
        sheet, row, col = LAYOUT.where[key]
        return self._prefix(sheet) + _a1(row, col)

    def rects(self, keys: Sequence[str]) -> list[str]:
        """The smallest obvious set of rectangles covering these cells (column runs, merged)."""
        by_sheet: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for k in keys:
            sheet, row, col = LAYOUT.where[k]
            by_sheet[sheet][col].append(row)
        out: list[str] = []
        for sheet, cols in by_sheet.items():
            segs: list[tuple[int, int, int, int]] = []  # r0, r1, c0, c1
            for col in sorted(cols):
                for r0, r1 in _runs(sorted(cols[col])):
                    prev = next((s for s in segs if s[:2] == (r0, r1) and s[3] == col - 1), None)
                    if prev:
                        segs[segs.index(prev)] = (r0, r1, prev[2], col)
                    else:
                        segs.append((r0, r1, col, col))
            for r0, r1, c0, c1 in segs:
                ref = _a1(r0, c0) if (r0, c0) == (r1, c1) else f"{_a1(r0, c0)}:{_a1(r1, c1)}"
                out.append(self._prefix(sheet) + ref)
        return out

    def args(self, keys: Sequence[str]) -> str:
        return ",".join(self.rects(keys))

    def count(self, keys: Sequence[str]) -> str:
        """How many of these inputs hold a typed number: text is not one, nor a formula's result."""
        return f"COUNT({self.args(keys)})-{_formulas(self.rects(keys))}"

    def sum(self, keys: Sequence[str]) -> str:
        """Σ of the numbers typed in these inputs (blanks, text and formulas count as 0)."""
        return f"SUM({self.args(keys)})-{_formulas(self.rects(keys), weigh=True)}"


ISFORMULA = "_xlfn.ISFORMULA"  # Excel 2013+, WPS, LibreOffice


def _formulas(rects: Sequence[str], weigh: bool = False) -> str:
    """The formulas with a number result among rects: their count, or their sum if weigh.

    An Excel older than 2013 has no ISFORMULA: IFERROR makes it 0 there, so formulas count.
    """
    terms = "+".join(f"SUMPRODUCT({ISFORMULA}({r})*ISNUMBER({r}){',' + r if weigh else ''})" for r in rects)
    return f"IFERROR({terms},0)"


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for r in rows:
        if runs and runs[-1][1] == r - 1:
            runs[-1] = (runs[-1][0], r)
        else:
            runs.append((r, r))
    return runs


def computed(key: str) -> str:
    """The formula of a computed cell: its sum, or 未填 while any of its inputs is blank."""
    rel = SCHEMA.definitions[key]
    ref = Ref(LAYOUT.where[key][0])
    leaves = SCHEMA.leaves(key)
    if rel.blank_as_zero:
        return "=" + ref.sum(leaves)
    return f'=IF({ref.count(leaves)}<{len(leaves)},"{BLANK}",SUM({ref.args(leaves)}))'


def status(inst: Instance) -> str:
    """The formula of a rule instance's status cell on the 校验 sheet."""
    rel = inst.relation
    ref = Ref(CHECKS)
    fail = SCHEMA.rule_of[inst.id].severity.zh
    if isinstance(rel, (Filled, Valid)):
        inputs = [k for k in rel.keys if SCHEMA.is_input(k)]
        count = rel.excel_count(ref, ref.rects(inputs))
        # A cell not yet filled is unfinished, not wrong: the form stays calm until submitted.
        return f'=IF({count}=0,"{PASS}","{BLANK if isinstance(rel, Filled) else fail}")'
    judged = f'IF({rel.excel(ref)},"{PASS}","{fail}")'
    needed = SCHEMA.needs(rel)
    if not needed:
        return "=" + judged
    judged = f'IF({ref.count(needed)}<{len(needed)},"{BLANK}",{judged})'
    previous = SCHEMA.previous(rel)
    if previous:
        judged = f'IF({ref.count(previous)}<{len(previous)},"{NOT_APPLICABLE}",{judged})'
    return "=" + judged


def overall(first: int, last: int) -> str:
    col = f"{_a1(first, 5)}:{_a1(last, 5)}"
    err, warn = Severity.ERROR.zh, Severity.WARNING.zh
    e, w, b = (f'COUNTIF({col},"{x}")' for x in (err, warn, BLANK))
    return (f'=IF({e}>0,"有"&{e}&"处{err}",IF({b}>0,"尚未填完，"&{b}&"项待判断",'
            f'IF({w}>0,"全部通过（有"&{w}&"处{warn}）","全部通过")))')


def status_range() -> tuple[int, int]:
    return CHECK_TOP, CHECK_TOP + len(SCHEMA.instances) - 1


def check_cell(inst: Instance) -> str:
    """Reference from a table sheet to the instance's status on the 校验 sheet."""
    return "=" + quote(CHECKS) + "!" + _a1(LAYOUT.check_rows[inst.id], 5)


__all__ = ["Ref", "computed", "status", "overall", "check_cell", "status_range", "Total"]
