"""`check` over the workbooks and folders named on the command line: one Outcome per file.

One bad file is that file's outcome (unreadable), never the end of the run.
"""

from __future__ import annotations

from pathlib import Path

from .check import check
from .crash import working_on
from .crossyear import attach, load_previous, unit_key
from .folders import under
from .outcome import Outcome
from .workbook.reader import read_workbook
from .xlsx import ReadError


def workbooks(paths: list[Path]) -> list[Path]:
    """Files as given and the workbooks in each folder; a folder without any stands as itself, unreadable."""
    found: list[Path] = []
    for path in paths:
        inside = under(path, (".xlsx",)) if path.is_dir() else [path]
        found += inside or [path]
    return found


def check_files(paths: list[Path], previous: Path | None = None, keep: bool = False) -> list[Outcome]:
    """Check each file; with previous (last year's workbook or folder), cross-year rules too.

    keep: each outcome holds the checker's result (for marked copies). Raises ReadError only for previous.
    """
    last = load_previous(previous) if previous is not None else None
    outcomes = []
    for path in workbooks(paths):
        with working_on(path):
            try:
                report = read_workbook(path)
            except ReadError as exc:
                outcomes.append(Outcome.unreadable(path, exc.code, exc.message))
                continue
            if last is not None:
                report.problems += attach(report, last.get(unit_key(report.unit)))
            outcomes.append(Outcome.checked(path, check(report), keep))
    return outcomes
