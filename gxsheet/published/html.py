"""Read a published report from a web page, as served (site navigation, scripts and all).

Standard library only (html.parser). The page is built into a light tree of block elements
(inline tags only carry text), capped in depth and in tags so that hostile pages finish fast.
The article is the element that holds the most paragraph text that is not links (the way
readability tools find it), widened to take in the tables that carry the official labels.
Inside it: paragraphs (one per block or <br> line), and tables with rowspan/colspan expanded
(merged text repeated in every slot). Layout tables (holding other tables, or one column) are
read as text; other tables without numbers or official labels are skipped, and `notes` says so.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from .common import MARKERS, decode, guarded, is_title, load, looks_like_data, split_title, tidy, title_from
from .model import Published, Table, table_notes
from .tags import feed

MAX_DEPTH = 100  # open block elements; deeper start tags only add their text to the deepest one
MAX_EVENTS = 100_000  # tags and text pieces; a 300 KB report page has about 5000 (400,000 took 10 s)
MAX_SCAN = 32  # an end tag closes an element at most this far up the stack, as real pages need
MAX_COLSPAN = 100
MAX_ROWSPAN = 1000
MAX_SLOTS = 50_000  # cells of one expanded table; 表三 has about 300
MAX_TOTAL_SLOTS = 200_000  # cells of all tables of a page
MAX_COLS = 200

BLOCK = frozenset({
    "html", "body", "div", "p", "section", "article", "main", "center", "blockquote", "h1", "h2", "h3", "h4",
    "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "pre", "address", "figure", "figcaption", "form", "fieldset",
    "legend", "details", "summary", "hgroup", "dir", "caption",
})
TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th"})
DROPPED = frozenset({
    "script", "style", "noscript", "template", "title", "nav", "aside", "header", "footer", "iframe", "frame",
    "frameset", "object", "embed", "svg", "math", "select", "button", "textarea", "canvas", "video", "audio",
    "map",
})
STRUCTURE = BLOCK | TABLE_PARTS | DROPPED
CELL = frozenset({"td", "th"})
PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "pre", "td", "th", "caption",
                        "legend", "figcaption", "summary", "address"})
SECTION = frozenset({"thead", "tbody", "tfoot"})
# class/id words of navigation, share bars and the like inside an article container
_JUNK_WORDS = frozenset({"nav", "navbar", "menu", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "sidebar", "share",
                         "toolbar", "copyright", "pagination", "pager", "footer"})
_WORD = re.compile(r"[a-z]+")


# the tags _Builder acts on (it only counts the others), and those whose attributes it reads
EVENTS = STRUCTURE | {"meta", "br", "hr", "a"}
ATTRIBUTED = STRUCTURE | {"meta"}
_KEPT = ("class", "id", "rowspan", "colspan")  # the attributes a Node keeps
# the tag sets the builder searches the stack for, made once (they are used on every tag)
_TR, _TABLE, _NONE = frozenset({"tr"}), frozenset({"table"}), frozenset[str]()
_TABLE_OR_SECTION = _TABLE | SECTION
_ROWS = frozenset({"table", "tr"}) | SECTION  # where text and blocks are stray
_LI, _LI_STOP = frozenset({"li"}), frozenset({"ul", "ol", "td", "th", "table"})
_DD, _DD_STOP = frozenset({"dt", "dd"}), frozenset({"dl", "td", "th", "table"})
_CELL_STOP = frozenset({"td", "th", "table"})
_END_IN_TABLE = CELL | SECTION | {"tr", "caption"}
_NESTED = _END_IN_TABLE | {"li", "dt", "dd"}  # start tags that first close an open one of their kind
_ONE = {tag: frozenset((tag,)) for tag in STRUCTURE}


class _Stop(Exception):
    """Raised inside the parser when the page has too many tags: what was read so far is kept."""


class Node:
    """A block element: its tag, a few attributes, its children (text pieces and blocks) in order."""

    __slots__ = ("tag", "attrs", "children", "parent", "order", "dropped", "link", "nested")

    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None, order: int) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[Node | str] = []
        self.parent = parent
        self.order = order
        self.dropped = False
        self.link = 0  # characters of link text directly in this block
        self.nested = False  # a table that holds another table


BR = Node("br", {}, None, -1)
HR = Node("hr", {}, None, -1)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None, 0)
        self.stack: list[Node] = [self.root]
        self.open: dict[str, int] = {}
        self.tables: list[Node] = []  # open tables, innermost last
        self.overflow = 0
        self.events = 0
        self.order = 0
        self.links = 0
        self.deep = False
        self.stopped = False
        self.titles: list[Node] = []  # h1-h3 and elements whose class or id says title
        self.metas: dict[str, str] = {}
        self.page_title: Node | None = None

    # ------------------------------------------------------------------ stack

    def _push(self, tag: str, attrs: dict[str, str], before: Node | None = None) -> Node:
        """Open an element under the current one, or (before=a table) just before that table."""
        parent = self.stack[-1] if before is None else before.parent or self.root
        self.order += 1
        node = Node(tag, attrs, parent, self.order)
        node.dropped = tag in DROPPED or (bool(attrs) and _junk(attrs))
        if before is None:
            parent.children.append(node)
        else:
            at = len(parent.children) - 1
            while at > 0 and parent.children[at] is not before:
                at -= 1
            parent.children.insert(at, node)
        self.stack.append(node)
        self.open[tag] = self.open.get(tag, 0) + 1
        if tag == "table":
            if self.tables:
                self.tables[-1].nested = True
            self.tables.append(node)
        return node

    def _pop_to(self, index: int) -> None:
        """Close every element above stack[index - 1]."""
        stack, open_ = self.stack, self.open
        floor = max(index, 1)
        while len(stack) > floor:
            node = stack.pop()
            open_[node.tag] -= 1
            if node.tag == "table" and self.tables and self.tables[-1] is node:
                self.tables.pop()

    def _find(self, tags: frozenset[str], stop: frozenset[str], scan: int = MAX_DEPTH) -> int:
        """Index of the innermost open element in tags, not crossing one in stop nor looking further
        than scan elements; -1 if none."""
        stack = self.stack
        for i in range(len(stack) - 1, max(0, len(stack) - 1 - scan), -1):
            tag = stack[i].tag
            if tag in tags:
                return i
            if tag in stop:
                return -1
        return -1

    def _count(self) -> None:
        """Past MAX_EVENTS (counted by the handlers): stop reading."""
        if self.events > MAX_EVENTS:
            self.stopped = True
            raise _Stop

    # ------------------------------------------------------------------ events

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events += 1  # _count(), inlined in the three handlers: they run for every tag and text
        if self.events > MAX_EVENTS:
            self._count()
        if tag in STRUCTURE:  # the most frequent first (meta, br, hr and a are not in it)
            self._start(tag, {k: v or "" for k, v in attrs if k in _KEPT} if attrs else {})
        elif tag == "meta":
            self._meta(attrs)
        elif tag == "br":
            self.stack[-1].children.append(BR)
        elif tag == "hr":
            self.stack[-1].children.append(HR)
        elif tag == "a":
            self.links += 1

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        if self.stack[-1].tag == "title" and tag != "title":
            self._pop_to(len(self.stack) - 1)  # an unclosed <title> ends where the page goes on
        if self.overflow or len(self.stack) >= MAX_DEPTH:
            self.overflow += 1
            self.deep = True
            return
        if tag in _NESTED:  # most tags (p, div) are not: spare them the tests
            tag = self._close_for(tag)
        top = self.stack[-1].tag
        if top == "p" and tag not in CELL:
            self._pop_to(len(self.stack) - 1)  # a block closes an open paragraph
        before = None
        if top in _ROWS and tag not in TABLE_PARTS and tag != "caption":
            before = self.tables[-1] if self.tables else None  # stray content between rows: shown before the table
        node = self._push(tag, attrs, before)
        if tag in ("h1", "h2", "h3") or (
                attrs and "title" in (attrs.get("class", "") + " " + attrs.get("id", "")).lower()):
            self.titles.append(node)
        if tag == "title" and self.page_title is None:
            self.page_title = node

    def _close_for(self, tag: str) -> str:
        """Close what a cell, row, section, caption or list item ends; the tag to open (a table part
        outside any table opens a div)."""
        if tag in CELL:
            row = self._find(_TR, _TABLE)
            if row < 0:
                section = self._find(_TABLE_OR_SECTION, _NONE)
                if section < 0:
                    return "div"  # a cell outside any table: read its text as a block
                else:
                    self._pop_to(section + 1)
                    self._push("tr", {})
            else:
                self._pop_to(row + 1)
        elif tag == "tr":
            section = self._find(_TABLE_OR_SECTION, _NONE)
            if section < 0:
                return "div"
            else:
                self._pop_to(section + 1)
        elif tag in SECTION or tag == "caption":
            table = self._find(_TABLE, _NONE)
            if table < 0:
                return "div"
            else:
                self._pop_to(table + 1)
        elif tag == "li":
            item = self._find(_LI, _LI_STOP)
            if item > 0:
                self._pop_to(item)
        elif tag in ("dt", "dd"):
            item = self._find(_DD, _DD_STOP)
            if item > 0:
                self._pop_to(item)
        return tag

    def handle_endtag(self, tag: str) -> None:
        self.events += 1
        if self.events > MAX_EVENTS:
            self._count()
        if tag == "a":
            self.links = max(0, self.links - 1)
            return
        if tag not in STRUCTURE:
            return
        if self.overflow:
            self.overflow -= 1
            return
        if not self.open.get(tag):
            return
        if tag in _END_IN_TABLE:
            stop = _TABLE
        elif tag == "table":
            stop = _NONE
        else:
            stop = _CELL_STOP  # an end tag does not close anything across a table cell
        index = self._find(_ONE[tag], stop, MAX_DEPTH if tag == "table" else MAX_SCAN)
        if index > 0:
            self._pop_to(index)

    def handle_data(self, data: str) -> None:
        self.events += 1
        if self.events > MAX_EVENTS:
            self._count()
        node = self.stack[-1]
        if node.tag in _ROWS:
            if not data.strip():
                return
            while node.parent is not None and node.tag in _ROWS:
                node = node.parent  # text between rows: browsers show it before the table
        node.children.append(data)
        if self.links:
            node.link += _chars(data)

    def _meta(self, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = (a.get("name") or a.get("property") or "").lower()
        if name and "content" in a:
            self.metas.setdefault(name, a["content"])


def _junk(attrs: dict[str, str]) -> bool:
    if "class" not in attrs and "id" not in attrs:
        return False
    return _junk_words(attrs.get("class", "") + " " + attrs.get("id", ""))


@lru_cache(maxsize=1024)  # a page repeats its classes on every cell and paragraph
def _junk_words(names: str) -> bool:
    return any(w in _JUNK_WORDS or w.endswith("nav") for w in _WORD.findall(names.lower()))


# ---------------------------------------------------------------------- text


def _chars(text: str) -> int:
    """Characters that are not white space."""
    return len("".join(text.split()))


def _own_chars(node: Node) -> int:
    return _chars("".join([c for c in node.children if isinstance(c, str)]))  # one count: it adds up


class _Flow:
    """Walks a subtree in reading order: paragraph texts and tables, plus notes."""

    def __init__(self, grids: _Grids) -> None:
        self.grids = grids
        self.items: list[str | Table] = []
        self.buf: list[str] = []
        self.layout = 0
        self.skipped: list[str] = []

    def flush(self) -> None:
        if self.buf:
            text = tidy("".join(self.buf))
            self.buf.clear()
            if text:
                self.items.append(text)

    def walk(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.buf.append(child)
            elif child is BR or child is HR:
                self.flush()
            elif child.dropped:
                continue
            elif child.tag == "table":
                self.flush()
                self.table(child)
            else:
                self.flush()
                self.walk(child)
                self.flush()

    def table(self, node: Node) -> None:
        if node.nested:
            self.layout += 1
            self.cells_as_text(node)
            return
        table = self.grids.expand(node)
        if not table:
            return
        if looks_like_data(table):
            self.items.append(table)
        elif max(len(r) for r in table) <= 1:
            self.layout += 1
            self.cells_as_text(node)
        else:
            first = next((c for r in table for c in r if c.strip()), "")
            self.skipped.append(first.replace("\n", " ")[:20])

    def cells_as_text(self, node: Node) -> None:
        for row in _rows(node):
            for cell in row:
                self.walk(cell)
                self.flush()


_tidy_short = lru_cache(maxsize=4096)(tidy)  # cells repeat their text ("0", "—", labels) page after page


def _tidy(text: str) -> str:
    """tidy, remembered for short texts (long ones are not kept alive past their page)."""
    return _tidy_short(text) if len(text) <= 200 else tidy(text)


def cell_text(node: Node) -> str:
    """A cell's text, its blocks and <br> as line breaks, each line cleaned."""
    one = node
    while len(one.children) == 1:  # most cells: one text, perhaps inside a block or two (<td><p>0</p></td>)
        child = one.children[0]
        if isinstance(child, str):
            return _tidy(child)
        if child is BR or child is HR or child.dropped:
            break
        one = child
    lines: list[str] = []
    buf: list[str] = []
    todo: list[Node | str | None] = [node]  # None ends a block
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            buf.append(item)
            continue
        if item is None or item is BR or item is HR:
            lines.append(_tidy("".join(buf)))
            buf.clear()
            continue
        if item.dropped and item is not node:
            continue
        todo.append(None)
        todo.extend(reversed(item.children))
    lines.append(_tidy("".join(buf)))
    return "\n".join(line for line in lines if line)


