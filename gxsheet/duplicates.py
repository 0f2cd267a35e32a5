"""Two or more files of one unit: which one stands for it, why, and where they differ.

Shared by `collect` (one file per unit in the roll-up) and `build` (one report per unit). The file
that stands for the unit is, in this order: readable, of the round's year, passing over failing,
the newest modification, the first in path order. The reason given is the first of these that
tells the two files apart; the differences are the inputs whose values are not the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .schema import SCHEMA
from .values import shown
from .workbook.reader import read_workbook
from .xlsx import ReadError

SHOWN = 6  # differing cells named in a message


@dataclass(frozen=True)
class Candidate:
    """One file of a unit, as far as the choice needs to know it."""

    path: Path
    readable: bool = True
    right_year: bool = True
    passed: bool = True

    @property
    def mtime(self) -> float:
        """The modification time to the second (finer differences are not shown, so not judged)."""
        try:
            return float(int(self.path.stat().st_mtime))
        except OSError:
            return 0.0

    def rank(self) -> tuple[bool, bool, bool, float, str]:
        return (not self.readable, not self.right_year, not self.passed, -self.mtime, str(self.path))


def choose(files: list[Candidate]) -> Candidate:
    return min(files, key=Candidate.rank)


def _when(t: float) -> str:
    return dt.datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M:%S") if t else "未知"


def reason(kept: Candidate, other: Candidate, year: int | None = None, names: tuple[str, str] = ("", "")) -> str:
    """Why kept stands for the unit rather than other, in one Chinese clause naming both (names: as shown)."""
    a, b = names[0] or kept.path.name, names[1] or other.path.name
    if kept.readable != other.readable:
        return f"{b}无法读取"
    if kept.right_year != other.right_year:
        return f"{b}的报告年度不是{year}年" if year else f"{b}的报告年度与本轮不同"
    if kept.passed != other.passed:
        return f"{a}通过校验，{b}有错误"
    if kept.mtime != other.mtime:
        return f"{a}修改时间较晚（{_when(kept.mtime)}，{b}为{_when(other.mtime)}）"
    return f"两个文件修改时间相同，按文件名顺序取{a}"


def differences(a: Path, b: Path) -> str:
    """The inputs whose values differ between two workbooks, named by label and cell; "" if unreadable."""
    try:
        first, second = read_workbook(a), read_workbook(b)
    except ReadError:
        return ""
    keys = [c.key for c in SCHEMA.table_inputs] + [f.key for f in SCHEMA.field_inputs]
    differ = [k for k in keys if first.entry(k).raw != second.entry(k).raw]
    if not differ:
        return "两个文件填写的内容完全相同"
    named = []
    for key in differ[:SHOWN]:
        sheet, cell = first.place(key)
        where = f"（{sheet}!{cell}）" if cell else ""
        values = f"{a.name}为{_value(first.entry(key).raw)}，{b.name}为{_value(second.entry(key).raw)}"
        named.append(f"{SCHEMA.label(key)}{where}：{values}")
    more = f"等{len(differ)}处" if len(differ) > SHOWN else f"共{len(differ)}处"
    return f"两个文件不同之处{more}：" + "；".join(named)


def _value(raw: object) -> str:
    if raw is None or raw == "":
        return "空白"
    text = shown(raw)
    return f"“{text[:20]}…”" if len(text) > 20 else f"“{text}”"
