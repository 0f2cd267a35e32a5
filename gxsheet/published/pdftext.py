"""The running text of a PDF: lines outside tables, page headers and footers dropped, paragraphs rebuilt.

A PDF has lines, not paragraphs. A new paragraph starts where the previous line stopped short of
the right margin, where a line is indented, where the font size changes, after a wide gap, or
at a heading ("一、", "（一）") after a sentence ended. Wrapped CJK lines join without a space.
Lines in the top or bottom band that recur on most pages (digits aside), or that are page
numbers ("- 1 -", "第1页", "3/9"), are headers and footers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .common import is_title, title_from, title_head
from .pdfgrid import Char, join, line_text, lines_of

BAND = 0.1  # top and bottom share of the page where headers and footers live
_PAGE_NO = re.compile(r"[-—–―－\s]*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:(?:/|共)\s*\d{1,4}\s*页?)?[-—–―－\s]*")
_HEADING = re.compile(r"(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\))")
_YEAR_FIRST = re.compile(r"(?:19|20)\d{2}\s*年")
_ENDS = ("。", "；", "：", "！", "？", ".", ";", ":", "”", "）", ")")


@dataclass
class Line:
    """A line of running text on a page."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int


def page_lines(chars: Sequence[Char], page: int) -> list[Line]:
    """The page's text lines; a line with a wide gap (columns, a right-aligned date) is split there."""
    out: list[Line] = []
    for line in lines_of(chars):
        piece: list[Char] = []
        for ch in line:
            if piece and ch.x0 - piece[-1].x1 > 4 * max(ch.size, 1.0):
                out.append(_line(piece, page))
                piece = []
            piece.append(ch)
        out.append(_line(piece, page))
    return [ln for ln in out if ln.text]


def _line(chars: list[Char], page: int) -> Line:
    """A line; its extent is its visible characters' ("　　" indenting a paragraph is indent, not text)."""
    ink = [c for c in chars if c.text.strip()] or chars
    size = Counter(round(c.size, 1) for c in ink).most_common(1)[0][0]
    return Line(line_text(chars), min(c.x0 for c in ink), max(c.x1 for c in ink),
                min(c.top for c in ink), max(c.bottom for c in ink), size, page)


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def furniture(pages: Sequence[tuple[float, list[Line]]]) -> set[tuple[int, int]]:
    """(page, index) of lines that are page headers or footers: page numbers, or recurring in the bands."""
    banded: list[tuple[int, int, str]] = []
    for p, (height, lines) in enumerate(pages):
        for i, ln in enumerate(lines):
            if ln.top < height * BAND or ln.bottom > height * (1 - BAND):
                banded.append((p, i, ln.text))
    pages_of: dict[str, set[int]] = {}
    for p, _, text in banded:
        pages_of.setdefault(_key(text), set()).add(p)
    need = max(2, (len(pages) + 1) // 2)
    return {(p, i) for p, i, text in banded
            if (len(text) <= 30 and _PAGE_NO.fullmatch(text)) or (len(pages) > 1 and len(pages_of[_key(text)]) >= need)}


@dataclass
class Para:
    text: str
    size: float
    page: int


class Paragraphs:
    """Lines fed in reading order become paragraphs; `cut()` where a table comes between."""

    def __init__(self, lines: Sequence[Line]) -> None:
        self.out: list[Para] = []
        self.prev: Line | None = None
        self.left, self.right = _margins(lines)

    def cut(self) -> None:
        self.prev = None

    def add(self, ln: Line) -> None:
        if self.prev is None or self._starts(ln, self.prev):
            self.out.append(Para(ln.text, ln.size, ln.page))
        else:
            self.out[-1].text = join(self.out[-1].text, ln.text)
        self.prev = ln

    def text(self, text: str, page: int) -> None:
        """A paragraph that is not a line of its own (a one-column table's text)."""
        self.out.append(Para(text, 0.0, page))
        self.prev = None

    def _starts(self, ln: Line, prev: Line) -> bool:
        size = max(ln.size, 1.0)
        if abs(ln.size - prev.size) > 1 or ln.x0 > self.left + 0.8 * size:
            return True
        if prev.x1 < self.right - 1.5 * max(prev.size, 1.0) and self._ended(prev):
            return True
        if ln.page == prev.page and ln.top - prev.bottom > 1.5 * size:
            return True
        return bool(_HEADING.match(ln.text)) and prev.text.endswith(_ENDS)

    def _ended(self, prev: Line) -> bool:
        """A short line ends its paragraph after a sentence, a heading, or well before the margin (a
        line cut early only because the next word did not fit goes on)."""
        short = prev.x1 - self.left < 0.7 * (self.right - self.left)
        return short or prev.text.endswith(_ENDS) or bool(_HEADING.match(prev.text))


def _margins(lines: Sequence[Line]) -> tuple[float, float]:
    if not lines:
        return 0.0, 0.0
    lefts = Counter(round(ln.x0) for ln in lines)
    long = [ln for ln in lines if len(ln.text) >= 12] or list(lines)
    rights = Counter(round(ln.x1 / 2) * 2 for ln in long)
    # The text's left edge is the leftmost position many lines share: where many paragraphs are one
    # line long (contacts, short items), the indented first lines can outnumber the lines at the edge.
    most = lefts.most_common(1)[0][1]
    left = min(x for x, n in lefts.items() if n >= max(2, most // 5)) if most >= 2 else lefts.most_common(1)[0][0]
    return float(left), float(rights.most_common(1)[0][0])


def body_size(lines: Sequence[Line]) -> float:
    sizes: Counter[float] = Counter()
    for ln in lines:
        sizes[ln.size] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def title(paras: list[Para], body: float, running: list[str]) -> tuple[list[str], list[str]]:
    """Title lines and the paragraphs after them: the biggest title-like line near the top; else the
    running header a browser prints (the page's title); else the first title-like paragraph.

    What stands above the title (a site's banner, a file number) is dropped; when a site's banner
    stood there, its footer (a run of link-like lines) is dropped too."""
    texts = [p.text for p in paras]
    looks = [i for i, p in enumerate(paras[:60]) if p.page <= 1 and is_title(p.text)]
    big = [i for i in looks if paras[i].size > body + 0.5]
    if big:
        i = max(big, key=lambda k: (paras[k].size, -k))
        return _around(paras, i)
    for line in running:
        head = title_from(line)
        if head:
            at = next((i for i, t in enumerate(texts[:80]) if t == head[0]), -1)
            return head, _site_footer_cut(texts[at + 1:])
    return _around(paras, looks[0]) if looks else ([], texts)


def _around(paras: list[Para], i: int) -> tuple[list[str], list[str]]:
    """The title at i (with the unit's line above it, in the same size) and what follows."""
    texts = [p.text for p in paras]
    unit_above = i > 0 and _YEAR_FIRST.match(texts[i]) is not None  # "2024年…报告": the unit's name is above
    start = i - 1 if unit_above and abs(paras[i - 1].size - paras[i].size) <= 0.5 and title_head(texts[i - 1]) else i
    rest = texts[i + 1:]
    return texts[start:i + 1], _site_footer_cut(rest) if start >= 3 else rest


def _site_footer_cut(texts: list[str]) -> list[str]:
    """The article without the site's footer: from the first run of five link-like lines (short, no
    sentence punctuation, not a heading) on, the rest is the site's, not the report's."""
    run = 0
    for i, text in enumerate(texts):
        link = len(text) <= 16 and not any(p in text for p in "。，；：") and not _HEADING.match(text)
        run = run + 1 if link else 0
        if run == 5:
            return texts[:i - 4]
    return texts