def _rows(table: Node) -> list[list[Node]]:
    rows: list[list[Node]] = []
    for child in table.children:
        if isinstance(child, str) or child.dropped:
            continue
        parts = [child] if child.tag == "tr" else [c for c in child.children
                                                   if isinstance(c, Node) and c.tag == "tr" and not c.dropped] \
            if child.tag in SECTION else []
        for tr in parts:
            rows.append([c for c in tr.children if isinstance(c, Node) and c.tag in CELL and not c.dropped])
    return rows


_DIGITS = re.compile(r"[0-9]{1,6}")  # ASCII and short: int() refuses 5,000 digits


def _span(value: str | None, default: int = 1) -> int:
    if not value:
        return default  # most cells have no span: no search
    m = _DIGITS.search(value)
    return int(m.group()) if m else default


class _Grids:
    """Expanded tables, each made once, all together within MAX_TOTAL_SLOTS."""

    def __init__(self) -> None:
        self.done: dict[int, Table] = {}
        self.slots = 0
        self.cut = 0
        self.over = 0

    def expand(self, node: Node) -> Table:
        if id(node) not in self.done:
            if self.slots >= MAX_TOTAL_SLOTS:
                self.over += 1
                self.done[id(node)] = []
            else:
                table, cut = _expand(node)
                self.cut += cut
                self.slots += sum(len(r) for r in table)
                self.done[id(node)] = table
        return self.done[id(node)]


