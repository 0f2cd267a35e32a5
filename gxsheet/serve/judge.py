"""One upload's verdict, computed in a worker process: the same check as `gxsheet check`, nothing else.

Runs off the event loop (a process pool), so one slow file never stalls the pages. Returns plain
data only: the `check --json` file entry, the row `collect` keeps, the table sums of a passing file
and the hash of the marked copy (问题回执) when there are problems.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from ..check_files import check_files
from ..collect import TABLE_KEYS, read_one
from ..crossyear import unit_key
from ..outcome import Outcome, Status, Unreadable
from ..xlsx import ReadError
from .store import keep


def judge(path: str, previous: str | None, filename: str, unit: str, year: int, root: str) -> dict[str, Any]:
    """The verdict on the stored file at path for this unit and year."""
    src = Path(path)
    with tempfile.TemporaryDirectory(prefix="gxserve-") as nothing:
        # previous "": the round has last year's reports, none of this unit's: an empty folder, so that
        # the verdict says so (XY-MATCH) exactly as `check --previous` over last year's folder would
        last = Path(previous) if previous else Path(nothing) if previous == "" else None
        try:
            found: Outcome | None = check_files([src], last, keep=True)[0]
        except ReadError:  # last year's file went bad on disk: judge without it
            found = check_files([src], keep=True)[0]
        except Exception:  # noqa: BLE001 - an unexpected error is read_one's to explain (with a trace file)
            found = None
    if found is None or found.result is None:
        row = read_one(src)[0]  # the unreadable row as collect words it (and names the trace file)
        verdict = (found or row).as_dict()
        verdict["file"] = filename
        return {"status": "unreadable", "verdict": verdict, "entry": _entry(row), "sums": None,
                "message": verdict["error"]["message"]}
    result = found.result
    verdict = found.as_dict()
    verdict["file"] = filename
    report = result.report
    wrong = _wrong(report.unit, report.year, unit, year)
    if wrong:
        return {"status": "rejected", "verdict": verdict, "entry": _entry(found), "sums": None, "message": wrong}
    sums = {k: str(n) for k in TABLE_KEYS if (n := report.number(k)) is not None} if result.ok else None
    return {"status": found.status.value, "verdict": verdict, "entry": _entry(found), "sums": sums, "message": "",
            "marked": _marked(result, Path(root)) if result.problems else None}


def too_slow(filename: str, unit: str, year: int, seconds: float) -> dict[str, Any]:
    """The verdict on an upload whose check was stopped after seconds: unreadable, as collect words a bad file."""
    message = (f"{filename}：这个文件检查用时超过 {seconds:g} 秒，已停止检查，无法读取；"
               "请确认上传的是本单位下载的工作簿，不要插入大量数据、图片或公式后再上传")
    found = Outcome(Path(filename), Status.UNREADABLE, unit, year, error=Unreadable("TOO-SLOW", message))
    verdict = found.as_dict()
    verdict["file"] = filename
    return {"status": "unreadable", "verdict": verdict, "entry": _entry(found), "sums": None, "message": message}


def _entry(row: Outcome) -> dict[str, Any]:
    """What collect keeps of a file: enough to stand in the round (rounds.collection) without reading it again."""
    error = {"code": row.error.code, "message": row.error.message} if row.error is not None else None
    return {"status": row.status.value, "unit": row.unit, "year": row.year, "schema": row.schema,
            "problems": [p.as_dict() for p in row.problems], "error": error}


def _wrong(got_unit: str, got_year: int, unit: str, year: int) -> str:
    if unit_key(got_unit) != unit_key(unit):
        return f"这是“{got_unit}”的工作簿，不是本单位（{unit}）的，未采用；请上传本单位的工作簿"
    if got_year != year:
        return f"这是{got_year}年的工作簿，本轮收集的是{year}年的报告，未采用；请上传{year}年的工作簿"
    return ""


def _marked(result: Any, root: Path) -> str:
    """The marked copy (problem cells outlined, the receipt first), kept in the file store; its hash."""
    from ..mark import write_marked

    with tempfile.TemporaryDirectory(prefix="gxserve-") as tmp:
        target = Path(tmp) / "marked.xlsx"
        write_marked(result, target)
        digest, _ = keep(root, target.read_bytes(), ".xlsx")
    return digest


def reports(path: str, previous: str | None, root: str) -> dict[str, str]:
    """A passing upload's report as .docx and .html (`gxsheet build`), kept in the file store: {fmt: hash}."""
    from ..crossyear import load_previous
    from ..document.build import build_one

    try:
        last = load_previous(Path(previous)) if previous else None
    except ReadError:
        last = None
    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="gxserve-") as tmp:
        for fmt in ("docx", "html"):
            target = Path(tmp) / f"report.{fmt}"
            if build_one(Path(path), target, fmt, previous=last).output is not None:
                out[fmt] = keep(Path(root), target.read_bytes(), f".{fmt}")[0]
    return out
