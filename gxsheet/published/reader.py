"""Read a published report from a web page, a .docx, a PDF or extracted text: pick the reader.

`read_published(path)` chooses the reader by the file's content (%PDF- is a PDF, a zip is Word,
markup is a web page) and its suffix (.pdf, .html/.htm, .docx, .txt). Anything that cannot be read at all raises
`PublishedError` with a one-line Chinese message; no other exception leaves a reader.

This is only the dispatcher: the helpers every reader shares (loading with a size cap, decoding,
clean-up, title lines, `PublishedError`) live in common.py, so the readers never import back.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import html as html_reader
from . import text as text_reader
from .common import MAX_BYTES, PublishedError, decode, load
from .model import Published

__all__ = ["MAX_BYTES", "MAX_PARAGRAPHS", "MAX_ROWS", "PublishedError", "read_published"]

# What the later passes (mapping, audit) are given: a report has some 300 paragraphs of at most
# a few thousand characters. Those passes are linear but not cheap (30 µs a paragraph), so a
# million-line text is cut here, with a note, instead of taking half a minute.
MAX_PARAGRAPHS = 5_000
MAX_PARAGRAPH = 20_000
# Rows of tables, likewise: the mapping compares each row's label with the official ones
# (60 µs a comparison), and a report's four tables have some 100 rows in all.
MAX_TABLE_ROWS = 300
MAX_ROWS = 1_500


def read_published(path: Path) -> Published:
    """Read a published report, choosing the reader by content and suffix; PublishedError when unreadable."""
    return _capped(_read(Path(path)))


def _capped(published: Published) -> Published:
    """The paragraphs the later passes will see: at most MAX_PARAGRAPHS, each at most MAX_PARAGRAPH long."""
    if len(published.paragraphs) > MAX_PARAGRAPHS:
        published.notes.append(f"正文超过{MAX_PARAGRAPHS}段，其后的内容未读取")
        del published.paragraphs[MAX_PARAGRAPHS:]
    if any(len(p) > MAX_PARAGRAPH for p in published.paragraphs):
        published.notes.append(f"有段落超过{MAX_PARAGRAPH}字，超出部分未读取")
        published.paragraphs[:] = [p[:MAX_PARAGRAPH] for p in published.paragraphs]
    published.title[:] = [t[:MAX_PARAGRAPH] for t in published.title]
    _cap_tables(published)
    return published


def _cap_tables(published: Published) -> None:
    """At most MAX_TABLE_ROWS rows a table and MAX_ROWS in all; a note says what was left out."""
    if any(len(t) > MAX_TABLE_ROWS for t in published.tables):
        published.notes.append(f"有表格超过{MAX_TABLE_ROWS}行，超出部分未读取")
        published.tables[:] = [t[:MAX_TABLE_ROWS] for t in published.tables]
    rows, kept = 0, 0
    for table in published.tables:
        if rows + len(table) > MAX_ROWS:
            break
        rows, kept = rows + len(table), kept + 1
    if kept < len(published.tables):
        published.notes.append(f"表格总行数超过{MAX_ROWS}行，其后{len(published.tables) - kept}个表格未读取")
        del published.tables[kept:]


def _docx(path: Path, data: bytes) -> Published:
    from . import docx as docx_reader  # start-up: python-docx and lxml (~80 ms), which a web page never needs

    return docx_reader.read(path, data)


def _pdf(path: Path, data: bytes) -> Published:
    from . import pdf as pdf_reader  # start-up: the PDF reader's modules, which a web page never needs

    return pdf_reader.read(path, data)


def _read(path: Path) -> Published:
    data = load(path)  # read once: every reader takes these bytes
    head = data[:4096]
    suffix = path.suffix.lower()
    if b"%PDF-" in head[:1024] or (suffix == ".pdf" and not _looks_like_markup(head)):
        return _pdf(path, data)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise PublishedError(f"这是旧版 Word（.doc）或 WPS 文件，请另存为 .docx 再读：{path.name}")
    if head.startswith(b"PK\x03\x04"):
        return _docx(path, data)
    if suffix in (".docx", ".doc", ".pdf") and _looks_like_markup(head):
        published = html_reader.read(path, data)  # sites serve web pages saved under a Word name
        published.notes.insert(0, f"文件扩展名是{suffix}，内容却是网页，已按网页读取")
        return published
    if suffix == ".docx":
        return _docx(path, data)
    if suffix in (".html", ".htm", ".shtml", ".xhtml"):
        return html_reader.read(path, data)
    if suffix == ".txt":
        return html_reader.read(path, data) if _starts_as_page(head) else text_reader.read(path, data)
    return html_reader.read(path, data) if _looks_like_markup(head) else text_reader.read(path, data)


def _sniff(head: bytes) -> str:
    text, _ = decode(head)
    return text.lstrip("\ufeff \t\r\n").lower()


def _starts_as_page(head: bytes) -> bool:
    return _sniff(head).startswith(("<!doctype html", "<html", "<?xml"))


def _looks_like_markup(head: bytes) -> bool:
    start = _sniff(head)
    return start.startswith("<") and re.search(r"<(?:html|head|body|div|p|table|meta|title)\b", start) is not None
