"""Rows of extracted-text tables that lost cells: put their numbers back under the right columns, or not at all.

Text copied out of a report loses empty cells and glues a label to its number ("行政许可 97").
Glued cells are split. A row with fewer numbers than its table's rows have is aligned only by
what the row must satisfy: the numbers keep the format's column order, and every total of the
row (the schema's Total relations: 总计 = Σ its parts) must hold, a missing cell counting 0. When
exactly one alignment does, it is used and a note says which columns were empty; otherwise the
row's numbers are left out and a note says so — a row is never shifted.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import combinations

from ..schema import SCHEMA
from ..schema.model import cell_key
from .model import Row, Table

_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")
_CJK = re.compile("[\u4e00-\u9fff]")
_BLANKS = frozenset({"-", "—", "——", "－", "/", "／", "无"})  # what a report prints for an empty cell
MAX_TRIES = 20_000  # alignments tried for one row (15 columns, 7 numbers: 6435)


@dataclass(frozen=True)
class Shape:
    """The value columns of one kind of row: their names and the totals among them (by position)."""

    names: tuple[str, ...]
    totals: tuple[tuple[int, tuple[int, ...]], ...]


@cache
def shapes() -> dict[int, Shape]:
    """Row shapes with at least one total, by number of value columns (表三: 7, 表四: 15)."""
    out: dict[int, Shape] = {}
    for table in SCHEMA.tables:
        for block in table.blocks:
            keys = [cell_key(table.key, block.rows[0].key, c.key) for c in block.columns]
            index = {k: i for i, k in enumerate(keys)}
            totals = []
            for i, key in enumerate(keys):
                rel = SCHEMA.definitions.get(key)
                if rel is not None and all(p in index for p in rel.parts):
                    totals.append((i, tuple(index[p] for p in rel.parts)))
            if totals:
                out[len(keys)] = Shape(tuple(c.short or c.label for c in block.columns), tuple(totals))
    return out


def split_glued(row: Row) -> Row:
    """A label with its numbers in one cell ("行政许可 97") becomes the label and the numbers."""
    out: Row = []
    for cell in row:
        words = cell.split()
        nums = 0
        while nums < len(words) - 1 and _NUMBER.fullmatch(words[len(words) - 1 - nums]):
            nums += 1
        head = " ".join(words[:len(words) - nums])
        if nums and _CJK.search(head):
            out += [head, *words[len(words) - nums:]]
        else:
            out.append(cell)
    return out


def _values(row: Row) -> int:
    """How many cells at the row's end are numbers or empty (after its last label)."""
    n = 0
    for cell in reversed(row):
        text = cell.strip().replace(" ", "")
        if text and text not in _BLANKS and not _NUMBER.fullmatch(text):
            break
        n += 1
    return n


def _fits(shape: Shape, slots: list[Decimal | None]) -> bool:
    for target, parts in shape.totals:
        total = slots[target]
        if total is None or total != sum((slots[p] or Decimal(0) for p in parts), Decimal(0)):
            return False
    return True


def _align(shape: Shape, numbers: list[str]) -> list[tuple[int, ...]]:
    """Every order-keeping placement of the numbers on the shape's columns that satisfies its totals."""
    width = len(shape.names)
    found: list[tuple[int, ...]] = []
    values = [Decimal(n.strip().replace(",", "")) for n in numbers]
    for tries, places in enumerate(combinations(range(width), len(numbers))):
        if tries > MAX_TRIES or len(found) > 1:
            break
        slots: list[Decimal | None] = [None] * width
        for p, v in zip(places, values, strict=True):
            slots[p] = v
        if _fits(shape, slots):
            found.append(places)
    return found


def fit(table: Table, where: str) -> tuple[Table, list[str]]:
    """The table with glued cells split and short rows aligned (or emptied of numbers), and notes."""
    rows = [split_glued(r) for r in table]
    counts = Counter(_values(r) for r in rows)
    known = [w for w in counts if w in shapes()]  # the widest row kind the format has
    notes: list[str] = []
    if not known:
        return rows, notes
    width = max(known, key=lambda w: (counts[w], w))
    shape = shapes()[width]
    for i, row in enumerate(rows):
        k = _values(row)
        numbers = row[len(row) - k:]
        if not 0 < k < width or not all(_NUMBER.fullmatch(n.strip()) for n in numbers):
            continue
        labels = row[:len(row) - k]
        found = _align(shape, numbers)
        if len(found) == 1:
            slots = dict(zip(found[0], numbers, strict=True))
            rows[i] = labels + [slots.get(c, "") for c in range(width)]
            empty = "、".join(f"“{shape.names[c]}”" for c in range(width) if c not in slots)
            notes.append(f"{where}第{i + 1}行只有{k}个数（应为{width}个），按“总计等于各项之和”只有一种对齐方式，"
                         f"已按此读入，{empty}为空白")
        else:
            rows[i] = labels
            why = "没有一种对齐方式能使总计等于各项之和" if not found else "有多种对齐方式都能使总计等于各项之和"
            notes.append(f"{where}第{i + 1}行只有{k}个数（应为{width}个），{why}，无法确定各数所在的列，本行未读入")
    return rows, notes
