"""Cell formats of the workbook: inputs stand out, computed and label cells are locked."""

from __future__ import annotations

from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from ..inert import Quoted
from ..schema import Kind, Severity
from ..status import BLANK, PASS

FONT = "宋体"
FONT_PT = 11  # every text but titles: printed at full size, never below 10.5 pt
TITLE_PT = 14
INPUT_FILL = "#FFFFFF"
LOCKED_FILL = "#F2F2F2"
COMPUTED_FILL = "#E2E2E2"
MARK_RED = "#FF0000"
COLOURS = {
    PASS: ("#C6EFCE", "#006100"),
    BLANK: ("#EDEDED", "#7F7F7F"),
    Severity.ERROR.zh: ("#FF4D4D", "#FFFFFF"),
    Severity.WARNING.zh: ("#FFC000", "#000000"),
}


class Styles:
    """The formats of one workbook, made once and reused."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        self.quoted = Quoted(wb)  # text staff typed, written so it can never turn into a formula
        base: dict[str, Any] = {"font_name": FONT, "font_size": FONT_PT, "valign": "vcenter"}
        box = {**base, "border": 1, "text_wrap": True}
        self._text = {
            "title": wb.add_format({**base, "bold": True, "font_size": TITLE_PT, "align": "center",
                                    "text_wrap": True}),
            "header": wb.add_format({**box, "bold": True, "align": "center", "bg_color": "#DDEBF7"}),
            "label": wb.add_format({**box, "bg_color": LOCKED_FILL}),
            "hint": wb.add_format({**base, "italic": True, "font_color": "#595959", "text_wrap": True}),
            "note": wb.add_format({**base, "text_wrap": True}),
            "check_label": wb.add_format({**box, "italic": True, "bg_color": LOCKED_FILL, "align": "right"}),
        }
        unlocked = {**box, "locked": False, "bg_color": INPUT_FILL, "border_color": "#2F75B5"}
        inputs: dict[Kind, dict[str, Any]] = {
            Kind.COUNT: {**unlocked, "align": "center", "num_format": "0"},
            Kind.AMOUNT: {**unlocked, "align": "center", "num_format": "General"},
            Kind.TEXT: {**unlocked, "num_format": "@"},
            Kind.LONGTEXT: {**unlocked, "valign": "top"},
            Kind.DATE: {**unlocked, "num_format": 'yyyy"年"m"月"d"日"'},
            Kind.POSTCODE: {**unlocked, "num_format": "@"},
            Kind.PHONE: {**unlocked, "num_format": "@"},
            Kind.EMAIL: {**unlocked, "num_format": "@"},
            Kind.CHOICE: {**unlocked},
        }
        locked_input = {**box, "bg_color": COMPUTED_FILL, "bold": True}
        computed = {**box, "align": "center", "bg_color": COMPUTED_FILL}
        self._inputs = {k: wb.add_format(v) for k, v in inputs.items()}
        self._locked_input = wb.add_format(locked_input)
        self.computed = wb.add_format(computed)
        # A marked copy (`check --mark`) outlines each cell with a problem in red.
        red = {"border": 5, "border_color": MARK_RED}
        self._marked_inputs = {k: wb.add_format({**v, **red}) for k, v in inputs.items()}
        self._marked_locked_input = wb.add_format({**locked_input, **red})
        self.marked_computed = wb.add_format({**computed, **red})
        self.check = wb.add_format({**box, "align": "center"})
        self.overall = wb.add_format({**box, "bold": True, "font_size": TITLE_PT, "align": "center"})
        self.blank_cf = wb.add_format({"bg_color": "#FFF2CC"})
        self._cf = {word: wb.add_format({"bg_color": bg, "font_color": fg, "bold": True})
                    for word, (bg, fg) in COLOURS.items()}

    def text(self, style: str) -> Format:
        return self._text[style]

    def input(self, kind: Kind, locked: bool, marked: bool = False) -> Format:
        if marked:
            return self._marked_locked_input if locked else self._marked_inputs[kind]
        return self._locked_input if locked else self._inputs[kind]

    def status_colours(self, ws: Worksheet, row: int, col: int, last: int | None = None) -> None:
        for word, fmt in self._cf.items():
            ws.conditional_format(row, col, last if last is not None else row, col,
                                  {"type": "cell", "criteria": "==", "value": f'"{word}"', "format": fmt})

    def overall_colours(self, ws: Worksheet, row: int, col: int) -> None:
        ok, bad = self._cf[PASS], self._cf[Severity.ERROR.zh]
        ws.conditional_format(row, col, row, col, {"type": "text", "criteria": "begins with",
                                                   "value": "全部通过", "format": ok})
        ws.conditional_format(row, col, row, col, {"type": "text", "criteria": "begins with",
                                                   "value": "有", "format": bad})