def _expand(node: Node) -> tuple[Table, int]:
    """The table as a full grid, merged text repeated; and how many cells were cut by the caps."""
    rows = _rows(node)
    grid: list[dict[int, str]] = [{} for _ in rows]
    width, cut, slots = 0, 0, 0
    for r, cells in enumerate(rows):
        col = 0
        for cell in cells:
            while col in grid[r]:
                col += 1
            colspan = min(max(_span(cell.attrs.get("colspan")), 1), MAX_COLSPAN)
            rowspan = _span(cell.attrs.get("rowspan"))
            rowspan = len(rows) - r if rowspan == 0 else min(max(rowspan, 1), MAX_ROWSPAN, len(rows) - r)
            if col + colspan > MAX_COLS or slots + colspan * rowspan > MAX_SLOTS:
                cut += 1
                continue
            text = cell_text(cell)
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[r + dr].setdefault(col + dc, text)
            slots += colspan * rowspan
            col += colspan
            width = max(width, col)
    table = [[row.get(c, "") for c in range(width)] for row in grid if row]
    return table, cut


_SPACE_RUN = re.compile(r"\s+")


def _has_markers(table: Table) -> bool:
    return any(m in _SPACE_RUN.sub("", c) for row in table for c in row if len(c) <= 60 for m in MARKERS)


