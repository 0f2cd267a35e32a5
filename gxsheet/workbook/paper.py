"""How wide a sheet prints on A4, so that every sheet prints at full size (text ≥ 10.5 pt on paper).

Column widths are in Excel's units: the width of a digit of the default font (Calibri 11,
7 px on screen) plus 5 px of padding. LibreOffice measures a unit as the digit of Carlito,
5.58 pt, which is the wider of the two; a sheet that fits by this measure fits in Excel and WPS.
"""

from __future__ import annotations

from collections.abc import Mapping

UNIT_PT = 5.58  # one column-width unit on paper (Calibri/Carlito 11 pt digit)
PAD_UNITS = 5 / 7  # the padding Excel adds to every column, in units
MARGIN_IN = 0.5  # left and right
A4_PT = (595.3, 841.9)  # portrait width, landscape width
FONT_PT = 11  # every text on the sheets; titles are larger
MIN_PRINTED_PT = 10.5


def printable_pt(landscape: bool) -> float:
    return A4_PT[landscape] - 2 * MARGIN_IN * 72


def printed_pt(widths: Mapping[int, float]) -> float:
    """Width on paper of columns 0 … the last with a width."""
    if not widths:
        return 0.0
    default = 8.43
    return sum((widths.get(c, default) + PAD_UNITS) * UNIT_PT for c in range(max(widths) + 1))


def scale(widths: Mapping[int, float], landscape: bool) -> float:
    """The scale fit-to-width prints at: 1 when the columns fit the page."""
    wide = printed_pt(widths)
    return min(1.0, printable_pt(landscape) / wide) if wide else 1.0
