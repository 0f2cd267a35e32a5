"""What a workbook says about itself: format, schema version, unit, year, layout fingerprint.

Written twice, to a very hidden sheet and to custom document properties, with a digest
over both so that the reader can tell a gxsheet workbook and notice an edited identity.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .. import __version__
from ..atomic import stamp
from ..schema import FORMAT_NOTICE, SCHEMA, VERSION
from ..schema import fields as F
from .layout import LAYOUT, META

if TYPE_CHECKING:  # the reader uses this module too, and must not pay for importing the writer
    import xlsxwriter

FORMAT = "gxsheet"
PROPERTY = {"format": "gxsheet.format", "schema": "gxsheet.schema", "unit": "gxsheet.unit",
            "year": "gxsheet.year", "layout": "gxsheet.layout", "digest": "gxsheet.digest"}


@lru_cache(maxsize=1)
def layout_fingerprint() -> str:
    """A digest of every label and position: two workbooks with it share one layout."""
    items = [
        (s.name, sorted((t.row, t.col, t.text) for t in s.texts), sorted(s.values.items()))
        for s in LAYOUT.sheets
    ]
    return hashlib.sha256(json.dumps(items, ensure_ascii=False).encode()).hexdigest()[:16]


def digest(schema: str, unit: str, year: int, layout: str) -> str:
    return hashlib.sha256(f"{FORMAT}|{schema}|{unit}|{year}|{layout}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Meta:
    unit: str
    year: int
    schema: str = VERSION
    layout: str = ""

    def __post_init__(self) -> None:
        if not self.layout:
            object.__setattr__(self, "layout", layout_fingerprint())

    @property
    def digest(self) -> str:
        return digest(self.schema, self.unit, self.year, self.layout)

    def rows(self) -> list[tuple[str, str]]:
        return [("format", FORMAT), ("schema", self.schema), ("unit", self.unit),
                ("year", str(self.year)), ("layout", self.layout), ("digest", self.digest),
                ("generator", f"gxsheet {__version__}")]

    def write_properties(self, wb: xlsxwriter.Workbook) -> None:
        values = {"format": FORMAT, "schema": self.schema, "unit": self.unit,
                  "year": str(self.year), "layout": self.layout, "digest": self.digest}
        for name, prop in PROPERTY.items():
            wb.set_custom_property(prop, values[name])
        wb.set_properties({"created": stamp(),
                           "title": f"{self.unit}{self.year}年政府信息公开工作年度报告（填报工作簿）",
                           "subject": "政府信息公开工作年度报告", "author": "gxsheet",
                           "comments": f"gxsheet {self.schema}"})

    def template_vars(self) -> dict[str, object]:
        sheets = [s.name for s in LAYOUT.sheets if s.values and s.name != F.NOTES]
        return {"unit": self.unit, "year": self.year, "notice": FORMAT_NOTICE, "sheets": sheets}


def note_targets() -> list[str]:
    """The labels staff choose from when attaching a note to a table cell."""
    return [c.label for c in SCHEMA.table_inputs]


def note_targets_ref() -> str:
    return f"='{META}'!$D$1:$D${len(note_targets())}"
