"""A marked copy of a checked workbook (`gxsheet check --mark`): the problems shown where they are.

The copy is written anew from the report's data by the workbook writer, so protection,
validation and formulas are those of a fresh form; the file that was checked is never touched.
Each cell with a problem is outlined in red and carries a note; a first sheet, 问题回执, lists
every problem, those without a cell (an edited label, a file-level finding) included.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .check import Result
from .check_files import check_files
from .prefill import prefill_values
from .problems import Problem
from .schema import Severity
from .schema.fields import PREVIOUS
from .schema.receipt import cell_note
from .workbook.layout import LAYOUT
from .workbook.meta import Meta
from .workbook.receipt import Receipt
from .workbook.writer import write_workbook
from .xlsx import a1


def _key_at(sheet: str, cell: str) -> str:
    for key, (name, row, col) in LAYOUT.where.items():
        if name == sheet and a1(row, col) == cell:
            return key
    return ""


def _keys(p: Problem) -> list[str]:
    """The form's cells a problem is about: its one cell, or every cell of a relation that failed."""
    if p.key in LAYOUT.where:
        return [p.key]
    involved = [k for k in p.keys if k in LAYOUT.where]
    if involved:
        return involved
    key = _key_at(p.sheet, p.cell)
    return [key] if key else []


def marks(result: Result) -> dict[str, str]:
    """Key → the note on its cell, for every problem that names cells of the form."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for p in result.problems:
        for key in _keys(p):
            found[key].append((p.severity.zh, p.message))
    return {key: cell_note(items) for key, items in found.items()}


def receipt(result: Result) -> Receipt:
    rows = []
    for p in result.problems:
        keys = _keys(p)
        if keys:
            sheet = LAYOUT.where[keys[0]][0]
            cell = "、".join(a1(*LAYOUT.where[k][1:]) for k in keys if LAYOUT.where[k][0] == sheet)
        else:
            sheet, cell = p.sheet, p.cell
        rows.append((sheet, cell, p.severity.zh, p.message))
    return Receipt(result.report.unit, result.report.year, tuple(rows), len(result.errors),
                   sum(p.severity is Severity.WARNING for p in result.problems))


def write_marked(result: Result, target: Path, password: str = "") -> None:
    """Write the marked copy of a checked report to target (never the file it was read from)."""
    report = result.report
    values = prefill_values(report)
    # 二、上年结转 came from last year, locked, when last year's figures are there beside it.
    locked = frozenset(k.replace(PREVIOUS, "").replace("carried_forward", "carried_over")
                       for k in values if k.startswith(PREVIOUS + "t3.carried_forward."))
    write_workbook(target, Meta(report.unit, report.year), values, password, locked, marks(result), receipt(result))


MARKED_SUFFIX = "（问题标注）"


def mark_targets(paths: list[Path], mark: Path, folder: bool = False) -> dict[Path, Path]:
    """Where each checked file's marked copy goes: mark itself for one file and a .xlsx name,
    else mark as a folder with `<name>（问题标注）.xlsx` in it (two files of one name kept apart)."""
    if len(paths) == 1 and mark.suffix.lower() == ".xlsx" and not folder:
        return {paths[0]: mark}
    targets: dict[Path, Path] = {}
    taken: set[str] = set()
    for p in paths:
        name, n = f"{p.stem}{MARKED_SUFFIX}", 1
        while name.casefold() in taken:
            n += 1
            name = f"{p.stem}{MARKED_SUFFIX}{n}"
        taken.add(name.casefold())
        targets[p] = mark / f"{name}.xlsx"
    return targets


def write_marks(results: list[tuple[Path, Result]], mark: Path, folder: bool = False) -> list[tuple[Path, Path]]:
    """Write a marked copy for each report with problems; (checked file, copy) for each written.

    Raises ValueError when a copy would overwrite the file it marks.
    """
    targets = mark_targets([p for p, _ in results], mark, folder)
    written = []
    for path, result in results:
        if not result.problems:
            continue
        target = targets[path]
        if target.resolve() == path.resolve():
            raise ValueError(f"标注副本 {target} 与被校验的文件相同，不能覆盖原文件")
        target.parent.mkdir(parents=True, exist_ok=True)
        write_marked(result, target)
        written.append((path, target))
    return written


def mark_round(paths: list[Path], folder: Path, previous: Path | None = None) -> list[tuple[Path, Path]]:
    """`collect --mark`: check these files again (with last year, as the round did) and mark them into folder."""
    checked = check_files(paths, previous, keep=True)
    return write_marks([(o.path, o.result) for o in checked if o.path and o.result], folder, folder=True)
