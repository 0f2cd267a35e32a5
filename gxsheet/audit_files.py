"""`audit` over the published reports and folders named on the command line: one Outcome per file.

One bad file is that file's outcome (unreadable), never the end of the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .crash import working_on
from .folders import Progress, under
from .outcome import Outcome
from .published.audit import audit
from .published.mapping import to_report
from .published.reader import PublishedError, read_published
from .report import Report
from .workbook.reader import read_workbook

PUBLISHED_SUFFIXES = (".html", ".htm", ".shtml", ".docx", ".txt", ".pdf")
NO_REPORTS = "文件夹中没有可审查的报告（网页、.docx、PDF 或文本文件）"


def previous_report(path: Path) -> Report:
    """Last year's report for an audit: a gxsheet workbook or another published report.

    Raises ReadError (a workbook) or PublishedError (a published report) when it cannot be read.
    """
    if path.suffix.lower() == ".xlsx":
        return read_workbook(path)
    return to_report(read_published(path)).report


def reports_in(paths: list[Path]) -> list[Path]:
    """Published reports as given, and every one in each folder; a folder with none stays itself,
    to be said unreadable: nothing audited must never look like nothing found."""
    found: list[Path] = []
    for p in paths:
        found += (under(p, PUBLISHED_SUFFIXES) or [p]) if p.is_dir() else [p]
    return found


def audit_files(paths: list[Path], previous: Report | None = None,
                progress: Progress | None = None) -> Iterator[Outcome]:
    """Audit each published report in turn; progress(done, total) after each."""
    for done, path in enumerate(paths, 1):
        try:
            if path.is_dir():  # given on the command line, and no report in it
                outcome = Outcome.unreadable(path, "FILE", NO_REPORTS)
            else:
                with working_on(path):  # so that an unexpected error can name the file
                    outcome = audit(read_published(path), previous).outcome(path)
        except PublishedError as exc:
            outcome = Outcome.unreadable(path, "FILE", exc.message)
        yield outcome
        if progress is not None:
            progress(done, len(paths))
