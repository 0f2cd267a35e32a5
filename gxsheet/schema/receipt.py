"""The words of a marked copy (`gxsheet check --mark`): its 问题回执 sheet and the notes on cells."""

from __future__ import annotations

RECEIPT_SHEET = "问题回执"
RECEIPT_HEADERS = ("序号", "工作表", "单元格", "类别", "问题")
RECEIPT_WIDTHS = (5, 14, 8, 5, 57)  # A4 portrait at full size
NOTE_AUTHOR = "gxsheet 校验"


def receipt_title(unit: str, year: int) -> str:
    return f"{unit}{year}年报告校验问题回执"


def receipt_summary(errors: int, warnings: int) -> str:
    return (f"共{errors + warnings}处问题（错误{errors}处，提醒{warnings}处）。各工作表中红框标出的格附有批注，"
            "说明问题所在；错误须改正，提醒请核实。改正后请重新校验。")


def cell_note(severities_and_messages: list[tuple[str, str]]) -> str:
    """The note on a marked cell: each problem on it, with how bad it is."""
    return "\n".join(f"【{zh}】{message}" for zh, message in severities_and_messages)
