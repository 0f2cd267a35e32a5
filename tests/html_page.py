"""A web page as the tests look at it: texts, tables placed as a browser places them, and a check
that every element is closed in order (shared by the HTML, roll-up and output-agreement tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"meta", "br", "col", "link", "img", "hr", "input", "base", "wbr", "source", "area", "embed", "track"}
TEXT_TAGS = {"title", "h1", "h2", "h3", "h4", "p"}

@dataclass
class Cell:
    tag: str
    attrs: dict[str, str]
    text: str = ""

    @property
    def rowspan(self) -> int:
        return int(self.attrs.get("rowspan", "1"))

    @property
    def colspan(self) -> int:
        return int(self.attrs.get("colspan", "1"))


@dataclass
class Table:
    rows: list[list[Cell]] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # thead/tbody of each row
    groups: list[tuple[str, int]] = field(default_factory=list)  # (thead|tbody, rows in it)

    def layout(self) -> tuple[dict[tuple[int, int], Cell], set[tuple[int, int]]]:
        """Place each cell as a browser does: skip slots taken by merges from above; fail on overlaps."""
        placed: dict[tuple[int, int], Cell] = {}
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                placed[(r, c)] = cell
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        assert (r + dr, c + dc) not in taken, f"merges overlap at {(r + dr, c + dc)}"
                        taken.add((r + dr, c + dc))
                c += cell.colspan
        return placed, taken


class Page(HTMLParser):
    """The parts of the page the tests look at, with a check that every element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.doctype = ""
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.starts: list[tuple[str, dict[str, str], tuple[str, ...]]] = []  # tag, attrs, open ancestors
        self.texts: list[tuple[str, str, str]] = []  # (tag, class, text) of title, headings, paragraphs
        self.tables: list[Table] = []
        self.style = ""
        self._text: list[str] | None = None
        self._cell: Cell | None = None
        self._section = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.starts.append((tag, a, tuple(self.stack)))
        if tag == "br" and self._text is not None:
            self._text.append("\n")
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag in TEXT_TAGS:
            self._text = []
        elif tag == "table":
            self.tables.append(Table())
        elif tag in ("thead", "tbody"):
            self._section = tag
            self.tables[-1].groups.append((tag, 0))
        elif tag == "tr":
            t = self.tables[-1]
            t.rows.append([])
            t.sections.append(self._section)
            t.groups[-1] = (t.groups[-1][0], t.groups[-1][1] + 1)
        elif tag in ("td", "th"):
            self._cell = Cell(tag, a)
            self.tables[-1].rows[-1].append(self._cell)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.errors.append(f"self-closing <{tag}/>")
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.errors.append(f"end tag for void </{tag}>")
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if tag in TEXT_TAGS and self._text is not None:
            cls = next((a.get("class", "") for t, a, _ in reversed(self.starts) if t == tag), "")
            self.texts.append((tag, cls, "".join(self._text)))
            self._text = None
        elif tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "style":
            self.style += data
        elif self._cell is not None:
            self._cell.text += data
        elif self._text is not None:
            self._text.append(data)
        elif data.strip():
            self.errors.append(f"stray text {data!r} in {self.stack}")

    def of(self, tag: str, cls: str | None = None) -> list[str]:
        return [text for t, c, text in self.texts if t == tag and (cls is None or c == cls)]


def parse(page: str) -> Page:
    p = Page()
    p.feed(page)
    p.close()
    return p


Layout = dict[tuple[int, int], tuple[str, int, int]]  # (row, col) -> (text, rowspan, colspan)


def html_tables(page: str) -> list[Layout]:
    """Each table of a page: every cell's text and merge, at the slot a browser puts it in."""
    out = []
    for table in parse(page).tables:
        placed, _ = table.layout()
        out.append({pos: (cell.text, cell.rowspan, cell.colspan) for pos, cell in placed.items()})
    return out
