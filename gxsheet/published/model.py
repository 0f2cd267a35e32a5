"""A published report as read from any form, before its tables are mapped to the schema.

Readers (html.py, docx.py, text.py, pdf.py) produce a `Published`; mapping.py turns its tables into
schema keys by their labels; audit.py checks it. Nothing here knows the official labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Row = list[str]  # the texts of one table row, left to right, whitespace as found
Table = list[Row]


@dataclass
class Published:
    """What a published report says, in reading order.

    tables: each a list of rows; a merged cell's text is repeated in every row and column it
    covers (HTML rowspan/colspan, Word merges, PDF cells spanning grid lines), so each row reads
    completely on its own. The
    text form cannot know merges: continuation cells there are empty strings.
    """

    source: str
    form: str  # "html" | "docx" | "text" | "pdf"
    title: list[str] = field(default_factory=list)  # the title line(s), e.g. [unit, "2024年政府信息公开工作年度报告"]
    paragraphs: list[str] = field(default_factory=list)  # body text outside tables, in order, one per paragraph
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader could not read, and why (Chinese)


def table_notes(layout: int, skipped: list[str]) -> list[str]:
    """What a reader says about tables it did not take as data (the same words for every form)."""
    notes: list[str] = []
    if layout:
        notes.append(f"{layout}个排版用表格（套有表格或只有一列）按正文文字读取，未作为数据表")
    if skipped:
        names = "、".join(f"“{s}”" for s in skipped[:5] if s)
        notes.append(f"跳过{len(skipped)}个既无数字也无年报表格栏目的表格" + (f"（{names}）" if names else ""))
    return notes

