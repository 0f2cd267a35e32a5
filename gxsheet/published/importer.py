"""`gxsheet import`: a published report's figures and narrative into a gxsheet workbook.

The workbook can be corrected and rebuilt, or serve as the `--previous` of next year's round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..prefill import prefill_values
from ..schema import SCHEMA
from ..workbook.meta import Meta
from ..workbook.writer import write_workbook
from .mapping import V2019, V2021, Mapped, to_report
from .model import Published


@dataclass
class Imported:
    """What went into the workbook, and what was left out with the reason."""

    tables: list[str] = field(default_factory=list)  # 表二 … imported
    refused: list[str] = field(default_factory=list)  # Chinese reasons for tables left blank
    cells: int = 0


def import_report(pub: Published, out: Path, unit: str = "", year: int = 0) -> Imported:
    """Write a new workbook holding the report's figures and narrative; unmappable tables stay blank."""
    mapped = to_report(pub)
    report = mapped.report
    unit, year = unit or report.unit, year or report.year
    if not unit or not year:
        raise ValueError("无法从报告中识别机关全称或年度，请用 --unit 和 --year 指定")
    done = Imported()
    keep = _importable(mapped, done)
    for key in [k for k in report.entries if k in SCHEMA.cells and SCHEMA.cells[k].table.name not in keep]:
        del report.entries[key]
    report.notes = {k: v for k, v in report.notes.items() if SCHEMA.cells[k].table.name in keep}
    values = prefill_values(report) | _contact(pub)
    done.cells = sum(1 for k in values if k in SCHEMA.cells)
    write_workbook(out, Meta(unit, year), values)
    return done


def _importable(mapped: Mapped, done: Imported) -> set[str]:
    for table in SCHEMA.tables:
        version = mapped.versions.get(table.name, "")
        if version == V2021:
            done.tables.append(table.name)
        elif version == V2019 and table.key == "t2":
            done.refused.append(f"{table.name}为2019年试行格式，栏目与2021年格式不能对应，未导入，请在工作簿中按2021年格式补填")
        elif version == V2019:
            done.tables.append(table.name)
        else:
            done.refused.append(f"未能识别{table.name}，未导入")
    return set(done.tables)


_CONTACT = {
    "address": r"地址[:：]\s*([^，,；;）)\n]{2,60})",
    "postcode": r"邮(?:政)?编(?:码)?[:：]\s*(\d{6})",
    "phone": r"(?:联系)?电话[:：]\s*([\d\-－ ()（）]{7,30}\d)",
    "email": r"(?:电子)?邮箱[:：]\s*([\w.\-]+@[\w.\-]+\w)",
}


def _contact(pub: Published) -> dict[str, object]:
    """Contact details as the opening or closing paragraph states them (first match of each)."""
    found: dict[str, object] = {}
    text = "\n".join(pub.paragraphs)
    for key, pattern in _CONTACT.items():
        m = re.search(pattern, text)
        if m:
            found[key] = m.group(1).strip()
    return found
