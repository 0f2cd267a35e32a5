"""Read a published report from a PDF: text with positions (pdfplumber, on pdfminer.six), tables from rules.

Each page gives its characters and its ruling lines; tables are rebuilt from the rules
(pdfgrid.py), the rest is running text (pdftext.py). A table cut by a page break is joined
again. A PDF whose pages are only images is a scan: refused ("扫描件，无法读取文字"), never
guessed. Caps on pages, objects, content size and time keep hostile files short.
"""

from __future__ import annotations

import io
import logging
import re
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .common import PublishedError, guarded, load, looks_like_data, spaces
from .model import Published, Table, table_notes
from .pdfcaps import check_page
from .pdfgrid import Char, Grid, boxes, build, segments
from .pdfjoin import continues, joined
from .pdftext import Line, Paragraphs, body_size, furniture, page_lines, title

MAX_PAGES = 200
MAX_OBJECTS = 200_000  # indirect objects in the file
MAX_CHARS = 50_000  # characters on one page
MAX_SECONDS = 60.0  # the whole file, checked between pages (pdfcaps.py bounds one page)
SCAN = "扫描件，无法读取文字"
_FOLD = re.compile("[\u2f00-\u2fdf\uf900-\ufaff\ufb00-\ufb4f]")
# CJK radicals that fonts give for the whole character (no Unicode decomposition exists for these)
_RADICALS = str.maketrans("⺁⺊⺟⺠⺩⺬⺮⺶⻁⻄⻅⻆⻉⻊⻋⻑⻓⻔⻗"
                           "⻘⻙⻚⻛⻜⻝⻡⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
                           "厂卜母民王示竹羊虎西见角贝足车長长门雨"
                           "青韦页风飞食首马骨鬼鱼鸟卤麦黄黾齐齿龙龟")


@dataclass
class _Page:
    height: float
    lines: list[Line] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    images: int = 0
    chars: int = 0
    cid: int = 0  # characters without a Unicode value ("(cid:12)")
    ocr: bool = False  # a scan with an invisible text layer over it: that text is a recogniser's guess


@contextmanager
def _quiet() -> Iterator[None]:
    """pdfminer logs every font quirk as a warning; a reader says what matters in its notes."""
    log = logging.getLogger("pdfminer")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def _fold(text: str) -> str:
    """Kangxi radicals, compatibility ideographs and ligatures (PDF fonts map 行 to ⾏, fi to ﬁ) as the
    ordinary characters, canonical twins as the usual one (〈 U+2329 as U+3008); other compatibility
    forms (full-width punctuation) stay as printed."""
    text = "".join(unicodedata.normalize("NFKC", c) if _FOLD.match(c) else c for c in text)
    return unicodedata.normalize("NFC", text).translate(_RADICALS)


def _dedupe(chars: list[Char]) -> list[Char]:
    """Without the copies of a character printed again a fraction of a point off (Word's and WPS's bold)."""
    seen: dict[tuple[str, int, int], list[Char]] = {}
    out: list[Char] = []
    for c in chars:
        bx, by = int(c.x0), int(c.top)
        near = (o for dx in (-1, 0, 1) for dy in (-1, 0, 1) for o in seen.get((c.text, bx + dx, by + dy), ()))
        if any(abs(o.x0 - c.x0) <= 1 and abs(o.top - c.top) <= 1 for o in near):
            continue
        seen.setdefault((c.text, bx, by), []).append(c)
        out.append(c)
    return out


def _chars(raw: list[dict[str, Any]]) -> tuple[list[Char], int]:
    out: list[Char] = []
    cid = 0
    for c in raw:
        text = str(c.get("text", ""))
        if text.startswith("(cid:"):
            cid += 1
            continue
        text = spaces(_fold(text))
        if text:
            out.append(Char(text, float(c["x0"]), float(c["x1"]), float(c["top"]), float(c["bottom"]),
                            float(c.get("size", 0.0))))
    return _dedupe(out), cid


def _page(page: Any, number: int, name: str, invisible: bool) -> _Page:
    objects = page.objects
    if invisible and objects.get("image"):
        return _Page(float(page.height), images=len(objects["image"]), ocr=True)
    chars, cid = _chars(objects.get("char", []))
    if len(chars) > MAX_CHARS:
        raise PublishedError(f"PDF 第{number}页文字过多（超过{MAX_CHARS}个），无法读取：{name}")
    shapes = [*objects.get("rect", []), *objects.get("line", []), *objects.get("curve", [])]
    hs, vs = segments(shapes)
    out = _Page(float(page.height), images=len(objects.get("image", [])), chars=len(chars), cid=cid)
    for h, v in boxes(hs, vs):
        grid = build(h, v, chars)
        if len(grid.xs) > 2 and grid.rows:  # one column: a frame around text, not a table
            out.grids.append(grid)
    body = [c for c in chars if not any(g.holds(c) for g in out.grids)]
    out.lines = page_lines(body, number - 1)
    out.grids.sort(key=lambda g: g.top)
    return out


