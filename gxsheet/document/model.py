"""The report document as plain data, independent of Word or HTML.

Composition (compose.py) decides every word and number; writers only lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..schema import Table


@dataclass(frozen=True)
class Heading:
    """A part heading: level 1 "一、总体情况" (黑体), level 2 "（一）主动公开" (楷体). Numbered as text."""

    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of body text. style: body | opening | item | closing | warning."""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class TableBlock:
    """One official table with its display values by cell key (every cell filled; 0 as "0")."""

    table: Table
    values: dict[str, str]
    notes: tuple[str, ...] = ()  # "注：…" lines printed under the table


Block = Heading | Paragraph | TableBlock


@dataclass(frozen=True)
class Document:
    unit: str
    year: int
    title: tuple[str, ...]  # one or two lines: unit / YYYY年政府信息公开工作年度报告
    blocks: tuple[Block, ...]
    unchecked: str = ""  # non-empty when built with --force despite errors: shown prominently
    meta: dict[str, str] = field(default_factory=dict)  # document properties (title, subject)

    def headings(self, level: int) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Heading) and b.level == level]

    def tables(self) -> list[TableBlock]:
        return [b for b in self.blocks if isinstance(b, TableBlock)]
