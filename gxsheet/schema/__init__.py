"""The one declarative schema of the annual report (2021 format).

`SCHEMA` joins the tables, fields and rules and derives what every consumer needs:
which cells are computed (the targets of `Total` rules), what they are computed from,
and a label for every key. Nothing here knows about Excel, Word or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .fields import FIELDS, PREVIOUS
from .formats import FORMAT_2021
from .model import Block, Cell, Column, Field, Kind, Row, Severity, Table, cell_key
from .relations import Relation, Total
from .rules import RULES, Instance, Rule
from .tables import TABLES

VERSION = "2021.1"  # format 2021 (国办公开办函〔2021〕30号), gxsheet layout 1
FORMAT_NOTICE = FORMAT_2021.notice


@dataclass(frozen=True)
class Schema:
    """Tables, fields and rules, with lookups derived from them."""

    version: str
    tables: tuple[Table, ...]
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...]
    _cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def cells(self) -> dict[str, Cell]:
        return {c.key: c for t in self.tables for c in t.cells}

    @cached_property
    def field_map(self) -> dict[str, Field]:
        return {f.key: f for f in self.fields}

    @cached_property
    def definitions(self) -> dict[str, Total]:
        """The computed cells and the first `Total` that defines each."""
        found: dict[str, Total] = {}
        for inst in self.instances:
            rel = inst.relation
            if isinstance(rel, Total):
                found.setdefault(rel.target, rel)
        return found

    @cached_property
    def instances(self) -> tuple[Instance, ...]:
        return tuple(i for r in self.rules for i in r.instances)

    @cached_property
    def rule_of(self) -> dict[str, Rule]:
        return {i.id: r for r in self.rules for i in r.instances}

    def is_input(self, key: str) -> bool:
        return key not in self.definitions

    def leaves(self, key: str) -> tuple[str, ...]:
        """The input cells a key is computed from (itself, for an input)."""
        rel = self.definitions.get(key)
        if rel is None:
            return (key,)
        return tuple(leaf for part in rel.parts for leaf in self.leaves(part))

    def needs(self, rel: Relation) -> tuple[str, ...]:
        """The inputs that must all be numbers before a relation can be judged.

        A total that counts blanks as 0 (and any relation over such totals) needs nothing.
        """
        if isinstance(rel, Total) and rel.blank_as_zero:
            return ()
        seen: dict[str, None] = {}
        for k in rel.keys:
            defined = self.definitions.get(k)
            if defined is not None and defined.blank_as_zero:
                continue
            for leaf in self.leaves(k):
                seen.setdefault(leaf)
        return tuple(seen)

    def previous(self, rel: Relation) -> tuple[str, ...]:
        """Last year's inputs a relation compares with: without them it does not apply."""
        return tuple(k for k in self.needs(rel) if k.startswith(PREVIOUS))

    def kind(self, key: str) -> Kind:
        if key in self.cells:
            return self.cells[key].kind
        return self.field_map[key].kind

    def label(self, key: str) -> str:
        if key in self.cells:
            return self.cells[key].label
        f = self.field_map[key]
        return f"{f.sheet}·{f.label}"

    @cached_property
    def table_inputs(self) -> tuple[Cell, ...]:
        return tuple(c for c in self.cells.values() if self.is_input(c.key))

    @cached_property
    def field_inputs(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if self.is_input(f.key) and not f.locked)


SCHEMA = Schema(VERSION, TABLES, FIELDS, RULES)

__all__ = [
    "SCHEMA",
    "VERSION",
    "FORMAT_NOTICE",
    "Block",
    "Cell",
    "Column",
    "Field",
    "Instance",
    "Kind",
    "Relation",
    "Row",
    "Rule",
    "Schema",
    "Severity",
    "Table",
    "cell_key",
]
