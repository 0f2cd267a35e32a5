"""What to do with an error nobody foresaw: keep the trace for a bug report, show one Chinese line.

A traceback on screen means nothing to the office staff who run gxsheet, and it exits with 1,
the code that means "the workbook has errors". Instead the full trace goes to a file in the
temporary folder and the user reads which step failed, on which file, and where that file is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path

from . import __version__
from .names import readable
from .xlsx import ReadError

EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_BUG = 1, 2, 3
_CURRENT: list[str] = []  # the file being worked on, innermost last
_FAILED: list[str] = []  # the innermost file an error left, kept after the stack unwound


@contextlib.contextmanager
def working_on(path: Path | str) -> Iterator[None]:
    """Name the file a step works on, so that a crash inside it can say which file it was."""
    name = readable(path)
    _CURRENT.append(name)
    try:
        yield
    except Exception as exc:
        if not _FAILED and not _expected(exc):
            _FAILED.append(name)
        raise
    finally:
        _CURRENT.pop()


def _expected(exc: Exception) -> bool:
    """An unreadable file: reported as such where it is caught, not a bug."""
    from .published.reader import PublishedError  # start-up: not above, `check` never loads the report readers

    return isinstance(exc, (ReadError, PublishedError))


def current() -> str:
    """The file being worked on, or the one an unexpected error came out of."""
    return _CURRENT[-1] if _CURRENT else _FAILED[0] if _FAILED else ""


def forget() -> None:
    """After an error was handled (one file of a folder reported as unreadable)."""
    _FAILED.clear()


def record(exc: BaseException) -> Path | None:
    """Write the full trace, the command line and the version to a temp file; its path, or None."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = (f"gxsheet {__version__}, Python {sys.version.split()[0]}, {sys.platform}\n"
            f"argv: {[readable(a) for a in sys.argv]!r}\nfile: {current()}\n\n"
            + "".join(traceback.format_exception(exc)))
    try:
        fd, name = tempfile.mkstemp(prefix=f"gxsheet-error-{stamp}-", suffix=".txt")
        with open(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(text)
    except OSError:
        return None
    return Path(name)


def explain(exc: BaseException, step: str = "") -> str:
    """One Chinese line about an unexpected error: what failed, on which file, where the trace is."""
    where = record(exc)
    file = current()
    what = f"{step}时" if step else ""
    on = f"处理 {file} " if file else ""
    trace = f"完整记录已写入 {readable(where)}，" if where else ""
    return (f"{on}{what}程序内部出错（{type(exc).__name__}）。{trace}"
            "请把该记录和输入文件一起发给维护者")
