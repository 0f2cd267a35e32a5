"""Tables of a PDF page rebuilt from its ruling lines and the positions of its characters.

Borders arrive as thin filled rectangles (browsers), stroked lines (LibreOffice, Word) or paths.
Each becomes a horizontal or vertical segment; segments are snapped to common coordinates and
joined where they touch. Segments that cross one another form a table; its grid is every
distinct x of its vertical segments and y of its horizontal ones, closed by the table's outer
box (a table cut by a page break has no bottom rule). Grid slots with no rule between them are
one cell, so a merged cell's text repeats in every slot it covers, as the model wants.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

SNAP = 2.0  # points: rules closer than this are the same rule (double borders, rectangle pairs)
GAP = 5.0  # points: cells boxed apart by spacing this narrow are one table, their facing borders one line
THIN = 3.0  # a filled rectangle thinner than this is a rule
MIN_RULE = 4.0  # shorter segments are ticks or dots, not rules
MAX_SEGMENTS = 3000  # per page; more is a drawing, not a table
MAX_SLOTS = 20_000  # grid slots of one table (表四 has 15 × 4)


@dataclass(frozen=True)
class Char:
    """One character as placed on the page (points, y growing downwards)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Seg:
    """A rule: at `at` (y for horizontal, x for vertical) from `lo` to `hi` along the other axis."""

    at: float
    lo: float
    hi: float


@dataclass
class Grid:
    """A table found on a page: its box, grid lines, the cells' slots and texts."""

    x0: float
    top: float
    x1: float
    bottom: float
    xs: list[float]
    ys: list[float]
    rows: list[list[str]] = field(default_factory=list)
    open_top: list[bool] = field(default_factory=list)  # per column: no rule above the first row
    open_bottom: list[bool] = field(default_factory=list)  # per column: no rule below the last row
    ids: list[list[int]] = field(default_factory=list)  # the cell each slot belongs to

    def holds(self, c: Char) -> bool:
        return self.x0 - 1 <= c.cx <= self.x1 + 1 and self.top - 1 <= c.cy <= self.bottom + 1


def segments(objects: Iterable[dict[str, object]]) -> tuple[list[Seg], list[Seg]]:
    """Horizontal and vertical segments of pdfplumber's line, rect and curve objects."""
    hs: list[Seg] = []
    vs: list[Seg] = []
    ticks: tuple[list[Seg], list[Seg]] = ([], [])  # dots and dashes of dotted and dashed rules
    for obj in objects:
        kind = obj.get("object_type")
        if kind == "rect" or (kind == "curve" and obj.get("fill") and _thin(obj)):  # a dash drawn as a shape
            _rect(obj, hs, vs, ticks)
        elif kind in ("line", "curve"):
            pts = obj.get("pts")
            if isinstance(pts, list):
                for a, b in zip(pts, pts[1:], strict=False):
                    _pair((float(a[0]), float(a[1])), (float(b[0]), float(b[1])), hs, vs)
        if len(hs) + len(vs) > MAX_SEGMENTS or len(ticks[0]) + len(ticks[1]) > 10 * MAX_SEGMENTS:
            break
    return _merge(hs + _runs(ticks[0])), _merge(vs + _runs(ticks[1]))


def _thin(obj: dict[str, object]) -> bool:
    return min(_num(obj, "x1") - _num(obj, "x0"), _num(obj, "bottom") - _num(obj, "top")) <= THIN


def _runs(ticks: list[Seg]) -> list[Seg]:
    """Dots and dashes on one line (within half a point) a little apart, joined: the rules they draw."""
    out: list[Seg] = []
    ticks = sorted(ticks, key=lambda t: t.at)
    start = 0
    for end in range(1, len(ticks) + 1):
        if end < len(ticks) and ticks[end].at - ticks[start].at <= 0.5:
            continue
        run: Seg | None = None
        for t in sorted(ticks[start:end], key=lambda t: t.lo):
            if run and t.lo - run.hi <= SNAP + 0.5:
                run = Seg(run.at, run.lo, max(run.hi, t.hi))
                continue
            if run and run.hi - run.lo >= 3 * MIN_RULE:
                out.append(run)
            run = t
        if run and run.hi - run.lo >= 3 * MIN_RULE:
            out.append(run)
        start = end
    return out


