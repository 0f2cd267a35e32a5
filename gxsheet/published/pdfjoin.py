"""A table cut by page breaks made one again: its columns unified, cut cells made whole.

A table that ends one page and one that starts the next go on together when their outer edges
lie on each other's column rules. The header the next page repeats is dropped; a row the break
cut in two is joined; a merged label cell cut by the break gets its text in the slots below it.
"""

from __future__ import annotations

from .pdfgrid import SNAP, Grid, join, lines_at, slot


def _on(x: float, xs: list[float]) -> bool:
    return any(abs(x - v) <= 2 * SNAP for v in xs)


def continues(a: Grid, b: Grid) -> bool:
    """Whether b (first on its page) goes on with a (last on the page before): the outer edges of one
    lie on column rules of the other (a column whose rules left no crossing on the next page is missing),
    and most column rules of the one with fewer lie on the other's (表四 after 表三 is another table)."""
    if not ((_on(b.x0, a.xs) and _on(b.x1, a.xs)) or (_on(a.x0, b.xs) and _on(a.x1, b.xs))):
        return False
    fewer, more = sorted((a.xs, b.xs), key=len)
    return sum(_on(x, more) for x in fewer) >= 0.7 * len(fewer)


def _regrid(g: Grid, xs: list[float]) -> None:
    """Re-slot a table onto finer columns: each new column takes the text of the old one it lies in;
    a column outside the table is an empty cell open at both ends (a rowspan the page cut)."""
    cols: list[int | None] = []
    for k in range(len(xs) - 1):
        mid = (xs[k] + xs[k + 1]) / 2
        cols.append(slot(g.xs, mid) if g.x0 - SNAP <= mid <= g.x1 + SNAP else None)
    g.rows = [[row[c] if c is not None else "" for c in cols] for row in g.rows]
    g.ids = [[row[c] if c is not None else -1 - k for k, c in enumerate(cols)] for row in g.ids]
    g.open_top = [g.open_top[c] if c is not None else True for c in cols]
    g.open_bottom = [g.open_bottom[c] if c is not None else True for c in cols]
    g.xs, g.x0, g.x1 = xs, xs[0], xs[-1]


def joined(a: Grid, b: Grid) -> Grid:
    """a with b's rows below it: columns unified, a repeated header dropped, a row the page cut in two
    made one, and a merged label cell the page cut (empty below the break) given its text again."""
    xs = lines_at([*a.xs[1:-1], *b.xs[1:-1]], min(a.x0, b.x0), max(a.x1, b.x1))
    _regrid(a, xs)
    _regrid(b, xs)
    skip = 0
    while skip < len(b.rows) - 1 and skip < len(a.rows) and b.rows[skip] == a.rows[skip]:
        skip += 1
    if skip == 0 and all(a.open_bottom) and all(b.open_top):  # one row cut by the page: no rule at all
        a.rows[-1] = [x if y in ("", x) else join(x, y) for x, y in zip(a.rows[-1], b.rows[0], strict=True)]
        skip = 1
    if skip < len(b.rows):
        _refill(a, b, skip)
    offset = max((i for row in a.ids for i in row), default=-1) + len(xs) + 1
    a.rows += b.rows[skip:]
    a.ids += [[i + offset for i in row] for row in b.ids[skip:]]
    a.bottom, a.open_bottom = b.bottom, b.open_bottom
    return a


def _refill(a: Grid, b: Grid, first: int) -> None:
    """Cells of b's first body row left empty under a cell of a that spans rows (or alone has no rule
    at the break): the merged cell goes on, its text repeated in the slots it covers on the new page."""
    for c, text in enumerate(a.rows[-1]):
        if b.rows[first][c] or not text:
            continue
        merged = len(a.ids) > 1 and a.ids[-1][c] == a.ids[-2][c]
        if not merged and not (a.open_bottom[c] and not all(a.open_bottom)):  # no rule anywhere says nothing
            continue
        cut = b.ids[first][c]
        for r in range(first, len(b.rows)):
            for k, cell in enumerate(b.ids[r]):
                if cell == cut and not b.rows[r][k]:
                    b.rows[r][k] = a.rows[-1][k]
