"""`gxsheet import`: a published report's figures and narrative into a gxsheet workbook.

The workbook can be corrected and rebuilt, or serve as the `--previous` of next year's round.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..prefill import prefill_values
from ..report import Report
from ..schema import SCHEMA
from ..schema.formats import FORMATS, V2021
from ..schema.tables import TABLE_2
from ..workbook.meta import Meta
from ..workbook.writer import write_workbook
from .mapping import Mapped, to_report
from .model import Published


@dataclass
class Imported:
    """What went into the workbook, and what was left out with the reason."""

    tables: list[str] = field(default_factory=list)  # 表二 … imported
    refused: list[str] = field(default_factory=list)  # Chinese reasons for tables left blank
    placed: list[str] = field(default_factory=list)  # text kept in one field for want of sub-headings
    cells: int = 0


def import_report(pub: Published, out: Path, unit: str = "", year: int = 0) -> Imported:
    """Write a new workbook holding the report's figures and narrative; unmappable tables stay blank."""
    report, done = imported(pub, unit, year)
    values = prefill_values(report)
    done.cells = sum(1 for k in values if k in SCHEMA.cells)
    write_workbook(out, Meta(report.unit, report.year), values)
    return done


def imported(pub: Published, unit: str = "", year: int = 0) -> tuple[Report, Imported]:
    """The report as the new workbook will hold it (the inputs only), and what was left out."""
    mapped = to_report(pub)
    report = mapped.report
    report.unit, report.year = unit or report.unit, year or report.year
    if not report.unit or not report.year:
        raise ValueError("无法从报告中识别机关全称或年度，请用 --unit 和 --year 指定")
    done = Imported(placed=list(mapped.placed))
    keep = _importable(mapped, done)
    report.entries = {k: e for k, e in report.entries.items() if SCHEMA.is_input(k)
                      and (k not in SCHEMA.cells or SCHEMA.cells[k].table.name in keep)}
    report.notes = {k: v for k, v in report.notes.items() if SCHEMA.cells[k].table.name in keep}
    return report, done


def _importable(mapped: Mapped, done: Imported) -> set[str]:
    for table in SCHEMA.tables:
        version = mapped.versions.get(table.name, "")
        old = FORMATS.get(version)
        if old is None:
            done.refused.append(f"未能识别{table.name}，未导入")
        elif table is TABLE_2 and not old.t2_mappable:
            done.refused.append(f"{table.name}为{old.version}年试行格式，栏目与{V2021}年格式不能对应，未导入，"
                                f"请在工作簿中按{V2021}年格式补填")
        else:
            done.tables.append(table.name)
    return set(done.tables)
