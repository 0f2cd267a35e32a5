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
    """A paragraph of body text. style: body | opening | contact | item | closing | warning."""

    text: str
    style: str = "body"
    right: float = 0.0  # right indent in characters of body type (the 落款 lines)


def width(text: str) -> float:
    """Width of text in characters of body type: ASCII half a character, the rest (CJK) whole."""
    return sum(0.5 if ord(c) < 128 else 1.0 for c in text)


def signature_indents(unit: str, date: str) -> tuple[float, float]:
    """Right indents (characters) of the 发文机关署名 and the 成文日期 of a document without a seal.

    GB/T 9704—2012 §7.3.5.2: the 署名 stands 右空二字; the date, on the next line, starts two
    characters right of the 署名's first character; when that would bring the date closer than
    two characters to the right margin (a date longer than the 署名 less two), the date stands
    右空二字 and the 署名 moves left to keep the two-character offset.
    """
    u, d = width(unit), width(date)
    unit_right = max(2.0, 2.0 + d + 2.0 - u)
    return unit_right, unit_right + u - 2.0 - d


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