def _open(data: bytes, name: str) -> Any:
    # start-up: pdfplumber and pdfminer (~0.15 s) are loaded when a PDF is opened, not with the reader
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PDFPasswordIncorrect as e:
        raise PublishedError(f"PDF 已加密，需要密码才能读取：{name}") from e
    objects = sum(len(list(x.get_objids())) for x in pdf.doc.xrefs)
    if objects > MAX_OBJECTS:
        pdf.close()
        raise PublishedError(f"PDF 对象过多（{objects}个，上限{MAX_OBJECTS}个），无法读取：{name}")
    return pdf


def _pages(data: bytes, name: str) -> list[_Page]:
    start = time.monotonic()
    out: list[_Page] = []
    with _quiet():
        pdf = _open(data, name)
        try:
            count = len(pdf.pages)
            if count > MAX_PAGES:
                raise PublishedError(f"PDF 页数过多（{count}页，上限{MAX_PAGES}页），无法读取：{name}")
            for i, page in enumerate(pdf.pages, 1):
                invisible = check_page(page.page_obj, i, name)
                if time.monotonic() - start > MAX_SECONDS:
                    raise PublishedError(f"PDF 过于复杂，读取超时（已读{i - 1}页）：{name}")
                out.append(_page(page, i, name, invisible))
                page.close()
        finally:
            pdf.close()
    return out


def _refuse_unreadable(pages: list[_Page], name: str) -> list[str]:
    chars, cid = sum(p.chars for p in pages), sum(p.cid for p in pages)
    ocr = "（其上的文字层是识别软件的猜测，不作依据）" if any(p.ocr for p in pages) else ""
    if not chars and any(p.images for p in pages):
        raise PublishedError(f"{SCAN}{ocr}：{name}")
    if cid > chars:
        raise PublishedError(f"PDF 的字体没有文字编码，无法读取文字：{name}")
    if not chars:
        raise PublishedError(f"PDF 中没有文字：{name}")
    scanned = [str(i) for i, p in enumerate(pages, 1) if not p.chars and p.images]
    return [f"第{'、'.join(scanned)}页是扫描图像，无法读取文字{ocr}，未读入"] if scanned else []


def parse(data: bytes, name: str) -> Published:
    if b"%PDF-" not in data[:1024]:
        raise PublishedError(f"不是 PDF 文件（文件开头没有 PDF 标记）：{name}")
    pages = _pages(data, name)
    notes = _refuse_unreadable(pages, name)
    drop = furniture([(p.height, p.lines) for p in pages])
    running = [pages[n].lines[i].text for n, i in sorted(drop)]
    items: list[Line | Grid] = []
    for n, page in enumerate(pages):
        lines = [ln for i, ln in enumerate(page.lines) if (n, i) not in drop]
        grids = list(page.grids)
        if grids and items and isinstance(items[-1], Grid) and not [ln for ln in lines if ln.top < grids[0].top]:
            if continues(items[-1], grids[0]):
                items[-1] = joined(items[-1], grids.pop(0))
        page_items: list[Line | Grid] = [*lines, *grids]
        items += sorted(page_items, key=lambda x: x.top)
    return _assemble(items, notes, name, running)


def _assemble(items: list[Line | Grid], notes: list[str], name: str, running: list[str]) -> Published:
    lines = [x for x in items if isinstance(x, Line)]
    paras = Paragraphs(lines)
    tables: list[Table] = []
    skipped: list[str] = []
    layout = 0
    page = 0
    for item in items:
        if isinstance(item, Line):
            page = item.page
            paras.add(item)
            continue
        paras.cut()
        if looks_like_data(item.rows):
            tables.append(item.rows)
        elif max(len(set(r)) for r in item.rows) <= 1:
            layout += 1
            for text in dict.fromkeys(c for r in item.rows for c in r if c):
                paras.text(text, page)
        else:
            skipped.append(next((c for r in item.rows for c in r if c), "")[:20])
    head, rest = title(paras.out, body_size(lines), running)
    if not tables:
        notes.append("PDF 中没有找到带框线的表格")
    return Published(name, "pdf", head, rest, tables, notes + table_notes(layout, skipped))


def read(path: Path, data: bytes | None = None) -> Published:
    """Read a PDF: title, paragraphs and ruled tables. PublishedError if unreadable or a scan.

    data: the file's bytes when the caller has loaded them already (reader.py, to tell the format)."""
    path = Path(path)

    def work() -> Published:
        published = parse(load(path) if data is None else data, path.name)
        published.source = str(path)
        return published

    return guarded("PDF", path, work)

