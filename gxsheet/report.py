"""The data of one report, however it was obtained: inputs by key, notes, identity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from .problems import Problem
from .schema import SCHEMA
from .schema.fields import PREVIOUS
from .values import Entry


@dataclass
class Report:
    """What a workbook (or later a published report) says. Computed cells are never stored
    unless the source printed them (an imported report), so they are recomputed by default."""

    unit: str
    year: int
    schema: str
    entries: dict[str, Entry] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    source: str = ""
    problems: list[Problem] = field(default_factory=list)  # found while reading
    locate: Callable[[str], tuple[str, str]] | None = None  # key -> (sheet, A1)
    previous: Report | None = None  # last year's report, when known: it answers the prev.* keys

    def entry(self, key: str) -> Entry:
        return self.entries.get(key) or Entry(None, None)

    def number(self, key: str) -> Decimal | None:
        """A key's number: as given, or computed from its inputs; None while any is missing."""
        if key.startswith(PREVIOUS) and self.previous is not None:
            return self.previous.number(key[len(PREVIOUS):])
        if key in self.entries or SCHEMA.is_input(key):
            return self.entry(key).number
        rel = SCHEMA.definitions[key]
        total = Decimal(0)
        for part in rel.parts:
            n = self.number(part)
            if n is None and not rel.blank_as_zero:
                return None
            total += n or 0
        return total

    def place(self, key: str) -> tuple[str, str]:
        return self.locate(key) if self.locate else ("", "")
