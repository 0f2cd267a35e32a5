"""Text that a spreadsheet would take for a formula is written with a quote prefix.

A cell holding "=HYPERLINK(...)" as text stays text until someone re-enters it (F2, Enter) or the
sheet is saved as CSV and opened again; then it runs. quotePrefix="1" on the cell's format keeps
it text in Excel, WPS and LibreOffice alike, as if it had been typed with a leading apostrophe.
"""

from __future__ import annotations

from typing import Any

import xlsxwriter
from xlsxwriter.format import Format

LIVE = frozenset("=+-@")
SPACE = " \t\r\n"


def needs_quote(text: str) -> bool:
    """Whether text would turn live: its first character past spaces, tabs and line breaks is = + - or @."""
    stripped = text.lstrip(SPACE)
    return bool(stripped) and stripped[0] in LIVE


class Quoted:
    """The quote-prefixed twin of each format of one workbook, made once each."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        self._twins: dict[int, Format] = {}
        self._plain: Format | None = None

    def of(self, text: str, fmt: Format | None) -> Format | None:
        """The format to write text with: fmt itself, or its quote-prefixed twin when text needs one."""
        if not needs_quote(text):
            return fmt
        if fmt is None:
            if self._plain is None:
                self._plain = self.wb.add_format({"quote_prefix": True})
            return self._plain
        twin = self._twins.get(id(fmt))
        if twin is None:
            twin = _twin(self.wb, fmt)
            self._twins[id(fmt)] = twin
        return twin

    def write(self, ws: Any, row: int, col: int, text: str, fmt: Format | None = None) -> None:
        """ws.write_string, quote-prefixed when the text needs it."""
        ws.write_string(row, col, text, self.of(text, fmt))


_FRESH = ("xf_index", "dxf_index", "_format_key")  # assigned when the workbook is saved


def _twin(wb: xlsxwriter.Workbook, fmt: Format) -> Format:
    """A new format of wb like fmt in every property, with the quote prefix set.

    XlsxWriter keeps a format's properties as attributes and offers no copy; the indices it
    assigns on saving are left fresh so the twin gets its own xf.
    """
    twin: Format = wb.add_format()
    twin.__dict__.update({k: v for k, v in fmt.__dict__.items() if k not in _FRESH})
    twin.set_quote_prefix()
    return twin
