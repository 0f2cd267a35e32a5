"""Read a published report from plain text extracted from a .docx (table cells one a line).

The extraction this reads: paragraphs one a line; every table cell on its own line starting with a
TAB; rows separated by an empty line; a cell whose text has a line break goes on in the next line
without a TAB; merged continuation cells are empty TAB lines (so the text form cannot know merges:
they come back as empty strings). Two empty lines, or a line without a TAB after an empty line,
end a table. Extraction junk such as "[bookmark: _Hlk…]" is removed.
"""

from __future__ import annotations

import re
from pathlib import Path

from .common import decode, guarded, load, looks_like_data, split_title, tidy
from .model import Published, Row, Table
from .parts import BOOKMARK
from .rowfit import fit

_PART = re.compile(r"[一二三四五六七八九十]+、")
MAX_LINES = 200_000  # a report's extracted text has about 1,000 lines


def _line(text: str) -> str:
    return tidy(BOOKMARK.sub("", text))  # extraction junk ("[bookmark: _Hlk…]") goes first


def parse(text: str, source: str) -> Published:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    notes: list[str] = []
    if len(lines) > MAX_LINES:
        notes.append(f"文本超过{MAX_LINES}行，其后的内容未读取")
        lines = lines[:MAX_LINES]
    paragraphs: list[str] = []
    tables: list[Table] = []
    skipped: list[str] = []
    table: Table = []
    row: Row = []
    blanks = 0
    in_cell = False  # the last line was a cell's: a line without TAB right after it goes on with that cell

    def end_row() -> None:
        nonlocal row
        if row:
            table.append(row)
            row = []

    def end_table() -> None:
        nonlocal table
        end_row()
        if table and max(len(r) for r in table) <= 1:
            paragraphs.extend(x for r in table for c in r for x in c.split("\n") if x)  # indented text, not a table
        elif table and looks_like_data(table):
            fitted, fit_notes = fit(table, f"第{len(tables) + 1}个表格")
            tables.append(fitted)
            notes.extend(fit_notes)
        elif table:
            skipped.append(next((c for r in table for c in r if c), "").replace("\n", " ")[:20])
        table = []

    for raw in lines:
        if raw.startswith("\t"):
            if blanks >= 2:
                end_table()
            elif blanks == 1:
                end_row()
            row.append(_line(raw[1:]))
            blanks, in_cell = 0, True
        elif not raw.strip():
            blanks += 1
            in_cell = False
        elif in_cell and row and not _PART.match(raw.strip()):
            row[-1] = "\n".join(x for x in (row[-1], _line(raw)) if x)
        else:
            end_table()
            line = _line(raw)
            if line:
                paragraphs.append(line)
            blanks, in_cell = 0, False
    end_table()
    title, paragraphs = split_title(paragraphs)
    if skipped:
        names = "、".join(f"“{x}”" for x in skipped[:5] if x)
        notes.append(f"跳过{len(skipped)}个既无数字也无年报表格栏目的表格" + (f"（{names}）" if names else ""))
    if not tables:
        notes.append("文本中没有找到以制表符分隔的表格")
    return Published(source, "text", title, paragraphs, tables, notes)


def read(path: Path, data: bytes | None = None) -> Published:
    """Read extracted text: title, paragraphs and the TAB-separated tables. PublishedError if unreadable.

    data: the file's bytes when the caller has loaded them already (reader.py, to tell the format)."""
    path = Path(path)

    def work() -> Published:
        text, notes = decode(load(path) if data is None else data)
        published = parse(text, str(path))
        published.notes[:0] = notes
        return published

    return guarded("文本", path, work)