def _num(obj: dict[str, object], key: str) -> float:
    value = obj.get(key)
    return float(value) if isinstance(value, (int, float)) else 0.0


def _rect(obj: dict[str, object], hs: list[Seg], vs: list[Seg], ticks: tuple[list[Seg], list[Seg]]) -> None:
    x0, x1, top, bottom = _num(obj, "x0"), _num(obj, "x1"), _num(obj, "top"), _num(obj, "bottom")
    w, h = x1 - x0, bottom - top
    if h <= THIN:
        (hs if w >= MIN_RULE else ticks[0]).append(Seg((top + bottom) / 2, x0, x1))
    if w <= THIN:
        (vs if h >= MIN_RULE else ticks[1]).append(Seg((x0 + x1) / 2, top, bottom))
    if obj.get("stroke") and w >= MIN_RULE and h >= MIN_RULE:  # a stroked box: four rules
        hs.extend((Seg(top, x0, x1), Seg(bottom, x0, x1)))
        vs.extend((Seg(x0, top, bottom), Seg(x1, top, bottom)))
    # a filled box is a background: web pages fill every block, so its edges would frame the whole page


def _pair(a: tuple[float, float], b: tuple[float, float], hs: list[Seg], vs: list[Seg]) -> None:
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) <= 0.5 and abs(ax - bx) >= MIN_RULE:
        hs.append(Seg((ay + by) / 2, min(ax, bx), max(ax, bx)))
    elif abs(ax - bx) <= 0.5 and abs(ay - by) >= MIN_RULE:
        vs.append(Seg((ax + bx) / 2, min(ay, by), max(ay, by)))


def _merge(segs: list[Seg]) -> list[Seg]:
    """Snap rules to shared coordinates (within SNAP) and join the pieces of one rule."""
    out: list[Seg] = []
    ordered = sorted(segs, key=lambda s: s.at)
    start = 0
    for end in range(1, len(ordered) + 1):
        if end < len(ordered) and ordered[end].at - ordered[end - 1].at <= SNAP:
            continue
        cluster = ordered[start:end]
        at = sum(s.at for s in cluster) / len(cluster)
        cur: Seg | None = None
        for s in sorted(cluster, key=lambda s: s.lo):
            if cur and s.lo <= cur.hi + SNAP:
                cur = Seg(at, cur.lo, max(cur.hi, s.hi))
            else:
                if cur:
                    out.append(cur)
                cur = Seg(at, s.lo, s.hi)
        if cur:
            out.append(cur)
        start = end
    return out


def _crosses(h: Seg, v: Seg) -> bool:
    return h.lo - GAP <= v.at <= h.hi + GAP and v.lo - GAP <= h.at <= v.hi + GAP


def boxes(hs: list[Seg], vs: list[Seg]) -> list[tuple[list[Seg], list[Seg]]]:
    """Groups of rules that cross one another: each group with two rules each way is a table."""
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if _crosses(h, v):
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[Seg], list[Seg]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def lines_at(values: Iterable[float], lo: float, hi: float) -> list[float]:
    out = [lo]
    for v in sorted(values):
        if v - out[-1] > GAP and hi - v > GAP:
            out.append(v)
    out.append(hi)
    return out


class _Rules:
    """Rules of one direction sorted by position, to ask whether a rule at `at` covers `mid`."""

    def __init__(self, segs: list[Seg]) -> None:
        self.segs = sorted(segs, key=lambda s: s.at)
        self.ats = [s.at for s in self.segs]

    def covers(self, at: float, mid: float) -> bool:
        i = bisect_left(self.ats, at - GAP)
        while i < len(self.segs) and self.segs[i].at <= at + GAP:
            if self.segs[i].lo - SNAP <= mid <= self.segs[i].hi + SNAP:
                return True
            i += 1
        return False