# ---------------------------------------------------------------------- the article


def _nodes(root: Node) -> list[Node]:
    """Every block in document order, dropped subtrees left out."""
    out: list[Node] = []
    todo: list[Node] = [root]
    while todo:
        node = todo.pop()
        out.append(node)
        todo.extend(reversed([c for c in node.children if isinstance(c, Node) and c.parent is node and not c.dropped]))
    return out


def _ancestors(node: Node) -> list[Node]:
    out = []
    current: Node | None = node
    while current is not None:
        out.append(current)
        current = current.parent
    return out


def _common(a: Node, b: Node) -> Node:
    mine = {id(n) for n in _ancestors(a)}
    for n in _ancestors(b):
        if id(n) in mine:
            return n
    return a


def _container(root: Node, nodes: list[Node], grids: _Grids) -> Node:
    """The article: most non-link paragraph text (own text credits the block, its parent, half to the
    grandparent), moved out of a data table, widened to every table with the official labels."""
    credit: dict[int, float] = {}
    by_id: dict[int, Node] = {}
    for node in nodes:
        own = _own_chars(node) - node.link
        if own <= 0:
            continue
        grandparent = node.parent.parent if node.parent else None
        # a paragraph credits its container; a container with loose text (<div>text<br>text) itself too
        mine = 0.0 if node.tag in PARAGRAPHS else 1.0
        for weight, target in ((mine, node), (1.0, node.parent), (0.5, grandparent)):
            if target is not None and weight:
                credit[id(target)] = credit.get(id(target), 0.0) + weight * own
                by_id[id(target)] = target
    body = next((n for n in nodes if n.tag == "body"), root)
    best = by_id[max(credit, key=lambda k: credit[k])] if credit else body
    while credit and best.parent is not None and credit.get(id(best.parent), 0.0) >= credit.get(id(best), 0.0):
        best = best.parent  # a tie goes to the wider element
    for n in _ancestors(best):
        if n.tag == "table" and not n.nested:
            best = n.parent or body  # in a data table: the article is around it
    if best.tag in _ROWS:  # a layout table's rows: read the table from around it
        best = next((n for n in _ancestors(best) if n.tag == "table"), best).parent or body
    for table in (n for n in nodes if n.tag == "table" and not n.nested):
        if id(best) in {id(a) for a in _ancestors(table)}:
            continue
        if _has_markers(grids.expand(table)):
            best = _common(best, table)
    return best


