"""What a new workbook is prefilled with, from report data (`gxsheet new --data`)."""

from __future__ import annotations

from decimal import Decimal

from .report import Report
from .schema import SCHEMA
from .schema.fields import NOTE_SLOTS
from .values import shown


def prefill_values(report: Report) -> dict[str, object]:
    """Input values as they should be typed into the cells, and the notes in their slots."""
    values: dict[str, object] = {}
    for key, entry in report.entries.items():
        if entry.blank or not SCHEMA.is_input(key):
            continue
        # A value that is not valid is written as typed (a number stays a number), so the
        # new workbook shows the same problem.
        values[key] = _as_typed(entry.raw) if entry.problem else entry.value
    for i, (key, text) in enumerate(sorted(report.notes.items(), key=_order), 1):
        if i > NOTE_SLOTS:
            break
        values[f"note.{i}.cell"] = SCHEMA.cells[key].label
        values[f"note.{i}.text"] = text
    return values


def _as_typed(raw: object) -> object:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return Decimal(str(raw))
    return raw if isinstance(raw, Decimal) else shown(raw)


def _order(item: tuple[str, str]) -> int:
    return list(SCHEMA.cells).index(item[0])
