"""Reading problems apart from the report's own problems.

A table the reader could not read completely (rows whose numbers could not be placed under their
columns) is one finding in the group READING, "表三无法读取：…（N行）", and nothing else is said
about it: its rule checks, blanks and the prose compared with it would judge the reader, not the
report. Likewise a table refused as a whole (表二 of the 2019 trial format) is one READING item and
the notes about its columns and labels are dropped; notes on how a table was read (its header did
not fit, its rows were read from the end) are READING too. What remains is what the report itself
gets wrong.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..outcome import READING_GROUP
from ..problems import Problem
from ..schema import SCHEMA, Severity
from ..values import Entry
from .mapping import Mapped

READING = READING_GROUP  # the group renderers show reading problems under (defined with the outcome)
UNREAD_ROW = "MAP-ROW-SHORT"  # a row whose numbers could not be placed
REFUSED = {"MAP-T2-2019"}  # a whole table refused: its other notes are moot
# how a table was read, not what the report got wrong
HOW_READ = {"MAP-HEADER", "MAP-WIDTH", "MAP-T3-2019"}
_PREFIX = {t.name: f"{t.key}." for t in SCHEMA.tables}


def _about(p: Problem, table: str) -> bool:
    """Whether a problem concerns the table: its group, or a cell of it among its keys."""
    prefix = _PREFIX.get(table, "\x00")
    return p.group == table or p.key.startswith(prefix) or any(k.startswith(prefix) for k in p.keys)


def unread_tables(findings: list[Problem]) -> dict[str, int]:
    """Tables with rows that could not be read, and how many such rows each has."""
    out: dict[str, int] = {}
    for p in findings:
        if p.rule == UNREAD_ROW:
            out[p.group] = out.get(p.group, 0) + 1
    return out


_AT = re.compile(r"第(\d{1,6})个表格第(\d{1,6})行")


def _unread_item(table: str, rows: list[Problem]) -> Problem:
    """"表三无法读取：第2个表格第8、9、15行的数字无法确定所在的列，表三未作核对（3行）"."""
    places: dict[str, list[str]] = {}
    for p in rows:
        m = _AT.search(p.message)
        if m:
            places.setdefault(m[1], []).append(m[2])
    where = "，".join(f"第{t}个表格第{'、'.join(r[:8])}{'等' if len(r) > 8 else ''}行" for t, r in places.items())
    message = f"{table}无法读取：{where or '有些行'}的数字无法确定所在的列，{table}未作核对（{len(rows)}行）"
    return Problem("READ-TABLE", Severity.WARNING, message, group=READING, rule="READ-TABLE")


def apart(problems: list[Problem], mapped: Mapped) -> list[Problem]:
    """The problems with reading problems set apart: one READING item per unreadable or refused
    table and nothing else about it; notes on how tables were read moved to READING."""
    unread = unread_tables(mapped.findings)
    refused = {p.group for p in mapped.findings if p.rule in REFUSED}
    out: list[Problem] = []
    for table in unread:
        out.append(_unread_item(table, [p for p in mapped.findings if p.rule == UNREAD_ROW and p.group == table]))
    for p in problems:
        if any(_about(p, t) for t in unread):
            continue
        if p.group in refused and p.code.startswith("MAP-") and p.rule not in REFUSED:
            continue
        out.append(replace(p, group=READING) if p.rule in REFUSED or p.rule in HOW_READ else p)
    return out


def unread_left_out(entries: dict[str, Entry], mapped: Mapped) -> dict[str, Entry]:
    """The entries without those of tables that could not be read, for the rules to leave alone."""
    prefixes = tuple(_PREFIX[t] for t in unread_tables(mapped.findings) if t in _PREFIX)
    return {k: e for k, e in entries.items() if not (prefixes and k.startswith(prefixes))}