def _title(builder: _Builder, container: Node, paragraphs: list[str]) -> tuple[list[str], list[str]]:
    title, rest = split_title(paragraphs)
    if title:
        return title, rest
    # before the container in page order, so never inside it (an element's blocks open after it)
    before = [n for n in builder.titles if n.order < container.order]
    for node in reversed(before):
        lines = [line for line in cell_text(node).split("\n") if line]
        if lines and is_title("".join(lines)):
            return lines, paragraphs
    for name in ("articletitle", "og:title", "title", "dc.title"):
        found = title_from(tidy(builder.metas.get(name, "")))
        if found:
            return found, paragraphs
    if builder.page_title is not None:
        found = title_from(cell_text(builder.page_title).replace("\n", " "))
        if found:
            return found, paragraphs
    return [], paragraphs


def parse(text: str, source: str) -> Published:
    builder = _Builder()
    try:
        feed(text, builder, EVENTS, ATTRIBUTED)  # html.parser's events (those _Builder acts on), for less
    except _Stop:
        pass
    nodes = _nodes(builder.root)
    grids = _Grids()
    container = _container(builder.root, nodes, grids)
    flow = _Flow(grids)
    flow.walk(container)
    flow.flush()
    paragraphs = [i for i in flow.items if isinstance(i, str)]
    tables = [i for i in flow.items if not isinstance(i, str)]
    title, paragraphs = _title(builder, container, paragraphs)
    notes: list[str] = []
    if builder.stopped:
        notes.append(f"网页标签过多（超过{MAX_EVENTS}个），其后的内容未读取")
    if builder.deep:
        notes.append(f"网页元素嵌套超过{MAX_DEPTH}层，更深的部分只读取了文字")
    notes += table_notes(flow.layout, flow.skipped)
    if grids.cut:
        notes.append(f"表格过宽或合并范围过大，{grids.cut}个单元格未读取")
    if grids.over:
        notes.append(f"网页表格单元格总数超过{MAX_TOTAL_SLOTS}个，其后{grids.over}个表格未读取")
    if not tables:
        notes.append("网页正文中没有找到数据表格")
    return Published(source, "html", title, paragraphs, tables, notes)


_CHARSET = re.compile(rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]{1,40})""", re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> near its start."""
    m = _CHARSET.search(data[:16384])
    return m.group(1).decode("ascii") if m else None


def read(path: Path, data: bytes | None = None) -> Published:
    """Read a web page: the article's title, paragraphs and data tables. PublishedError if unreadable.

    data: the file's bytes when the caller has loaded them already (reader.py, to tell the format)."""
    path = Path(path)

    def work() -> Published:
        raw = load(path) if data is None else data
        text, notes = decode(raw, declared_charset(raw))
        published = parse(text, str(path))
        published.notes[:0] = notes
        return published

    return guarded("网页", path, work)
