"""The words a rule instance's status is shown with, in the workbook and by the checker alike."""

from __future__ import annotations

from .schema import Severity

PASS = "通过"
BLANK = "未填"  # cannot be judged yet (an input it needs is blank or not a number), or not all filled in yet
NOT_APPLICABLE = "不适用"  # a cross-year rule without last year's figures


def failed(severity: Severity) -> str:
    return severity.zh


STATUSES = (PASS, BLANK, NOT_APPLICABLE, Severity.ERROR.zh, Severity.WARNING.zh)
