"""The printed layout of a table as a grid of merged cells, derived from its blocks.

Row labels nest to the left (a group label spans the rows of its items), column headers
nest on top (a group header spans its columns, a short path spans down). The workbook,
the Word writer, the HTML writer and the importers all use this one grid.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Block, Table, cell_key


@dataclass(frozen=True)
class GridCell:
    """A cell of the printed table: a label (text) or a value (key), with its merge."""

    row: int
    col: int
    text: str = ""
    key: str = ""
    rowspan: int = 1
    colspan: int = 1
    header: bool = False  # a column header or title, printed bold


@dataclass(frozen=True)
class Grid:
    cells: tuple[GridCell, ...]
    rows: int
    cols: int
    header_rows: tuple[int, ...]  # rows printed as headers (repeated on each page)


def _width(table: Table) -> int:
    return max(b.label_width + len(b.columns) for b in table.blocks)


def _runs(items: list[tuple[str, ...]], depth: int) -> list[tuple[int, int]]:
    """Start and length of runs of consecutive items sharing the prefix up to depth."""
    runs: list[tuple[int, int]] = []
    for i, path in enumerate(items):
        if runs and len(path) > depth and items[runs[-1][0]][: depth + 1] == path[: depth + 1]:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((i, 1))
    return runs


def _header(block: Block, top: int, width: int) -> list[GridCell]:
    paths = [c.path for c in block.columns]
    depth = max(len(p) for p in paths)
    left, stretch = block.label_width, width - block.label_width - len(block.columns)
    out: list[GridCell] = []
    if left:
        out.append(GridCell(top, 0, block.corner, rowspan=depth, colspan=left, header=True))
    for d in range(depth):
        for start, n in _runs(paths, d):
            path = paths[start]
            if len(path) <= d:
                continue
            last = start + n == len(paths)
            out.append(GridCell(
                top + d, left + start, path[d],
                rowspan=depth - d if len(path) == d + 1 else 1,
                colspan=n + (stretch if last else 0),
                header=True,
            ))
    return out


def _body(table: Table, block: Block, top: int, width: int) -> list[GridCell]:
    left, stretch = block.label_width, width - block.label_width - len(block.columns)
    paths = [r.path for r in block.rows]
    out: list[GridCell] = []
    for d in range(left):
        for start, n in _runs(paths, d):
            path = paths[start]
            if len(path) <= d:
                continue
            leaf = len(path) == d + 1
            out.append(GridCell(top + start, d, path[d], rowspan=1 if leaf else n,
                                colspan=left - d if leaf else 1))
    for i, row in enumerate(block.rows):
        for j, col in enumerate(block.columns):
            last = j == len(block.columns) - 1
            out.append(GridCell(top + i, left + j, key=cell_key(table.key, row.key, col.key),
                                colspan=1 + (stretch if last else 0)))
    return out


def grid(table: Table) -> Grid:
    """Lay the table out as the printed form does."""
    width = _width(table)
    cells: list[GridCell] = []
    header_rows: list[int] = []
    top = 0
    for block in table.blocks:
        if block.title:
            cells.append(GridCell(top, 0, block.title, colspan=width, header=True))
            header_rows.append(top)
            top += 1
        head = _header(block, top, width)
        cells += head
        depth = max(len(c.path) for c in block.columns)
        header_rows += range(top, top + depth)
        top += depth
        cells += _body(table, block, top, width)
        top += len(block.rows)
    return Grid(tuple(cells), top, width, tuple(header_rows))


def positions(g: Grid) -> dict[str, tuple[int, int]]:
    """Where each value key sits in the grid."""
    return {c.key: (c.row, c.col) for c in g.cells if c.key}
