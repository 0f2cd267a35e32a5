"""Building blocks of the schema: value kinds, table declarations and report fields.

Everything here is a frozen dataclass of the standard library: the schema is data that
the workbook generator, reader, checker and writers interpret, never code they copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What an input holds; decides validation in the workbook and parsing in the reader."""

    COUNT = "count"  # whole number >= 0 (件, 条)
    AMOUNT = "amount"  # number >= 0 with decimals (万元 or 元)
    TEXT = "text"  # one line of text
    LONGTEXT = "longtext"  # a narrative paragraph or several
    DATE = "date"  # a calendar date
    POSTCODE = "postcode"  # six digits
    PHONE = "phone"  # a telephone number: area code, number, extension; or a mobile number
    EMAIL = "email"  # an e-mail address
    CHOICE = "choice"  # one of a list (the note target list)

    @property
    def numeric(self) -> bool:
        return self in (Kind.COUNT, Kind.AMOUNT)

    @property
    def rule_zh(self) -> str:
        """What may be typed, as the input prompt tells staff."""
        return {
            Kind.COUNT: "请填写不小于0的整数，没有的填0。",
            Kind.AMOUNT: "请填写不小于0的数，可以有小数。",
            Kind.POSTCODE: "请填写6位数字的邮政编码。",
            Kind.DATE: "请填写报告年度当年或次年的日期，如2025年1月20日或2025-1-20。",
            Kind.PHONE: "请填写电话号码，如0632-2205128、13812345678，分机号写在“转”字后。",
            Kind.EMAIL: "请填写电子邮箱地址，如gongkai@tengzhou.gov.cn。",
            Kind.CHOICE: "请从下拉列表中选择。",
        }.get(self, "")


class Severity(StrEnum):
    """How bad a broken rule is: errors stop a report, warnings ask for a second look."""

    ERROR = "error"
    WARNING = "warning"

    @property
    def zh(self) -> str:
        return "错误" if self is Severity.ERROR else "提醒"


@dataclass(frozen=True)
class Row:
    """One body row of a table: its key and its label path from the outermost group in."""

    key: str
    path: tuple[str, ...]
    short: str = ""  # a shorter leaf label for messages, when the printed one is long

    @property
    def label(self) -> str:
        return self.path[-1]

    @property
    def name(self) -> str:
        """The row as a person names it: sub-group and leaf, without long printed notes."""
        path = self.path[1:] if len(self.path) > 1 else self.path
        return " ".join((*path[:-1], self.short or self.label))


@dataclass(frozen=True)
class Column:
    """One value column of a table: its key and its header path from the top header row down."""

    key: str
    path: tuple[str, ...]
    short: str = ""

    @property
    def label(self) -> str:
        return self.path[-1]


@dataclass(frozen=True)
class Block:
    """A cross table: row labels down the left, column headers on top, values between.

    Table 二 stacks four blocks, each under its own title row; tables 三 and 四 are one each.
    """

    rows: tuple[Row, ...]
    columns: tuple[Column, ...]
    corner: str = ""  # text of the top-left header block
    title: str = ""  # a title row spanning the table width, above the headers
    label_width: int = 1  # grid columns taken by row labels
    kind: Kind = Kind.COUNT
    unit: str = "件"


@dataclass(frozen=True)
class Table:
    """One official table: the part it belongs to and its blocks in printed order."""

    key: str
    name: str  # 表二
    title: str  # the part heading it sits under, verbatim
    sheet: str  # worksheet name in the workbook
    blocks: tuple[Block, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        """Every value cell, block by block, row by row, in printed order."""
        return tuple(
            Cell(cell_key(self.key, r.key, c.key), self, b, r, c)
            for b in self.blocks
            for r in b.rows
            for c in b.columns
        )


def cell_key(table: str, row: str, column: str) -> str:
    """The stable key of a table cell: t3.partial.commercial, t4.review.total."""
    return ".".join(p for p in (table, row, column) if p)


@dataclass(frozen=True)
class Cell:
    """One value cell of an official table, with everything a message needs to name it."""

    key: str
    table: Table
    block: Block
    row: Row
    column: Column

    @property
    def kind(self) -> Kind:
        return self.block.kind

    @property
    def row_name(self) -> str:
        return self.row.name

    @property
    def column_name(self) -> str:
        return self.column.short or self.column.label

    @property
    def label(self) -> str:
        """表三·（二）部分公开·商业企业 — how messages and exports name the cell."""
        return "·".join(p for p in (self.table.name, self.row_name, self.column_name) if p)


@dataclass(frozen=True)
class Field:
    """A report input outside the tables: basic information, a narrative, a figure or a note."""

    key: str
    label: str
    kind: Kind
    sheet: str
    section: str = ""  # heading the field sits under on its sheet
    required: bool = True
    max_len: int = 0  # for text kinds; 0 means the kind's default
    unit: str = ""
    prompt: str = ""  # the input prompt shown in the workbook
    locked: bool = False  # set by `gxsheet new`, shown but not editable
    heading: str = ""  # the sub-heading the report prints it under, when not the label

    @property
    def title(self) -> str:
        """The field's sub-heading in the report (without its （一） numbering)."""
        return self.heading or self.label

    @property
    def limit(self) -> int:
        if self.max_len:
            return self.max_len
        return {Kind.LONGTEXT: 5000, Kind.TEXT: 200, Kind.PHONE: 40, Kind.EMAIL: 80}.get(self.kind, 100)