def build(hs: list[Seg], vs: list[Seg], chars: Sequence[Char]) -> Grid:
    """The table of one group of rules: slots joined where no rule divides them, texts placed."""
    x0, x1 = min(min(s.lo for s in hs), min(s.at for s in vs)), max(max(s.hi for s in hs), max(s.at for s in vs))
    top, bottom = min(min(s.at for s in hs), min(s.lo for s in vs)), max(max(s.at for s in hs), max(s.hi for s in vs))
    xs, ys = lines_at((s.at for s in vs), x0, x1), lines_at((s.at for s in hs), top, bottom)
    nr, nc = len(ys) - 1, len(xs) - 1
    if nr * nc > MAX_SLOTS:
        return Grid(x0, top, x1, bottom, xs[:2], ys[:2])  # a drawing, not a table: read as no table
    hr, vr = _Rules(hs), _Rules(vs)
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(nr):
        ym = (ys[r] + ys[r + 1]) / 2
        for c in range(nc):
            xm = (xs[c] + xs[c + 1]) / 2
            if c + 1 < nc and not vr.covers(xs[c + 1], ym):
                parent[find(r * nc + c)] = find(r * nc + c + 1)
            if r + 1 < nr and not hr.covers(ys[r + 1], xm):
                parent[find(r * nc + c)] = find((r + 1) * nc + c)
    grid = Grid(x0, top, x1, bottom, xs, ys)
    texts = _place(grid, chars, find)
    grid.ids = [[find(r * nc + c) for c in range(nc)] for r in range(nr)]
    grid.rows = [[texts.get(i, "") for i in row] for row in grid.ids]
    grid.open_top = [not hr.covers(ys[0], (xs[c] + xs[c + 1]) / 2) for c in range(nc)]
    grid.open_bottom = [not hr.covers(ys[-1], (xs[c] + xs[c + 1]) / 2) for c in range(nc)]
    return grid


def slot(edges: list[float], v: float) -> int:
    return min(max(bisect_right(edges, v) - 1, 0), len(edges) - 2)


def _place(grid: Grid, chars: Sequence[Char], find: Callable[[int], int]) -> dict[int, str]:
    """Each cell's text: the characters whose centres fall in its slots, read line by line."""
    nc = len(grid.xs) - 1
    by_cell: dict[int, list[Char]] = {}
    for ch in chars:
        if grid.holds(ch):
            cell = find(slot(grid.ys, ch.cy) * nc + slot(grid.xs, ch.cx))
            by_cell.setdefault(cell, []).append(ch)
    return {cell: block_text(cs) for cell, cs in by_cell.items()}


def lines_of(chars: Sequence[Char]) -> list[list[Char]]:
    """Characters grouped into lines (vertical centres close together), each left to right."""
    lines: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if lines and abs(ch.cy - _cy(lines[-1])) <= max(ch.size, 1.0) * 0.45:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    return [sorted(line, key=lambda c: c.x0) for line in lines]


def _cy(line: list[Char]) -> float:
    return sum(c.cy for c in line) / len(line)


def is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"


def line_text(line: Sequence[Char]) -> str:
    """A line's text: a space where a gap between two non-CJK characters is a word gap."""
    out: list[str] = []
    prev: Char | None = None
    for ch in line:
        if prev is not None and ch.text.strip() and out and out[-1] != " ":
            gap = ch.x0 - prev.x1
            if gap > 0.25 * max(ch.size, 1.0) and not (is_cjk(prev.text[-1:]) or is_cjk(ch.text[:1])):
                out.append(" ")
        out.append(" " if not ch.text.strip() else ch.text)
        prev = ch
    return "".join(out).strip().replace("  ", " ")


def join(a: str, b: str) -> str:
    """Two pieces of wrapped text: CJK and numbers (a narrow cell wraps "1345" as "134" / "5") wrap
    without a space, words with one."""
    if not a or not b:
        return a or b
    glued = is_cjk(a[-1]) or is_cjk(b[0]) or a.endswith("-") or (a[-1] in "0123456789.," and b[0].isdigit())
    return a + b if glued else a + " " + b


def block_text(chars: Sequence[Char]) -> str:
    """A cell's text: its lines joined as wrapped text."""
    text = ""
    for line in lines_of(chars):
        text = join(text, line_text(line))
    return text
